/**
 * Starts an embedded cluster with its Kafka listeners for protocol tests and manual checks:
 * prints KAFKA_BOOTSTRAP=... once listening. `tsx test/protocol/serve-cluster.ts [--brokers N] [--data DIR]`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../core/index';
import { KafkaServer } from '../../core/kafka/server';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dataDir = arg('data') ?? mkdtempSync(join(tmpdir(), 'brokerscope-kafka-'));
const cluster = Cluster.create({ dataDir, brokers: Number(arg('brokers') ?? 3), seed: 7 });
const server = new KafkaServer(cluster, { basePort: Number(arg('kafka-port') ?? 0) });
await new Promise<void>((resolve) => {
  const check = (): void => (cluster.controllerId >= 0 && [...cluster.brokers.values()].every((b) => b.state === 'running') ? resolve() : void setTimeout(check, 10));
  check();
});
await server.start();
console.log(`KAFKA_BOOTSTRAP=${server.bootstrap}`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  const [command, id] = line.trim().split(/\s+/);
  if (command === 'stop') cluster.stopBroker(Number(id));
  if (command === 'start') cluster.startBroker(Number(id));
  console.log(`ok ${command} ${id ?? ''}`);
});
const shutdown = (): void => {
  void server.close();
  cluster.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
