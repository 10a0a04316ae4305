/**
 * @platformatic/kafka 1.35 (the version that installs on Node 20) against the embedded
 * cluster with its defaults: it speaks ApiVersions v3 only and flexible versions for most
 * APIs (Metadata 9, Fetch 12, FindCoordinator 4, JoinGroup 6, OffsetCommit 8...), so this
 * exercises the flexible encodings end to end: produce, then consume as a group.
 */
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, waitFor, type ListeningCluster } from './harness';

let env: ListeningCluster;

beforeAll(async () => {
  env = await startCluster();
  env.cluster.createTopic({ name: 'flexible', partitions: 3, replicationFactor: 3 });
}, 30_000);

afterAll(async () => {
  await env?.stop();
});

describe('@platformatic/kafka', () => {
  it('produces and consumes as a group with its defaults', async () => {
    const bootstrapBrokers = env.bootstrap.split(',');
    const producer = new Producer({ clientId: 'platformatic-producer', bootstrapBrokers, serializers: stringSerializers });
    const messages = Array.from({ length: 30 }, (_, i) => ({ topic: 'flexible', key: `user-${i}`, value: JSON.stringify({ n: i }), headers: { source: 'test' } }));
    const sent = await producer.send({ messages });
    expect(sent.offsets?.length ?? 0).toBeGreaterThan(0);
    await producer.close();

    const consumer = new Consumer({ groupId: 'platformatic-group', clientId: 'platformatic-consumer', bootstrapBrokers, deserializers: stringDeserializers });
    const stream = await consumer.consume({ autocommit: true, topics: ['flexible'], mode: 'earliest', sessionTimeout: 10_000, heartbeatInterval: 500 });
    const received: { key: string; value: string; headers: Map<string, string> }[] = [];
    stream.on('data', (message) => received.push({ key: message.key, value: message.value, headers: message.headers }));
    await waitFor(() => received.length >= 30, 30_000, 'every message consumed');
    expect(new Set(received.map((m) => m.key))).toEqual(new Set(messages.map((m) => m.key)));
    expect(received.find((m) => m.key === 'user-7')?.value).toBe('{"n":7}');
    await stream.close();
    await consumer.close();
    const group = await env.cluster.describeGroup('platformatic-group');
    expect(['Empty', 'PreparingRebalance', 'Stable', 'Dead']).toContain(group.state);
  }, 60_000);
});
