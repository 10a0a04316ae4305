/**
 * Kafka listeners for an embedded cluster: every running broker listens on 127.0.0.1 and
 * speaks Kafka's binary protocol, so kcat, kafkajs or any application can use the cluster.
 * A broker's listener opens when it starts and closes, with all its connections, when it
 * stops; it reopens on the same port, so clients' bootstrap lists stay valid. Requests reach
 * the broker through the cluster's network, so a slowed broker is slow for clients too.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Cluster } from '../cluster';
import type { Broker } from '../broker/broker';
import { KafkaConnection, type ConnectionLimits, type RequestContext } from './connection';
import type { Message } from './protocol/codec';
import { dispatch } from './handlers/dispatch';

/** Listener settings. */
export interface KafkaServerOptions {
  /** Address to bind and advertise (always loopback by default). */
  host?: string;
  /** Port of broker 1; broker n listens on basePort + n - 1. 0 picks free ports. */
  basePort?: number;
  /** socket.request.max.bytes (Kafka: 104857600). */
  maxRequestBytes?: number;
  /** Where connection problems are reported (default: stderr). */
  log?: (line: string) => void;
  /** Read sockets into buffers of our choosing (default), or take Node's 'data' chunks. */
  directReads?: boolean;
}

/** A connected client, as the app lists it. */
export interface ConnectedClient {
  brokerId: number;
  clientId: string | null;
  address: string;
  connectedAt: number;
  requests: number;
}

export class KafkaServer {
  readonly host: string;
  private readonly basePort: number;
  private readonly limits: ConnectionLimits;
  private readonly log: (line: string) => void;
  private readonly servers = new Map<number, Server>();
  private readonly ports = new Map<number, number>();
  private readonly connections = new Map<number, Set<KafkaConnection>>();
  private readonly opening = new Map<number, Promise<void>>();
  private unsubscribe: (() => void) | null = null;
  private connectionCounter = 0;
  private closed = false;

  constructor(
    readonly cluster: Cluster,
    options: KafkaServerOptions = {},
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.basePort = options.basePort ?? 9092;
    this.limits = { maxRequestBytes: options.maxRequestBytes ?? 104_857_600, maxInFlightRequests: 64, directReads: options.directReads ?? true };
    this.log = options.log ?? ((line) => console.error(line));
  }

  /** Opens a listener for every running broker and follows brokers starting and stopping. */
  async start(): Promise<void> {
    this.unsubscribe = this.cluster.on((event) => {
      if (event.type === 'broker.started') void this.open(event.brokerId);
      else if (event.type === 'broker.stopped') this.shut(event.brokerId);
    });
    await Promise.all([...this.cluster.brokers.values()].filter((b) => b.running).map((b) => this.open(b.id)));
    this.cluster.kafkaListener = this;
  }

  /** `127.0.0.1:p1,127.0.0.1:p2,...` of every broker with a port. */
  get bootstrap(): string {
    return [...this.ports.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, port]) => `${this.host}:${port}`)
      .join(',');
  }

  /** The port a broker listens (or listened) on. */
  portOf(brokerId: number): number | undefined {
    return this.ports.get(brokerId);
  }

  /** Whether a broker's listener is open now. */
  isListening(brokerId: number): boolean {
    return this.servers.get(brokerId)?.listening ?? false;
  }

  /** The open connections themselves. */
  openConnections(): KafkaConnection[] {
    return [...this.connections.values()].flatMap((set) => [...set]);
  }

  /** Every open client connection. */
  clients(): ConnectedClient[] {
    const result: ConnectedClient[] = [];
    for (const [brokerId, set] of this.connections) {
      for (const c of set) result.push({ brokerId, clientId: c.clientId, address: c.remoteAddress, connectedAt: c.connectedAt, requests: c.requests });
    }
    return result;
  }

  private open(brokerId: number): Promise<void> {
    if (this.closed || this.servers.has(brokerId)) return this.opening.get(brokerId) ?? Promise.resolve();
    // Paused: each connection takes the socket over to choose where its reads land.
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(brokerId, socket));
    this.servers.set(brokerId, server);
    const wanted = this.ports.get(brokerId) ?? (this.basePort === 0 ? 0 : this.basePort + brokerId - 1);
    const opening = new Promise<void>((resolve, reject) => {
      server.once('error', (error) => {
        this.servers.delete(brokerId);
        this.log(`broker ${brokerId}: cannot listen on ${this.host}:${wanted}: ${(error as Error).message}`);
        reject(error);
      });
      server.listen({ host: this.host, port: wanted, exclusive: true }, () => {
        const address = server.address();
        if (address && typeof address === 'object') this.ports.set(brokerId, address.port);
        resolve();
      });
    }).finally(() => this.opening.delete(brokerId));
    this.opening.set(brokerId, opening);
    return opening;
  }

  private shut(brokerId: number): void {
    const server = this.servers.get(brokerId);
    if (!server) return;
    this.servers.delete(brokerId);
    server.close();
    for (const connection of [...(this.connections.get(brokerId) ?? [])]) connection.close(null);
    this.connections.delete(brokerId);
  }

  private accept(brokerId: number, socket: Socket): void {
    const broker = this.cluster.brokers.get(brokerId);
    if (!broker?.running) {
      socket.destroy();
      return;
    }
    const nodeId = `kafka:${brokerId}:${++this.connectionCounter}`;
    this.cluster.network.attach(nodeId, { running: true });
    const connection = new KafkaConnection(
      socket,
      brokerId,
      (request, context, respond) => this.handle(nodeId, broker, request, context, respond),
      this.limits,
      this.log,
      (closed) => {
        this.connections.get(brokerId)?.delete(closed);
        this.cluster.network.detach(nodeId);
      },
      this.cluster.scheduler.now(),
    );
    let set = this.connections.get(brokerId);
    if (!set) this.connections.set(brokerId, (set = new Set()));
    set.add(connection);
  }

  private handle(nodeId: string, broker: Broker, request: Message, context: RequestContext, respond: (response: Message | null) => void): void {
    this.cluster.network.request<Message | null>(
      nodeId,
      broker.id,
      (reply) => {
        try {
          dispatch({ cluster: this.cluster, broker, server: this, context }, request, reply);
        } catch (error) {
          context.connection.close(`internal error handling API ${context.apiKey} v${context.apiVersion}: ${(error as Error).message}`);
        }
      },
      (reply) => {
        if (reply.ok) respond(reply.value);
        else context.connection.close(null);
      },
      // The handler bounds its own waits (fetch max wait, produce timeout); this only guards
      // against a broker that stopped mid-request.
      10 * 60_000,
    );
  }

  /** Closes every listener and connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.cluster.kafkaListener === this) this.cluster.kafkaListener = null;
    this.unsubscribe?.();
    for (const id of [...this.servers.keys()]) this.shut(id);
  }
}
