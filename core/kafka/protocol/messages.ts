/**
 * Kafka's request and response bodies for the APIs and versions the embedded brokers serve,
 * in schema.ts notation: field names (camelCase of Kafka's), types, the versions carrying each
 * field, nullability and tags, as Kafka's protocol defines them. Versions outside these
 * ranges are refused (ApiVersions advertises exactly these).
 */
import { array, field, message, struct } from './schema';

/** ApiVersionsRequest, versions 0-3. */
export const ApiVersionsRequest = message(18, [0, 3], 3, [
  field('clientSoftwareName', 'string', { versions: [3], ignorable: true }),
  field('clientSoftwareVersion', 'string', { versions: [3], ignorable: true }),
]);

/** ApiVersionsResponse, versions 0-3. */
export const ApiVersionsResponse = message(18, [0, 3], 3, [
  field('errorCode', 'int16'),
  field('apiKeys', array(struct([
    field('apiKey', 'int16'),
    field('minVersion', 'int16'),
    field('maxVersion', 'int16'),
  ]))),
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('supportedFeatures', array(struct([
    field('name', 'string', { versions: [3] }),
    field('minVersion', 'int16', { versions: [3] }),
    field('maxVersion', 'int16', { versions: [3] }),
  ])), { versions: [3], tag: 0, ignorable: true }),
  field('finalizedFeaturesEpoch', 'int64', { versions: [3], tag: 1, default: -1, ignorable: true }),
  field('finalizedFeatures', array(struct([
    field('name', 'string', { versions: [3] }),
    field('maxVersionLevel', 'int16', { versions: [3] }),
    field('minVersionLevel', 'int16', { versions: [3] }),
  ])), { versions: [3], tag: 2, ignorable: true }),
  field('zkMigrationReady', 'bool', { versions: [3], tag: 3, default: false, ignorable: true }),
]);

/** MetadataRequest, versions 0-9. */
export const MetadataRequest = message(3, [0, 9], 9, [
  field('topics', array(struct([
    field('name', 'string'),
  ])), { nullable: [1] }),
  field('allowAutoTopicCreation', 'bool', { versions: [4], default: true }),
  field('includeClusterAuthorizedOperations', 'bool', { versions: [8] }),
  field('includeTopicAuthorizedOperations', 'bool', { versions: [8] }),
]);

/** MetadataResponse, versions 0-9. */
export const MetadataResponse = message(3, [0, 9], 9, [
  field('throttleTimeMs', 'int32', { versions: [3], ignorable: true }),
  field('brokers', array(struct([
    field('nodeId', 'int32'),
    field('host', 'string'),
    field('port', 'int32'),
    field('rack', 'string', { versions: [1], nullable: [1], default: null, ignorable: true }),
  ]))),
  field('clusterId', 'string', { versions: [2], nullable: [2], default: null, ignorable: true }),
  field('controllerId', 'int32', { versions: [1], default: -1, ignorable: true }),
  field('topics', array(struct([
    field('errorCode', 'int16'),
    field('name', 'string'),
    field('isInternal', 'bool', { versions: [1], default: false, ignorable: true }),
    field('partitions', array(struct([
      field('errorCode', 'int16'),
      field('partitionIndex', 'int32'),
      field('leaderId', 'int32'),
      field('leaderEpoch', 'int32', { versions: [7], default: -1, ignorable: true }),
      field('replicaNodes', array('int32')),
      field('isrNodes', array('int32')),
      field('offlineReplicas', array('int32'), { versions: [5], ignorable: true }),
    ]))),
    field('topicAuthorizedOperations', 'int32', { versions: [8], default: -2147483648 }),
  ]))),
  field('clusterAuthorizedOperations', 'int32', { versions: [8], default: -2147483648 }),
]);

