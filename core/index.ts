/**
 * Brokerscope's engine: an embedded multi-broker Kafka-style cluster. Hosts import only
 * from here.
 */
export { Cluster, type ClusterOptions, type ProduceOptions } from './cluster';
export { APP_DEFAULTS, KAFKA_DEFAULTS, type ClusterSettings } from './config/cluster-config';
export { TOPIC_CONFIG_DEFS, resolveTopicConfig, describeTopicConfig, type TopicConfig } from './config/topic-config';
export type { CreateTopicSpec } from './controller/controller';
export { assignReplicas } from './controller/placement';
export { validateTopicName, MAX_TOPIC_NAME_LENGTH } from './controller/topic-validation';
export type { ClusterEvent, ClusterEventType, ClusterEventListener, AppendCount, Fault } from './events';
export type { ElectionReason } from './metadata/image';
export type { ClusterSnapshot, BrokerSnapshot, TopicSnapshot, PartitionSnapshot, ReplicaSnapshot } from './view/snapshot';
export type { Acks } from './broker/messages';
export { Producer, type ProducerRecord, type ProducerOptions, type RecordMetadata } from './client/producer';
export { Reader, type FetchResult, type OffsetSpec } from './client/reader';
export { Consumer, CONSUMER_DEFAULTS, type ConsumerOptions, type ConsumedRecord, type ConsumerState, type ConsumerSnapshot } from './client/consumer';
export { ProducerRunner, type ProducerRunnerOptions, type ProducerRunnerStats } from './client/producer-runner';
export type { GroupListing, GroupDescription, GroupMemberDescription, CommittedOffsetInfo } from './client/group-admin';
export type { GroupSnapshot, GroupMemberSnapshot, GroupOffsetSnapshot } from './group/snapshot';
export type { GroupEvent, RebalanceReason, MemberAssignmentChange, OffsetCommitCount } from './group/group-events';
export type { GroupState, ObservedGroupState } from './group/group';
export { ASSIGNOR_NAMES, type AssignorName } from './group/assignors';
export type { TopicPartition } from './group/consumer-protocol';
export { KafkaError, errorByCode, errorCode, type KafkaErrorName } from './protocol/errors';
export { murmur2, partitionForKey } from './protocol/murmur2';
export { encodeRecordBatch, decodeRecordBatches, decodeRecordBatchesAsync, type DecodedRecord, type RecordHeader } from './protocol/records';
export { SimScheduler, RealScheduler, type Scheduler } from './time/scheduler';
export { Random } from './time/random';
export { FileStorage } from './log/file-storage';
export { MemoryStorage } from './log/memory-storage';
export type { Storage } from './log/storage';
