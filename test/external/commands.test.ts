/**
 * Commands on an attached cluster (the embedded one over its Kafka listener): topics are
 * created, grown, described and deleted; produce sends keys to murmur2's partitions with every
 * acks setting, repeats and templates; pages and offsets are read back; a steady producer
 * writes at its rate; group offsets reset to each kind of target (clamped to the log); a
 * read-only connection refuses every write; bad input changes nothing. Also the TLS and SASL
 * mapping of a connection to kafkajs' settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalHost, kafkaConfigFor } from '../../core/external/index';
import { partitionForKey } from '../../core/protocol/murmur2';
import { WRITE_COMMANDS } from '../../core/host/contract';
import type { ClusterHost } from '../../core/host/host';
import { connectionTo, startEmbedded, waitFor } from './helpers';

let embedded: Awaited<ReturnType<typeof startEmbedded>>;
let host: ClusterHost;
let attached: ExternalHost;
let readOnly: ExternalHost;

beforeAll(async () => {
  embedded = await startEmbedded();
  host = embedded.host;
  attached = await ExternalHost.open(connectionTo(embedded.bootstrap), { dataDir: null, log: () => {} });
  readOnly = await ExternalHost.open(connectionTo(embedded.bootstrap, { id: 'ro', name: 'Production (read-only)', readOnly: true }), { dataDir: null, log: () => {} });
}, 60_000);

afterAll(async () => {
  await readOnly?.close();
  await attached?.close();
  await embedded?.stop();
});

const embeddedTopic = (name: string) => host.snapshotNow().cluster.topics.find((t) => t.name === name);

describe('commands on an attached cluster', () => {
  it('creates, grows, describes and deletes topics; bad input changes nothing', async () => {
    const created = await attached.execute('createTopic', { name: 'events', partitions: 3, replicationFactor: 2, configs: { 'cleanup.policy': 'compact' } });
    expect(created).toEqual({ ok: true, value: { name: 'events', partitions: 3, replicationFactor: 2 } });
    expect(embeddedTopic('events')?.partitions).toHaveLength(3);
    expect(attached.picture().topics.find((t) => t.name === 'events')?.partitions).toHaveLength(3);
    expect(await attached.execute('createTopic', { name: 'events', partitions: 3, replicationFactor: 2, configs: {} })).toMatchObject({ ok: false, error: { name: 'TOPIC_ALREADY_EXISTS' } });
    expect(await attached.execute('createTopic', { name: 'too-many', partitions: 1, replicationFactor: 9, configs: {} })).toMatchObject({ ok: false, error: { name: 'INVALID_REPLICATION_FACTOR' } });
    expect(await attached.execute('createTopic', { name: 'bad', partitions: -1, replicationFactor: 1, configs: {} })).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect(embeddedTopic('too-many')).toBeUndefined();
    expect(await attached.execute('createPartitions', { name: 'events', totalPartitions: 5 })).toEqual({ ok: true, value: null });
    expect(embeddedTopic('events')?.partitions).toHaveLength(5);
    const configs = await attached.execute('describeTopicConfigs', { name: 'events' });
    expect(configs.ok && configs.value.find((c) => c.name === 'cleanup.policy')).toMatchObject({ value: 'compact', isDefault: false });
    // AlterConfigs replaces the whole set: the topic's own overrides stay, the change lands, a null resets.
    expect(await attached.execute('alterTopicConfigs', { name: 'events', configs: { 'retention.ms': '3600000' } })).toEqual({ ok: true, value: null });
    expect(embeddedTopic('events')?.configs).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': '3600000' });
    expect(await attached.execute('alterTopicConfigs', { name: 'events', configs: { 'retention.ms': null } })).toEqual({ ok: true, value: null });
    expect(embeddedTopic('events')?.configs).toEqual({ 'cleanup.policy': 'compact' });
    expect(await attached.execute('alterTopicConfigs', { name: 'events', configs: { 'retention.ms': 'soon' } })).toMatchObject({ ok: false, error: { name: 'INVALID_CONFIG' } });
    expect(embeddedTopic('events')?.configs).toEqual({ 'cleanup.policy': 'compact' });
    const preview = await attached.execute('previewTopic', { name: 'p', partitions: 3, replicationFactor: 3, configs: {} });
    expect(preview.ok && preview.value.replicaAssignment.map((r) => [...r].sort())).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(await attached.execute('deleteTopic', { name: 'events' })).toEqual({ ok: true, value: null });
    await waitFor(() => embeddedTopic('events') === undefined, 10_000, 'topic deleted');
    expect(attached.picture().topics.some((t) => t.name === 'events')).toBe(false);
    expect(await attached.execute('deleteTopic', { name: 'events' })).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION' } });
  });

  it('produces with keys, headers, chosen partitions, every acks setting, repeats and templates', async () => {
    await attached.execute('createTopic', { name: 'payments', partitions: 4, replicationFactor: 3, configs: {} });
    const keyed = await attached.execute('produce', { topic: 'payments', acks: -1, records: [{ key: 'kafka', value: 'hello', headers: [{ key: 'h', value: 'x' }], partition: null }] });
    expect(keyed.ok && keyed.value).toMatchObject({ records: 1, partition: partitionForKey(Buffer.from('kafka'), 4), offset: 0 });
    const chosen = await attached.execute('produce', { topic: 'payments', acks: 1, records: [{ key: null, value: 'to 3', headers: [], partition: 3 }] });
    expect(chosen.ok && chosen.value).toMatchObject({ partition: 3, offset: 0 });
    const none = await attached.execute('produce', { topic: 'payments', acks: 0, records: [{ key: 'k', value: 'no ack', headers: [], partition: 2 }] });
    expect(none.ok && none.value).toMatchObject({ partition: 2, offset: -1 });
    const repeated = await attached.execute('produce', { topic: 'payments', acks: -1, repeat: 100, expandTemplates: true, records: [{ key: 'key-{{seq}}', value: '{"n": {{seq}}}', headers: [], partition: null }] });
    expect(repeated.ok && repeated.value.records).toBe(100);
    expect(repeated.ok && repeated.value.placements.reduce((sum, p) => sum + p.records, 0)).toBe(100);
    const bad = await attached.execute('produce', { topic: 'payments', acks: -1, records: [{ key: null, value: 'x', headers: [], partition: 9 }] });
    expect(bad).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    expect(await attached.execute('produce', { topic: 'nowhere', acks: -1, records: [{ key: null, value: 'x', headers: [], partition: null }] })).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    const partition = partitionForKey(Buffer.from('kafka'), 4);
    await waitFor(() => embeddedTopic('payments')!.partitions.reduce((sum, p) => sum + p.highWatermark, 0) === 103, 10_000, 'every acknowledged record in the embedded logs');
    const page = await attached.execute('fetchRecords', { topic: 'payments', partition, offset: 0, maxRecords: 500 });
    expect(page.ok && page.value.records[0]).toMatchObject({ offset: 0, key: { text: 'kafka' }, value: { text: 'hello' }, headers: [{ key: 'h', value: { text: 'x' } }] });
    // Every key landed where murmur2 puts it.
    for (let p = 0; p < 4; p++) {
      const records = await attached.execute('fetchRecords', { topic: 'payments', partition: p, offset: 0, maxRecords: 500 });
      expect(records.ok).toBe(true);
      if (!records.ok) continue;
      expect(records.value.highWatermark).toBe(embeddedTopic('payments')!.partitions[p].highWatermark);
      for (const r of records.value.records) if (r.key?.text && r.key.text !== 'k') expect(partitionForKey(Buffer.from(r.key.text), 4)).toBe(p);
    }
    const latest = await attached.execute('listOffset', { topic: 'payments', partition, position: 'latest' });
    expect(latest.ok && latest.value.offset).toBe(embeddedTopic('payments')!.partitions[partition].highWatermark);
    const earliest = await attached.execute('listOffset', { topic: 'payments', partition, position: 'earliest' });
    expect(earliest.ok && earliest.value.offset).toBe(0);
    expect(await attached.execute('fetchRecords', { topic: 'payments', partition: 7, offset: 0, maxRecords: 5 })).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION' } });
  });

  it('runs a steady producer at its rate until stopped', async () => {
    const started = await attached.execute('startProducer', { topic: 'payments', recordsPerSecond: 200, key: 'steady-{{seq}}', value: 'v{{seq}}', acks: 1 });
    expect(started.ok).toBe(true);
    const id = started.ok ? started.value.id : '';
    await waitFor(async () => ((await attached.snapshot()).producers.find((p) => p.id === id)?.sentRecords ?? 0) >= 100, 10_000, 'steady records sent');
    expect(await attached.execute('stopProducer', { id })).toEqual({ ok: true, value: null });
    expect(await attached.execute('stopProducer', { id })).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect((await attached.snapshot()).producers).toEqual([]);
  });

  it('resets an empty group to the earliest, the latest, an offset, a time and a shift, clamped to the log', async () => {
    const topic = embeddedTopic('payments')!;
    const end = (p: number) => embeddedTopic('payments')!.partitions[p].highWatermark;
    const reset = async (to: Parameters<ExternalHost['execute']>[1]) => attached.execute('resetGroupOffsets', { groupId: 'auditors', topic: 'payments', partitions: null, to } as never);
    const latest = await reset({ kind: 'latest' });
    expect(latest.ok && latest.value.partitions).toEqual(topic.partitions.map((p) => ({ partition: p.partition, offset: end(p.partition) })));
    const earliest = await reset({ kind: 'earliest' });
    expect(earliest.ok && earliest.value.partitions.every((p) => p.offset === 0)).toBe(true);
    const offset = await reset({ kind: 'offset', offset: 1_000_000 });
    expect(offset.ok && offset.value.partitions.map((p) => p.offset)).toEqual(topic.partitions.map((p) => end(p.partition)));
    const shifted = await attached.execute('resetGroupOffsets', { groupId: 'auditors', topic: 'payments', partitions: [0], to: { kind: 'shift', by: -2 } });
    expect(shifted.ok && shifted.value.partitions).toEqual([{ partition: 0, offset: Math.max(0, end(0) - 2) }]);
    const future = await reset({ kind: 'timestamp', timestamp: Date.now() + 3_600_000 });
    expect(future.ok && future.value.partitions.map((p) => p.offset)).toEqual(topic.partitions.map((p) => end(p.partition)));
    const past = await reset({ kind: 'timestamp', timestamp: 0 });
    expect(past.ok && past.value.partitions.every((p) => p.offset === 0)).toBe(true);
    // The committed offsets are the group's own, as the embedded coordinator holds them.
    await waitFor(async () => {
      await attached.refresh();
      const group = attached.picture().groups.find((g) => g.groupId === 'auditors');
      return group !== undefined && group.offsets.every((o) => o.committedOffset === 0) && group.lagRecords === topic.partitions.reduce((sum, p) => sum + end(p.partition), 0);
    }, 10_000, 'the reset group in the attached picture');
    expect(await attached.execute('resetGroupOffsets', { groupId: 'auditors', topic: 'payments', partitions: [12], to: { kind: 'earliest' } })).toMatchObject({ ok: false, error: { name: 'UNKNOWN_TOPIC_OR_PARTITION' } });
  });

  it('refuses every write on a read-only connection, naming it, and changes nothing', async () => {
    const before = JSON.stringify(embeddedTopic('payments')!.partitions.map((p) => p.highWatermark));
    const args: Record<(typeof WRITE_COMMANDS)[number], unknown> = {
      createTopic: { name: 'ro', partitions: 1, replicationFactor: 1, configs: {} },
      deleteTopic: { name: 'payments' },
      createPartitions: { name: 'payments', totalPartitions: 8 },
      alterTopicConfigs: { name: 'payments', configs: { 'retention.ms': '1' } },
      resetGroupOffsets: { groupId: 'auditors', topic: 'payments', partitions: null, to: { kind: 'latest' } },
      produce: { topic: 'payments', acks: -1, records: [{ key: null, value: 'x', headers: [], partition: null }] },
      startProducer: { topic: 'payments', recordsPerSecond: 10, key: null, value: 'x', acks: 1 },
    };
    for (const name of WRITE_COMMANDS) {
      const result = await readOnly.execute(name, args[name]);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/'Production \(read-only\)' is read-only/);
    }
    expect(embeddedTopic('ro')).toBeUndefined();
    expect(embeddedTopic('payments')!.partitions).toHaveLength(4);
    expect(JSON.stringify(embeddedTopic('payments')!.partitions.map((p) => p.highWatermark))).toBe(before);
    // Reading stays allowed.
    expect((await readOnly.execute('fetchRecords', { topic: 'payments', partition: 0, offset: 0, maxRecords: 5 })).ok).toBe(true);
    expect(await readOnly.execute('switchCluster', { id: 'embedded' })).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
    expect(await readOnly.execute('nonsense' as never, {})).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST' } });
  });
});

describe('connection settings for kafkajs', () => {
  const base = connectionTo('a:9092, b:9093');
  it('maps bootstrap, TLS (CA read from disk) and each SASL mechanism', () => {
    expect(kafkaConfigFor(base)).toMatchObject({ brokers: ['a:9092', 'b:9093'], ssl: false, sasl: undefined, clientId: 'brokerscope-test' });
    const tls = kafkaConfigFor({ ...base, tls: { enabled: true, caFile: '/ca.pem', rejectUnauthorized: false } }, (path) => `PEM from ${path}`);
    expect(tls.ssl).toEqual({ rejectUnauthorized: false, ca: ['PEM from /ca.pem'] });
    expect(kafkaConfigFor({ ...base, tls: { enabled: true, caFile: null, rejectUnauthorized: true } }).ssl).toEqual({ rejectUnauthorized: true });
    expect(() => kafkaConfigFor({ ...base, tls: { enabled: true, caFile: '/missing.pem', rejectUnauthorized: true } }, () => {
      throw new Error('ENOENT');
    })).toThrow(/INVALID_REQUEST: The CA file \/missing.pem could not be read/);
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(kafkaConfigFor({ ...base, sasl: { mechanism, username: 'u', password: 'p' } }).sasl).toEqual({ mechanism, username: 'u', password: 'p' });
    }
    expect(() => kafkaConfigFor({ ...base, bootstrapServers: ' , ' })).toThrow(/INVALID_REQUEST/);
    expect(() => kafkaConfigFor({ ...base, bootstrapServers: 'host-without-port' })).toThrow(/not a host:port/);
  });
});