/** ProduceRequest, versions 3-8. */
export const ProduceRequest = message(0, [3, 8], null, [
  field('transactionalId', 'string', { nullable: [3], default: null }),
  field('acks', 'int16'),
  field('timeoutMs', 'int32'),
  field('topicData', array(struct([
    field('name', 'string'),
    field('partitionData', array(struct([
      field('index', 'int32'),
      field('records', 'records', { nullable: [3] }),
    ]))),
  ]))),
]);

/** ProduceResponse, versions 3-8. */
export const ProduceResponse = message(0, [3, 8], null, [
  field('responses', array(struct([
    field('name', 'string'),
    field('partitionResponses', array(struct([
      field('index', 'int32'),
      field('errorCode', 'int16'),
      field('baseOffset', 'int64'),
      field('logAppendTimeMs', 'int64', { default: -1, ignorable: true }),
      field('logStartOffset', 'int64', { versions: [5], default: -1, ignorable: true }),
      field('recordErrors', array(struct([
        field('batchIndex', 'int32', { versions: [8] }),
        field('batchIndexErrorMessage', 'string', { versions: [8], nullable: [8], default: null }),
      ])), { versions: [8], ignorable: true }),
      field('errorMessage', 'string', { versions: [8], nullable: [8], default: null, ignorable: true }),
    ]))),
  ]))),
  field('throttleTimeMs', 'int32', { default: 0, ignorable: true }),
]);

/** FetchRequest, versions 0-12. */
export const FetchRequest = message(1, [0, 12], 12, [
  field('clusterId', 'string', { versions: [12], nullable: [12], tag: 0, default: null, ignorable: true }),
  field('replicaId', 'int32', { default: -1 }),
  field('maxWaitMs', 'int32'),
  field('minBytes', 'int32'),
  field('maxBytes', 'int32', { versions: [3], default: 2147483647, ignorable: true }),
  field('isolationLevel', 'int8', { versions: [4], default: 0, ignorable: true }),
  field('sessionId', 'int32', { versions: [7], default: 0, ignorable: true }),
  field('sessionEpoch', 'int32', { versions: [7], default: -1, ignorable: true }),
  field('topics', array(struct([
    field('topic', 'string', { ignorable: true }),
    field('partitions', array(struct([
      field('partition', 'int32'),
      field('currentLeaderEpoch', 'int32', { versions: [9], default: -1, ignorable: true }),
      field('fetchOffset', 'int64'),
      field('lastFetchedEpoch', 'int32', { versions: [12], default: -1 }),
      field('logStartOffset', 'int64', { versions: [5], default: -1, ignorable: true }),
      field('partitionMaxBytes', 'int32'),
    ]))),
  ]))),
  field('forgottenTopicsData', array(struct([
    field('topic', 'string', { versions: [7], ignorable: true }),
    field('partitions', array('int32'), { versions: [7] }),
  ])), { versions: [7] }),
  field('rackId', 'string', { versions: [11], default: "", ignorable: true }),
]);

/** FetchResponse, versions 0-12. */
export const FetchResponse = message(1, [0, 12], 12, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16', { versions: [7], ignorable: true }),
  field('sessionId', 'int32', { versions: [7], default: 0 }),
  field('responses', array(struct([
    field('topic', 'string', { ignorable: true }),
    field('partitions', array(struct([
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
      field('highWatermark', 'int64'),
      field('lastStableOffset', 'int64', { versions: [4], default: -1, ignorable: true }),
      field('logStartOffset', 'int64', { versions: [5], default: -1, ignorable: true }),
      field('divergingEpoch', struct([
        field('epoch', 'int32', { versions: [12], default: -1 }),
        field('endOffset', 'int64', { versions: [12], default: -1 }),
      ]), { versions: [12], tag: 0 }),
      field('currentLeader', struct([
        field('leaderId', 'int32', { versions: [12], default: -1 }),
        field('leaderEpoch', 'int32', { versions: [12], default: -1 }),
      ]), { versions: [12], tag: 1 }),
      field('snapshotId', struct([
        field('endOffset', 'int64', { default: -1 }),
        field('epoch', 'int32', { default: -1 }),
      ]), { versions: [12], tag: 2 }),
      field('abortedTransactions', array(struct([
        field('producerId', 'int64', { versions: [4] }),
        field('firstOffset', 'int64', { versions: [4] }),
      ])), { versions: [4], nullable: [4], ignorable: true }),
      field('preferredReadReplica', 'int32', { versions: [11], default: -1 }),
      field('records', 'records', { nullable: [0] }),
    ]))),
  ]))),
]);

