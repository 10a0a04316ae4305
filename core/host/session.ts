/**
 * The worker's session: the embedded cluster's host, always running (its timeline keeps
 * recording while another cluster is shown), and at most one attached external cluster. Every
 * command goes to the source shown now. Switching sends the windows a snapshot of the new
 * source, numbered right after the last update they saw, so a window simply resets to it; the
 * sources' own delta numbers are shifted onto one sequence, so a window that misses an update
 * still sees a gap and asks for a snapshot. Attaching happens before anything changes: a
 * cluster that cannot be reached is an error value and the current source stays.
 */
import { KafkaError } from '../protocol/errors';
import {
  CONNECTION_COMMANDS,
  type CommandError,
  type CommandName,
  type CommandResult,
  type ConnectionTestResult,
  type HostSnapshot,
  type HostUpdate,
  type ResolvedConnection,
} from './contract';
import type { ClusterHost, HostConnection } from './host';
import { toCommandError } from './command-error';
import { parseCommandArgs } from './schemas';
import { EMBEDDED_ID } from './connections';

/** How the session reaches external clusters (core/external in the app, fakes in tests). */
export interface ExternalClusters {
  /** Connects and starts polling; rejects when the cluster cannot be reached. */
  open(connection: ResolvedConnection): Promise<HostConnection>;
  /** Connects, reads the metadata and disconnects. */
  test(connection: ResolvedConnection): Promise<ConnectionTestResult>;
}

/** A host that can also show another cluster and test connections: the session, or its handle in the main thread. */
export interface SessionControl extends HostConnection {
  /** Shows the connection's cluster (null: the embedded one); on failure the current source stays. */
  attach(connection: ResolvedConnection | null): Promise<CommandResult<'switchCluster'>>;
  /** Connects with these settings and reads the metadata, without changing what is shown. */
  testConnection(connection: ResolvedConnection): Promise<CommandResult<'testConnection'>>;
}

/** One source of updates: the embedded host or an attached external one. */
interface Source {
  id: string;
  host: HostConnection;
  /** Added to the source's sequence numbers to continue the session's sequence. */
  offset: number;
  /** Updates that arrived while the switch to this source was under way (null once it is active). */
  buffer: HostUpdate[] | null;
  unsubscribe: () => void;
}

const CONNECTION_COMMAND_SET: ReadonlySet<string> = new Set(CONNECTION_COMMANDS);

