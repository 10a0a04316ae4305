/**
 * One client connection to a broker's Kafka listener: splits the byte stream into
 * length-prefixed frames (a read may hold part of a frame or several), parses request
 * headers (v1, or v2 with tagged fields in flexible versions), dispatches each request, and
 * writes responses strictly in request order even when a later request finishes first (a
 * long-polling Fetch or a JoinGroup must not be overtaken). A Produce with acks=0 keeps its
 * place in the order but gets no response. Anything malformed, oversized or unknown closes
 * this connection, with a log line naming the client and the reason, and touches nothing else.
 */
import type { Socket } from 'node:net';
import { API_BY_KEY, ApiKey, type ApiSpec } from './apis';
import { ProtocolError, Reader, Writer, decode, encode, isFlexible, type Message } from './protocol/codec';

/** What a handler learns about the request besides its body. */
export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  connection: KafkaConnection;
}

/** Answers a request; `respond(null)` sends nothing (acks=0) but releases the request's turn. */
export type RequestHandler = (request: Message, context: RequestContext, respond: (response: Message | null) => void) => void;

/** Connection limits, with Kafka's names. */
export interface ConnectionLimits {
  /** socket.request.max.bytes (Kafka: 104857600). */
  maxRequestBytes: number;
  /** Requests read but not yet answered before the connection stops reading. */
  maxInFlightRequests: number;
}

interface Slot {
  frames: Buffer[] | null;
  done: boolean;
}

/** Lists an unknown ApiVersions version in v0 form (answered with UNSUPPORTED_VERSION). */
const UNSUPPORTED_VERSION = 35;

export class KafkaConnection {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly slots: Slot[] = [];
  private closed = false;
  /** The client id of the latest request, for logs and the app. */
  clientId: string | null = null;
  requests = 0;
  readonly connectedAt: number;

