/**
 * Command validation: good arguments pass unchanged; anything else is INVALID_REQUEST with a
 * sentence naming the field, before it can reach the cluster.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../core/host/contract';
import { isCommandName, parseCommandArgs } from '../../core/host/schemas';

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
});
