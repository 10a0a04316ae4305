/**
 * Measures what one update costs on a large cluster (Issue 7): 2,000 topics x 12 partitions x
 * RF 3 over 6 brokers, 10% of partitions (or the fraction given) growing their logs per update. Prints, per update,
 * the delta's JSON size, the window's parse time and the store's apply time (applyHostUpdate
 * with the selectors the views run on every store change: header and overview health, the
 * map's scope and structure key, the map's changed-topic scan).
 *
 *   npx tsx test/renderer/large-delta-measure.ts [updates] [fraction of partitions] [seed]
 */
import type { HostDelta, HostSnapshot, HostUpdate, TopicSnapshot } from '../../core/host/contract';
import { UpdateStream } from '../../core/host/update-stream';
import { Random } from '../../core/time/random';
import { applyUpdate, clusterHealth } from '../../renderer/store/cluster-state';
import { mapScopeOf } from '../../renderer/store/map-scope';
import { createAppStore } from '../../renderer/store/store';
import { PictureSource } from './large-cluster';

const UPDATES = Number(process.argv[2] ?? 30);
const FRACTION = Number(process.argv[3] ?? 0.1);
const SEED = Number(process.argv[4] ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const source = new PictureSource({ topics: 2_000, partitions: 12, replicationFactor: 3, brokers: 6 });
  const stream = new UpdateStream(source, { producers: () => [] });
  const deltas: HostDelta[] = [];
  stream.onUpdate((update) => {
    if (update.type === 'delta') deltas.push(update);
  });
  const snapshot: HostSnapshot = JSON.parse(JSON.stringify(stream.snapshot()));
  // Deltas the snapshot already includes (its first comparison) are not the window's.
  deltas.length = 0;

  const store = createAppStore(null, () => performance.now());
  // The selectors the views run on every store change (see renderer/views: Header,
  // ClusterOverview, ClusterMap, MapToolbar, TopicList, ReplicaHooks).
  let changedTopicIdentities = 0;
  store.subscribe((state, previous) => {
    clusterHealth(state);
    clusterHealth(state);
    mapScopeOf(state);
    void (state.structureKey === previous.structureKey);
    if (state.topicsByName !== previous.topicsByName) {
      for (const [name, topic] of state.topicsByName) if (previous.topicsByName.get(name) !== topic) changedTopicIdentities++;
    }
  });
  store.getState().applyHostUpdate(snapshot);

  const random = new Random(SEED);
  const rows: { bytes: number; wholeTopics: number; partitionUpdates: number; hostMs: number; parseMs: number; pureMs: number; applyMs: number; changedTopics: number }[] = [];
  for (let i = 0; i < UPDATES; i++) {
    source.growLogs(random, FRACTION);
    const hostStarted = performance.now();
    stream.markChanged();
    source.scheduler.runFor(300);
    const hostMs = performance.now() - hostStarted;
    const delta = deltas.shift();
    if (!delta) throw new Error(`update ${i} produced no delta`);
    const text = JSON.stringify(delta);
    const parseStarted = performance.now();
    const received = JSON.parse(text) as HostUpdate;
    const parseMs = performance.now() - parseStarted;
    // The pure part alone (on its own copy, leaving the store as it is).
    const copy = JSON.parse(text) as HostUpdate;
    const pureStarted = performance.now();
    applyUpdate(store.getState(), copy, performance.now());
    const pureMs = performance.now() - pureStarted;
    changedTopicIdentities = 0;
    const applyStarted = performance.now();
    store.getState().applyHostUpdate(received);
    const applyMs = performance.now() - applyStarted;
    const partitionUpdates = (delta as { partitions?: { partitions: unknown[] }[] }).partitions?.reduce((sum, t) => sum + t.partitions.length, 0) ?? 0;
    rows.push({ bytes: text.length, wholeTopics: delta.topics?.length ?? 0, partitionUpdates, hostMs, parseMs, pureMs, applyMs, changedTopics: changedTopicIdentities });
  }
  if (store.getState().seq !== snapshot.seq + UPDATES) throw new Error('the window missed an update');
  checkEqual(store.getState().topics, source.currentTopics());

  // The first few updates warm the JIT; report the rest.
  const measured = rows.slice(3);
  const pick = (key: keyof (typeof rows)[number]): number[] => measured.map((row) => row[key]);
  console.log(
    JSON.stringify({
      updates: measured.length,
      fraction: FRACTION,
      deltaKB_median: Math.round(median(pick('bytes')) / 1024),
      deltaKB_max: Math.round(Math.max(...pick('bytes')) / 1024),
      wholeTopics_median: median(pick('wholeTopics')),
      partitionUpdates_median: median(pick('partitionUpdates')),
      hostDiffMs_median: +median(pick('hostMs')).toFixed(1),
      parseMs_median: +median(pick('parseMs')).toFixed(1),
      applyUpdateMs_median: +median(pick('pureMs')).toFixed(1),
      applyMs_median: +median(pick('applyMs')).toFixed(1),
      applyMs_max: +Math.max(...pick('applyMs')).toFixed(1),
      changedTopicObjects_median: median(pick('changedTopics')),
    }),
  );
}

/** The window's picture must equal the source's (same values, creation order). */
function checkEqual(window: TopicSnapshot[], truth: TopicSnapshot[]): void {
  if (JSON.stringify(window) !== JSON.stringify(truth)) throw new Error('the window’s topics differ from the cluster’s');
}

main();
