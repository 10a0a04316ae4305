/**
 * Messages between the main thread and the worker that runs the host. The worker owns the
 * cluster (whose disk I/O is synchronous) and the connection to an attached external cluster,
 * so neither a busy cluster nor a slow remote one stalls the thread that serves the window.
 * Connections arrive with their passwords resolved: they stay within this process.
 */
import type { CommandName, CommandResult, HostSnapshot, HostUpdate, ResolvedConnection } from './contract';
import type { HostOptions } from './host';

/** What the worker is started with (its `workerData`). */
export type WorkerOptions = Pick<HostOptions, 'brokers' | 'dataDir' | 'seed' | 'updatesPerSecond' | 'settings' | 'kafkaPort'>;

/** From the main thread to the worker. */
export type ToWorker =
  | { kind: 'command'; id: number; name: CommandName; args: unknown }
  | { kind: 'snapshot'; id: number }
  /** Show this connection's cluster (null: the embedded one); answered with a `result`. */
  | { kind: 'attach'; id: number; connection: ResolvedConnection | null }
  /** Connect with these settings and read the metadata; answered with a `result`. */
  | { kind: 'testConnection'; id: number; connection: ResolvedConnection }
  | { kind: 'close' };

/** From the worker to the main thread. */
export type FromWorker =
  | { kind: 'ready'; clusterId: string; brokers: number; kafkaBootstrap: string | null }
  | { kind: 'log'; line: string }
  | { kind: 'result'; id: number; result: CommandResult<CommandName> }
  | { kind: 'snapshot'; id: number; snapshot: HostSnapshot }
  /** A request the worker could not answer (a snapshot of an unreachable cluster). */
  | { kind: 'unanswered'; id: number; message: string }
  | { kind: 'update'; update: HostUpdate }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };
