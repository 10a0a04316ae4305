/**
 * The in-process consumer the app offers (the Java client's KafkaConsumer in a group,
 * condensed): it joins a group through its ConsumerCoordinator, starts each assigned partition
 * from the committed offset (else auto.offset.reset), fetches from partition leaders with long
 * polls (one fetch in flight per leader, like the Java fetcher), and consumes at a chosen rate
 * (records per second) or as fast as it can. It auto-commits what it consumed every
 * auto.commit.interval.ms, before every rebalance and when partitions are revoked, and closes
 * by committing and leaving the group. It can be paused (keeps its membership, stops
 * consuming), resumed, or crashed (stops dead: no commit, no LeaveGroup, so the coordinator
 * removes it after its session timeout).
 *
 * Every request goes over the in-process network to the same broker handlers a remote client
 * reaches, so what it sees is what a real client would see.
 */
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type FetchResponse, type ListOffsetsPartitionResponse } from '../broker/messages';
import { sortPartitions, type TopicPartition } from '../group/consumer-protocol';
import { groupCoordinatorOf, type GroupCoordinator } from '../group/coordinator';
import type { RequestContext } from '../group/messages';
import { KafkaError, type KafkaErrorName } from '../protocol/errors';
import { decodeRecordBatches, decodeRecordBatchesAsync, type DecodedBatch } from '../protocol/records';
import type { Timer } from '../time/scheduler';
import { ClientBase, isRetriable, type ClientContext } from './client';
import { ConsumerCoordinator, type GroupTransport } from './consumer-coordinator';
import { CONSUMER_DEFAULTS, definedOnly, validateConsumerOptions, type ConsumedRecord, type ConsumerOptions, type ConsumerSnapshot, type ConsumerState } from './consumer-options';

export { CONSUMER_DEFAULTS, type ConsumedRecord, type ConsumerOptions, type ConsumerSnapshot, type ConsumerState } from './consumer-options';

interface PartitionState {
  topic: string;
  partition: number;
  /** The next offset to consume; null until the committed offset or the reset policy says. */
  position: number | null;
  /** Leader epoch of the last consumed record's batch (-1: unknown). */
  leaderEpoch: number;
  /** The position last committed, to skip committing nothing new on revoke. */
  committed: number | null;
  buffer: ConsumedRecord[];
  positioning: boolean;
}

/** How often a rate-limited consumer takes records from its buffers. */
const PROCESS_TICK_MS = 100;

const key = (p: { topic: string; partition: number }): string => `${p.topic}-${p.partition}`;

/** An in-app consumer in a group; create it with Cluster.createConsumer. */
export class Consumer extends ClientBase {
  readonly groupId: string;
  readonly topics: string[];
  state: ConsumerState = 'running';
  consumedRecords = 0;
  lastError: KafkaError | null = null;
  private readonly options: Required<Omit<ConsumerOptions, 'onRecords' | 'groupInstanceId' | 'recordsPerSecond' | 'clientId'>> & { groupInstanceId: string | null };
  private rate: number | null;
  private readonly member: ConsumerCoordinator;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly fetching = new Set<number>();
  private processTimer: Timer | null = null;
  private lastProcessAt = 0;
  private allowance = 0;
  private autoCommitTimer: Timer | null = null;
  private metadataRefreshing = false;
  private readonly onRecords: ((records: ConsumedRecord[]) => void) | null;

