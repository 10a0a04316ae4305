/**
 * A diagnostic for the UI benchmark's load: the page's CPU profile (top functions by self time)
 * and how many updates and bytes the window receives. `npx tsx test/bench/ui-profile.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../core/host/serve/start';
import { launchBrowser } from '../e2e/harness';
import { UI_LOAD, loadTopic, producerTopic } from './ui-load';

const TOPICS = Number(process.env.TOPICS ?? UI_LOAD.topics);
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'brokerscope-ui-prof-'));
  const started = await startBrowserHost({ brokers: UI_LOAD.brokers, dataDir: dir, seed: 42 });
  const host = started.host;
  const browser = await launchBrowser();
  try {
    const wait = async (cond: () => Promise<boolean>) => { while (!(await cond())) await new Promise((r) => setTimeout(r, 200)); };
    await wait(async () => (await host.snapshot()).cluster.controllerId >= 0);
    for (let t = 0; t < TOPICS; t++) await host.execute('createTopic', { name: loadTopic(t), partitions: UI_LOAD.partitions, replicationFactor: UI_LOAD.replicationFactor, configs: {} });
    await wait(async () => (await host.snapshot()).cluster.topics.every((topic) => topic.partitions.every((p) => p.leader >= 0 && p.isr.length === 3)));
    for (let i = 0; i < UI_LOAD.producers; i++) {
      const topic = producerTopic(i, UI_LOAD.producers, TOPICS);
      await host.execute('startProducer', { topic, recordsPerSecond: UI_LOAD.recordsPerSecond / UI_LOAD.producers, key: null, value: UI_LOAD.value, acks: 1 });
    }
    let updates = 0, bytes = 0, topicsSent = 0;
    host.onUpdate((u) => { updates++; bytes += JSON.stringify(u).length; if (u.type === 'delta') topicsSent += (u.topics?.length ?? 0) + (u.partitions?.length ?? 0); });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await page.goto(started.url);
    await page.locator('[data-testid="broker"]').first().waitFor({ state: 'attached', timeout: 60_000 });
    await page.evaluate('window.__frames = 0; (function count() { window.__frames++; requestAnimationFrame(count); })()');
    await new Promise((r) => setTimeout(r, 4000));
    updates = 0; bytes = 0; topicsSent = 0;
    const cdp = await page.context().newCDPSession(page);
    const traceEvents: { name: string; dur?: number; ph: string; tid: number }[] = [];
    if (process.env.TRACE) {
      // Tracing events are not in playwright's CDP event map: listen through a looser view of the session.
      (cdp as unknown as { on(event: string, listener: (data: { value: typeof traceEvents }) => void): void }).on('Tracing.dataCollected', (data) => traceEvents.push(...data.value));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    }
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const t0 = Date.now();
    const frames0 = (await page.evaluate('window.__frames')) as number;
    await new Promise((r) => setTimeout(r, 8000));
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; samples: number[]; timeDeltas: number[] } };
    const secs = (Date.now() - t0) / 1000;
    if (process.env.TRACE) {
      const done = new Promise((resolve) => (cdp as unknown as { once(event: string, listener: () => void): void }).once('Tracing.tracingComplete', () => resolve(null)));
      await cdp.send('Tracing.end');
      await done;
      const byName = new Map<string, number>();
      for (const e of traceEvents) if (e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
      for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`trace ${(ms / secs / 10).toFixed(1).padStart(6)}%  ${name}`);
    }
    const fps = (((await page.evaluate('window.__frames')) as number) - frames0) / secs;
    writeFileSync(join(tmpdir(), 'brokerscope-page.cpuprofile'), JSON.stringify(profile));
    const self = new Map<string, number>();
    const dt = new Map<number, number>();
    profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const node of profile.nodes) {
      const name = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40);
    console.log(`fps ${fps.toFixed(1)}  updates/s ${(updates / secs).toFixed(1)}  KB/s ${(bytes / secs / 1024).toFixed(0)}  topics/delta ${(topicsSent / Math.max(updates, 1)).toFixed(1)}`);
    for (const [name, ms] of top) console.log(`${(ms / secs / 10).toFixed(1).padStart(6)}%  ${name}`);
  } finally {
    await browser.close();
    await started.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
void main();
