/**
 * Guided scenarios: one click runs a short, narrated story on the live cluster (a leader fails
 * over, a follower falls behind, acks=all meets too few in-sync replicas, a consumer joins, a
 * consumer crashes, eager against cooperative rebalancing). Each step says what is about to
 * happen, does it, and waits for the cluster to show it; the window polls the narration.
 * Stopping (or finishing) undoes what the scenario did: faults healed, brokers it stopped
 * started, its consumers closed, its groups and topics deleted, so the cluster is as it was.
 */
import type { Cluster } from '../cluster';
import type { ClusterEvent } from '../events';
import type { ProducerRunner } from '../client/producer-runner';
import type { Consumer } from '../client/consumer';
import type { AssignorName } from '../group/assignors';
import type { PartitionSnapshot } from '../view/snapshot';
import { KafkaError } from '../protocol/errors';

/** The scenarios, by id, with their titles. */
export const SCENARIOS = {
  'leader-fails-over': 'A leader fails over',
  'follower-falls-behind': 'A follower falls behind and catches up',
  'not-enough-replicas': 'Not enough in-sync replicas',
  'consumer-joins': 'A consumer joins the group',
  'consumer-crashes': 'A consumer crashes',
  'cooperative-vs-eager': 'Cooperative vs eager rebalance',
} as const;

/** A scenario's id. */
export type ScenarioId = keyof typeof SCENARIOS;

/** Where a step suggests looking. */
export type ScenarioFocus = { kind: 'partition'; topic: string; partition: number } | { kind: 'group'; groupId: string } | null;

/** A scenario as the window shows it. */
export interface ScenarioStatus {
  id: ScenarioId;
  title: string;
  /** The narration so far, oldest first; the last is the current step while running. */
  steps: { text: string; time: number }[];
  state: 'running' | 'finished' | 'stopped' | 'failed';
  focus: ScenarioFocus;
}

/** How long one step may wait for the cluster before the scenario gives up. */
const STEP_TIMEOUT_MS = 60_000;
const POLL_MS = 200;

/** What a running scenario created and changed, to undo it. */
interface Undo {
  topics: Set<string>;
  groups: Set<string>;
  consumers: Set<Consumer>;
  runners: Set<ProducerRunner>;
  stoppedBrokers: Set<number>;
  faults: boolean;
}

class Stopped extends Error {}

export class Scenarios {
  private current: ScenarioStatus | null = null;
  private undo: Undo | null = null;
  private run = 0;

  constructor(private readonly cluster: Cluster) {}

  /** The scenario running or last run, or null. */
  status(): ScenarioStatus | null {
    return this.current ? { ...this.current, steps: [...this.current.steps] } : null;
  }

  /** Starts a scenario (stopping any running one first). */
  start(id: ScenarioId): void {
    if (this.current?.state === 'running') this.stop();
    const run = ++this.run;
    this.current = { id, title: SCENARIOS[id], steps: [], state: 'running', focus: null };
    this.undo = { topics: new Set(), groups: new Set(), consumers: new Set(), runners: new Set(), stoppedBrokers: new Set(), faults: false };
    const story = new Story(this.cluster, this.current, this.undo, () => this.run !== run);
    STORIES[id](story)
      .then(() => {
        if (this.run !== run) return;
        story.say('Done. Cleaning up: the cluster goes back to how it was.');
        this.current!.state = 'finished';
        void this.cleanUp();
      })
      .catch((error: unknown) => {
        if (error instanceof Stopped || this.run !== run) return;
        story.say(`The scenario stopped: ${error instanceof Error ? error.message : String(error)}`);
        this.current!.state = 'failed';
        void this.cleanUp();
      });
  }

  /** Stops the running scenario and undoes what it did. */
  stop(): void {
    if (!this.current || this.current.state !== 'running') return;
    this.run++;
    this.current.state = 'stopped';
    this.current.steps.push({ text: 'Stopped. The cluster goes back to how it was.', time: this.cluster.scheduler.now() });
    void this.cleanUp();
  }

  private async cleanUp(): Promise<void> {
    const undo = this.undo;
    this.undo = null;
    if (!undo) return;
    for (const runner of undo.runners) runner.close();
    if (undo.faults) this.cluster.clearAllFaults();
    for (const id of undo.stoppedBrokers) if (!this.cluster.brokers.get(id)?.running) this.cluster.startBroker(id);
    await Promise.all([...undo.consumers].map((c) => c.close().catch(() => {})));
    for (const groupId of undo.groups) await this.cluster.deleteGroup(groupId).catch(() => {});
    for (const topic of undo.topics) {
      try {
        this.cluster.deleteTopic(topic);
      } catch {
        // Already gone, or no controller this instant: nothing more to undo.
      }
    }
  }
}

