/**
 * The UI's figures for `npm run bench`, in headless Chromium against the browser host while 6
 * brokers host 300 topics x 6 partitions x 3 replicas (5,400 replica tiles) and steady
 * producers write 20,000 records a second (20 producers of 1,000/s on 20 topics spread over
 * the map):
 *
 * - ui_fps: frames the page's main thread delivers per second (a requestAnimationFrame count).
 * - ui_update_latency_ms_p95: from a produce call (acks=1) to the first frame presented after
 *   the map painted that record's log end offset, over probes sent every 250 ms to a topic of
 *   their own.
 * - host_event_loop_lag_ms_p99: event-loop delay of the host's main thread (the one serving the
 *   window; the cluster runs in its worker thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startBrowserHost } from '../../core/host/serve/start';
import { launchBrowser } from '../e2e/harness';
import { UI_LOAD, loadTopic, producerTopic } from './ui-load';

const PRODUCERS = Number(process.env.BENCH_UI_PRODUCERS ?? UI_LOAD.producers);
const RECORDS_PER_SECOND = Number(process.env.BENCH_UI_RATE ?? UI_LOAD.recordsPerSecond);
const WARMUP_MS = 4_000;
const MEASURE_MS = 12_000;
const PROBE_EVERY_MS = 250;

/**
 * Installed in the page: counts frames, and logs the probe partition's log end offset at the
 * frame after each paint that changed it (the frame that puts it on screen).
 */
const PAGE_PROBE = `
  window.__paints = [];
  window.__frames = [];
  let last = -1;
  window.__brokerscopeOnPaint = (state) => {
    const topic = state.topicsByName.get('ui-probe');
    const end = topic && topic.partitions[0] ? topic.partitions[0].logEndOffset : -1;
    if (end === last) return;
    last = end;
    requestAnimationFrame(() => window.__paints.push([Date.now(), end]));
  };
  const count = () => {
    window.__frames.push(performance.now());
    requestAnimationFrame(count);
  };
  requestAnimationFrame(count);
`;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      void condition().then((ok) => {
        if (ok) resolve();
        else if (Date.now() > deadline) reject(new Error('the cluster did not settle in time'));
        else setTimeout(check, 100);
      });
    };
    check();
  });
}