  /** `onClosed` lets the cluster forget a closed consumer (crashed and failed ones stay listed until closed). */
  constructor(ctx: ClientContext, options: ConsumerOptions, private readonly onClosed: (consumer: Consumer) => void = () => {}) {
    super(ctx, options.clientId ?? 'brokerscope-consumer');
    validateConsumerOptions(options);
    this.groupId = options.groupId;
    this.topics = [...new Set(options.topics)];
    this.options = { ...CONSUMER_DEFAULTS, ...definedOnly(options), groupInstanceId: options.groupInstanceId ?? null, requestTimeoutMs: options.requestTimeoutMs ?? Math.max(CONSUMER_DEFAULTS.requestTimeoutMs, ctx.settings.requestTimeoutMs) } as Consumer['options'];
    this.rate = options.recordsPerSecond ?? null;
    this.onRecords = options.onRecords ?? null;
    this.member = new ConsumerCoordinator(
      {
        groupId: this.groupId,
        topics: this.topics,
        groupInstanceId: this.options.groupInstanceId,
        assignors: this.options.assignors,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        heartbeatIntervalMs: this.options.heartbeatIntervalMs,
        rebalanceTimeoutMs: this.options.maxPollIntervalMs,
        requestTimeoutMs: this.options.requestTimeoutMs,
        retryBackoffMs: this.options.retryBackoffMs,
        metadataMaxAgeMs: this.options.metadataMaxAgeMs,
      },
      this.transport(),
      ctx.scheduler,
      {
        beforeJoin: (done) => this.commitBeforeJoin(done),
        revoked: (partitions) => this.revoke(partitions, true),
        lost: (partitions) => this.revoke(partitions, false),
        assigned: (partitions) => this.assign(partitions),
        failed: (error) => this.fail(error),
      },
    );
    this.member.start();
    if (this.options.enableAutoCommit) this.scheduleAutoCommit();
  }

  // ---- The app's controls ---------------------------------------------------------------------

