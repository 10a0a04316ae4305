/**
 * Metadata (key 3), v0-9: brokers (the unfenced ones, advertised at 127.0.0.1:port), the
 * cluster id, the controller, and topics with each partition's leader, epoch, replicas, ISR
 * and offline replicas. A null topic list (or, in v0, an empty one) means all topics. Unknown
 * topics are created when the request allows it and auto.create.topics.enable is on; they
 * answer LEADER_NOT_AVAILABLE until their leaders are elected, as Kafka does.
 */
import { validateTopicName, isInternalTopic } from '../../controller/topic-validation';
import type { TopicImage } from '../../metadata/image';
import { KafkaError } from '../../protocol/errors';
import { code, type Handler, type HandlerContext } from './context';

const UNKNOWN_OPERATIONS = -2147483648;

export const metadata: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const image = ctx.broker.image;
  const requested: string[] | null =
    request.topics === null || (version === 0 && request.topics.length === 0) ? null : request.topics.map((t: { name: string }) => t.name);
  const allowCreate = version < 4 || request.allowAutoTopicCreation !== false;
  const topics = requested === null
    ? [...image.topics.values()].map((topic) => describeTopic(ctx, topic))
    : requested.map((name) => {
        const topic = image.topics.get(name);
        if (topic) return describeTopic(ctx, topic);
        return { errorCode: missingTopic(ctx, name, allowCreate), name, isInternal: false, partitions: [], topicAuthorizedOperations: UNKNOWN_OPERATIONS };
      });
  // Like Kafka, list every broker that is not fenced yet, even one that just crashed (its
  // port refuses connections until the controller fences it): clients that find a partition
  // leader missing from this list can drop its records instead of retrying.
  const brokers = [...image.brokers.values()]
    .filter((b) => !b.fenced && ctx.server.portOf(b.id) !== undefined)
    .map((b) => ({ nodeId: b.id, host: ctx.server.host, port: ctx.server.portOf(b.id)!, rack: null }));
  respond({
    throttleTimeMs: 0,
    brokers,
    clusterId: ctx.cluster.clusterId,
    controllerId: ctx.cluster.controllerId,
    topics,
    clusterAuthorizedOperations: UNKNOWN_OPERATIONS,
  });
};

function describeTopic(ctx: HandlerContext, topic: TopicImage) {
  const fenced = (id: number): boolean => ctx.broker.image.brokers.get(id)?.fenced !== false;
  return {
    errorCode: 0,
    name: topic.name,
    isInternal: isInternalTopic(topic.name),
    partitions: topic.partitions.map((p, partitionIndex) => ({
      errorCode: p.leader < 0 ? code('LEADER_NOT_AVAILABLE') : 0,
      partitionIndex,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.replicas.filter(fenced),
    })),
    topicAuthorizedOperations: UNKNOWN_OPERATIONS,
  };
}

/** The error for a topic this broker does not know; creates it when allowed. */
function missingTopic(ctx: HandlerContext, name: string, allowCreate: boolean): number {
  try {
    validateTopicName(name);
  } catch {
    return code('INVALID_TOPIC_EXCEPTION');
  }
  if (!allowCreate || !ctx.cluster.settings.autoCreateTopicsEnable) return code('UNKNOWN_TOPIC_OR_PARTITION');
  const controller = ctx.cluster.controller;
  if (!controller) return code('LEADER_NOT_AVAILABLE');
  try {
    const live = controller.unfencedBrokerIds().length;
    controller.createTopic({ name, partitions: ctx.cluster.settings.numPartitions, replicationFactor: Math.max(1, Math.min(ctx.cluster.settings.defaultReplicationFactor, live)) });
  } catch (error) {
    if (error instanceof KafkaError && error.name !== 'TOPIC_ALREADY_EXISTS') return error.code;
  }
  return code('LEADER_NOT_AVAILABLE');
}
