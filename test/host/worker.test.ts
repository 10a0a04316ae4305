/**
 * The session across the worker boundary, as the app runs it: the bundled worker owns the
 * embedded cluster, the main thread's ConnectedHost owns the connections; switching to a
 * connection (the worker's own Kafka listener) sends its password-resolved settings to the
 * worker, whose snapshot of the attached cluster reaches the main thread; the worker checks
 * what it receives; switching back shows the embedded cluster again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorker } from '../../core/host/bundle';
import { ConnectedHost } from '../../core/host/connected-host';
import { ConnectionStore, FILE_PERMISSIONS_BOX } from '../../core/host/connections';
import type { HostUpdate, ResolvedConnection } from '../../core/host/contract';
import { ROOT } from '../../core/host/serve/start';
import { WorkerHost } from '../../core/host/worker-host';
import { waitFor } from '../external/helpers';

// Next to the app's own bundle, so the engine's native packages resolve from node_modules.
const workerFile = join(ROOT, 'dist', 'host', `worker-test-${process.pid}.cjs`);
const dataDir = mkdtempSync(join(tmpdir(), 'brokerscope-worker-'));
let worker: WorkerHost;
let connected: ConnectedHost;
const updates: HostUpdate[] = [];

beforeAll(async () => {
  await bundleWorker(workerFile);
  worker = await WorkerHost.start(workerFile, { brokers: 1, dataDir: join(dataDir, 'cluster'), seed: 5, kafkaPort: 0 });
  worker.log = () => undefined;
  connected = new ConnectedHost(worker, new ConnectionStore(join(dataDir, 'connections.json'), FILE_PERMISSIONS_BOX));
  connected.onUpdate((update) => updates.push(update));
}, 60_000);

afterAll(async () => {
  await connected?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workerFile, { force: true });
  rmSync(`${workerFile}.map`, { force: true });
});

describe('the worker session', () => {
  it('attaches to a cluster by a saved connection and comes back to the embedded one', async () => {
    expect(worker.kafkaBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const saved = await connected.execute('saveConnection', {
      connection: { name: 'itself', bootstrapServers: worker.kafkaBootstrap, clientId: 'brokerscope-test', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: null, readOnly: false, pollIntervalMs: 500, watchedGroups: [] },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const switched = await connected.execute('switchCluster', { id: saved.value.id });
    expect(switched).toEqual({ ok: true, value: { id: saved.value.id } });
    await waitFor(() => updates.some((u) => u.type === 'snapshot' && u.cluster.source.kind === 'external'), 20_000, 'the attached snapshot');
    expect((await connected.snapshot()).cluster.source.id).toBe(saved.value.id);

    const back = await connected.execute('switchCluster', { id: 'embedded' });
    expect(back).toEqual({ ok: true, value: { id: 'embedded' } });
    expect((await connected.snapshot()).cluster.source.kind).toBe('embedded');
  }, 60_000);

  it('checks connections it receives from the main thread', async () => {
    const bad = { id: 'x', name: 'bad', bootstrapServers: 'not a server list' } as unknown as ResolvedConnection;
    const attached = await worker.attach(bad);
    expect(!attached.ok && attached.error.name).toBe('INVALID_REQUEST');
    const tested = await worker.testConnection({ ...bad, bootstrapServers: '127.0.0.1:1', clientId: 'c', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: { mechanism: 'plain', username: 'u', password: null as never }, readOnly: false, pollIntervalMs: 500, watchedGroups: [] });
    expect(!tested.ok && tested.error.message).toContain('with SASL, its password');
    expect((await connected.snapshot()).cluster.source.kind).toBe('embedded');
  });
});