/** The helpers a story is written with. */
class Story {
  constructor(
    readonly cluster: Cluster,
    private readonly status: ScenarioStatus,
    private readonly undo: Undo,
    private readonly stopped: () => boolean,
  ) {}

  say(text: string, focus?: ScenarioFocus): void {
    this.status.steps.push({ text, time: this.cluster.scheduler.now() });
    if (focus !== undefined) this.status.focus = focus;
  }

  /** Waits `ms` of cluster time. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.cluster.scheduler.schedule(ms, () => (this.stopped() ? reject(new Stopped()) : resolve()));
    });
  }

  /** Waits until `condition` holds (checked every 200 ms). */
  until(what: string, condition: () => boolean, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
    const deadline = this.cluster.scheduler.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.stopped()) return reject(new Stopped());
        if (condition()) return resolve();
        if (this.cluster.scheduler.now() > deadline) return reject(new Error(`${what} did not happen within ${timeoutMs / 1000} s`));
        this.cluster.scheduler.schedule(POLL_MS, check);
      };
      check();
    });
  }

  /** A new topic with a name not taken yet; deleted at the end. */
  async topic(base: string, partitions: number, configs: Record<string, string> = {}): Promise<string> {
    let name = base;
    for (let i = 2; this.cluster.store.image.topics.has(name); i++) name = `${base}-${i}`;
    const live = [...this.cluster.brokers.values()].filter((b) => b.running).length;
    if (live < 3) throw new KafkaError('INVALID_REPLICATION_FACTOR', 'the scenarios need three running brokers');
    this.cluster.createTopic({ name, partitions, replicationFactor: 3, configs });
    this.undo.topics.add(name);
    await this.until('the topic to get its leaders', () => this.partitions(name).every((p) => p.leader >= 0 && p.isr.length === 3));
    return name;
  }

  partitions(topic: string): PartitionSnapshot[] {
    return this.cluster.snapshot().topics.find((t) => t.name === topic)?.partitions ?? [];
  }

  produceSteadily(topic: string, recordsPerSecond: number): void {
    const runner = this.cluster.createProducerRunner({ topic, value: 'scenario record {{seq}}', acks: 1 });
    runner.start(recordsPerSecond);
    this.undo.runners.add(runner);
  }

  consumer(groupId: string, topic: string, assignor: AssignorName = 'range'): Consumer {
    const consumer = this.cluster.createConsumer({ groupId, topics: [topic], assignors: [assignor], sessionTimeoutMs: 6_000, heartbeatIntervalMs: 2_000, autoOffsetReset: 'earliest', autoCommitIntervalMs: 1_000, maxPollIntervalMs: 30_000 });
    this.undo.consumers.add(consumer);
    this.undo.groups.add(groupId);
    return consumer;
  }

  group(groupId: string) {
    return this.cluster.snapshot().groups.find((g) => g.groupId === groupId);
  }

  stable(groupId: string, members: number, afterGeneration = 0): () => boolean {
    return () => {
      const g = this.group(groupId);
      return g !== undefined && g.state === 'Stable' && g.members.length === members && g.generationId > afterGeneration && g.members.every((m) => m.assignment.length > 0);
    };
  }

  stopBroker(id: number): void {
    this.undo.stoppedBrokers.add(id);
    this.cluster.stopBroker(id);
  }

  faulted(): void {
    this.undo.faults = true;
  }

  /** Collects events while the story runs. */
  record(): { events: ClusterEvent[]; done: () => void } {
    const events: ClusterEvent[] = [];
    const done = this.cluster.on((e) => events.push(e));
    return { events, done };
  }
}

