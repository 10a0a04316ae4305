/**
 * AlterConfigs (replace a topic's overrides) and IncrementalAlterConfigs (KIP-339: set,
 * delete, append, subtract) on the embedded listener, byte-level: Kafka's per-resource error
 * codes, validate-only changing nothing, and the overrides as DescribeConfigs then reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../core/kafka/apis';
import { errorCode } from '../../core/protocol/errors';
import { RawClient, requestFrame, startCluster, waitFor, type ListeningCluster } from './harness';

let env: ListeningCluster;
let client: RawClient;
let correlation = 0;
const TOPIC = 2;

beforeAll(async () => {
  env = await startCluster();
  env.cluster.createTopic({ name: 'settings', partitions: 1, replicationFactor: 3, configs: { 'retention.ms': '600000' } });
  await waitFor(() => env.cluster.snapshot().topics[0]?.partitions[0].leader > 0);
  client = await RawClient.connect(env.bootstrap.split(',')[1]);
}, 30_000);

afterAll(async () => {
  client?.close();
  await env.stop();
});

/** Sends one request and decodes its answer. */
async function ask(apiKey: number, version: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const index = client.frames.length;
  client.write(requestFrame(apiKey, version, ++correlation, body));
  await waitFor(() => client.frames.length > index, 5_000, 'a response');
  return client.response(index, apiKey, version).body as Record<string, unknown>;
}

const overrides = (): Record<string, string> => ({ ...env.cluster.store.image.topics.get('settings')!.configs });
const results = (body: Record<string, unknown>) => (body.responses as { errorCode: number; errorMessage: string | null; resourceName: string }[]).map((r) => [r.resourceName, r.errorCode]);

describe('altering topic configs over the wire', () => {
  it('IncrementalAlterConfigs sets, deletes, appends and subtracts, each resource answered on its own', async () => {
    const body = await ask(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        { resourceType: TOPIC, resourceName: 'settings', configs: [
          { name: 'min.insync.replicas', configOperation: 0, value: '2' },
          { name: 'retention.ms', configOperation: 1, value: null },
          { name: 'cleanup.policy', configOperation: 2, value: 'compact' },
        ] },
        { resourceType: TOPIC, resourceName: 'missing', configs: [{ name: 'retention.ms', configOperation: 0, value: '1' }] },
      ],
      validateOnly: false,
    });
    expect(results(body)).toEqual([['settings', 0], ['missing', errorCode('UNKNOWN_TOPIC_OR_PARTITION')]]);
    await waitFor(() => overrides()['min.insync.replicas'] === '2');
    expect(overrides()).toEqual({ 'min.insync.replicas': '2', 'cleanup.policy': 'delete,compact' });
    const subtracted = await ask(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: TOPIC, resourceName: 'settings', configs: [{ name: 'cleanup.policy', configOperation: 3, value: 'delete' }] }], validateOnly: false });
    expect(results(subtracted)).toEqual([['settings', 0]]);
    await waitFor(() => overrides()['cleanup.policy'] === 'compact');
  });

  it('refuses bad values and appends to scalar configs, and validate-only changes nothing', async () => {
    const before = overrides();
    const bad = await ask(ApiKey.IncrementalAlterConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: 'settings', configs: [{ name: 'retention.ms', configOperation: 0, value: 'soon' }] }], validateOnly: false });
    expect(results(bad)).toEqual([['settings', errorCode('INVALID_CONFIG')]]);
    const append = await ask(ApiKey.IncrementalAlterConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: 'settings', configs: [{ name: 'retention.ms', configOperation: 2, value: '5' }] }], validateOnly: false });
    expect(results(append)).toEqual([['settings', errorCode('INVALID_CONFIG')]]);
    const dryRun = await ask(ApiKey.AlterConfigs, 2, { resources: [{ resourceType: TOPIC, resourceName: 'settings', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true });
    expect(results(dryRun)).toEqual([['settings', 0]]);
    expect(overrides()).toEqual(before);
  });

  it('AlterConfigs replaces the whole set of overrides', async () => {
    const body = await ask(ApiKey.AlterConfigs, 0, { resources: [{ resourceType: TOPIC, resourceName: 'settings', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false });
    expect(results(body)).toEqual([['settings', 0]]);
    await waitFor(() => overrides()['retention.ms'] === '1000');
    expect(overrides()).toEqual({ 'retention.ms': '1000' });
  });
});
