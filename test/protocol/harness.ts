/**
 * Real-clock clusters with their Kafka listeners for protocol tests: a temp data dir, short
 * timeouts, ports picked by the OS. Also a tiny raw client for byte-level checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, type ClusterSettings } from '../../core/index';
import { API_BY_KEY } from '../../core/kafka/apis';
import { Reader, Writer, decode, encode, isFlexible, type Message } from '../../core/kafka/protocol/codec';
import { KafkaServer, type KafkaServerOptions } from '../../core/kafka/server';

/** A running cluster with listeners. */
export interface ListeningCluster {
  cluster: Cluster;
  server: KafkaServer;
  bootstrap: string;
  logs: string[];
  stop(): Promise<void>;
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a cluster with listeners on free ports. */
export async function startCluster(options: { brokers?: number; settings?: Partial<ClusterSettings>; dataDir?: string; server?: KafkaServerOptions } = {}): Promise<ListeningCluster> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'brokerscope-protocol-'));
  const cluster = Cluster.create({
    dataDir,
    brokers: options.brokers ?? 3,
    seed: 11,
    settings: { brokerSessionTimeoutMs: 2_000, brokerHeartbeatIntervalMs: 300, replicaLagTimeMaxMs: 3_000, ...options.settings },
  });
  const logs: string[] = [];
  const server = new KafkaServer(cluster, { basePort: 0, log: (line) => logs.push(line), ...options.server });
  await waitFor(() => cluster.controllerId >= 0 && [...cluster.brokers.values()].every((b) => b.state === 'running'), 20_000, 'cluster ready');
  await server.start();
  return {
    cluster,
    server,
    bootstrap: server.bootstrap,
    logs,
    async stop() {
      await server.close();
      cluster.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Encodes a whole request frame (size, header, body). */
export function requestFrame(apiKey: number, version: number, correlationId: number, body: Message, clientId = 'raw-test'): Buffer {
  const spec = API_BY_KEY.get(apiKey)!;
  const writer = new Writer();
  writer.int32(0);
  writer.int16(apiKey);
  writer.int16(version);
  writer.int32(correlationId);
  writer.string(clientId, false);
  if (isFlexible(spec.request, version)) writer.uvarint(0);
  encode(spec.request, version, body, writer);
  const frame = Buffer.concat(writer.finish());
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/** A raw connection that collects response frames. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  readonly frames: Buffer[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        this.frames.push(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(address: string): Promise<RawClient> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Decodes response frame `index` for `apiKey` at `version`: correlation id and body. */
  response(index: number, apiKey: number, version: number, headerV0 = false): { correlationId: number; body: Message } {
    const spec = API_BY_KEY.get(apiKey)!;
    const reader = new Reader(this.frames[index]);
    const correlationId = reader.int32();
    if (!headerV0 && isFlexible(spec.response, version) && apiKey !== 18) reader.uvarint();
    return { correlationId, body: decode(spec.response, version, reader) };
  }

  close(): void {
    this.socket.destroy();
  }
}
