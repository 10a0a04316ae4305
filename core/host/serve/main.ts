/**
 * `npm run serve -- [--brokers N] [--data DIR] [--http-port P] [--kafka-port P] [--<setting> V]`: Brokerscope
 * in a browser. Runs the cluster (data kept in DIR between runs) with a Kafka listener per
 * broker on 127.0.0.1 (broker 1 on P, default 9092; 0 picks free ports), prints
 * `KAFKA_BOOTSTRAP=<servers>` and `UI_URL=<address>` once ready; the address carries this
 * run's session token, so keep it to yourself. Connections to other clusters are saved next to
 * DIR, in `DIR.connections.json`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from './start';
import { APP_DEFAULTS, type ClusterSettings } from '../../config/cluster-config';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = option(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
    process.exit(2);
  }
  return value;
}

/**
 * Numeric settings given as `--<setting-in-kebab-case> <value>`, e.g. `--replica-lag-time-max-ms 3000`
 * (tests and demos shorten what a person would wait for).
 */
function settingOverrides(): Partial<ClusterSettings> {
  const overrides: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(APP_DEFAULTS)) {
    if (typeof fallback !== 'number') continue;
    const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (option(flag) !== undefined) overrides[name] = wholeNumber(flag, fallback, 0, 2_147_483_647);
  }
  return overrides as Partial<ClusterSettings>;
}

async function main(): Promise<void> {
  const brokers = wholeNumber('brokers', 3, 1, 64);
  const httpPort = wholeNumber('http-port', 0, 0, 65_535);
  const kafkaPort = wholeNumber('kafka-port', 9092, 0, 65_535);
  const dataDir = option('data') ?? join(homedir(), '.brokerscope', 'cluster');
  const settings = settingOverrides();
  const started = await startBrowserHost({ brokers, dataDir, httpPort, kafkaPort, settings, seed: Date.now() >>> 0, log: (line) => console.log(line) });
  console.log(`Brokerscope is running: cluster ${started.host.clusterId}, data in ${dataDir}.`);
  console.log(`Saved connections to other clusters: ${started.connectionsFile} (passwords are not encrypted; only your user can read the file).`);
  if (started.host.kafkaBootstrap) {
    console.log('Kafka clients (kcat, kafkajs, your app) connect to:');
    console.log(`KAFKA_BOOTSTRAP=${started.host.kafkaBootstrap}`);
  }
  console.log("Open this address (it holds this run's key):");
  console.log(`UI_URL=${started.url}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void started.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Brokerscope could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
