/**
 * A stand-in for an attached external cluster, for tests of the session and the transports:
 * it numbers its own updates from 100 (so a session that does not renumber shows at once),
 * records the commands it gets and refuses writes on a read-only connection as a real
 * external host does.
 */
import { WRITE_COMMANDS, type CommandName, type CommandResult, type ConnectionTestResult, type HostDelta, type HostSnapshot, type HostUpdate, type ResolvedConnection } from '../../core/host/contract';
import type { HostConnection } from '../../core/host/host';
import type { ExternalClusters } from '../../core/host/session';
import { KafkaError } from '../../core/protocol/errors';

export class FakeExternal implements HostConnection {
  seq = 100;
  closed = false;
  readonly calls: [string, unknown][] = [];
  private readonly listeners = new Set<(update: HostUpdate) => void>();
  /** Called inside `snapshot()` before it answers (to emit updates mid-switch). */
  duringSnapshot: (() => void) | null = null;

  constructor(readonly connection: ResolvedConnection) {}

  async execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    this.calls.push([name, args]);
    if (this.connection.readOnly && (WRITE_COMMANDS as readonly string[]).includes(name)) {
      return { ok: false, error: { name: 'INVALID_REQUEST', message: `INVALID_REQUEST: The connection '${this.connection.name}' is read-only.` } };
    }
    return { ok: true, value: null } as CommandResult<N>;
  }

  async snapshot(): Promise<HostSnapshot> {
    this.duringSnapshot?.();
    const connection = this.connection;
    const cluster = {
      clusterId: `external-${connection.id}`,
      topics: [],
      brokers: [],
      source: { kind: 'external', id: connection.id, name: connection.name, readOnly: connection.readOnly, bootstrap: connection.bootstrapServers },
    };
    return { type: 'snapshot', seq: this.seq, cluster: cluster as never, producers: [], rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, recentEvents: [] };
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Emits the next delta. */
  emitDelta(): HostDelta {
    this.seq += 1;
    const delta: HostDelta = { type: 'delta', seq: this.seq, time: this.seq, controllerId: 1, controllerEpoch: 1, metadataOffset: 0, rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, events: [] };
    for (const listener of this.listeners) listener(delta);
    return delta;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** External clusters made of fakes; `unreachable` bootstrap hosts refuse to connect. */
export function fakeExternals(): ExternalClusters & { opened: FakeExternal[]; tested: ResolvedConnection[] } {
  const opened: FakeExternal[] = [];
  const tested: ResolvedConnection[] = [];
  const reachable = (connection: ResolvedConnection): void => {
    if (connection.bootstrapServers.startsWith('unreachable')) throw new Error(`connect ECONNREFUSED ${connection.bootstrapServers}`);
    if (connection.sasl && connection.sasl.password !== 'right') throw new KafkaError('SASL_AUTHENTICATION_FAILED', 'Authentication failed: Invalid username or password');
  };
  return {
    opened,
    tested,
    open: async (connection) => {
      reachable(connection);
      const host = new FakeExternal(connection);
      opened.push(host);
      return host;
    },
    test: async (connection): Promise<ConnectionTestResult> => {
      tested.push(connection);
      reachable(connection);
      return { clusterId: 'fake-cluster', controllerId: 1, brokers: [{ id: 1, host: 'fake', port: 9092 }], topics: 0, latencyMs: 1 };
    },
  };
}

/** A connection as the store resolves it. */
export function resolvedConnection(overrides: Partial<ResolvedConnection> = {}): ResolvedConnection {
  return {
    id: 'conn-1',
    name: 'staging',
    bootstrapServers: 'staging-kafka:9092',
    clientId: 'brokerscope',
    tls: { enabled: false, caFile: null, rejectUnauthorized: true },
    sasl: null,
    readOnly: false,
    pollIntervalMs: 2_000,
    watchedGroups: [],
    ...overrides,
  };
}
