/**
 * One replica of a partition on one broker (Kafka's Partition.scala): its log, its role, and
 * as leader the state of every follower, the ISR and the high watermark.
 *
 * The rules are Kafka's (3.7+): the high watermark is the smallest log end offset among the
 * in-sync replicas (using the maximal ISR while a change is pending) and stays still while the
 * ISR is smaller than min(min.insync.replicas, replicas); it never moves back. A follower is
 * caught up when it fetched up to the leader's log end offset within replica.lag.time.max.ms;
 * it rejoins the ISR once its log end offset reaches the high watermark and the start of the
 * leader's epoch.
 */
import type { TopicConfig } from '../config/topic-config';
import type { Log } from '../log/log';
import type { PartitionRegistration } from '../metadata/image';
import type { ProducerStateManager } from './producer-state';

/** What a leader knows of one follower. */
export interface FollowerState {
  /** The offset the follower fetched from last, i.e. its log end offset; -1 until it fetches. */
  logEndOffset: number;
  lastFetchTimeMs: number;
  lastCaughtUpTimeMs: number;
  /** The leader's log end offset at the follower's previous fetch. */
  lastFetchLeaderLogEndOffset: number;
}

/** A pending ISR change sent to the controller and not yet committed. */
export interface PendingIsrChange {
  isr: number[];
  kind: 'expand' | 'shrink';
}

/** Replica roles on a broker. */
export type ReplicaRole = 'leader' | 'follower' | 'offline';

/** A produce waiting until the high watermark passes its records (acks=all). */
export interface WaitingProduce {
  requiredOffset: number;
  complete: (error: 'NOT_LEADER_OR_FOLLOWER' | null) => void;
}

export class Partition {
  role: ReplicaRole = 'offline';
  registration: PartitionRegistration;
  highWatermark: number;
  /** Log end offset when this replica became leader of the current epoch. */
  leaderEpochStartOffset = 0;
  readonly followers = new Map<number, FollowerState>();
  pendingIsr: PendingIsrChange | null = null;
  /** Idempotent producers' state, loaded on first need (see Broker.producerState). */
  producerState: ProducerStateManager | null = null;
  /** replica.lag.time.max.ms, set by the broker from the cluster settings. */
  replicaLagTimeMaxMs = 30_000;
  private waiting: WaitingProduce[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly brokerId: number,
    public log: Log,
    public config: TopicConfig,
    registration: PartitionRegistration,
    highWatermark: number,
  ) {
    this.registration = registration;
    this.highWatermark = Math.min(Math.max(highWatermark, log.logStartOffset), log.logEndOffset);
  }

  /** `${topic}-${partition}`, Kafka's directory name and our map key. */
  get key(): string {
    return `${this.topic}-${this.partition}`;
  }

  get leaderId(): number {
    return this.registration.leader;
  }

