/**
 * Proves bad input never hurts the cluster: thousands of random and mutated frames (flipped
 * bytes, cut frames, absurd lengths, unknown keys and versions) are thrown at every broker;
 * afterwards each broker still answers a normal client, and every record written before is
 * still there at its offset. SEED=... replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../core/index';
import { ApiKey } from '../../core/kafka/apis';
import { encodeRecordBatch } from '../../core/protocol/records';
import { RawClient, requestFrame, startCluster, waitFor, type ListeningCluster } from './harness';

const SEED = Number(process.env.SEED ?? 1234);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 3000);
let env: ListeningCluster;

beforeAll(async () => {
  env = await startCluster();
  env.cluster.createTopic({ name: 'precious', partitions: 2, replicationFactor: 3 });
  await waitFor(() => env.cluster.snapshot().topics[0].partitions.every((p) => p.leader > 0));
  for (let i = 0; i < 5; i++) {
    await env.cluster.produce({ topic: 'precious', records: Array.from({ length: 20 }, (_, j) => ({ key: `k${j}`, value: `batch${i}-${j}` })), retries: 5 });
  }
}, 30_000);

afterAll(async () => {
  await env?.stop();
});

/** Valid frames of several APIs, to mutate. */
function seedFrames(random: Random): Buffer[] {
  const records = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('fuzz') }], { timestamp: 1_700_000_000_000 });
  const id = (): number => random.nextInt(1 << 30);
  return [
    requestFrame(ApiKey.ApiVersions, 3, id(), { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
    requestFrame(ApiKey.Metadata, 9, id(), { topics: [{ name: 'precious' }], allowAutoTopicCreation: false }),
    requestFrame(ApiKey.Metadata, 1, id(), { topics: null }),
    requestFrame(ApiKey.Produce, 8, id(), { transactionalId: null, acks: -1, timeoutMs: 500, topicData: [{ name: 'fuzz-target', partitionData: [{ index: 0, records }] }] }),
    requestFrame(ApiKey.Fetch, 12, id(), {
      replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'precious', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    }),
    requestFrame(ApiKey.ListOffsets, 5, id(), { replicaId: -1, isolationLevel: 0, topics: [{ name: 'precious', partitions: [{ partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -1 }] }] }),
    requestFrame(ApiKey.CreateTopics, 7, id(), { topics: [{ name: 'fuzz-created', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: true }),
    requestFrame(ApiKey.DescribeConfigs, 2, id(), { resources: [{ resourceType: 2, resourceName: 'precious', configurationKeys: null }], includeSynonyms: true }),
  ];
}

function mutate(frame: Buffer, random: Random): Buffer {
  const copy = Buffer.from(frame);
  switch (random.nextInt(6)) {
    case 0: // flip a few bytes after the size
      for (let i = 0; i < random.between(1, 4); i++) copy[4 + random.nextInt(copy.length - 4)] ^= 1 << random.nextInt(8);
      return copy;
    case 1: // cut the frame but keep its size field
      return copy.subarray(0, random.between(4, copy.length - 1));
    case 2: // a size field that lies
      copy.writeInt32BE(random.pick([-1, 0, 3, copy.length + 100, 0x7fffffff]), 0);
      return copy;
    case 3: // unknown API key or version
      copy.writeInt16BE(random.pick([-1, 99, 1000]), 4 + random.pick([0, 2]));
      return copy;
    case 4: // random garbage with a consistent size
      return Buffer.concat([Buffer.from([0, 0, 0, 40]), Buffer.from(Array.from({ length: 40 }, () => random.nextInt(256)))]);
    default: // a valid frame, so connections also see good traffic
      return copy;
  }
}

describe('fuzzing the Kafka listener', () => {
  it(`survives ${FRAMES} random and mutated frames (seed ${SEED})`, async () => {
    const random = new Random(SEED);
    const seeds = seedFrames(random);
    const addresses = env.bootstrap.split(',');
    let client = await RawClient.connect(random.pick(addresses));
    let reconnects = 0;
    for (let i = 0; i < FRAMES; i++) {
      if (client.closed) {
        client = await RawClient.connect(random.pick(addresses));
        reconnects++;
      }
      client.write(mutate(random.pick(seeds), random));
      if (i % 50 === 49) {
        // A cut frame waits for bytes that never come: start over on a fresh connection.
        client.close();
        await waitFor(() => client.closed, 2_000);
      }
    }
    client.close();
    expect(reconnects).toBeGreaterThan(FRAMES / 100);
    // The listener named the client and the reason for the connections it closed.
    expect(env.logs.length).toBeGreaterThan(FRAMES / 100);
    expect(env.logs.filter((line) => !/^broker \d+: closing connection from .+: .+/.test(line))).toEqual([]);
    // Every broker still serves a normal client.
    for (const address of addresses) {
      const probe = await RawClient.connect(address);
      probe.write(requestFrame(ApiKey.Metadata, 1, 42, { topics: [{ name: 'precious' }] }));
      await waitFor(() => probe.frames.length === 1, 5_000, `answer from ${address}`);
      expect(probe.response(0, ApiKey.Metadata, 1).body.topics[0].errorCode).toBe(0);
      probe.close();
    }
    // Every record written before is still there, at its offset.
    const values: string[] = [];
    for (const partition of [0, 1]) {
      let offset = 0;
      const end = env.cluster.snapshot().topics.find((t) => t.name === 'precious')!.partitions[partition].highWatermark;
      while (offset < end) {
        const result = await env.cluster.fetch('precious', partition, offset);
        result.records.forEach((r, i) => expect(r.offset).toBe(offset + i));
        values.push(...result.records.map((r) => r.value!.toString()));
        offset = result.nextOffset;
      }
    }
    expect(values.sort()).toEqual(Array.from({ length: 100 }, (_, n) => `batch${Math.floor(n / 20)}-${n % 20}`).sort());
    expect(await env.cluster.produce({ topic: 'precious', records: [{ value: 'after' }], retries: 5 })).toHaveLength(1);
  }, 120_000);
});
