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
export type { ClusterEvent, ClusterEventType, ClusterEventListener, AppendCount } from './events';
export type { ElectionReason } from './metadata/image';
export type { ClusterSnapshot, BrokerSnapshot, TopicSnapshot, PartitionSnapshot, ReplicaSnapshot } from './view/snapshot';
export type { Acks } from './broker/messages';
export { Producer, type ProducerRecord, type ProducerOptions, type RecordMetadata } from './client/producer';
export { Reader, type FetchResult, type OffsetSpec } from './client/reader';
export { KafkaError, errorByCode, errorCode, type KafkaErrorName } from './protocol/errors';
export { murmur2, partitionForKey } from './protocol/murmur2';
export { encodeRecordBatch, decodeRecordBatches, decodeRecordBatchesAsync, type DecodedRecord, type RecordHeader } from './protocol/records';
export { SimScheduler, RealScheduler, type Scheduler } from './time/scheduler';
export { Random } from './time/random';
export { FileStorage } from './log/file-storage';
export { MemoryStorage } from './log/memory-storage';
export type { Storage } from './log/storage';