/** ListOffsetsRequest, versions 0-5. */
export const ListOffsetsRequest = message(2, [0, 5], null, [
  field('replicaId', 'int32'),
  field('isolationLevel', 'int8', { versions: [2] }),
  field('topics', array(struct([
    field('name', 'string'),
    field('partitions', array(struct([
      field('partitionIndex', 'int32'),
      field('currentLeaderEpoch', 'int32', { versions: [4], default: -1, ignorable: true }),
      field('timestamp', 'int64'),
      field('maxNumOffsets', 'int32', { versions: [0, 0], default: 1 }),
    ]))),
  ]))),
]);

/** ListOffsetsResponse, versions 0-5. */
export const ListOffsetsResponse = message(2, [0, 5], null, [
  field('throttleTimeMs', 'int32', { versions: [2], ignorable: true }),
  field('topics', array(struct([
    field('name', 'string'),
    field('partitions', array(struct([
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
      field('oldStyleOffsets', array('int64'), { versions: [0, 0] }),
      field('timestamp', 'int64', { versions: [1], default: -1 }),
      field('offset', 'int64', { versions: [1], default: -1 }),
      field('leaderEpoch', 'int32', { versions: [4], default: -1 }),
    ]))),
  ]))),
]);

/** FindCoordinatorRequest, versions 0-4. */
export const FindCoordinatorRequest = message(10, [0, 4], 3, [
  field('key', 'string', { versions: [0, 3] }),
  field('keyType', 'int8', { versions: [1], default: 0 }),
  field('coordinatorKeys', array('string'), { versions: [4] }),
]);

/** FindCoordinatorResponse, versions 0-4. */
export const FindCoordinatorResponse = message(10, [0, 4], 3, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16', { versions: [0, 3] }),
  field('errorMessage', 'string', { versions: [1, 3], nullable: [1, 3], ignorable: true }),
  field('nodeId', 'int32', { versions: [0, 3] }),
  field('host', 'string', { versions: [0, 3] }),
  field('port', 'int32', { versions: [0, 3] }),
  field('coordinators', array(struct([
    field('key', 'string', { versions: [4] }),
    field('nodeId', 'int32', { versions: [4] }),
    field('host', 'string', { versions: [4] }),
    field('port', 'int32', { versions: [4] }),
    field('errorCode', 'int16', { versions: [4] }),
    field('errorMessage', 'string', { versions: [4], nullable: [4], ignorable: true }),
  ])), { versions: [4] }),
]);

/** JoinGroupRequest, versions 0-6. */
export const JoinGroupRequest = message(11, [0, 6], 6, [
  field('groupId', 'string'),
  field('sessionTimeoutMs', 'int32'),
  field('rebalanceTimeoutMs', 'int32', { versions: [1], default: -1, ignorable: true }),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { versions: [5], nullable: [5], default: null }),
  field('protocolType', 'string'),
  field('protocols', array(struct([
    field('name', 'string'),
    field('metadata', 'bytes'),
  ]))),
]);

/** JoinGroupResponse, versions 0-6. */
export const JoinGroupResponse = message(11, [0, 6], 6, [
  field('throttleTimeMs', 'int32', { versions: [2], ignorable: true }),
  field('errorCode', 'int16'),
  field('generationId', 'int32', { default: -1 }),
  field('protocolName', 'string'),
  field('leader', 'string'),
  field('memberId', 'string'),
  field('members', array(struct([
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { versions: [5], nullable: [5], default: null, ignorable: true }),
    field('metadata', 'bytes'),
  ]))),
]);

