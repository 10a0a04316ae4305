/**
 * The browser host's guard: only a page of this host (its Origin and Host) with this run's
 * token opens the WebSocket; such a window gets a snapshot first, its bad calls get
 * INVALID_REQUEST, and pages are served with a strict Content-Security-Policy. Over the same
 * socket a window saves, lists and switches connections, and no message ever carries a
 * password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MemoryStorage } from '../../core/index';
import { ClusterHost } from '../../core/host/host';
import { startServer, type ServeHandle } from '../../core/host/serve/server';
import { tokenMatches, upgradeAllowed } from '../../core/host/serve/guard';
import type { CommandName, CommandResult, SocketMessage } from '../../core/host/contract';
import { ConnectedHost } from '../../core/host/connected-host';
import { ConnectionStore, FILE_PERMISSIONS_BOX } from '../../core/host/connections';
import { SessionHost } from '../../core/host/session';
import { fakeExternals } from './fake-external';

let host: ConnectedHost;
let server: ServeHandle;
let dataDir: string;

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'brokerscope-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  dataDir = mkdtempSync(join(tmpdir(), 'brokerscope-serve-'));
  const cluster = new ClusterHost({ brokers: 1, storage: new MemoryStorage(), seed: 3, kafkaPort: null });
  // Served as `npm run serve` serves it: the connection store in front of the session.
  host = new ConnectedHost(new SessionHost(cluster, fakeExternals()), new ConnectionStore(join(dataDir, 'connections.json'), FILE_PERMISSIONS_BOX));
  server = await startServer({ host, staticDir });
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect(options: { origin?: string; token?: string; host?: string }): Promise<{ ws: WebSocket; first: SocketMessage } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket?token=${options.token ?? server.token}`, {
      origin: options.origin,
      headers: options.host ? { host: options.host } : {},
    });
    ws.once('message', (data) => resolve({ ws, first: JSON.parse(data.toString()) as SocketMessage }));
    ws.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
}

describe('browser host', () => {
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('refuses other origins, missing tokens and rebound host names', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    expect(await connect({ origin: 'https://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: own, token: 'wrong' })).toEqual({ status: 401 });
    expect(await connect({ token: server.token })).toEqual({ status: 403 });
    expect(await connect({ origin: own, host: `evil.example:${server.port}` })).toEqual({ status: 421 });
    expect(upgradeAllowed({ url: `/socket?token=${server.token}`, headers: { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` } }, server.port, server.token)).toEqual({ ok: true });
  });

  it('sends its own page a snapshot, then answers calls, bad ones with INVALID_REQUEST', async () => {
    const result = await connect({ origin: `http://127.0.0.1:${server.port}` });
    if (!('ws' in result)) throw new Error(`refused with ${result.status}`);
    expect(result.first.type).toBe('update');
    expect(result.first.type === 'update' && result.first.update.type).toBe('snapshot');
    const answer = new Promise<SocketMessage>((resolve) =>
      result.ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as SocketMessage;
        if (message.type === 'result') resolve(message);
      }),
    );
    result.ws.send(JSON.stringify({ type: 'call', id: 1, name: 'createTopic', args: { name: 'x', partitions: -1 } }));
    const message = await answer;
    expect(message).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { name: 'INVALID_REQUEST' } } });
    result.ws.close();
  });

  it('serves pages with a strict policy and nothing outside its folder', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });
});

/** A window of this host: every raw message it received, and a way to call commands. */
async function openWindow() {
  const result = await connect({ origin: `http://127.0.0.1:${server.port}` });
  if (!('ws' in result)) throw new Error(`refused with ${result.status}`);
  const { ws } = result;
  const received: string[] = [JSON.stringify(result.first)];
  const waiting = new Map<number, (result: CommandResult<CommandName>) => void>();
  ws.on('message', (data) => {
    const text = data.toString();
    received.push(text);
    const message = JSON.parse(text) as SocketMessage;
    if (message.type === 'result') waiting.get(message.id)?.(message.result);
  });
  let nextId = 1;
  const call = <N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (result: CommandResult<CommandName>) => void);
      ws.send(JSON.stringify({ type: 'call', id, name, args }));
    });
  return { ws, received, call };
}

describe('browser host connections', () => {
  it('saves, lists and switches clusters over the socket, and never sends a password', async () => {
    const password = 'p4ssw0rd-never-in-a-message';
    const window = await openWindow();
    const saved = await window.call('saveConnection', {
      connection: {
        name: 'staging',
        bootstrapServers: 'staging-kafka:9092',
        clientId: 'brokerscope',
        tls: { enabled: true, caFile: null, rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'right' },
        readOnly: true,
        pollIntervalMs: 2_000,
        watchedGroups: [],
      },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const id = saved.value.id;
    const listed = await window.call('listConnections', {});
    expect(listed).toMatchObject({ ok: true, value: { active: 'embedded', connections: [{ id, sasl: { username: 'alice', hasPassword: true }, secretsEncrypted: false }] } });

    const switched = await window.call('switchCluster', { id });
    expect(switched).toEqual({ ok: true, value: { id } });
    // The snapshot of the new cluster reaches the window.
    await waitFor(() => window.received.some((text) => text.includes('"kind":"external"')));
    const refused = await window.call('produce', { topic: 'orders', records: [{ key: null, value: 'x', headers: [], partition: null }], acks: 1 });
    expect(!refused.ok && refused.error.message).toContain('read-only');

    // A password typed for a test goes to the cluster host, never back to a window.
    const tested = await window.call('testConnection', { connection: { name: 'other', bootstrapServers: 'other:9092', clientId: 'c', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: { mechanism: 'plain', username: 'u', password }, readOnly: false, pollIntervalMs: 2_000, watchedGroups: [] } });
    expect(!tested.ok && tested.error.name).toBe('SASL_AUTHENTICATION_FAILED');
    expect(await window.call('switchCluster', { id: 'embedded' })).toEqual({ ok: true, value: { id: 'embedded' } });
    await waitFor(() => window.received.filter((text) => text.includes('"type":"snapshot"')).length >= 3);
    expect(window.received.join('\n')).not.toContain(password);
    expect(window.received.join('\n')).not.toContain('"right"');
    expect(readFileSync(join(dataDir, 'connections.json'), 'utf8')).toContain('alice');
    window.ws.close();
  });
});

/** Resolves once `condition` holds (checked as messages arrive), failing after 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
