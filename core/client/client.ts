/**
 * The in-process client's plumbing, shared by the producer, the reader and (later) the
 * consumer: a client id on the network, metadata fetched from a broker and cached, and
 * requests routed to partition leaders. It goes through the same network and broker request
 * handlers as the Kafka listener's clients, so in-app clients see exactly what remote ones see.
 */
import type { Broker } from '../broker/broker';
import type { ClusterSettings } from '../config/cluster-config';
import type { PartitionRegistration } from '../metadata/image';
import type { Network, NodeId, Reply } from '../net/network';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import type { Random } from '../time/random';
import type { Scheduler } from '../time/scheduler';

/** What clients need from the cluster that hosts them. */
export interface ClientContext {
  scheduler: Scheduler;
  random: Random;
  network: Network;
  settings: ClusterSettings;
  /** A broker object, to run a request's handler once it arrives. */
  broker(id: number): Broker | undefined;
  /** Ids of all brokers a client may bootstrap from. */
  bootstrapBrokerIds(): number[];
}

/** Leaders and partition counts of one topic, as a client sees them. */
export interface TopicMetadata {
  name: string;
  partitions: { partition: number; leader: number; leaderEpoch: number; replicas: number[]; isr: number[] }[];
}

/** Errors a Kafka client retries after refreshing metadata. */
const RETRIABLE = new Set<KafkaErrorName>([
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'KAFKA_STORAGE_ERROR',
]);

/** Whether a client retries on this error. */
export function isRetriable(error: KafkaErrorName): boolean {
  return RETRIABLE.has(error);
}

let clientCounter = 0;

export class ClientBase {
  readonly nodeId: NodeId;
  private readonly metadata = new Map<string, TopicMetadata>();
  private closed = false;

  constructor(
    protected readonly ctx: ClientContext,
    readonly clientId: string,
  ) {
    this.nodeId = `client:${clientId}#${++clientCounter}`;
    ctx.network.attach(this.nodeId, this);
  }

  /** Clients are always reachable while open (the network needs replies to get back). */
  get running(): boolean {
    return !this.closed;
  }

  /** Stops the client; its pending callbacks may still fire with failures. */
  close(): void {
    this.closed = true;
  }

  /** Sends a request to a broker and maps network failures onto Kafka's client errors. */
  protected call<T>(brokerId: number, handle: (broker: Broker, respond: (value: T) => void) => void, onReply: (reply: T | KafkaError) => void, timeoutMs = this.ctx.settings.requestTimeoutMs): void {
    this.ctx.network.request<T>(
      this.nodeId,
      brokerId,
      (respond) => {
        const broker = this.ctx.broker(brokerId);
        if (broker) handle(broker, respond);
      },
      (reply: Reply<T>) => {
        if (reply.ok) onReply(reply.value);
        else if (reply.failure === 'REQUEST_TIMED_OUT') onReply(new KafkaError('REQUEST_TIMED_OUT', `broker ${brokerId} did not answer within ${timeoutMs} ms`));
        else onReply(new KafkaError('NETWORK_EXCEPTION', `the connection to broker ${brokerId} is closed`));
      },
      timeoutMs,
    );
  }

  /** Cached metadata of a topic, if any. */
  cachedTopic(topic: string): TopicMetadata | undefined {
    return this.metadata.get(topic);
  }

  /**
   * Fetches metadata for `topics` from one reachable broker (trying them in turn) and caches
   * it; a topic the broker does not know is absent from the result.
   */
  refreshMetadata(topics: string[], callback: (error: KafkaError | null) => void): void {
    const candidates = this.ctx.random.fork();
    const brokers = [...this.ctx.bootstrapBrokerIds()].sort(() => candidates.next() - 0.5);
    const attempt = (index: number): void => {
      if (index >= brokers.length) {
        callback(new KafkaError('NETWORK_EXCEPTION', 'no broker could be reached for metadata'));
        return;
      }
      this.call<TopicMetadata[]>(
        brokers[index],
        (broker, respond) => respond(describeTopics(broker, topics)),
        (reply) => {
          if (reply instanceof KafkaError) return attempt(index + 1);
          for (const topic of topics) this.metadata.delete(topic);
          for (const topic of reply) this.metadata.set(topic.name, topic);
          callback(null);
        },
        Math.min(5_000, this.ctx.settings.requestTimeoutMs),
      );
    };
    attempt(0);
  }
}

/** A broker's answer to a Metadata request for some topics. */
function describeTopics(broker: Broker, topics: string[]): TopicMetadata[] {
  const result: TopicMetadata[] = [];
  for (const name of topics) {
    const topic = broker.image.topics.get(name);
    if (!topic) continue;
    result.push({
      name,
      partitions: topic.partitions.map((p: PartitionRegistration, partition) => ({
        partition,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicas: [...p.replicas],
        isr: [...p.isr],
      })),
    });
  }
  return result;
}