/** SyncGroupRequest, versions 0-4. */
export const SyncGroupRequest = message(14, [0, 4], 4, [
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { versions: [3], nullable: [3], default: null }),
  field('assignments', array(struct([
    field('memberId', 'string'),
    field('assignment', 'bytes'),
  ]))),
]);

/** SyncGroupResponse, versions 0-4. */
export const SyncGroupResponse = message(14, [0, 4], 4, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16'),
  field('assignment', 'bytes'),
]);

/** HeartbeatRequest, versions 0-4. */
export const HeartbeatRequest = message(12, [0, 4], 4, [
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'string', { versions: [3], nullable: [3], default: null }),
]);

/** HeartbeatResponse, versions 0-4. */
export const HeartbeatResponse = message(12, [0, 4], 4, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16'),
]);

/** LeaveGroupRequest, versions 0-4. */
export const LeaveGroupRequest = message(13, [0, 4], 4, [
  field('groupId', 'string'),
  field('memberId', 'string', { versions: [0, 2] }),
  field('members', array(struct([
    field('memberId', 'string', { versions: [3] }),
    field('groupInstanceId', 'string', { versions: [3], nullable: [3], default: null }),
  ])), { versions: [3] }),
]);

/** LeaveGroupResponse, versions 0-4. */
export const LeaveGroupResponse = message(13, [0, 4], 4, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16'),
  field('members', array(struct([
    field('memberId', 'string', { versions: [3] }),
    field('groupInstanceId', 'string', { versions: [3], nullable: [3] }),
    field('errorCode', 'int16', { versions: [3] }),
  ])), { versions: [3] }),
]);

/** OffsetCommitRequest, versions 0-8. */
export const OffsetCommitRequest = message(8, [0, 8], 8, [
  field('groupId', 'string'),
  field('generationIdOrMemberEpoch', 'int32', { versions: [1], default: -1, ignorable: true }),
  field('memberId', 'string', { versions: [1], ignorable: true }),
  field('groupInstanceId', 'string', { versions: [7], nullable: [7], default: null }),
  field('retentionTimeMs', 'int64', { versions: [2, 4], default: -1, ignorable: true }),
  field('topics', array(struct([
    field('name', 'string'),
    field('partitions', array(struct([
      field('partitionIndex', 'int32'),
      field('committedOffset', 'int64'),
      field('committedLeaderEpoch', 'int32', { versions: [6], default: -1, ignorable: true }),
      field('commitTimestamp', 'int64', { versions: [1, 1], default: -1 }),
      field('committedMetadata', 'string', { nullable: [0] }),
    ]))),
  ]))),
]);

/** OffsetCommitResponse, versions 0-8. */
export const OffsetCommitResponse = message(8, [0, 8], 8, [
  field('throttleTimeMs', 'int32', { versions: [3], ignorable: true }),
  field('topics', array(struct([
    field('name', 'string'),
    field('partitions', array(struct([
      field('partitionIndex', 'int32'),
      field('errorCode', 'int16'),
    ]))),
  ]))),
]);

/** OffsetFetchRequest, versions 0-8. */
export const OffsetFetchRequest = message(9, [0, 8], 6, [
  field('groupId', 'string', { versions: [0, 7] }),
  field('topics', array(struct([
    field('name', 'string', { versions: [0, 7] }),
    field('partitionIndexes', array('int32'), { versions: [0, 7] }),
  ])), { versions: [0, 7], nullable: [2, 7] }),
  field('groups', array(struct([
    field('groupId', 'string', { versions: [8] }),
    field('topics', array(struct([
      field('name', 'string', { versions: [8] }),
      field('partitionIndexes', array('int32'), { versions: [8] }),
    ])), { versions: [8], nullable: [8] }),
  ])), { versions: [8] }),
  field('requireStable', 'bool', { versions: [7], default: false }),
]);

