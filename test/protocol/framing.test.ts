/**
 * Byte-level checks of the Kafka listener: frames split across reads or merged into one,
 * pipelined requests answered in order, acks=0 without a response, an unknown ApiVersions
 * version answered in v0 form, and bad frames closing only their own connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framePool } from '../../core/log/frame-pool';
import { ApiKey } from '../../core/kafka/apis';
import { decodeRecordBatches, encodeRecordBatch } from '../../core/protocol/records';
import { RawClient, requestFrame, startCluster, waitFor, type ListeningCluster } from './harness';

// Both ways of reading a socket: into buffers the connection chooses, and Node's 'data' chunks.
describe.each([
  { reads: 'direct reads', directReads: true },
  { reads: "'data' events", directReads: false },
])('Kafka listener framing, $reads', ({ directReads }) => {
  let env: ListeningCluster;
  let poisoned: boolean;

  beforeAll(async () => {
    poisoned = framePool.poison;
    framePool.poison = true;
    env = await startCluster({ server: { directReads } });
    env.cluster.createTopic({ name: 'raw', partitions: 1, replicationFactor: 3 });
    await waitFor(() => env.cluster.snapshot().topics[0].partitions[0].leader > 0);
  }, 30_000);

  afterAll(async () => {
    framePool.poison = poisoned;
    await env.stop();
  });

  function leaderAddress(): string {
    const leader = env.cluster.snapshot().topics.find((t) => t.name === 'raw')!.partitions[0].leader;
    return `127.0.0.1:${env.server.portOf(leader)}`;
  }

  it('answers ApiVersions v0..v3 with the supported table, and an unknown version in v0 form with UNSUPPORTED_VERSION', async () => {
    const client = await RawClient.connect(env.bootstrap.split(',')[0]);
    for (let v = 0; v <= 3; v++) client.write(requestFrame(ApiKey.ApiVersions, v, 100 + v, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' }));
    const unknown = requestFrame(ApiKey.ApiVersions, 3, 200, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    unknown.writeInt16BE(9, 6); // version 9
    client.write(unknown);
    await waitFor(() => client.frames.length === 5);
    for (let v = 0; v <= 3; v++) {
      const { correlationId, body } = client.response(v, ApiKey.ApiVersions, v);
      expect(correlationId).toBe(100 + v);
      expect(body.errorCode).toBe(0);
      const produce = body.apiKeys.find((k: { apiKey: number }) => k.apiKey === ApiKey.Produce);
      expect(produce).toEqual({ apiKey: 0, minVersion: 3, maxVersion: 8 });
    }
    const fallback = client.response(4, ApiKey.ApiVersions, 0);
    expect(fallback.correlationId).toBe(200);
    expect(fallback.body.errorCode).toBe(35);
    expect(fallback.body.apiKeys.length).toBeGreaterThan(15);
    client.close();
  });

  it('reassembles frames split byte by byte and splits frames merged in one write', async () => {
    const client = await RawClient.connect(env.bootstrap.split(',')[0]);
    const frames = [1, 2, 3].map((id) => requestFrame(ApiKey.Metadata, 1, id, { topics: [{ name: 'raw' }] }));
    const merged = Buffer.concat(frames);
    client.write(merged.subarray(0, 3));
    for (let i = 3; i < frames[0].length + 5; i++) client.write(merged.subarray(i, i + 1));
    client.write(merged.subarray(frames[0].length + 5));
    await waitFor(() => client.frames.length === 3);
    expect([0, 1, 2].map((i) => client.response(i, ApiKey.Metadata, 1).correlationId)).toEqual([1, 2, 3]);
    expect(client.response(0, ApiKey.Metadata, 1).body.topics[0].name).toBe('raw');
    client.close();
  });

  it('reads large produce frames sent in odd pieces into their own buffers, and every replica gets them intact', async () => {
    const client = await RawClient.connect(leaderAddress());
    const partition = () => env.cluster.snapshot().topics.find((t) => t.name === 'raw')!.partitions[0];
    const before = partition().logEndOffset;
    const acquired = framePool.counts.acquired;
    const frames: Buffer[] = [];
    for (let n = 0; n < 12; n++) {
      const records = encodeRecordBatch(
        Array.from({ length: 400 }, (_, i) => ({ value: Buffer.from(`large ${n}:${i} `.padEnd(500, String.fromCharCode(97 + n))) })),
        { timestamp: Date.now() },
      );
      frames.push(requestFrame(ApiKey.Produce, 7, n, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: 'raw', partitionData: [{ index: 0, records }] }] }));
    }
    const bytes = Buffer.concat(frames);
    // Pieces that end inside size prefixes, headers and bodies, and some that hold several frames.
    for (let at = 0, piece = 1; at < bytes.length; at += piece, piece = (piece * 7919 + 3) % 300_000 || 1) client.write(bytes.subarray(at, at + piece));
    await waitFor(() => client.frames.length === frames.length, 20_000, 'produce answers');
    for (let n = 0; n < frames.length; n++) {
      const { correlationId, body } = client.response(n, ApiKey.Produce, 7);
      expect(correlationId).toBe(n);
      expect(body.responses[0].partitionResponses[0].errorCode).toBe(0);
    }
    expect(framePool.counts.acquired - acquired).toBeGreaterThanOrEqual(frames.length);
    expect(env.server.openConnections().every((connection) => connection.directReads === directReads)).toBe(true);
    await waitFor(() => partition().highWatermark === before + 4_800 && partition().isr.length === 3, 20_000, 'replicated');
    const replicas = [...env.cluster.brokers.values()].map((broker) => {
      const log = broker.partitions.get('raw-0')!.log;
      return log.read(before, 1 << 30, log.logEndOffset).records;
    });
    const values = decodeRecordBatches(replicas[0]).flatMap((batch) => batch.records.map((record) => record.value!.toString()));
    expect(values).toHaveLength(4_800);
    expect(values.filter((value, k) => !value.startsWith(`large ${Math.floor(k / 400)}:${k % 400} `))).toEqual([]);
    for (const replica of replicas) expect(replica.equals(replicas[0])).toBe(true);
    client.close();
  });

  it('serves consumers from pooled log reads, reused only once each answer is written', async () => {
    const client = await RawClient.connect(leaderAddress());
    // The 12 batches of 400 records the test above wrote; a fetch inside a batch reads the log (not the tail cache).
    const first = env.cluster.snapshot().topics.find((t) => t.name === 'raw')!.partitions[0].highWatermark - 4_800;
    const fetchAt = (offset: number, id: number) =>
      requestFrame(ApiKey.Fetch, 4, id, {
        replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0,
        topics: [{ topic: 'raw', partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 100_000 }] }],
      });
    const reused = framePool.counts.reused;
    for (let round = 0; round < 3; round++) {
      // Pipelined: later fetches read into memory that earlier answers gave back once written.
      client.write(Buffer.concat(Array.from({ length: 12 }, (_, n) => fetchAt(first + 400 * n + 1 + round, n))));
      await waitFor(() => client.frames.length === 12, 10_000, 'fetch answers');
      for (let n = 0; n < 12; n++) {
        const batches = decodeRecordBatches(client.response(n, ApiKey.Fetch, 4).body.responses[0].partitions[0].records);
        expect(batches).toHaveLength(1);
        const values = batches[0].records.map((record) => record.value!.toString());
        expect(values.filter((value, i) => !value.startsWith(`large ${n}:${i} `))).toEqual([]);
        expect(values).toHaveLength(400);
      }
      client.frames.length = 0;
    }
    expect(framePool.counts.reused).toBeGreaterThan(reused);
    client.close();
  });

  it('keeps request order behind a long-polling fetch, and sends nothing for acks=0', async () => {
    const client = await RawClient.connect(leaderAddress());
    const fetch = requestFrame(ApiKey.Fetch, 4, 1, {
      replicaId: -1, maxWaitMs: 300, minBytes: 1_000_000, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [{ topic: 'raw', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    });
    const records = encodeRecordBatch([{ value: Buffer.from('quiet') }], { timestamp: Date.now() });
    const silentProduce = requestFrame(ApiKey.Produce, 3, 2, { transactionalId: null, acks: 0, timeoutMs: 1000, topicData: [{ name: 'raw', partitionData: [{ index: 0, records }] }] });
    const metadata = requestFrame(ApiKey.Metadata, 1, 3, { topics: [{ name: 'raw' }] });
    client.write(Buffer.concat([fetch, silentProduce, metadata]));
    await waitFor(() => client.frames.length === 2, 5_000);
    expect(client.response(0, ApiKey.Fetch, 4).correlationId).toBe(1);
    expect(client.response(1, ApiKey.Metadata, 1).correlationId).toBe(3);
    await waitFor(() => env.cluster.snapshot().topics[0].partitions[0].highWatermark >= 1);
    client.close();
  });

  it('closes a connection that sends an oversized, truncated or unknown request, and nothing else', async () => {
    const healthy = await RawClient.connect(leaderAddress());
    const oversized = await RawClient.connect(leaderAddress());
    const size = Buffer.alloc(4);
    size.writeInt32BE(200 * 1024 * 1024);
    oversized.write(size);
    const unknown = await RawClient.connect(leaderAddress());
    unknown.write(requestFrame(ApiKey.Metadata, 1, 1, { topics: [] }).fill(0x7f, 4, 6));
    const garbled = await RawClient.connect(leaderAddress());
    const frame = requestFrame(ApiKey.Metadata, 1, 1, { topics: [{ name: 'raw' }] });
    frame.writeInt32BE(1_000, frame.length - 4 - 4); // an array length running past the frame
    garbled.write(frame);
    await waitFor(() => oversized.closed && unknown.closed && garbled.closed, 5_000);
    expect(env.logs.some((line) => line.includes('socket.request.max.bytes'))).toBe(true);
    expect(env.logs.some((line) => line.includes('unknown API key'))).toBe(true);
    healthy.write(requestFrame(ApiKey.Metadata, 1, 9, { topics: [{ name: 'raw' }] }));
    await waitFor(() => healthy.frames.length === 1);
    expect(healthy.response(0, ApiKey.Metadata, 1).correlationId).toBe(9);
    healthy.close();
  });

  it('rejects a batch with a bad CRC as CORRUPT_MESSAGE and stores nothing', async () => {
    const client = await RawClient.connect(leaderAddress());
    const before = env.cluster.snapshot().topics[0].partitions[0].logEndOffset;
    const records = encodeRecordBatch([{ value: Buffer.from('tampered') }], { timestamp: Date.now() });
    records[records.length - 1] ^= 0xff;
    client.write(requestFrame(ApiKey.Produce, 7, 5, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'raw', partitionData: [{ index: 0, records }] }] }));
    await waitFor(() => client.frames.length === 1);
    const { body } = client.response(0, ApiKey.Produce, 7);
    expect(body.responses[0].partitionResponses[0].errorCode).toBe(2);
    expect(env.cluster.snapshot().topics[0].partitions[0].logEndOffset).toBe(before);
    client.close();
  });
});
