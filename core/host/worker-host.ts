/**
 * The main thread's handle on the session running in a worker thread: the same
 * SessionControl as an in-process SessionHost, so transports do not care where the clusters
 * run. Arguments are validated here, before anything crosses to the worker (and again there).
 */
import { Worker } from 'node:worker_threads';
import type { CommandName, CommandResult, HostSnapshot, HostUpdate, ResolvedConnection } from './contract';
import { parseCommandArgs } from './schemas';
import type { SessionControl } from './session';
import type { FromWorker, ToWorker, WorkerOptions } from './worker-protocol';

/** How long a command may take before the window is told (a produce with acks=all can wait for replicas). */
const COMMAND_TIMEOUT_MS = 60_000;

/** A request waiting for the worker: how to settle it with an answer, or fail it with a reason. */
type Pending = { settle: (value: never) => void; fail: (reason: string) => void; timer: NodeJS.Timeout };

export class WorkerHost implements SessionControl {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(update: HostUpdate) => void>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private exited = false;
  /** The cluster's id, once the worker is ready. */
  clusterId = '';
  /** `127.0.0.1:p1,...` of the Kafka listeners, or null when they are off. */
  kafkaBootstrap: string | null = null;
  /** Where the worker's log lines go (the Kafka listeners' connection notes). */
  log: (line: string) => void = (line) => console.error(line);

  private constructor(workerFile: string | URL, options: WorkerOptions) {
    this.worker = new Worker(workerFile, { workerData: options, name: 'brokerscope-host' });
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('exit', () => {
      this.exited = true;
      for (const [id, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.fail('the cluster host stopped');
        this.pending.delete(id);
      }
    });
  }

  /** Starts the worker from its bundled file and waits until the cluster is open. */
  static start(workerFile: string | URL, options: WorkerOptions): Promise<WorkerHost> {
    const host = new WorkerHost(workerFile, options);
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.kind === 'ready') {
          host.clusterId = message.clusterId;
          host.kafkaBootstrap = message.kafkaBootstrap;
          host.worker.off('message', onMessage);
          resolve(host);
        } else if (message.kind === 'failed') {
          reject(new Error(`The cluster could not open: ${message.message}`));
        }
      };
      host.worker.on('message', onMessage);
      host.worker.once('error', reject);
      host.worker.once('exit', (code) => reject(new Error(`The cluster host exited (code ${code}) before it was ready.`)));
    });
  }

  execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    const parsed = parseCommandArgs<N>(name, args);
    if (!parsed.ok) return Promise.resolve(parsed);
    return this.resultOf((id) => ({ kind: 'command', id, name, args: parsed.args }));
  }

  /** Sends a request answered with a command result; a worker that does not answer is a timed-out result. */
  private resultOf<N extends CommandName>(message: (id: number) => ToWorker): Promise<CommandResult<N>> {
    return new Promise((resolve) => {
      this.request(message, resolve, (reason) => resolve(failure(reason) as CommandResult<N>));
    });
  }

  attach(connection: ResolvedConnection | null): Promise<CommandResult<'switchCluster'>> {
    return this.resultOf((id) => ({ kind: 'attach', id, connection }));
  }

  testConnection(connection: ResolvedConnection): Promise<CommandResult<'testConnection'>> {
    return this.resultOf((id) => ({ kind: 'testConnection', id, connection }));
  }

  snapshot(): Promise<HostSnapshot> {
    return new Promise((resolve, reject) => {
      this.request((id) => ({ kind: 'snapshot', id }), resolve, (reason) => reject(new Error(`No snapshot: ${reason}.`)));
    });
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      this.worker.once('exit', () => resolve());
      this.post({ kind: 'close' });
    });
    return this.closing;
  }

  private request<T>(message: (id: number) => ToWorker, settle: (value: T) => void, fail: (reason: string) => void): void {
    if (this.exited || this.closing) return fail('the cluster host is closed');
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.pending.delete(id);
      fail('the cluster did not answer within 60 s');
    }, COMMAND_TIMEOUT_MS);
    this.pending.set(id, { settle: settle as (value: never) => void, fail, timer });
    this.post(message(id));
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    switch (message.kind) {
      case 'update':
        for (const listener of this.listeners) listener(message.update);
        break;
      case 'result':
      case 'snapshot': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        pending.settle((message.kind === 'result' ? message.result : message.snapshot) as never);
        break;
      }
      case 'unanswered': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        pending.fail(message.message);
        break;
      }
      case 'closed':
        void this.worker.terminate();
        break;
      case 'log':
        this.log(message.line);
        break;
    }
  }
}

function failure(reason: string): CommandResult<CommandName> {
  return { ok: false, error: { name: 'REQUEST_TIMED_OUT', message: `REQUEST_TIMED_OUT: ${reason}.` } };
}