/** OffsetFetchResponse, versions 0-8. */
export const OffsetFetchResponse = message(9, [0, 8], 6, [
  field('throttleTimeMs', 'int32', { versions: [3], ignorable: true }),
  field('topics', array(struct([
    field('name', 'string', { versions: [0, 7] }),
    field('partitions', array(struct([
      field('partitionIndex', 'int32', { versions: [0, 7] }),
      field('committedOffset', 'int64', { versions: [0, 7] }),
      field('committedLeaderEpoch', 'int32', { versions: [5, 7], default: -1, ignorable: true }),
      field('metadata', 'string', { versions: [0, 7], nullable: [0, 7] }),
      field('errorCode', 'int16', { versions: [0, 7] }),
    ])), { versions: [0, 7] }),
  ])), { versions: [0, 7] }),
  field('errorCode', 'int16', { versions: [2, 7], default: 0, ignorable: true }),
  field('groups', array(struct([
    field('groupId', 'string', { versions: [8] }),
    field('topics', array(struct([
      field('name', 'string', { versions: [8] }),
      field('partitions', array(struct([
        field('partitionIndex', 'int32', { versions: [8] }),
        field('committedOffset', 'int64', { versions: [8] }),
        field('committedLeaderEpoch', 'int32', { versions: [8], default: -1, ignorable: true }),
        field('metadata', 'string', { versions: [8], nullable: [8] }),
        field('errorCode', 'int16', { versions: [8] }),
      ])), { versions: [8] }),
    ])), { versions: [8] }),
    field('errorCode', 'int16', { versions: [8], default: 0 }),
  ])), { versions: [8] }),
]);

/** DescribeGroupsRequest, versions 0-5. */
export const DescribeGroupsRequest = message(15, [0, 5], 5, [
  field('groups', array('string')),
  field('includeAuthorizedOperations', 'bool', { versions: [3] }),
]);

/** DescribeGroupsResponse, versions 0-5. */
export const DescribeGroupsResponse = message(15, [0, 5], 5, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('groups', array(struct([
    field('errorCode', 'int16'),
    field('groupId', 'string'),
    field('groupState', 'string'),
    field('protocolType', 'string'),
    field('protocolData', 'string'),
    field('members', array(struct([
      field('memberId', 'string'),
      field('groupInstanceId', 'string', { versions: [4], nullable: [4], default: null, ignorable: true }),
      field('clientId', 'string'),
      field('clientHost', 'string'),
      field('memberMetadata', 'bytes'),
      field('memberAssignment', 'bytes'),
    ]))),
    field('authorizedOperations', 'int32', { versions: [3], default: -2147483648 }),
  ]))),
]);

/** ListGroupsRequest, versions 0-4. */
export const ListGroupsRequest = message(16, [0, 4], 3, [
  field('statesFilter', array('string'), { versions: [4] }),
]);

/** ListGroupsResponse, versions 0-4. */
export const ListGroupsResponse = message(16, [0, 4], 3, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('errorCode', 'int16'),
  field('groups', array(struct([
    field('groupId', 'string'),
    field('protocolType', 'string'),
    field('groupState', 'string', { versions: [4], ignorable: true }),
  ]))),
]);

/** DeleteGroupsRequest, versions 0-2. */
export const DeleteGroupsRequest = message(42, [0, 2], 2, [
  field('groupsNames', array('string')),
]);

/** DeleteGroupsResponse, versions 0-2. */
export const DeleteGroupsResponse = message(42, [0, 2], 2, [
  field('throttleTimeMs', 'int32'),
  field('results', array(struct([
    field('groupId', 'string'),
    field('errorCode', 'int16'),
  ]))),
]);

/** CreateTopicsRequest, versions 0-7. */
export const CreateTopicsRequest = message(19, [0, 7], 5, [
  field('topics', array(struct([
    field('name', 'string'),
    field('numPartitions', 'int32'),
    field('replicationFactor', 'int16'),
    field('assignments', array(struct([
      field('partitionIndex', 'int32'),
      field('brokerIds', array('int32')),
    ]))),
    field('configs', array(struct([
      field('name', 'string'),
      field('value', 'string', { nullable: [0] }),
    ]))),
  ]))),
  field('timeoutMs', 'int32', { default: 60000 }),
  field('validateOnly', 'bool', { versions: [1], default: false }),
]);

/** CreateTopicsResponse, versions 0-7. */
export const CreateTopicsResponse = message(19, [0, 7], 5, [
  field('throttleTimeMs', 'int32', { versions: [2], ignorable: true }),
  field('topics', array(struct([
    field('name', 'string'),
    field('topicId', 'uuid', { versions: [7], ignorable: true }),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { versions: [1], nullable: [0], ignorable: true }),
    field('topicConfigErrorCode', 'int16', { versions: [5], tag: 0, ignorable: true }),
    field('numPartitions', 'int32', { versions: [5], default: -1, ignorable: true }),
    field('replicationFactor', 'int16', { versions: [5], default: -1, ignorable: true }),
    field('configs', array(struct([
      field('name', 'string', { versions: [5] }),
      field('value', 'string', { versions: [5], nullable: [5] }),
      field('readOnly', 'bool', { versions: [5] }),
      field('configSource', 'int8', { versions: [5], default: -1, ignorable: true }),
      field('isSensitive', 'bool', { versions: [5] }),
    ])), { versions: [5], nullable: [5], ignorable: true }),
  ]))),
]);

/** DeleteTopicsRequest, versions 0-6. */
export const DeleteTopicsRequest = message(20, [0, 6], 4, [
  field('topics', array(struct([
    field('name', 'string', { versions: [6], nullable: [6], default: null }),
    field('topicId', 'uuid', { versions: [6] }),
  ])), { versions: [6] }),
  field('topicNames', array('string'), { versions: [0, 5], ignorable: true }),
  field('timeoutMs', 'int32'),
]);

/** DeleteTopicsResponse, versions 0-6. */
export const DeleteTopicsResponse = message(20, [0, 6], 4, [
  field('throttleTimeMs', 'int32', { versions: [1], ignorable: true }),
  field('responses', array(struct([
    field('name', 'string', { nullable: [6] }),
    field('topicId', 'uuid', { versions: [6], ignorable: true }),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { versions: [5], nullable: [5], default: null, ignorable: true }),
  ]))),
]);

/** CreatePartitionsRequest, versions 0-1. */
export const CreatePartitionsRequest = message(37, [0, 1], null, [
  field('topics', array(struct([
    field('name', 'string'),
    field('count', 'int32'),
    field('assignments', array(struct([
      field('brokerIds', array('int32')),
    ])), { nullable: [0] }),
  ]))),
  field('timeoutMs', 'int32'),
  field('validateOnly', 'bool'),
]);

/** CreatePartitionsResponse, versions 0-1. */
export const CreatePartitionsResponse = message(37, [0, 1], null, [
  field('throttleTimeMs', 'int32'),
  field('results', array(struct([
    field('name', 'string'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: [0], default: null }),
  ]))),
]);

/** DescribeConfigsRequest, versions 0-2. */
export const DescribeConfigsRequest = message(32, [0, 2], null, [
  field('resources', array(struct([
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configurationKeys', array('string'), { nullable: [0] }),
  ]))),
  field('includeSynonyms', 'bool', { versions: [1], default: false }),
]);

