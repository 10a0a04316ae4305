/**
 * Who may drive the browser host: only a page served by this host, holding this session's
 * token. The server binds 127.0.0.1, so other machines cannot reach it; the token keeps other
 * users of this machine out; the Origin check keeps other pages in the user's own browser out
 * (any web page can open a WebSocket to 127.0.0.1); the Host check defeats DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random session token (192 bits, URL-safe). */
export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares tokens in constant time. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins this host's own pages have. */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Whether a Host header names this server (and not a rebound domain). */
export function hostHeaderAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Whether a WebSocket upgrade comes from this host's page with this session's token. */
export function upgradeAllowed(request: { url?: string; headers: { origin?: string; host?: string } }, port: number, token: string): { ok: true } | { ok: false; status: number; reason: string } {
  if (!hostHeaderAllowed(request.headers.host, port)) return { ok: false, status: 421, reason: 'unexpected Host header' };
  if (!request.headers.origin || !allowedOrigins(port).includes(request.headers.origin)) return { ok: false, status: 403, reason: 'origin not allowed' };
  const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
  if (!tokenMatches(token, url.searchParams.get('token'))) return { ok: false, status: 401, reason: 'missing or wrong session token' };
  return { ok: true };
}