const STORIES: Record<ScenarioId, (story: Story) => Promise<void>> = {
  async 'leader-fails-over'(s) {
    const topic = await s.topic('scenario-failover', 1, { 'min.insync.replicas': '2' });
    const focus = { kind: 'partition' as const, topic, partition: 0 };
    s.say(`Created ${topic} (3 replicas) and a producer sending 20 records a second. Watch the bars grow together.`, focus);
    s.produceSteadily(topic, 20);
    await s.pause(3_000);
    const before = s.partitions(topic)[0];
    s.say(`Stopping broker ${before.leader}, the leader (epoch ${before.leaderEpoch}). The controller notices when its heartbeats stop (broker.session.timeout.ms).`);
    s.stopBroker(before.leader);
    await s.until('a new leader', () => {
      const p = s.partitions(topic)[0];
      return p.leader >= 0 && p.leader !== before.leader;
    });
    const after = s.partitions(topic)[0];
    s.say(`Broker ${after.leader} won: the first live replica in the ISR [${before.isr.join(', ')}], so it holds every acknowledged record. The leader epoch went from ${before.leaderEpoch} to ${after.leaderEpoch}; records keep flowing.`);
    await s.pause(4_000);
    s.say(`Starting broker ${before.leader} again. It comes back as a follower, asks the new leader where epoch ${before.leaderEpoch} ended, truncates anything it had beyond that, and catches up.`);
    s.cluster.startBroker(before.leader);
    await s.until('the old leader back in the ISR', () => s.partitions(topic)[0].isr.includes(before.leader));
    s.say(`Broker ${before.leader} is back in the ISR, as a follower. (Elect preferred leaders would hand leadership back to it.)`);
    await s.pause(3_000);
  },

  async 'follower-falls-behind'(s) {
    const topic = await s.topic('scenario-slow-follower', 1);
    const focus = { kind: 'partition' as const, topic, partition: 0 };
    s.produceSteadily(topic, 50);
    const p = s.partitions(topic)[0];
    const follower = p.replicas.find((id) => id !== p.leader)!;
    const lag = s.cluster.settings.replicaLagTimeMaxMs;
    s.say(`Created ${topic} with a producer at 50 records a second. Slowing broker ${follower}'s fetches by ${(lag * 1.5) / 1000} s, longer than replica.lag.time.max.ms (${lag / 1000} s).`, focus);
    s.cluster.slowFollower(follower, Math.round(lag * 1.5));
    s.faulted();
    await s.until('the slow follower to leave the ISR', () => !s.partitions(topic)[0].isr.includes(follower), lag * 4 + 10_000);
    s.say(`Broker ${follower} has not caught up for ${lag / 1000} s, so the leader removed it from the ISR. The high watermark now follows the remaining in-sync replicas only.`);
    await s.pause(3_000);
    s.say(`Healing broker ${follower}: its fetches are fast again. Once it reaches the high watermark, the leader adds it back.`);
    s.cluster.clearFault({ kind: 'slow-fetches', brokerId: follower });
    await s.until('the follower back in the ISR', () => s.partitions(topic)[0].isr.includes(follower));
    s.say(`Broker ${follower} caught up and rejoined the ISR.`);
    await s.pause(2_000);
  },

  async 'not-enough-replicas'(s) {
    const topic = await s.topic('scenario-min-isr', 1, { 'min.insync.replicas': '3' });
    const focus = { kind: 'partition' as const, topic, partition: 0 };
    const p = s.partitions(topic)[0];
    const follower = p.replicas.find((id) => id !== p.leader)!;
    s.say(`Created ${topic} with min.insync.replicas=3: acks=all needs all three replicas in sync. Isolating broker ${follower}.`, focus);
    s.cluster.isolateBroker(follower);
    s.faulted();
    await s.until('the isolated follower to leave the ISR', () => !s.partitions(topic)[0].isr.includes(follower));
    s.say(`Broker ${follower} left the ISR: 2 of 3 in sync. Sending one record with acks=all…`);
    let outcome = '';
    // A client may first ask a broker whose metadata is behind; ask again until the leader answers.
    for (let attempt = 0; attempt < 10 && !outcome.startsWith('NOT_ENOUGH_REPLICAS'); attempt++) {
      if (attempt > 0) await s.pause(500);
      outcome = await s.cluster.produce({ topic, records: [{ value: 'needs three replicas' }], acks: -1 }).then(
        () => 'it was accepted',
        (error: unknown) => (error instanceof KafkaError ? error.message : String(error)),
      );
    }
    s.say(`The leader answered: ${outcome}. With acks=1 the same record would be accepted, but not counted as committed until the ISR is back.`);
    await s.pause(3_000);
    s.say(`Healing broker ${follower}.`);
    s.cluster.clearFault({ kind: 'isolated', brokerId: follower });
    await s.until('the follower back in the ISR', () => s.partitions(topic)[0].isr.includes(follower));
    await s.cluster.produce({ topic, records: [{ value: 'now it works' }], acks: -1, retries: 10 });
    s.say('Three replicas in sync again: acks=all succeeds.');
    await s.pause(2_000);
  },

  async 'consumer-joins'(s) {
    const topic = await s.topic('scenario-join', 6);
    const groupId = `${topic}-group`;
    s.produceSteadily(topic, 30);
    s.consumer(groupId, topic);
    s.consumer(groupId, topic);
    s.say(`Started group ${groupId}: two consumers on ${topic}'s 6 partitions (range assignor).`, { kind: 'group', groupId });
    await s.until('the group to be stable', s.stable(groupId, 2));
    const generation = s.group(groupId)!.generationId;
    s.say(`Generation ${generation}: three partitions each. A third consumer joins now; the coordinator starts a rebalance (PreparingRebalance), every member rejoins, the leader assigns (CompletingRebalance)…`);
    s.consumer(groupId, topic);
    await s.until('the next generation', s.stable(groupId, 3, generation));
    s.say(`Generation ${s.group(groupId)!.generationId}: two partitions each. Lag dips while the partitions change hands.`);
    await s.pause(4_000);
  },

  async 'consumer-crashes'(s) {
    const topic = await s.topic('scenario-crash', 6);
    const groupId = `${topic}-group`;
    s.produceSteadily(topic, 30);
    const members = [s.consumer(groupId, topic), s.consumer(groupId, topic), s.consumer(groupId, topic)];
    s.say(`Started group ${groupId}: three consumers, two partitions each.`, { kind: 'group', groupId });
    await s.until('the group to be stable', s.stable(groupId, 3));
    const generation = s.group(groupId)!.generationId;
    s.say(`Crashing ${members[0].clientId}: it stops without a LeaveGroup. Its partitions sit unconsumed (their lag grows) until its session timeout, 6 s, runs out.`);
    members[0].crash();
    await s.until('the crashed member to be removed', s.stable(groupId, 2, generation), 30_000);
    s.say(`The coordinator removed it (session timeout) and rebalanced: generation ${s.group(groupId)!.generationId}, three partitions each. The survivors start from the last committed offsets, so a few records may be consumed twice.`);
    await s.pause(4_000);
  },

  async 'cooperative-vs-eager'(s) {
    const topic = await s.topic('scenario-rebalance', 6);
    const eager = `${topic}-eager`;
    const cooperative = `${topic}-cooperative`;
    s.produceSteadily(topic, 30);
    s.consumer(eager, topic, 'range');
    s.consumer(eager, topic, 'range');
    s.consumer(cooperative, topic, 'cooperative-sticky');
    s.consumer(cooperative, topic, 'cooperative-sticky');
    s.say(`Two groups on ${topic}: ${eager} (range, eager) and ${cooperative} (cooperative-sticky), two members each.`, { kind: 'group', groupId: eager });
    await s.until('both groups to be stable', () => s.stable(eager, 2)() && s.stable(cooperative, 2)());
    const recorder = s.record();
    const eagerGeneration = s.group(eager)!.generationId;
    const cooperativeGeneration = s.group(cooperative)!.generationId;
    s.say('A third member joins each group. Eager: every member gives up every partition before the new assignment. Cooperative: members keep what they keep, and only moved partitions are revoked, in a second rebalance.');
    s.consumer(eager, topic, 'range');
    s.consumer(cooperative, topic, 'cooperative-sticky');
    await s.until('both groups to settle', () => s.stable(eager, 3, eagerGeneration)() && s.stable(cooperative, 3, cooperativeGeneration)(), 60_000);
    await s.pause(2_000);
    recorder.done();
    const rebalances = (groupId: string): number => recorder.events.filter((e) => e.type === 'group.rebalance-completed' && e.groupId === groupId).length;
    const revoked = (groupId: string): number =>
      recorder.events.filter((e) => e.type === 'group.assignment-changed' && e.groupId === groupId).reduce((sum, e) => sum + (e.type === 'group.assignment-changed' ? e.members.reduce((n, m) => n + m.revoked.length, 0) : 0), 0);
    s.say(`Eager (${eager}): ${rebalances(eager)} rebalance, ${revoked(eager)} partitions changed owner. Cooperative (${cooperative}): ${rebalances(cooperative)} rebalances, ${revoked(cooperative)} changed owner, and members kept consuming the rest throughout.`, { kind: 'group', groupId: cooperative });
    await s.pause(4_000);
  },
};
