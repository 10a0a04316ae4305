/**
 * One client connection to a broker's Kafka listener: splits the byte stream into
 * length-prefixed frames (a read may hold part of a frame or several), parses request
 * headers (v1, or v2 with tagged fields in flexible versions), dispatches each request, and
 * writes responses strictly in request order even when a later request finishes first (a
 * long-polling Fetch or a JoinGroup must not be overtaken). A Produce with acks=0 keeps its
 * place in the order but gets no response. Anything malformed, oversized or unknown closes
 * this connection, with a log line naming the client and the reason, and touches nothing else.
 */
import { Socket, type SocketConstructorOpts } from 'node:net';
import { API_BY_KEY, ApiKey, type ApiSpec } from './apis';
import { framePool } from '../log/frame-pool';
import { ProtocolError, Reader, Writer, decode, encode, isFlexible, type Message } from './protocol/codec';

/** What a handler learns about the request besides its body. */
export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  connection: KafkaConnection;
  /**
   * The request's bytes. A large one may come from the frame pool: the request's decoded
   * fields are views of it, so it is reused only after `framePool.release(frame)`, which only
   * the produce path calls (once the broker has appended). Other requests never release theirs.
   */
  frame: Buffer;
}

/** Answers a request; `respond(null)` sends nothing (acks=0) but releases the request's turn. */
export type RequestHandler = (request: Message, context: RequestContext, respond: (response: Message | null) => void) => void;

/** Connection limits, with Kafka's names. */
export interface ConnectionLimits {
  /** socket.request.max.bytes (Kafka: 104857600). */
  maxRequestBytes: number;
  /** Requests read but not yet answered before the connection stops reading. */
  maxInFlightRequests: number;
  /** Whether to read into buffers of our choosing where Node allows it (else 'data' events). */
  directReads?: boolean;
}

/**
 * A socket on `accepted`'s handle whose reads land in the buffers `target` returns, `onRead`
 * told of each; null when the handle cannot be taken (the caller reads 'data' events then).
 * `accepted` must not have started reading (its server pauses on connect). It keeps only its
 * place in the server's count of connections, given up when ours closes.
 */
function adoptWithDirectReads(accepted: Socket, target: () => Buffer, onRead: (bytes: number, target: Buffer) => void): Socket | null {
  const holder = accepted as unknown as { _handle?: object | null };
  const handle = holder._handle;
  if (!handle) return null;
  holder._handle = null;
  const socket = new Socket({ handle, onread: { buffer: target, callback: onRead } } as SocketConstructorOpts & { handle: object });
  socket.once('close', () => accepted.destroy());
  return socket;
}

interface Slot {
  frames: Buffer[] | null;
  done: boolean;
  /** Pooled memory the response's frames are views of, released once the socket is done with them. */
  pooled?: ArrayBufferLike[];
}

const POOLED = Symbol('pooled memory of the response');

/**
 * Marks pooled memory a response's bytes are views of and that the response alone holds (a
 * consumer's records read from a log): the connection gives it back to the frame pool once the
 * socket has written the response (or dropped it).
 */
export function releaseAfterWrite(response: Message, memory: ArrayBufferLike[]): Message {
  if (memory.length > 0) (response as { [POOLED]?: ArrayBufferLike[] })[POOLED] = memory;
  return response;
}

/** Lists an unknown ApiVersions version in v0 form (answered with UNSUPPORTED_VERSION). */
const UNSUPPORTED_VERSION = 35;

/** Reads between frames go here first; a frame's body is then read straight into its own buffer. */
const SCRATCH_BYTES = 64 * 1024;

export class KafkaConnection {
  readonly socket: Socket;
  /** Whether reads land in buffers the connection chose (else it copies from 'data' chunks). */
  readonly directReads: boolean;
  private readonly scratch = Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  /** The size prefix of the next frame while it is incomplete. */
  private readonly head = Buffer.alloc(4);
  private headFilled = 0;
  /** The frame being read (its body, without the size prefix) and how much of it has arrived. */
  private frame: Buffer | null = null;
  private frameFilled = 0;
  private readonly slots: Slot[] = [];
  private closed = false;
  /** The client id of the latest request, for logs and the app. */
  clientId: string | null = null;
  requests = 0;
  readonly connectedAt: number;