/** DescribeConfigsResponse, versions 0-2. */
export const DescribeConfigsResponse = message(32, [0, 2], null, [
  field('throttleTimeMs', 'int32'),
  field('results', array(struct([
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: [0] }),
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configs', array(struct([
      field('name', 'string'),
      field('value', 'string', { nullable: [0] }),
      field('readOnly', 'bool'),
      field('isDefault', 'bool', { versions: [0, 0] }),
      field('configSource', 'int8', { versions: [1], default: -1, ignorable: true }),
      field('isSensitive', 'bool'),
      field('synonyms', array(struct([
        field('name', 'string', { versions: [1] }),
        field('value', 'string', { versions: [1], nullable: [0] }),
        field('source', 'int8', { versions: [1] }),
      ])), { versions: [1], ignorable: true }),
    ]))),
  ]))),
]);

/** InitProducerIdRequest, versions 0-4. */
export const InitProducerIdRequest = message(22, [0, 4], 2, [
  field('transactionalId', 'string', { nullable: [0] }),
  field('transactionTimeoutMs', 'int32'),
  field('producerId', 'int64', { versions: [3], default: -1 }),
  field('producerEpoch', 'int16', { versions: [3], default: -1 }),
]);

/** InitProducerIdResponse, versions 0-4. */
export const InitProducerIdResponse = message(22, [0, 4], 2, [
  field('throttleTimeMs', 'int32', { ignorable: true }),
  field('errorCode', 'int16'),
  field('producerId', 'int64', { default: -1 }),
  field('producerEpoch', 'int16'),
]);

/** OffsetForLeaderEpochRequest, versions 0-3. */
export const OffsetForLeaderEpochRequest = message(23, [0, 3], null, [
  field('replicaId', 'int32', { versions: [3], default: -2, ignorable: true }),
  field('topics', array(struct([
    field('topic', 'string'),
    field('partitions', array(struct([
      field('partition', 'int32'),
      field('currentLeaderEpoch', 'int32', { versions: [2], default: -1, ignorable: true }),
      field('leaderEpoch', 'int32'),
    ]))),
  ]))),
]);

/** OffsetForLeaderEpochResponse, versions 0-3. */
export const OffsetForLeaderEpochResponse = message(23, [0, 3], null, [
  field('throttleTimeMs', 'int32', { versions: [2], ignorable: true }),
  field('topics', array(struct([
    field('topic', 'string'),
    field('partitions', array(struct([
      field('errorCode', 'int16'),
      field('partition', 'int32'),
      field('leaderEpoch', 'int32', { versions: [1], default: -1, ignorable: true }),
      field('endOffset', 'int64', { default: -1 }),
    ]))),
  ]))),
]);

/** AlterConfigsRequest, versions 0-2: replaces a resource's whole set of overrides. */
export const AlterConfigsRequest = message(33, [0, 2], 2, [
  field('resources', array(struct([
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configs', array(struct([
      field('name', 'string'),
      field('value', 'string', { nullable: [0] }),
    ]))),
  ]))),
  field('validateOnly', 'bool'),
]);

/** One resource's answer to AlterConfigs and IncrementalAlterConfigs (the same in both). */
const alterConfigsResponseFields = [
  field('throttleTimeMs', 'int32'),
  field('responses', array(struct([
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: [0] }),
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
  ]))),
];

/** AlterConfigsResponse, versions 0-2. */
export const AlterConfigsResponse = message(33, [0, 2], 2, alterConfigsResponseFields);

/** IncrementalAlterConfigsRequest, versions 0-1 (KIP-339): set, delete, append or subtract named configs. */
export const IncrementalAlterConfigsRequest = message(44, [0, 1], 1, [
  field('resources', array(struct([
    field('resourceType', 'int8'),
    field('resourceName', 'string'),
    field('configs', array(struct([
      field('name', 'string'),
      field('configOperation', 'int8'),
      field('value', 'string', { nullable: [0] }),
    ]))),
  ]))),
  field('validateOnly', 'bool'),
]);

/** IncrementalAlterConfigsResponse, versions 0-1. */
export const IncrementalAlterConfigsResponse = message(44, [0, 1], 1, alterConfigsResponseFields);
