/**
 * Starts an embedded cluster with its Kafka listeners for protocol tests and manual checks:
 * prints KAFKA_BOOTSTRAP=... once listening. `tsx test/protocol/serve-cluster.ts [--brokers N] [--data DIR]`.
 * Commands on stdin: `topic NAME PARTITIONS RF` (answers `ok topic NAME` once led), `stop ID`, `start ID`.
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
process.stdin.on('data', (input: string) => {
  for (const line of input.split('\n').filter(Boolean)) {
    const [command, name, partitions, replicationFactor] = line.trim().split(/\s+/);
    if (command === 'stop') cluster.stopBroker(Number(name));
    else if (command === 'start') cluster.startBroker(Number(name));
    else if (command === 'topic') {
      cluster.createTopic({ name, partitions: Number(partitions), replicationFactor: Number(replicationFactor) });
      const ready = (): void => {
        const topic = cluster.snapshot().topics.find((t) => t.name === name);
        const led = topic?.partitions.every((p) => cluster.brokers.get(p.leader)?.partitions.get(`${name}-${p.partition}`)?.role === 'leader');
        if (led) console.log(`ok topic ${name}`);
        else setTimeout(ready, 10);
      };
      ready();
      continue;
    }
    console.log(`ok ${command} ${name ?? ''}`);
  }
});
const shutdown = (): void => {
  void server.close();
  cluster.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