  /**
   * Takes over a socket the server accepted paused. Its reads go into buffers the connection
   * chooses: once a frame's size is known, straight into that frame's own buffer (from the frame
   * pool when large), so a produce request is copied once, by the kernel, and into memory
   * already in use. Node offers this (`onread`) to sockets it creates, so the accepted socket's
   * handle moves to one; where that is impossible the connection reads 'data' events instead.
   */
  constructor(
    accepted: Socket,
    readonly brokerId: number,
    private readonly handler: RequestHandler,
    private readonly limits: ConnectionLimits,
    private readonly log: (line: string) => void,
    private readonly onClose: (connection: KafkaConnection) => void,
    now: number,
  ) {
    this.connectedAt = now;
    const adopted = limits.directReads === false ? null : adoptWithDirectReads(accepted, () => this.readTarget(), (bytes, target) => this.onDirectRead(bytes, target));
    this.directReads = adopted !== null;
    this.socket = adopted ?? accepted;
    const socket = this.socket;
    if (!adopted) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.setNoDelay(true);
    socket.on('error', () => this.close(null));
    socket.on('close', () => this.close(null));
    socket.on('drain', () => this.maybeResume());
    socket.resume();
  }

  /** `address:port` of the client. */
  get remoteAddress(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /** Where the next socket read goes: the rest of the frame or its size prefix, else the scratch buffer. */
  private readTarget(): Buffer {
    if (this.frame) return this.frame.subarray(this.frameFilled);
    if (this.headFilled > 0) return this.head.subarray(this.headFilled);
    return this.scratch;
  }

  /** `bytes` were read into `target`, the buffer `readTarget` chose. */
  private onDirectRead(bytes: number, target: Buffer): void {
    if (this.closed) return;
    this.guard(() => {
      if (target === this.scratch) this.consume(this.scratch, bytes);
      else if (this.frame) {
        this.frameFilled += bytes;
        if (this.frameFilled === this.frame.length) this.finishFrame();
      } else {
        this.headFilled += bytes;
        if (this.headFilled === 4) this.startFrame(this.head.readInt32BE(0));
      }
    });
  }

  /** A chunk from a 'data' event (the fallback). */
  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.guard(() => this.consume(chunk, chunk.length));
  }

  private guard(read: () => void): void {
    try {
      read();
    } catch (error) {
      this.close(error instanceof ProtocolError ? error.message : `internal error: ${(error as Error).message}`);
      return;
    }
    this.maybePause();
  }

  /** Splits the first `end` bytes of `chunk` into frames; each frame is copied out (the chunk may be reused). */
  private consume(chunk: Buffer, end: number): void {
    let pos = 0;
    while (pos < end && !this.closed) {
      if (this.frame) {
        const count = Math.min(end - pos, this.frame.length - this.frameFilled);
        chunk.copy(this.frame, this.frameFilled, pos, pos + count);
        this.frameFilled += count;
        pos += count;
        if (this.frameFilled === this.frame.length) this.finishFrame();
      } else if (this.headFilled > 0 || end - pos < 4) {
        const count = Math.min(end - pos, 4 - this.headFilled);
        chunk.copy(this.head, this.headFilled, pos, pos + count);
        this.headFilled += count;
        pos += count;
        if (this.headFilled === 4) this.startFrame(this.head.readInt32BE(0));
      } else {
        this.startFrame(chunk.readInt32BE(pos));
        pos += 4;
      }
    }
  }

  /** A size prefix has arrived: the frame's buffer, from the frame pool when it is large. */
  private startFrame(size: number): void {
    this.headFilled = 0;
    if (size < 0 || size > this.limits.maxRequestBytes) {
      throw new ProtocolError(`request of ${size} bytes is larger than socket.request.max.bytes (${this.limits.maxRequestBytes})`);
    }
    this.frame = framePool.acquire(size);
    this.frameFilled = 0;
    if (size === 0) this.finishFrame();
  }

  private finishFrame(): void {
    const frame = this.frame!;
    this.frame = null;
    this.handleFrame(frame);
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
    const context: RequestContext = { apiKey, apiVersion, correlationId, clientId, connection: this, frame };
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
      slot.pooled = (response as { [POOLED]?: ArrayBufferLike[] })[POOLED];
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
      const last = slot.frames.length - 1;
      for (let i = 0; i < last; i++) this.socket.write(slot.frames[i]);
      // Called once the bytes are written or dropped (the socket closed): either way, done with.
      const pooled = slot.pooled;
      this.socket.write(slot.frames[last], pooled && (() => pooled.forEach((memory) => framePool.release(memory))));
    }
    if (wrote) this.socket.uncork();
    this.maybeResume();
  }

  private maybePause(): void {
    if (this.slots.length >= this.limits.maxInFlightRequests || this.socket.writableLength > 64 << 20) this.socket.pause();
  }

  private maybeResume(): void {
    if (this.closed || !this.socket.isPaused()) return;
    if (this.slots.length < this.limits.maxInFlightRequests && this.socket.writableLength <= 64 << 20) this.socket.resume();
  }

  /** Closes the connection; a reason is logged with the client's name and address. */
  close(reason: string | null): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.log(`broker ${this.brokerId}: closing connection from ${printable(this.clientId ?? 'unknown client')} (${this.remoteAddress}): ${printable(reason)}`);
    this.socket.destroy();
    this.frame = null;
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
