/**
 * The Kafka APIs the external source sends through kafkajs' connections with Brokerscope's own
 * codec (see client.ts for why), and the highest version asked for each: the versions up to
 * these carry everything the snapshot shows (Metadata 7 adds leader epochs, 8 only
 * authorisation bits).
 */
import * as m from '../kafka/protocol/messages';
import type { ApiSchemas } from './client';

export const METADATA: ApiSchemas = { name: 'Metadata', request: m.MetadataRequest, response: m.MetadataResponse };
export const LIST_OFFSETS: ApiSchemas = { name: 'ListOffsets', request: m.ListOffsetsRequest, response: m.ListOffsetsResponse };
export const LIST_GROUPS: ApiSchemas = { name: 'ListGroups', request: m.ListGroupsRequest, response: m.ListGroupsResponse };
export const DESCRIBE_GROUPS: ApiSchemas = { name: 'DescribeGroups', request: m.DescribeGroupsRequest, response: m.DescribeGroupsResponse };
export const OFFSET_FETCH: ApiSchemas = { name: 'OffsetFetch', request: m.OffsetFetchRequest, response: m.OffsetFetchResponse };
export const OFFSET_COMMIT: ApiSchemas = { name: 'OffsetCommit', request: m.OffsetCommitRequest, response: m.OffsetCommitResponse };
export const FIND_COORDINATOR: ApiSchemas = { name: 'FindCoordinator', request: m.FindCoordinatorRequest, response: m.FindCoordinatorResponse };
export const FETCH: ApiSchemas = { name: 'Fetch', request: m.FetchRequest, response: m.FetchResponse };

/** Metadata 8: leader epochs (7+) without the flexible encoding. */
export const METADATA_MAX_VERSION = 8;
/** OffsetFetch 7: one group per request, null topics meaning all (2+). */
export const OFFSET_FETCH_MAX_VERSION = 7;
/** FindCoordinator 3: one key per request (4 batches keys differently). */
export const FIND_COORDINATOR_MAX_VERSION = 3;
/** Fetch 11: everything a page needs, before diverging epochs and tagged fields. */
export const FETCH_MAX_VERSION = 11;

/**
 * ListOffsets 3: v4 adds only leader epochs (unused here), and librdkafka 2.0.2's mock cluster
 * writes v4+ answers that do not follow Kafka's schema past the first partition.
 */
export const LIST_OFFSETS_MAX_VERSION = 3;

/** ListOffsets' special timestamps. */
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;
