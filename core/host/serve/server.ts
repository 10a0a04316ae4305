/**
 * The browser host's transport: an HTTP server on 127.0.0.1 that serves the built window and
 * a WebSocket that carries the contract (commands with results; a snapshot, then deltas).
 * Thin on purpose: validation is the schemas', the cluster is the host's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_PATH, type HostUpdate, type SocketMessage, type SocketRequest } from '../contract';
import type { HostConnection } from '../host';
import { parseCommandArgs } from '../schemas';
import { hostHeaderAllowed, newSessionToken, upgradeAllowed } from './guard';

/** Largest message a window may send (an imported file of records). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** A window this far behind skips deltas and asks for a snapshot when it catches up. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The policy every served page runs under: only this host's scripts, styles and socket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A running browser host server. */
export interface ServeHandle {
  /** The window's address, with the session token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Starts the HTTP + WebSocket server for a host; `port` 0 picks a free one. */
export async function startServer(options: { host: HostConnection; staticDir: string; port?: number; token?: string }): Promise<ServeHandle> {
  const token = options.token ?? newSessionToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  let port = 0;
  const server: Server = createServer((request, response) => {
    void serveFile(request, response, options.staticDir, port);
  });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const verdict = path === SOCKET_PATH ? upgradeAllowed(request, port, token) : ({ ok: false, status: 404, reason: 'not found' } as const);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachWindow(ws, options.host));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One window: its snapshot first, then every delta; its calls answered in any order. */
function attachWindow(ws: WebSocket, host: HostConnection): void {
  let ready = false;
  const send = (message: SocketMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const sendSnapshot = async (): Promise<void> => {
    ready = false;
    try {
      const snapshot = await host.snapshot();
      send({ type: 'update', update: snapshot });
      ready = true;
    } catch {
      ws.close(1011, 'the cluster host is not answering');
    }
  };
  const unsubscribe = host.onUpdate((update: HostUpdate) => {
    // A window too far behind misses deltas; the gap in seq makes it ask for a snapshot.
    if (ready && ws.bufferedAmount < MAX_BUFFERED_BYTES) send({ type: 'update', update });
  });
  ws.on('message', (data) => {
    let request: SocketRequest;
    try {
      request = JSON.parse(data.toString()) as SocketRequest;
    } catch {
      return;
    }
    if (request?.type === 'resync') {
      void sendSnapshot();
    } else if (request?.type === 'call' && Number.isSafeInteger(request.id)) {
      const parsed = parseCommandArgs(request.name, request.args);
      if (!parsed.ok) return send({ type: 'result', id: request.id, result: parsed });
      void host.execute(parsed.name, parsed.args).then((result) => send({ type: 'result', id: request.id, result }));
    }
  });
  ws.on('close', unsubscribe);
  void sendSnapshot();
}

async function serveFile(request: IncomingMessage, response: ServerResponse, staticDir: string, port: number): Promise<void> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (!hostHeaderAllowed(request.headers.host, port)) {
    response.writeHead(421, headers).end('Misdirected request');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(staticDir, relative));
  if (!file.startsWith(normalize(staticDir) + sep)) {
    response.writeHead(404, headers).end('Not found');
    return;
  }
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = relative === 'index.html' ? 'no-store' : 'max-age=31536000, immutable';
    response.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': cache });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    response.writeHead(404, headers).end('Not found');
  }
}