  get leaderEpoch(): number {
    return this.registration.leaderEpoch;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  /** The committed ISR, plus replicas being added while an expansion is pending. */
  maximalIsr(): number[] {
    const isr = this.registration.isr;
    if (this.pendingIsr?.kind === 'expand') return [...new Set([...isr, ...this.pendingIsr.isr])];
    return isr;
  }

  /** Whether the committed ISR is smaller than min.insync.replicas allows for acks=all. */
  isUnderMinIsr(): boolean {
    return this.registration.isr.length < this.config.minInsyncReplicas;
  }

  /** Becomes leader for the registration's epoch. */
  makeLeader(registration: PartitionRegistration, now: number): void {
    const newEpoch = this.role !== 'leader' || registration.leaderEpoch !== this.registration.leaderEpoch;
    this.registration = registration;
    this.pendingIsr = null;
    if (!newEpoch) return;
    this.role = 'leader';
    this.leaderEpochStartOffset = this.log.logEndOffset;
    this.log.epochs.assign(registration.leaderEpoch, this.log.logEndOffset);
    this.followers.clear();
    for (const id of registration.replicas) {
      if (id === this.brokerId) continue;
      const inSync = registration.isr.includes(id);
      this.followers.set(id, { logEndOffset: -1, lastFetchTimeMs: 0, lastCaughtUpTimeMs: inSync ? now : 0, lastFetchLeaderLogEndOffset: -1 });
    }
  }

  /** Becomes a follower (or offline when the leader is -1); failing waiting produces. */
  makeFollower(registration: PartitionRegistration): void {
    this.registration = registration;
    this.role = registration.leader === -1 ? 'offline' : 'follower';
    this.pendingIsr = null;
    this.followers.clear();
    this.failWaiting();
  }

  /** Takes a committed ISR or replica change that keeps the leader epoch. */
  updateRegistration(registration: PartitionRegistration, now: number): void {
    this.registration = registration;
    if (this.role !== 'leader') return;
    this.pendingIsr = null;
    for (const id of registration.replicas) {
      if (id !== this.brokerId && !this.followers.has(id)) {
        this.followers.set(id, { logEndOffset: -1, lastFetchTimeMs: 0, lastCaughtUpTimeMs: 0, lastFetchLeaderLogEndOffset: -1 });
      }
    }
    for (const id of [...this.followers.keys()]) if (!registration.replicas.includes(id)) this.followers.delete(id);
    void now;
  }

  /**
   * Records a follower's fetch (before its records are read): its log end offset is the fetch
   * offset, and it is caught up if it reached the leader's end now or at its previous fetch.
   */
  /** Records a follower's fetch; returns whether its log end offset moved (false: nothing else can change). */
  updateFollowerFetchState(followerId: number, fetchOffset: number, now: number): boolean {
    const state = this.followers.get(followerId);
    if (!state) return false;
    const leaderEnd = this.log.logEndOffset;
    if (fetchOffset >= leaderEnd) state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, now);
    else if (fetchOffset >= state.lastFetchLeaderLogEndOffset) state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, state.lastFetchTimeMs);
    const moved = state.logEndOffset !== fetchOffset;
    state.logEndOffset = fetchOffset;
    state.lastFetchLeaderLogEndOffset = leaderEnd;
    state.lastFetchTimeMs = now;
    return moved;
  }

  /** Whether a follower is caught up by Kafka's definition. */
  isCaughtUp(followerId: number, now: number): boolean {
    const state = this.followers.get(followerId);
    if (!state) return false;
    return state.logEndOffset === this.log.logEndOffset || now - state.lastCaughtUpTimeMs <= this.replicaLagTimeMaxMs;
  }

  /** The ISR with `followerId` added, when it is eligible and nothing is pending. */
  expandCandidate(followerId: number): number[] | null {
    if (this.role !== 'leader' || this.pendingIsr || this.registration.isr.includes(followerId)) return null;
    if (!this.registration.replicas.includes(followerId)) return null;
    const state = this.followers.get(followerId);
    if (!state || state.logEndOffset < this.highWatermark || state.logEndOffset < this.leaderEpochStartOffset) return null;
    return [...this.registration.isr, followerId];
  }

  /** The ISR without followers that are not caught up, when any are and nothing is pending. */
  shrinkCandidate(now: number): { isr: number[]; removed: number[] } | null {
    if (this.role !== 'leader' || this.pendingIsr) return null;
    const removed = this.registration.isr.filter((id) => id !== this.brokerId && !this.isCaughtUp(id, now));
    if (removed.length === 0) return null;
    return { isr: this.registration.isr.filter((id) => !removed.includes(id)), removed };
  }

  /**
   * Advances the high watermark to the smallest log end offset of the maximal ISR and of
   * caught-up followers; returns whether it moved.
   */
  maybeIncrementHighWatermark(now: number, isBrokerAlive: (id: number) => boolean): boolean {
    if (this.role !== 'leader') return false;
    const maximalIsr = this.maximalIsr();
    if (maximalIsr.length < Math.min(this.config.minInsyncReplicas, this.registration.replicas.length)) return false;
    let candidate = this.log.logEndOffset;
    for (const [id, state] of this.followers) {
      const counts = maximalIsr.includes(id) || (isBrokerAlive(id) && this.isCaughtUp(id, now) && state.logEndOffset >= 0);
      if (counts && state.logEndOffset < candidate) candidate = state.logEndOffset;
    }
    if (candidate <= this.highWatermark) return false;
    this.highWatermark = candidate;
    this.completeWaiting();
    return true;
  }

  /** A follower's high watermark follows the leader's, never past its own log end. */
  updateFollowerHighWatermark(leaderHighWatermark: number): boolean {
    const next = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (next <= this.highWatermark) return false;
    this.highWatermark = next;
    return true;
  }

  /** After a truncation the high watermark cannot stay past the log end. */
  clampHighWatermark(): void {
    if (this.highWatermark > this.log.logEndOffset) this.highWatermark = this.log.logEndOffset;
    if (this.highWatermark < this.log.logStartOffset) this.highWatermark = this.log.logStartOffset;
  }

  /** Parks an acks=all produce until the high watermark reaches `requiredOffset`. */
  waitForHighWatermark(entry: WaitingProduce): void {
    if (this.highWatermark >= entry.requiredOffset) {
      entry.complete(null);
      return;
    }
    this.waiting.push(entry);
  }

  /** Drops a parked produce (it timed out). */
  forget(entry: WaitingProduce): void {
    const index = this.waiting.indexOf(entry);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  private completeWaiting(): void {
    if (this.waiting.length === 0) return;
    const hw = this.highWatermark;
    const still: WaitingProduce[] = [];
    const done: WaitingProduce[] = [];
    for (const entry of this.waiting) (entry.requiredOffset <= hw ? done : still).push(entry);
    this.waiting = still;
    for (const entry of done) entry.complete(null);
  }

  /** Fails every parked produce: this replica no longer leads. */
  failWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const entry of waiting) entry.complete('NOT_LEADER_OR_FOLLOWER');
  }
}
