/**
 * `npm start` until the desktop shell lands: runs the embedded cluster on the real clock with
 * its data in a directory, and prints what happens, one line per event.
 *
 *   npm start -- [--brokers N] [--data DIR]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { Cluster } from '../index';
import type { ClusterEvent } from '../events';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const dataDir = argument('data') ?? join(homedir(), '.brokerscope', 'cluster');
const brokers = Number(argument('brokers') ?? 3);
if (!Number.isInteger(brokers) || brokers < 1 || brokers > 64) {
  console.error(`--brokers must be a whole number from 1 to 64, not "${argument('brokers')}"`);
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const cluster = Cluster.create({ dataDir, brokers, seed: Date.now() >>> 0 });

function describe(event: ClusterEvent): string | null {
  switch (event.type) {
    case 'records.appended':
    case 'high-watermark.advanced':
      return null;
    case 'leader.elected':
      return `${event.topic}-${event.partition}: broker ${event.leader} leads (epoch ${event.leaderEpoch}, ${event.reason}; was ${event.previousLeader})`;
    default: {
      const { type, time, ...rest } = event;
      return `${type} ${JSON.stringify(rest)}`;
    }
  }
}

cluster.on((event) => {
  const line = describe(event);
  if (line) console.log(`${new Date(event.time).toISOString()} ${line}`);
});
console.log(`Brokerscope cluster ${cluster.clusterId}: ${cluster.brokers.size} brokers, data in ${dataDir}. Ctrl+C stops it cleanly.`);

const shutdown = (): void => {
  cluster.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
