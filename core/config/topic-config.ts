/**
 * Topic-level configs with Kafka's names, defaults and validation (LogConfig.java). A topic
 * stores only its overrides, as strings, exactly as Kafka's CreateTopics and DescribeConfigs
 * carry them; `resolveTopicConfig` turns them into typed values over the defaults.
 */
import type { LogConfig } from '../log/log';

/** Typed values of every topic config the engine understands. */
export interface TopicConfig extends LogConfig {
  minInsyncReplicas: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  uncleanLeaderElectionEnable: boolean;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  compressionType: 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  deleteRetentionMs: number;
}

type Parser = (value: string) => unknown;

interface ConfigDef {
  key: keyof TopicConfig;
  default: string;
  parse: Parser;
  doc: string;
}

function long(min: number): Parser {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new Error(`expected an integer, got "${value}"`);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`${value} is out of range`);
    if (n < min) throw new Error(`value must be at least ${min}`);
    return n;
  };
}

function oneOf<T extends string>(...allowed: T[]): Parser {
  return (value) => {
    const normalized = value.trim();
    const match = allowed.find((option) => option.toLowerCase() === normalized.toLowerCase());
    if (match === undefined) throw new Error(`expected one of ${allowed.join(', ')}, got "${value}"`);
    return match;
  };
}

function cleanupPolicy(value: string): TopicConfig['cleanupPolicy'] {
  const parts = new Set(value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean));
  for (const part of parts) {
    if (part !== 'delete' && part !== 'compact') throw new Error(`unknown cleanup policy "${part}"`);
  }
  if (parts.size === 0) throw new Error('cleanup.policy may not be empty');
  if (parts.size === 2) return 'compact,delete';
  return parts.has('compact') ? 'compact' : 'delete';
}

function bool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`expected true or false, got "${value}"`);
}

/** Every supported topic config, by Kafka's name, with its default as Kafka states it. */
export const TOPIC_CONFIG_DEFS: Record<string, ConfigDef> = {
  'cleanup.policy': { key: 'cleanupPolicy', default: 'delete', parse: cleanupPolicy, doc: 'delete old segments, or compact to the newest record per key' },
  'compression.type': { key: 'compressionType', default: 'producer', parse: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'), doc: 'codec the broker stores batches with; producer keeps what the client sent' },
  'delete.retention.ms': { key: 'deleteRetentionMs', default: '86400000', parse: long(0), doc: 'how long tombstones are kept on compacted topics' },
  'index.interval.bytes': { key: 'indexIntervalBytes', default: '4096', parse: long(0), doc: 'bytes of log between two offset index entries' },
  'max.message.bytes': { key: 'maxMessageBytes', default: '1048588', parse: long(0), doc: 'largest record batch the topic accepts' },
  'message.timestamp.type': { key: 'messageTimestampType', default: 'CreateTime', parse: oneOf('CreateTime', 'LogAppendTime'), doc: "whether a record keeps the producer's time or gets the broker's" },
  'min.insync.replicas': { key: 'minInsyncReplicas', default: '1', parse: long(1), doc: 'how many replicas must have a record before acks=all succeeds' },
  'retention.bytes': { key: 'retentionBytes', default: '-1', parse: long(-1), doc: 'largest size a partition keeps before old segments are deleted (-1: no limit)' },
  'retention.ms': { key: 'retentionMs', default: '604800000', parse: long(-1), doc: 'how long records are kept before their segment is deleted (-1: forever)' },
  'segment.bytes': { key: 'segmentBytes', default: '1073741824', parse: long(14), doc: 'size at which a new log segment file is started' },
  'segment.ms': { key: 'segmentMs', default: '604800000', parse: long(1), doc: 'age at which a new log segment file is started' },
  'unclean.leader.election.enable': { key: 'uncleanLeaderElectionEnable', default: 'false', parse: bool, doc: 'allow an out-of-sync replica to become leader (records may be lost)' },
};

/** A rejected config, phrased as Kafka's INVALID_CONFIG message. */
export class InvalidConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

/** Checks overrides and returns them normalised; throws InvalidConfigError on the first bad one. */
export function validateTopicConfigs(overrides: Record<string, string>): Record<string, string> {
  const normalized: Record<string, string> = {};
  for (const [name, raw] of Object.entries(overrides)) {
    const def = TOPIC_CONFIG_DEFS[name];
    if (!def) throw new InvalidConfigError(`Unknown topic config name: ${name}`);
    if (typeof raw !== 'string') throw new InvalidConfigError(`Invalid value for configuration ${name}: expected a string`);
    try {
      def.parse(raw);
    } catch (error) {
      throw new InvalidConfigError(`Invalid value ${raw} for configuration ${name}: ${(error as Error).message}`);
    }
    normalized[name] = raw.trim();
  }
  return normalized;
}

/** Typed config of a topic: its overrides over the cluster's defaults over Kafka's. */
export function resolveTopicConfig(overrides: Record<string, string>, clusterDefaults: Record<string, string> = {}): TopicConfig {
  const config: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(TOPIC_CONFIG_DEFS)) {
    const raw = overrides[name] ?? clusterDefaults[name] ?? def.default;
    config[def.key] = def.parse(raw);
  }
  return config as unknown as TopicConfig;
}

/** Every config of a topic with its value and whether it is the default (DescribeConfigs). */
export function describeTopicConfig(
  overrides: Record<string, string>,
  clusterDefaults: Record<string, string> = {},
): { name: string; value: string; isDefault: boolean; source: 'TOPIC' | 'BROKER' | 'DEFAULT'; doc: string }[] {
  return Object.entries(TOPIC_CONFIG_DEFS).map(([name, def]) => {
    if (name in overrides) return { name, value: overrides[name], isDefault: false, source: 'TOPIC' as const, doc: def.doc };
    if (name in clusterDefaults) return { name, value: clusterDefaults[name], isDefault: false, source: 'BROKER' as const, doc: def.doc };
    return { name, value: def.default, isDefault: true, source: 'DEFAULT' as const, doc: def.doc };
  });
}
