/**
 * The typed event stream of a cluster: what the app animates and the timeline records.
 * Every event is plain data with the cluster time it happened at. High-rate facts (records
 * appended, high watermarks) arrive gathered per interval, never one event per record.
 */
import type { GroupEvent } from './group/group-events';
import type { ElectionReason } from './metadata/image';

/** Appended records on one replica during one stats interval. */
export interface AppendCount {
  topic: string;
  partition: number;
  brokerId: number;
  records: number;
  bytes: number;
  logEndOffset: number;
  /** Whether this replica led the partition (leader appends are produces, others replication). */
  leader: boolean;
}

/** A fault a user applied to the cluster, active until cleared (core/cluster.ts). */
export type Fault =
  /** Cut off from the other brokers and the controller; clients still reach it. */
  | { kind: 'isolated'; brokerId: number }
  /** Every replica fetch this broker sends waits `delayMs` first (a slow follower). */
  | { kind: 'slow-fetches'; brokerId: number; delayMs: number };

/** Events of the cluster, discriminated by `type`. */
export type ClusterEvent =
  | { type: 'broker.started'; time: number; brokerId: number; recovery: { partitions: number; truncatedBytes: number; cleanShutdown: boolean } }
  | { type: 'broker.stopped'; time: number; brokerId: number; graceful: boolean }
  | { type: 'broker.registered'; time: number; brokerId: number; brokerEpoch: number }
  | { type: 'broker.fenced'; time: number; brokerId: number; reason: string }
  | { type: 'broker.unfenced'; time: number; brokerId: number }
  | { type: 'broker.added'; time: number; brokerId: number }
  | { type: 'controller.changed'; time: number; controllerId: number; previousControllerId: number; controllerEpoch: number; reason: string }
  | { type: 'topic.created'; time: number; topic: string; partitions: number; replicationFactor: number; configs: Record<string, string> }
  | { type: 'topic.deleted'; time: number; topic: string }
  | { type: 'topic.partitions-added'; time: number; topic: string; partitions: number; previousPartitions: number }
  | { type: 'topic.config-changed'; time: number; topic: string; configs: Record<string, string> }
  | {
      type: 'leader.elected';
      time: number;
      topic: string;
      partition: number;
      leader: number;
      previousLeader: number;
      leaderEpoch: number;
      reason: ElectionReason;
      isr: number[];
    }
  | { type: 'isr.shrunk'; time: number; topic: string; partition: number; isr: number[]; removed: number[]; leader: number }
  | { type: 'isr.expanded'; time: number; topic: string; partition: number; isr: number[]; added: number[]; leader: number }
  | { type: 'replica.truncated'; time: number; topic: string; partition: number; brokerId: number; fromOffset: number; toOffset: number; leaderEpoch: number }
  | { type: 'records.appended'; time: number; intervalMs: number; appends: AppendCount[] }
  | { type: 'high-watermark.advanced'; time: number; partitions: { topic: string; partition: number; highWatermark: number }[] }
  | { type: 'log.segments-deleted'; time: number; topic: string; partition: number; brokerId: number; segments: number; logStartOffset: number }
  | { type: 'partition.reassignment-started'; time: number; topic: string; partition: number; replicas: number[]; adding: number[]; removing: number[] }
  | { type: 'partition.reassignment-completed'; time: number; topic: string; partition: number; replicas: number[]; removed: number[] }
  | { type: 'fault.applied'; time: number; fault: Fault }
  | { type: 'fault.cleared'; time: number; fault: Fault }
  | GroupEvent;

/** The `type` names of cluster events. */
export type ClusterEventType = ClusterEvent['type'];

/** A listener of cluster events. */
export type ClusterEventListener = (event: ClusterEvent) => void;

/** Fans events out to listeners; a throwing listener never disturbs the engine. */
export class EventBus {
  private readonly listeners = new Set<ClusterEventListener>();

  /** Subscribes; returns the unsubscribe function. */
  on(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener. */
  emit(event: ClusterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('A cluster event listener failed:', error);
      }
    }
  }
}