/** Runs the UI benchmark; returns its keys for bench.ts's JSON line. */
export async function measureUi(): Promise<{ ui_fps: number; ui_update_latency_ms_p95: number; ui_update_latency_ms_p50: number; host_event_loop_lag_ms_p99: number; ui_probe_count: number; ui_produce_call_to_pixels_ms_p95: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-ui-bench-'));
  const started = await startBrowserHost({ brokers: UI_LOAD.brokers, dataDir: dir, seed: 42 });
  const host = started.host;
  const browser = await launchBrowser();
  try {
    await until(async () => (await host.snapshot()).cluster.brokers.every((b) => b.state === 'running') && (await host.snapshot()).cluster.controllerId >= 0, 30_000);
    for (let t = 0; t < UI_LOAD.topics; t++) {
      const result = await host.execute('createTopic', { name: loadTopic(t), partitions: UI_LOAD.partitions, replicationFactor: UI_LOAD.replicationFactor, configs: {} });
      if (!result.ok) throw new Error(result.error.message);
    }
    const probe = await host.execute('createTopic', { name: 'ui-probe', partitions: 1, replicationFactor: 3, configs: {} });
    if (!probe.ok) throw new Error(probe.error.message);
    await until(async () => (await host.snapshot()).cluster.topics.every((topic) => topic.partitions.every((p) => p.leader >= 0 && p.isr.length === 3)), 60_000);
    // Creating 1,800 partitions sets off a burst of ISR changes: measure the steady state after it.
    let lastChange = Date.now();
    const unsubscribe = host.onUpdate((update) => {
      if (update.type === 'delta' && (update.topics || update.partitions || update.events.length > 0)) lastChange = Date.now();
    });
    await until(async () => Date.now() - lastChange > 2_000, 120_000);
    unsubscribe();
    for (let i = 0; i < PRODUCERS && RECORDS_PER_SECOND > 0; i++) {
      const result = await host.execute('startProducer', { topic: producerTopic(i, PRODUCERS), recordsPerSecond: RECORDS_PER_SECOND / PRODUCERS, key: null, value: UI_LOAD.value, acks: 1 });
      if (!result.ok) throw new Error(result.error.message);
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    // A string, not a function: the TypeScript runner's helpers do not exist in the page.
    await page.addInitScript(PAGE_PROBE);
    await page.goto(started.url);
    await page.locator('[data-testid="replica"][data-topic="ui-probe"]').first().waitFor({ state: 'attached', timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    // When the host's thread had each probe offset in an update for the window (the split of the
    // latency between the cluster's side and the page's; printed with BENCH_UI_SPLIT=1).
    const hostSeen: [number, number][] = [];
    const stopWatching = host.onUpdate((update) => {
      if (update.type !== 'delta') return;
      const delta = update.partitions?.find((d) => d.topic === 'ui-probe') ?? update.topics?.find((t) => t.name === 'ui-probe');
      if (delta) hostSeen.push([Date.now(), delta.partitions[0]?.logEndOffset ?? -1]);
    });
    const frameStart = (await page.evaluate('performance.now()')) as number;
    // Probes are not awaited one by one, so a slow acknowledgement does not thin them out.
    const probes: { sentAt: number; appendedAt: number; offset: number }[] = [];
    const pending: Promise<void>[] = [];
    const end = Date.now() + MEASURE_MS;
    while (Date.now() < end) {
      const sentAt = Date.now();
      pending.push(
        host.execute('produce', { topic: 'ui-probe', records: [{ key: null, value: 'probe', headers: [], partition: 0 }], acks: 1 }).then((result) => {
          if (result.ok) probes.push({ sentAt, appendedAt: result.value.timestamp, offset: result.value.offset });
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
    await Promise.all(pending);
    lag.disable();
    const frameEnd = (await page.evaluate('performance.now()')) as number;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { frames, paints } = (await page.evaluate('({ frames: window.__frames, paints: window.__paints })')) as { frames: number[]; paints: [number, number][] };
    const counted = frames.filter((time) => time >= frameStart && time <= frameEnd).length;
    const shown = probes.map((p) => ({ probe: p, paint: paints.find(([, endOffset]) => endOffset >= p.offset + 1) })).filter((s) => s.paint !== undefined);
    // From the append to the frame: the record's CreateTime is set by the in-process producer as it
    // sends to the leader, one in-process hop before the append (queueing in the engine included).
    const latencies = shown.map((s) => s.paint![0] - s.probe.appendedAt);
    const fromCall = shown.map((s) => s.paint![0] - s.probe.sentAt);
    stopWatching();
    if (process.env.BENCH_UI_SPLIT) {
      const split = shown.map((s) => {
        const seen = hostSeen.find(([, endOffset]) => endOffset >= s.probe.offset + 1)?.[0] ?? NaN;
        return { call: s.probe.appendedAt - s.probe.sentAt, cluster: seen - s.probe.appendedAt, page: s.paint![0] - seen };
      });
      const p = (key: 'call' | 'cluster' | 'page', q: number) => Math.round(percentile(split.map((x) => x[key]).filter(Number.isFinite), q));
      console.error(JSON.stringify({ call_to_createtime: [p('call', 50), p('call', 95)], createtime_to_host_update: [p('cluster', 50), p('cluster', 95)], host_update_to_pixels: [p('page', 50), p('page', 95)] }));
    }
    if (process.env.BENCH_UI_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_UI_SCREENSHOT });
    await page.close();
    return {
      ui_fps: Math.round((counted / (frameEnd - frameStart)) * 1000 * 10) / 10,
      ui_update_latency_ms_p95: Math.round(percentile(latencies, 95)),
      ui_update_latency_ms_p50: Math.round(percentile(latencies, 50)),
      host_event_loop_lag_ms_p99: Math.round((lag.percentile(99) / 1e6) * 10) / 10,
      ui_probe_count: latencies.length,
      ui_produce_call_to_pixels_ms_p95: Math.round(percentile(fromCall, 95)),
    };
  } finally {
    await browser.close();
    await started.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('ui-bench.ts')) {
  measureUi().then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
