/**
 * The APIs the embedded brokers serve, by API key, with their request and response schemas
 * and supported versions (ApiVersions advertises exactly this table). The ranges are wide
 * enough for kafkajs 2.2, librdkafka 2.0, kafka-python 2.0, @platformatic/kafka and
 * sarama-based tools; Metadata stops at 9 and Fetch at 12 to stay clear of topic ids.
 */
import * as m from './protocol/messages';
import type { MessageSchema } from './protocol/schema';

/** One served API. */
export interface ApiSpec {
  key: number;
  name: string;
  request: MessageSchema;
  response: MessageSchema;
}

function api(name: string, request: MessageSchema, response: MessageSchema): ApiSpec {
  return { key: request.apiKey, name, request, response };
}

/** Every served API. */
export const APIS: readonly ApiSpec[] = [
  api('Produce', m.ProduceRequest, m.ProduceResponse),
  api('Fetch', m.FetchRequest, m.FetchResponse),
  api('ListOffsets', m.ListOffsetsRequest, m.ListOffsetsResponse),
  api('Metadata', m.MetadataRequest, m.MetadataResponse),
  api('OffsetCommit', m.OffsetCommitRequest, m.OffsetCommitResponse),
  api('OffsetFetch', m.OffsetFetchRequest, m.OffsetFetchResponse),
  api('FindCoordinator', m.FindCoordinatorRequest, m.FindCoordinatorResponse),
  api('JoinGroup', m.JoinGroupRequest, m.JoinGroupResponse),
  api('Heartbeat', m.HeartbeatRequest, m.HeartbeatResponse),
  api('LeaveGroup', m.LeaveGroupRequest, m.LeaveGroupResponse),
  api('SyncGroup', m.SyncGroupRequest, m.SyncGroupResponse),
  api('DescribeGroups', m.DescribeGroupsRequest, m.DescribeGroupsResponse),
  api('ListGroups', m.ListGroupsRequest, m.ListGroupsResponse),
  api('ApiVersions', m.ApiVersionsRequest, m.ApiVersionsResponse),
  api('CreateTopics', m.CreateTopicsRequest, m.CreateTopicsResponse),
  api('DeleteTopics', m.DeleteTopicsRequest, m.DeleteTopicsResponse),
  api('InitProducerId', m.InitProducerIdRequest, m.InitProducerIdResponse),
  api('OffsetForLeaderEpoch', m.OffsetForLeaderEpochRequest, m.OffsetForLeaderEpochResponse),
  api('DescribeConfigs', m.DescribeConfigsRequest, m.DescribeConfigsResponse),
  api('CreatePartitions', m.CreatePartitionsRequest, m.CreatePartitionsResponse),
  api('DeleteGroups', m.DeleteGroupsRequest, m.DeleteGroupsResponse),
  api('AlterConfigs', m.AlterConfigsRequest, m.AlterConfigsResponse),
  api('IncrementalAlterConfigs', m.IncrementalAlterConfigsRequest, m.IncrementalAlterConfigsResponse),
];

/** Served APIs by key. */
export const API_BY_KEY: ReadonlyMap<number, ApiSpec> = new Map(APIS.map((spec) => [spec.key, spec]));

/** API keys used by name in the handlers. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  DescribeConfigs: 32,
  CreatePartitions: 37,
  DeleteGroups: 42,
  AlterConfigs: 33,
  IncrementalAlterConfigs: 44,
} as const;
