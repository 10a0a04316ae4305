/**
 * Messages between the main thread and the worker that runs the host. The worker owns the
 * cluster (whose disk I/O is synchronous), so a busy cluster never stalls the thread that
 * serves the window.
 */
import type { CommandName, CommandResult, HostSnapshot, HostUpdate } from './contract';
import type { HostOptions } from './host';

/** What the worker is started with (its `workerData`). */
export type WorkerOptions = Pick<HostOptions, 'brokers' | 'dataDir' | 'seed' | 'updatesPerSecond' | 'settings' | 'kafkaPort'>;

/** From the main thread to the worker. */
export type ToWorker =
  | { kind: 'command'; id: number; name: CommandName; args: unknown }
  | { kind: 'snapshot'; id: number }
  | { kind: 'close' };

/** From the worker to the main thread. */
export type FromWorker =
  | { kind: 'ready'; clusterId: string; brokers: number; kafkaBootstrap: string | null }
  | { kind: 'log'; line: string }
  | { kind: 'result'; id: number; result: CommandResult<CommandName> }
  | { kind: 'snapshot'; id: number; snapshot: HostSnapshot }
  | { kind: 'update'; update: HostUpdate }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };
