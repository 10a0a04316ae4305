/**
 * The group coordinator's requests and responses, shaped like Kafka's FindCoordinator (v4,
 * batched keys), JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
 * DescribeGroups, ListGroups and DeleteGroups so the wire protocol maps onto them one to one.
 * Field names follow Kafka's JSON schemas in camel case; errors are Kafka's error names, null
 * meaning NONE. Behaviour that depends on the API version (JoinGroup v4+ asks new members for a
 * member id first) reads `apiVersion` from the request context.
 */
import type { KafkaErrorName } from '../protocol/errors';

/** Who sent a request (Kafka's RequestContext, the parts the coordinator uses). */
export interface RequestContext {
  clientId: string;
  /** The client's address as Kafka prints it, e.g. "/127.0.0.1". */
  clientHost: string;
  /** The version of the API the client used. */
  apiVersion: number;
}

/** Highest versions the in-app clients speak (and so the behaviour they get). */
export const IN_APP_API_VERSIONS = { joinGroup: 9, syncGroup: 5, heartbeat: 4, leaveGroup: 5, offsetCommit: 9, offsetFetch: 9, findCoordinator: 4 } as const;

/** FindCoordinator key type of a consumer group. */
export const COORDINATOR_KEY_TYPE_GROUP = 0;

/** FindCoordinator: where the coordinator of each key (group id) is. */
export interface FindCoordinatorRequest {
  keyType: number;
  keys: string[];
}

/** One answer of FindCoordinator. */
export interface FindCoordinatorResult {
  key: string;
  nodeId: number;
  error: KafkaErrorName | null;
  errorMessage: string | null;
}

/** FindCoordinator response. */
export interface FindCoordinatorResponse {
  coordinators: FindCoordinatorResult[];
}

/** One protocol (assignor) a joining member supports, with its metadata (the subscription). */
export interface JoinGroupProtocol {
  name: string;
  metadata: Buffer;
}

/** JoinGroup. */
export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** max.poll.interval.ms of the client: how long a rebalance waits for it. */
  rebalanceTimeoutMs: number;
  /** "" for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: JoinGroupProtocol[];
  /** Why the client joins (KIP-800), or null. */
  reason: string | null;
}

/** A member as the leader sees it in the JoinGroup response. */
export interface JoinGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

/** JoinGroup response. */
export interface JoinGroupResponse {
  error: KafkaErrorName | null;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Every member with its metadata, for the leader only. */
  members: JoinGroupResponseMember[];
}

/** SyncGroup: the leader sends every member's assignment, the others none. */
export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

/** SyncGroup response: this member's assignment. */
export interface SyncGroupResponse {
  error: KafkaErrorName | null;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

/** Heartbeat. */
export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

/** Heartbeat response. */
export interface HeartbeatResponse {
  error: KafkaErrorName | null;
}

/** LeaveGroup (v3+: several members, by member id or group instance id). */
export interface LeaveGroupRequest {
  groupId: string;
  members: { memberId: string; groupInstanceId: string | null; reason: string | null }[];
}

/** LeaveGroup response. */
export interface LeaveGroupResponse {
  error: KafkaErrorName | null;
  members: { memberId: string; groupInstanceId: string | null; error: KafkaErrorName | null }[];
}

/** One partition's offset to commit. */
export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

/** OffsetCommit. A generation of -1 and an empty member id commit for a group without members. */
export interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: { name: string; partitions: OffsetCommitRequestPartition[] }[];
}

/** OffsetCommit response, an error per partition. */
export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; error: KafkaErrorName | null }[] }[];
}

/** OffsetFetch for one group; topics null fetches every committed offset of the group. */
export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

/** One partition's committed offset (-1 when none). */
export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string;
  error: KafkaErrorName | null;
}

/** OffsetFetch response. */
export interface OffsetFetchResponse {
  error: KafkaErrorName | null;
  topics: { name: string; partitions: OffsetFetchResponsePartition[] }[];
}

/** DescribeGroups. */
export interface DescribeGroupsRequest {
  groups: string[];
}

/** A member in DescribeGroups (metadata only while Stable). */
export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

/** A group in DescribeGroups; an unknown group is described as Dead with no error. */
export interface DescribedGroup {
  error: KafkaErrorName | null;
  groupId: string;
  groupState: string;
  protocolType: string;
  /** The chosen protocol (assignor) while Stable, else "". */
  protocolData: string;
  members: DescribedGroupMember[];
}

/** DescribeGroups response. */
export interface DescribeGroupsResponse {
  groups: DescribedGroup[];
}

/** ListGroups, optionally filtered by state (case-insensitive). */
export interface ListGroupsRequest {
  statesFilter: string[];
}

/** A group in ListGroups. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
}

/** ListGroups response. */
export interface ListGroupsResponse {
  error: KafkaErrorName | null;
  groups: ListedGroup[];
}

/** DeleteGroups. */
export interface DeleteGroupsRequest {
  groupsNames: string[];
}

/** DeleteGroups response, an error per group. */
export interface DeleteGroupsResponse {
  results: { groupId: string; error: KafkaErrorName | null }[];
}

/** The JoinGroup reason in-app consumers give when the leader saw a subscribed topic grow. */
export const TOPIC_METADATA_CHANGED_REASON = 'cached metadata has changed';
