/**
 * The browser host's guard: only a page of this host (its Origin and Host) with this run's
 * token opens the WebSocket; such a window gets a snapshot first, its bad calls get
 * INVALID_REQUEST, and pages are served with a strict Content-Security-Policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MemoryStorage } from '../../core/index';
import { ClusterHost } from '../../core/host/host';
import { startServer, type ServeHandle } from '../../core/host/serve/server';
import { tokenMatches, upgradeAllowed } from '../../core/host/serve/guard';
import type { SocketMessage } from '../../core/host/contract';

let host: ClusterHost;
let server: ServeHandle;

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'brokerscope-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
  host = new ClusterHost({ brokers: 1, storage: new MemoryStorage(), seed: 3 });
  server = await startServer({ host, staticDir });
});

afterAll(async () => {
  await server.close();
  await host.close();
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
