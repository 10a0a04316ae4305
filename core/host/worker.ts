/**
 * The worker thread's entry: opens the embedded cluster's host with the options it was given,
 * wraps it in the session that can also attach an external cluster, and answers the main
 * thread's messages. Updates are forwarded as they are emitted (already coalesced). Everything
 * arriving from the main thread is validated again here, in the process that acts on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { ClusterHost } from './host';
import { SessionHost, parseResolvedConnection, type ExternalClusters } from './session';
import { ExternalHost, testConnection } from '../external/index';
import { toCommandError } from './command-error';
import type { CommandName, CommandResult } from './contract';
import type { FromWorker, ToWorker, WorkerOptions } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('core/host/worker.ts runs only as a worker thread');
const post = (message: FromWorker): void => port.postMessage(message);
const log = (line: string): void => post({ kind: 'log', line });

let session: SessionHost;
try {
  const options = workerData as WorkerOptions;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const externals: ExternalClusters = {
    open: (connection) => ExternalHost.open(connection, { dataDir: options.dataDir ?? null, log }),
    test: (connection) => testConnection(connection),
  };
  session = new SessionHost(new ClusterHost(options), externals);
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  throw error;
}
const embedded = session.embedded;
session.onUpdate((update) => post({ kind: 'update', update }));
embedded
  .listen(log)
  .then(
    (kafkaBootstrap) => post({ kind: 'ready', clusterId: embedded.cluster.clusterId, brokers: embedded.cluster.brokers.size, kafkaBootstrap }),
    (error: unknown) => post({ kind: 'failed', message: `the Kafka listeners could not open: ${error instanceof Error ? error.message : String(error)}` }),
  );

/** Answers a request with a command result (a source that throws still gets an answer, as an error value). */
const answer = (id: number, result: Promise<CommandResult<CommandName>> | CommandResult<CommandName>): void =>
  void Promise.resolve(result)
    .catch((error: unknown): CommandResult<CommandName> => ({ ok: false, error: toCommandError(error) }))
    .then((value) => post({ kind: 'result', id, result: value }));

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'command':
      answer(message.id, session.execute(message.name, message.args));
      break;
    case 'snapshot':
      void session.snapshot().then(
        (snapshot) => post({ kind: 'snapshot', id: message.id, snapshot }),
        (error: unknown) => post({ kind: 'unanswered', id: message.id, message: toCommandError(error).message }),
      );
      break;
    case 'attach': {
      if (message.connection === null) {
        answer(message.id, session.attach(null));
        break;
      }
      const parsed = parseResolvedConnection(message.connection);
      answer(message.id, parsed.ok ? session.attach(parsed.connection) : parsed);
      break;
    }
    case 'testConnection': {
      const parsed = parseResolvedConnection(message.connection);
      answer(message.id, parsed.ok ? session.testConnection(parsed.connection) : parsed);
      break;
    }
    case 'close':
      void session.close().then(() => {
        post({ kind: 'closed' });
        port.close();
      });
      break;
  }
});
