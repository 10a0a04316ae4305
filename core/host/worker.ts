/**
 * The worker thread's entry: opens the host with the options it was given and answers the
 * main thread's messages. Updates are forwarded as they are emitted (already coalesced).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { ClusterHost } from './host';
import type { FromWorker, ToWorker, WorkerOptions } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('core/host/worker.ts runs only as a worker thread');
const post = (message: FromWorker): void => port.postMessage(message);

let host: ClusterHost;
try {
  const options = workerData as WorkerOptions;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  host = new ClusterHost(options);
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  throw error;
}
host.onUpdate((update) => post({ kind: 'update', update }));
host
  .listen((line) => post({ kind: 'log', line }))
  .then(
    (kafkaBootstrap) => post({ kind: 'ready', clusterId: host.cluster.clusterId, brokers: host.cluster.brokers.size, kafkaBootstrap }),
    (error: unknown) => post({ kind: 'failed', message: `the Kafka listeners could not open: ${error instanceof Error ? error.message : String(error)}` }),
  );

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'command':
      void host.execute(message.name, message.args).then((result) => post({ kind: 'result', id: message.id, result }));
      break;
    case 'snapshot':
      post({ kind: 'snapshot', id: message.id, snapshot: host.snapshotNow() });
      break;
    case 'close':
      void host.close().then(() => {
        post({ kind: 'closed' });
        port.close();
      });
      break;
  }
});