export class SessionHost implements SessionControl {
  private active: Source;
  private readonly listeners = new Set<(update: HostUpdate) => void>();
  /** The last sequence number sent to the windows. */
  private lastSeq = 0;
  /** Switches run one at a time, in the order they were asked for. */
  private switching: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly embedded: ClusterHost,
    private readonly externals: ExternalClusters,
  ) {
    this.active = this.subscribe({ id: EMBEDDED_ID, host: embedded, offset: 0, buffer: null, unsubscribe: () => undefined });
  }

  /** The id of the source shown now: `embedded` or a connection's id. */
  get activeId(): string {
    return this.active.id;
  }

  async execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    if (CONNECTION_COMMAND_SET.has(name)) {
      return refusal('INVALID_REQUEST', `${name} is answered by the app's connection store, not by a cluster.`);
    }
    // The source answers (and refuses) for itself: an external host refuses writes on a
    // read-only connection and the commands that need the embedded cluster.
    return this.active.host.execute(name, args);
  }

  async snapshot(): Promise<HostSnapshot> {
    // A switch may finish while a source is answering: its snapshot would show the wrong cluster.
    for (let attempt = 0; ; attempt++) {
      const source = this.active;
      const snapshot = await source.host.snapshot();
      if (source === this.active || attempt >= 3) return { ...snapshot, seq: snapshot.seq + source.offset };
    }
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  attach(connection: ResolvedConnection | null): Promise<CommandResult<'switchCluster'>> {
    const run = this.switching.then(() => this.switchTo(connection));
    this.switching = run.catch(() => undefined);
    return run;
  }

  async testConnection(connection: ResolvedConnection): Promise<CommandResult<'testConnection'>> {
    try {
      return { ok: true, value: await this.externals.test(connection) };
    } catch (error) {
      return { ok: false, error: connectionError('could not connect to', connection, error) };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.switching;
    this.active.unsubscribe();
    if (this.active.host !== this.embedded) await closeQuietly(this.active.host);
    await this.embedded.close();
  }

  private async switchTo(connection: ResolvedConnection | null): Promise<CommandResult<'switchCluster'>> {
    if (this.closed) return refusal<'switchCluster'>('INVALID_REQUEST', 'the host is closing.');
    let host: HostConnection = this.embedded;
    if (connection !== null) {
      try {
        host = await this.externals.open(connection);
      } catch (error) {
        return { ok: false, error: connectionError('could not attach to', connection, error) };
      }
    }
    // Subscribed before asking for the snapshot, so no delta after it can be missed.
    const source = this.subscribe({ id: connection?.id ?? EMBEDDED_ID, host, offset: 0, buffer: [], unsubscribe: () => undefined });
    let snapshot: HostSnapshot;
    try {
      snapshot = await host.snapshot();
      if (this.closed) throw new KafkaError('INVALID_REQUEST', 'the host is closing.');
    } catch (error) {
      source.unsubscribe();
      if (host !== this.embedded) await closeQuietly(host);
      return { ok: false, error: connection ? connectionError('could not read', connection, error) : toCommandError(error) };
    }
    const previous = this.active;
    previous.unsubscribe();
    this.active = source;
    this.restart(source, snapshot);
    const buffered = source.buffer ?? [];
    source.buffer = null;
    for (const update of buffered) this.forward(source, update);
    if (previous.host !== this.embedded && previous.host !== host) await closeQuietly(previous.host);
    return { ok: true, value: { id: source.id } };
  }

  private subscribe(source: Source): Source {
    source.unsubscribe = source.host.onUpdate((update) => {
      if (source === this.active && source.buffer === null) this.forward(source, update);
      else source.buffer?.push(update);
    });
    return source;
  }

  /** Sends a source's snapshot as the next update and continues the sequence from it. */
  private restart(source: Source, snapshot: HostSnapshot): void {
    this.lastSeq += 1;
    source.offset = this.lastSeq - snapshot.seq;
    this.emit({ ...snapshot, seq: this.lastSeq });
  }

  private forward(source: Source, update: HostUpdate): void {
    if (update.type === 'snapshot') return this.restart(source, update);
    const seq = update.seq + source.offset;
    // Already part of the snapshot the windows were sent when this source became active.
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.emit({ ...update, seq });
  }

  private emit(update: HostUpdate): void {
    for (const listener of this.listeners) listener(update);
  }
}

/**
 * Checks a connection arriving from the main thread (validated again in the process that
 * receives it): the draft's rules, plus an id and, with SASL, a password.
 */
export function parseResolvedConnection(value: unknown): { ok: true; connection: ResolvedConnection } | { ok: false; error: CommandError } {
  const parsed = parseCommandArgs<'testConnection'>('testConnection', { connection: value });
  if (!parsed.ok) return parsed;
  const connection = parsed.args.connection;
  if (connection.id === undefined || (connection.sasl !== null && connection.sasl.password === null)) {
    return { ok: false, error: { name: 'INVALID_REQUEST', message: 'INVALID_REQUEST: a resolved connection needs its id and, with SASL, its password.' } };
  }
  return { ok: true, connection: connection as ResolvedConnection };
}

function refusal<N extends CommandName>(name: CommandError['name'], sentence: string): CommandResult<N> {
  return { ok: false, error: { name, message: `${name}: ${sentence}` } };
}

/**
 * A failure to reach a cluster: Kafka's error as the external host worded it (it names the
 * cluster), or any other failure as NETWORK_EXCEPTION with the cluster named here.
 */
function connectionError(what: string, connection: ResolvedConnection, error: unknown): CommandError {
  if (error instanceof KafkaError) return toCommandError(error);
  const reason = error instanceof Error ? error.message : String(error);
  return { name: 'NETWORK_EXCEPTION', message: `NETWORK_EXCEPTION: ${what} '${connection.name}' (${connection.bootstrapServers}): ${reason}` };
}

async function closeQuietly(host: HostConnection): Promise<void> {
  try {
    await host.close();
  } catch {
    // Closing a connection that already failed has nothing left to report.
  }
}
