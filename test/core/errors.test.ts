import { describe, it, expect } from 'vitest';
import { KAFKA_ERRORS, KafkaError, errorByCode, errorCode, errorInfo } from '../../core/protocol/errors';

describe("Kafka's error table", () => {
  it('covers every code from -1 to 120 with no gaps or duplicates', () => {
    const codes = KAFKA_ERRORS.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (let code = -1; code <= 120; code++) expect(errorByCode(code), `code ${code}`).toBeDefined();
    expect(new Set(KAFKA_ERRORS.map((e) => e.name)).size).toBe(KAFKA_ERRORS.length);
  });

  it('has the codes clients and the notes rely on', () => {
    expect(errorCode('UNKNOWN_SERVER_ERROR')).toBe(-1);
    expect(errorCode('NONE')).toBe(0);
    expect(errorCode('OFFSET_OUT_OF_RANGE')).toBe(1);
    expect(errorCode('CORRUPT_MESSAGE')).toBe(2);
    expect(errorCode('UNKNOWN_TOPIC_OR_PARTITION')).toBe(3);
    expect(errorCode('NOT_LEADER_OR_FOLLOWER')).toBe(6);
    expect(errorCode('NOT_COORDINATOR')).toBe(16);
    expect(errorCode('INCONSISTENT_GROUP_PROTOCOL')).toBe(23);
    expect(errorCode('REBALANCE_IN_PROGRESS')).toBe(27);
    expect(errorCode('UNSUPPORTED_VERSION')).toBe(35);
    expect(errorCode('TOPIC_ALREADY_EXISTS')).toBe(36);
    expect(errorCode('OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(45);
    expect(errorCode('INVALID_PRODUCER_EPOCH')).toBe(47);
    expect(errorCode('UNSUPPORTED_COMPRESSION_TYPE')).toBe(76);
    expect(errorCode('MEMBER_ID_REQUIRED')).toBe(79);
    expect(errorCode('INVALID_RECORD')).toBe(87);
    expect(errorCode('PRODUCER_FENCED')).toBe(90);
    expect(errorCode('UNKNOWN_TOPIC_ID')).toBe(100);
    expect(errorCode('TRANSACTION_ABORTABLE')).toBe(120);
    expect(errorByCode(25)?.name).toBe('UNKNOWN_MEMBER_ID');
    expect(errorByCode(9999)).toBeUndefined();
  });

  it("carries Kafka's retriable flags and default messages", () => {
    expect(errorInfo('NOT_LEADER_OR_FOLLOWER').retriable).toBe(true);
    expect(errorInfo('CORRUPT_MESSAGE').retriable).toBe(true);
    expect(errorInfo('COORDINATOR_LOAD_IN_PROGRESS').retriable).toBe(true);
    expect(errorInfo('REBALANCE_IN_PROGRESS').retriable).toBe(false);
    expect(errorInfo('UNKNOWN_SERVER_ERROR').retriable).toBe(false);
    expect(errorInfo('TOPIC_AUTHORIZATION_FAILED').retriable).toBe(false);
    expect(errorInfo('NONE').message).toBeNull();
    expect(errorInfo('UNKNOWN_TOPIC_OR_PARTITION').message).toBe('This server does not host this topic-partition.');
    expect(errorInfo('REQUEST_TIMED_OUT').message).toBe('The request timed out.');
    for (const info of KAFKA_ERRORS) if (info.name !== 'NONE') expect(info.message, info.name).toMatch(/\S/);
  });

  it('builds KafkaError with NAME: sentence', () => {
    const byDefault = new KafkaError('UNKNOWN_TOPIC_OR_PARTITION');
    expect(byDefault).toBeInstanceOf(Error);
    expect(byDefault.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(byDefault.code).toBe(3);
    expect(byDefault.retriable).toBe(true);
    expect(byDefault.message).toBe('UNKNOWN_TOPIC_OR_PARTITION: This server does not host this topic-partition.');
    const custom = new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor 3 is larger than the 1 available broker.');
    expect(custom.message).toBe('INVALID_REPLICATION_FACTOR: Replication factor 3 is larger than the 1 available broker.');
    expect(custom.code).toBe(38);
    expect(custom.retriable).toBe(false);
  });
});