  /** Stops consuming but stays in the group (heartbeats and commits go on). */
  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  /** Consumes again after pause(). */
  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.allowance = 0;
    this.process();
    this.maybeFetch();
  }

  /** Changes the consumption rate (records per second; null: as fast as it can). */
  setRate(recordsPerSecond: number | null): void {
    if (recordsPerSecond !== null && !(Number.isFinite(recordsPerSecond) && recordsPerSecond > 0)) throw new RangeError('recordsPerSecond must be a positive number or null');
    this.rate = recordsPerSecond;
    this.process();
  }

  /** A crash: no commit, no LeaveGroup; the coordinator notices after session.timeout.ms. */
  crash(): void {
    if (this.isStopped()) return;
    this.state = 'crashed';
    this.shutDown();
  }

  /** Commits what was consumed, leaves the group and closes; a crashed or failed consumer is just forgotten. */
  override close(): Promise<void> {
    if (this.state === 'crashed' || this.state === 'failed') {
      this.state = 'closed';
      this.onClosed(this);
    }
    if (this.isStopped() || this.state === 'closing') return Promise.resolve();
    this.state = 'closing';
    this.processTimer?.cancel();
    return new Promise((resolve) => {
      const leave = (): void =>
        this.member.leave(() => {
          this.state = 'closed';
          this.shutDown();
          this.onClosed(this);
          resolve();
        });
      if (this.options.enableAutoCommit && this.member.hasGeneration) this.commitPositions([...this.partitions.values()], () => leave());
      else leave();
    });
  }

  /** The consumer as plain data. */
  snapshot(): ConsumerSnapshot {
    return {
      clientId: this.clientId,
      groupId: this.groupId,
      state: this.state,
      memberState: this.member.state,
      memberId: this.member.memberId,
      generationId: this.member.generationId,
      coordinator: this.member.coordinatorId,
      assignment: [...this.partitions.values()].map((p) => ({ topic: p.topic, partition: p.partition, position: p.position, bufferedRecords: p.buffer.length })),
      consumedRecords: this.consumedRecords,
      recordsPerSecond: this.rate,
      lastError: this.lastError?.message ?? null,
    };
  }

  /** The partitions this member owns and the generation whose assignment gave them (for invariant checks). */
  ownership(): { generationId: number; partitions: TopicPartition[] } {
    // A stopped consumer owns nothing, whatever its last assignment was.
    if (this.isStopped()) return { generationId: -1, partitions: [] };
    return { generationId: this.member.ownedGeneration, partitions: this.member.owned };
  }

  private isStopped(): boolean {
    return this.state === 'crashed' || this.state === 'closed' || this.state === 'failed';
  }

  private shutDown(): void {
    this.member.stop();
    this.processTimer?.cancel();
    this.autoCommitTimer?.cancel();
    this.partitions.clear();
    super.close();
  }

  private fail(error: KafkaError): void {
    this.lastError = error;
    this.state = 'failed';
    this.shutDown();
  }

  // ---- Requests ---------------------------------------------------------------------------------

  private transport(): GroupTransport {
    const context: RequestContext = { clientId: this.clientId, clientHost: '/127.0.0.1', apiVersion: 0 };
    return {
      request: <T>(brokerId: number, handle: (c: GroupCoordinator, ctx: RequestContext, respond: (value: T) => void) => void, unavailable: T, onReply: (reply: T | KafkaError) => void, timeoutMs: number) => {
        if (brokerId < 0) return void this.ctx.scheduler.schedule(0, () => onReply(new KafkaError('COORDINATOR_NOT_AVAILABLE')));
        this.call<T>(brokerId, (broker, respond) => {
          const coordinator = groupCoordinatorOf(broker);
          if (coordinator) handle(coordinator, context, respond);
          else respond(unavailable);
        }, onReply, timeoutMs);
      },
      bootstrapBroker: (attempt) => {
        const ids = this.ctx.bootstrapBrokerIds();
        return ids[(attempt + this.ctx.random.nextInt(ids.length)) % ids.length];
      },
      partitionCounts: (topics, done) =>
        this.refreshMetadata(topics, (error) => {
          if (error) return done(null);
          done(new Map(topics.filter((t) => this.cachedTopic(t)).map((t) => [t, this.cachedTopic(t)!.partitions.length])));
        }),
    };
  }

  private refreshSoon(): void {
    if (this.metadataRefreshing) return;
    this.metadataRefreshing = true;
    this.refreshMetadata(this.topics, () => {
      this.metadataRefreshing = false;
      if (!this.isStopped()) this.later(this.options.retryBackoffMs, () => (this.initializePositions(), this.maybeFetch()));
    });
  }

  private later(delayMs: number, task: () => void): void {
    this.ctx.scheduler.schedule(delayMs, () => {
      if (!this.isStopped()) task();
    });
  }

  private leaderOf(p: { topic: string; partition: number }): { leader: number; leaderEpoch: number } | null {
    const meta = this.cachedTopic(p.topic)?.partitions[p.partition];
    return meta && meta.leader >= 0 ? { leader: meta.leader, leaderEpoch: meta.leaderEpoch } : null;
  }

  // ---- Assignment and positions -------------------------------------------------------------------

  private assign(partitions: TopicPartition[]): void {
    for (const p of partitions) {
      if (!this.partitions.has(key(p))) this.partitions.set(key(p), { topic: p.topic, partition: p.partition, position: null, leaderEpoch: -1, committed: null, buffer: [], positioning: false });
    }
    this.initializePositions();
  }

  /** Revoked partitions commit what was consumed (when auto-committing); lost ones just go. */
  private revoke(partitions: TopicPartition[], commit: boolean): void {
    const states = partitions.map((p) => this.partitions.get(key(p))).filter((s): s is PartitionState => s !== undefined);
    if (commit && this.options.enableAutoCommit) this.commitPositions(states.filter((s) => s.position !== null && s.position !== s.committed), () => {});
    for (const p of partitions) this.partitions.delete(key(p));
  }

  /** Committed offsets first (OffsetFetch), then auto.offset.reset (ListOffsets) where there are none. */
  private initializePositions(): void {
    const needed = [...this.partitions.values()].filter((s) => s.position === null && !s.positioning);
    if (needed.length === 0 || this.isStopped()) return;
    for (const s of needed) s.positioning = true;
    this.member.fetchCommitted(needed, (result) => {
      const current = needed.filter((s) => this.partitions.get(key(s)) === s);
      for (const s of current) s.positioning = false;
      if (this.isStopped() || current.length === 0) return;
      if (result instanceof KafkaError) return this.later(this.options.retryBackoffMs, () => this.initializePositions());
      const reset: PartitionState[] = [];
      for (const s of current) {
        const committed = result.get(`${s.topic}\u0000${s.partition}`) ?? -1;
        if (committed >= 0) {
          s.position = committed;
          s.committed = committed;
        } else {
          reset.push(s);
        }
      }
      this.resetPositions(reset);
      this.maybeFetch();
    });
  }

  /** ListOffsets at each partition's leader for earliest or latest. */
  private resetPositions(states: PartitionState[]): void {
    const timestamp = this.options.autoOffsetReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    for (const s of states) {
      const leader = this.leaderOf(s);
      if (!leader) {
        this.refreshSoon();
        continue;
      }
      s.positioning = true;
      const request = [{ topic: s.topic, partition: s.partition, timestamp, currentLeaderEpoch: -1 }];
      this.call<ListOffsetsPartitionResponse[]>(leader.leader, (broker, respond) => respond(broker.handleListOffsets(request)), (reply) => {
        if (this.partitions.get(key(s)) !== s) return;
        s.positioning = false;
        if (reply instanceof KafkaError || reply[0].error) return this.refreshSoon();
        s.position = reply[0].offset;
        this.maybeFetch();
      }, this.options.requestTimeoutMs);
    }
  }

  // ---- Fetching -------------------------------------------------------------------------------------

  /** Sends a fetch to every leader that has fetchable partitions and no fetch in flight. */
  private maybeFetch(): void {
    if (this.state !== 'running') return;
    const byLeader = new Map<number, { state: PartitionState; leaderEpoch: number }[]>();
    for (const s of this.partitions.values()) {
      if (s.position === null || s.buffer.length > 0) continue;
      const leader = this.leaderOf(s);
      if (!leader) {
        this.refreshSoon();
        continue;
      }
      if (this.fetching.has(leader.leader)) continue;
      if (!byLeader.has(leader.leader)) byLeader.set(leader.leader, []);
      byLeader.get(leader.leader)!.push({ state: s, leaderEpoch: leader.leaderEpoch });
    }
    for (const [leader, list] of byLeader) this.fetchFrom(leader, list);
  }

  private fetchFrom(leader: number, list: { state: PartitionState; leaderEpoch: number }[]): void {
    this.fetching.add(leader);
    const maxBytes = this.options.maxPartitionFetchBytes;
    const request = {
      replicaId: -1,
      maxWaitMs: this.options.fetchMaxWaitMs,
      minBytes: 1,
      maxBytes: 52_428_800,
      partitions: list.map(({ state, leaderEpoch }) => ({ topic: state.topic, partition: state.partition, fetchOffset: state.position!, currentLeaderEpoch: leaderEpoch, partitionMaxBytes: maxBytes })),
    };
    this.call<FetchResponse>(leader, (broker, respond) => broker.handleFetch(request, respond), (reply) => {
      this.fetching.delete(leader);
      if (this.isStopped()) return;
      if (reply instanceof KafkaError) {
        this.refreshSoon();
        return this.later(this.options.retryBackoffMs, () => this.maybeFetch());
      }
      reply.partitions.forEach((data, i) => this.onFetched(list[i].state, request.partitions[i].fetchOffset, data));
      this.process();
      this.maybeFetch();
    }, this.options.requestTimeoutMs + this.options.fetchMaxWaitMs);
  }

  private onFetched(s: PartitionState, fetchOffset: number, data: FetchResponse['partitions'][number]): void {
    // The partition may have been revoked, or its position moved, while the fetch was out.
    if (this.partitions.get(key(s)) !== s || s.position !== fetchOffset) return;
    if (data.error) return this.onFetchError(s, data.error);
    if (data.records.length === 0) return;
    let batches: DecodedBatch[];
    try {
      batches = decodeRecordBatches(data.records);
    } catch {
      // Compressed with a native codec: decode off the task, then buffer if still wanted.
      decodeRecordBatchesAsync(data.records).then(
        (decoded) => this.ctx.scheduler.schedule(0, () => {
          if (this.partitions.get(key(s)) === s && s.position === fetchOffset && s.buffer.length === 0) this.buffer(s, decoded);
          this.process();
          this.maybeFetch();
        }),
        () => this.later(this.options.retryBackoffMs, () => this.maybeFetch()),
      );
      return;
    }
    this.buffer(s, batches);
  }

  private buffer(s: PartitionState, batches: DecodedBatch[]): void {
    for (const batch of batches) {
      if ((batch.header.attributes & 0x20) !== 0) continue; // control batches hold no data
      for (const record of batch.records) {
        if (record.offset < s.position!) continue;
        s.buffer.push({ topic: s.topic, partition: s.partition, offset: record.offset, timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers, leaderEpoch: batch.header.partitionLeaderEpoch });
      }
    }
  }

  private onFetchError(s: PartitionState, error: KafkaErrorName): void {
    if (error === 'OFFSET_OUT_OF_RANGE') {
      // auto.offset.reset applies to positions that fell out of the log, as in Kafka.
      s.position = null;
      return this.resetPositions([s]);
    }
    if (isRetriable(error) || error === 'OFFSET_NOT_AVAILABLE') this.refreshSoon();
  }

  // ---- Consuming ----------------------------------------------------------------------------------

  /** Hands buffered records to the app: all at once, or as many as the rate allows so far. */
  private process(): void {
    if (this.state !== 'running') return;
    const now = this.ctx.scheduler.now();
    let budget = Infinity;
    if (this.rate !== null) {
      this.allowance = Math.min(this.rate, this.allowance + ((now - this.lastProcessAt) * this.rate) / 1000);
      budget = Math.floor(this.allowance);
    }
    this.lastProcessAt = now;
    const consumed: ConsumedRecord[] = [];
    const states = [...this.partitions.values()].filter((s) => s.buffer.length > 0);
    // Round robin over partitions so a slow consumer shares its rate among them.
    while (budget > consumed.length && states.some((s) => s.buffer.length > 0)) {
      for (const s of states) {
        if (s.buffer.length === 0 || consumed.length >= budget) continue;
        const record = s.buffer.shift()!;
        s.position = record.offset + 1;
        s.leaderEpoch = record.leaderEpoch;
        consumed.push(record);
        if (this.rate === null) {
          consumed.push(...s.buffer);
          for (const r of s.buffer) s.position = r.offset + 1;
          s.buffer.length = 0;
        }
      }
    }
    if (this.rate !== null) this.allowance -= consumed.length;
    this.consumedRecords += consumed.length;
    if (consumed.length > 0) this.onRecords?.(consumed);
    const waiting = [...this.partitions.values()].some((s) => s.buffer.length > 0);
    if (waiting && this.rate !== null && !this.processTimer) {
      this.processTimer = this.ctx.scheduler.schedule(PROCESS_TICK_MS, () => {
        this.processTimer = null;
        this.process();
        this.maybeFetch();
      });
    }
  }

  // ---- Committing -------------------------------------------------------------------------------------

  private scheduleAutoCommit(): void {
    this.autoCommitTimer = this.ctx.scheduler.schedule(this.options.autoCommitIntervalMs, () => {
      if (this.isStopped()) return;
      // Like the Java client: every interval, every owned partition's consumed position.
      if (this.member.state === 'stable' && this.state !== 'closing') this.commitPositions([...this.partitions.values()], () => {});
      this.scheduleAutoCommit();
    });
  }

  private commitPositions(states: PartitionState[], done: (error: KafkaError | null) => void): void {
    const withPosition = states.filter((s) => s.position !== null);
    const offsets = withPosition.map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position!, leaderEpoch: s.leaderEpoch }));
    this.member.commit(offsets, (error) => {
      if (!error) withPosition.forEach((s, i) => (s.committed = offsets[i].offset));
      done(error);
    });
  }

  /** Commits everything consumed before a join, retrying retriable errors within the rebalance timeout. */
  private commitBeforeJoin(done: () => void): void {
    if (!this.options.enableAutoCommit || !this.member.hasGeneration || this.partitions.size === 0) return done();
    const deadline = this.ctx.scheduler.now() + this.options.maxPollIntervalMs;
    const attempt = (): void => {
      this.commitPositions([...this.partitions.values()], (error) => {
        if (!error || !error.retriable || this.ctx.scheduler.now() + this.options.retryBackoffMs > deadline || !this.member.hasGeneration) return done();
        this.later(this.options.retryBackoffMs, attempt);
      });
    };
    attempt();
  }

  /** Assigned partitions in topic and partition order. */
  assignment(): TopicPartition[] {
    return sortPartitions([...this.partitions.values()].map(({ topic, partition }) => ({ topic, partition })));
  }
}