  constructor(
    readonly socket: Socket,
    readonly brokerId: number,
    private readonly handler: RequestHandler,
    private readonly limits: ConnectionLimits,
    private readonly log: (line: string) => void,
    private readonly onClose: (connection: KafkaConnection) => void,
    now: number,
  ) {
    this.connectedAt = now;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close(null));
    socket.on('close', () => this.close(null));
    socket.on('drain', () => this.maybeResume());
  }

  /** `address:port` of the client. */
  get remoteAddress(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    try {
      this.readFrames();
    } catch (error) {
      this.close(error instanceof ProtocolError ? error.message : `internal error: ${(error as Error).message}`);
    }
  }

  private readFrames(): void {
    while (!this.closed && this.bufferedBytes >= 4) {
      const size = this.peekSize();
      if (size < 0 || size > this.limits.maxRequestBytes) {
        throw new ProtocolError(`request of ${size} bytes is larger than socket.request.max.bytes (${this.limits.maxRequestBytes})`);
      }
      if (this.bufferedBytes < 4 + size) return;
      const frame = this.take(4 + size).subarray(4);
      this.handleFrame(frame);
    }
    this.maybePause();
  }

  /** The size prefix of the next frame (at least 4 bytes are buffered). */
  private peekSize(): number {
    const first = this.buffered[0];
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.alloc(4);
    let filled = 0;
    for (const chunk of this.buffered) {
      filled += chunk.copy(head, filled, 0, Math.min(chunk.length, 4 - filled));
      if (filled === 4) break;
    }
    return head.readInt32BE(0);
  }

  /**
   * Removes the next `n` bytes. A frame inside one socket read is a view of it; one spread over
   * several reads is copied once into a buffer of its own size (never with the bytes after it,
   * which would be copied again for the next frame).
   */
  private take(n: number): Buffer {
    this.bufferedBytes -= n;
    const first = this.buffered[0];
    if (first.length >= n) {
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const frame = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.buffered[0];
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(frame, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.buffered.shift();
      else this.buffered[0] = chunk.subarray(used);
    }
    return frame;
  }

  private handleFrame(frame: Buffer): void {
    const reader = new Reader(frame);
    const apiKey = reader.int16();
    const apiVersion = reader.int16();
    const correlationId = reader.int32();
    const spec = API_BY_KEY.get(apiKey);
    if (!spec) throw new ProtocolError(`unknown API key ${apiKey}`);
    const slot: Slot = { frames: null, done: false };
    if (apiVersion < spec.request.versions[0] || apiVersion > spec.request.versions[1]) {
      if (apiKey !== ApiKey.ApiVersions) throw new ProtocolError(`${spec.name} version ${apiVersion} is not supported (${spec.request.versions.join('-')})`);
      // An ApiVersions we do not know: answer in v0 form with the supported list, as Kafka does.
      this.slots.push(slot);
      this.complete(slot, spec, 0, correlationId, unsupportedApiVersions());
      return;
    }
    const clientId = reader.string(false);
    if (isFlexible(spec.request, apiVersion)) skipTaggedFields(reader);
    const body = decode(spec.request, apiVersion, reader);
    if (reader.remaining > 0 && !isFlexible(spec.request, apiVersion)) {
      // Older clients never send trailing bytes; a mismatch means we misread the frame.
      throw new ProtocolError(`${reader.remaining} unexpected bytes after ${spec.name} v${apiVersion}`);
    }
    this.clientId = clientId;
    this.requests++;
    this.slots.push(slot);
    const context: RequestContext = { apiKey, apiVersion, correlationId, clientId, connection: this };
    let answered = false;
    this.handler(body, context, (response) => {
      if (answered || this.closed) return;
      answered = true;
      this.complete(slot, spec, apiVersion, correlationId, response);
    });
  }

  private complete(slot: Slot, spec: ApiSpec, version: number, correlationId: number, response: Message | null): void {
    slot.done = true;
    if (response !== null) {
      const writer = new Writer();
      writer.int32(0); // size, patched below
      writer.int32(correlationId);
      // Flexible responses carry header v1 (tagged fields), except ApiVersions, always v0.
      if (isFlexible(spec.response, version) && spec.key !== ApiKey.ApiVersions) writer.uvarint(0);
      try {
        encode(spec.response, version, response, writer);
      } catch (error) {
        this.close(`could not encode ${spec.name} v${version} response: ${(error as Error).message}`);
        return;
      }
      const frames = writer.finish();
      frames[0].writeInt32BE(writer.size - 4, 0);
      slot.frames = frames;
    }
    this.flush();
  }

  private flush(): void {
    if (this.closed) return;
    let wrote = false;
    while (this.slots.length > 0 && this.slots[0].done) {
      const slot = this.slots.shift()!;
      if (!slot.frames) continue;
      if (!wrote) this.socket.cork();
      wrote = true;
      for (const frame of slot.frames) this.socket.write(frame);
    }
    if (wrote) this.socket.uncork();
    this.maybeResume();
  }

  private maybePause(): void {
    if (this.slots.length >= this.limits.maxInFlightRequests || this.socket.writableLength > 64 << 20) this.socket.pause();
  }

  private maybeResume(): void {
    if (this.closed || !this.socket.isPaused()) return;
    if (this.slots.length < this.limits.maxInFlightRequests && this.socket.writableLength <= 64 << 20) {
      this.socket.resume();
      if (this.bufferedBytes >= 4) {
        try {
          this.readFrames();
        } catch (error) {
          this.close((error as Error).message);
        }
      }
    }
  }

  /** Closes the connection; a reason is logged with the client's name and address. */
  close(reason: string | null): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.log(`broker ${this.brokerId}: closing connection from ${printable(this.clientId ?? 'unknown client')} (${this.remoteAddress}): ${printable(reason)}`);
    this.socket.destroy();
    this.buffered = [];
    this.slots.length = 0;
    this.onClose(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** A client-supplied string made safe for one log line. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

function skipTaggedFields(reader: Reader): void {
  const count = reader.uvarint();
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.skip(reader.uvarint());
  }
}

/** The ApiVersions v0 answer to a version we do not support. */
function unsupportedApiVersions(): Message {
  return { errorCode: UNSUPPORTED_VERSION, apiKeys: supportedApiKeys(), throttleTimeMs: 0 };
}

/** The advertised table: every served API with its version range. */
export function supportedApiKeys(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return [...API_BY_KEY.values()]
    .sort((a, b) => a.key - b.key)
    .map((spec) => ({ apiKey: spec.key, minVersion: spec.request.versions[0], maxVersion: spec.request.versions[1] }));
}
