/**
 * Command validation: good arguments pass unchanged; anything else is INVALID_REQUEST with a
 * sentence naming the field, before it can reach the cluster.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../core/host/contract';
import { MAX_WATCHED_GROUPS, isCommandName, parseCommandArgs } from '../../core/host/schemas';

describe('command schemas', () => {
  it('knows every command of the contract, and nothing else', () => {
    for (const name of COMMAND_NAMES) expect(isCommandName(name)).toBe(true);
    expect(isCommandName('constructor')).toBe(false);
    expect(isCommandName('__proto__')).toBe(false);
    expect(isCommandName(42)).toBe(false);
  });

  it('accepts a well-formed topic', () => {
    const parsed = parseCommandArgs('createTopic', { name: 'orders', partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    expect(parsed).toEqual({ ok: true, name: 'createTopic', args: { name: 'orders', partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } } });
  });

  it('names the bad field', () => {
    const parsed = parseCommandArgs('createTopic', { name: 'orders', partitions: 0, replicationFactor: 3, configs: {} });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.name).toBe('INVALID_REQUEST');
      expect(parsed.error.message).toMatch(/^INVALID_REQUEST: createTopic was called with bad arguments \(partitions: /);
    }
  });

  it('rejects unknown fields, wrong types and unknown commands', () => {
    expect(parseCommandArgs('stopBroker', { brokerId: 1, extra: true }).ok).toBe(false);
    expect(parseCommandArgs('stopBroker', { brokerId: '1' }).ok).toBe(false);
    expect(parseCommandArgs('stopBroker', null).ok).toBe(false);
    expect(parseCommandArgs('produce', { topic: 't', records: [], acks: -1 }).ok).toBe(false);
    expect(parseCommandArgs('produce', { topic: 't', records: [{ key: null, value: 'v', headers: [], partition: null }], acks: 2 }).ok).toBe(false);
    const unknown = parseCommandArgs('rm -rf', {});
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toContain('there is no command');
  });

  it('bounds the work one call may ask for', () => {
    const record = { key: null, value: 'v', headers: [], partition: null };
    expect(parseCommandArgs('produce', { topic: 't', records: [record], acks: 1, repeat: 100_000 }).ok).toBe(true);
    expect(parseCommandArgs('produce', { topic: 't', records: [record, record], acks: 1, repeat: 60_000 }).ok).toBe(false);
    expect(parseCommandArgs('fetchRecords', { topic: 't', partition: 0, offset: 0, maxRecords: 1_000_000 }).ok).toBe(false);
  });

  it('checks the groups a connection watches: ids of 1 to 249 characters, each once, at most 200', () => {
    const connection = { name: 'mock', bootstrapServers: 'localhost:9092', clientId: 'brokerscope', tls: { enabled: false, caFile: null, rejectUnauthorized: true }, sasl: null, readOnly: false, pollIntervalMs: 2_000 };
    const save = (watchedGroups: unknown) => parseCommandArgs('saveConnection', { connection: { ...connection, watchedGroups } });
    expect(save([])).toMatchObject({ ok: true, args: { connection: { watchedGroups: [] } } });
    expect(save(['payments', 'g'.repeat(249)])).toMatchObject({ ok: true, args: { connection: { watchedGroups: ['payments', 'g'.repeat(249)] } } });
    expect(save(Array.from({ length: MAX_WATCHED_GROUPS }, (_, i) => `group-${i}`)).ok).toBe(true);
    expect(MAX_WATCHED_GROUPS).toBe(200);
    const refusals: [unknown, RegExp][] = [
      [[''], /watchedGroups\.0/],
      [['g'.repeat(250)], /watchedGroups\.0/],
      [['payments', 'payments'], /watchedGroups: names a group more than once/],
      [Array.from({ length: MAX_WATCHED_GROUPS + 1 }, (_, i) => `group-${i}`), /watchedGroups/],
      ['payments', /watchedGroups/],
      [[42], /watchedGroups\.0/],
      [undefined, /watchedGroups/],
    ];
    for (const [watchedGroups, field] of refusals) {
      const parsed = save(watchedGroups);
      expect(parsed.ok, JSON.stringify(watchedGroups)).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toMatch(field);
    }
    // The same rules for a draft under test.
    expect(parseCommandArgs('testConnection', { connection: { ...connection, watchedGroups: [''] } }).ok).toBe(false);
  });
});
