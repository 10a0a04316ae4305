/**
 * Shared pieces of the external-source tests: an embedded cluster with its Kafka listener
 * (attached to as if it were external), connections to it, and waiting on conditions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterHost } from '../../core/host/host';
import type { ResolvedConnection } from '../../core/host/contract';

/** Waits until `condition` holds (polled every 10 ms); fails after `timeoutMs` naming `what`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A connection to `bootstrap` with test defaults. */
export function connectionTo(bootstrap: string, overrides: Partial<ResolvedConnection> = {}): ResolvedConnection {
  return {
    id: 'attached-test',
    name: 'Attached test cluster',
    bootstrapServers: bootstrap,
    clientId: 'brokerscope-test',
    tls: { enabled: false, caFile: null, rejectUnauthorized: true },
    sasl: null,
    readOnly: false,
    pollIntervalMs: 250,
    watchedGroups: [],
    ...overrides,
  };
}

/** An embedded 3-broker cluster with listeners on free ports, short timeouts and a temp data dir. */
export async function startEmbedded(): Promise<{ host: ClusterHost; bootstrap: string; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'brokerscope-external-'));
  const host = new ClusterHost({
    brokers: 3,
    kafkaPort: 0,
    dataDir: join(dataDir, 'cluster'),
    seed: 7,
    settings: { brokerSessionTimeoutMs: 2_000, brokerHeartbeatIntervalMs: 300, replicaLagTimeMaxMs: 3_000, groupInitialRebalanceDelayMs: 0 },
  });
  const bootstrap = (await host.listen(() => {}))!;
  return {
    host,
    bootstrap,
    dataDir,
    async stop() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
