/**
 * Validation of every command's arguments, in the process that receives them (Electron's main
 * process, the browser host's server, and the host again on its side of the worker). Input from
 * a window is untrusted: a malformed call gets INVALID_REQUEST with a sentence naming the
 * field, and nothing reaches the cluster. Bounds keep one call from asking for unbounded work.
 */
import { z } from 'zod';
import type { CommandArgs, CommandError, CommandName } from './contract';
import { MAX_APP_MEMBERS } from './app-groups';
import { TIMELINE_MAX_EVENTS } from './timeline';
import { SCENARIOS, type ScenarioId } from './scenarios';

/** Most records one produce call may send (records x repeat). */
export const MAX_RECORDS_PER_PRODUCE = 100_000;
/** Most records one page of the message browser may ask for. */
export const MAX_RECORDS_PER_PAGE = 2_000;
/** Fastest steady producer, in records per second. */
export const MAX_STEADY_RATE = 100_000;
/** Most consumer groups one connection may name to watch (each costs requests at every poll). */
export const MAX_WATCHED_GROUPS = 200;
/** Largest key or value typed into a form, in characters. */
const MAX_TEXT = 1_048_576;

const brokerId = z.number().int().min(0).max(1_000_000);
const topicName = z.string().min(1).max(300);
const partition = z.number().int().min(0).max(100_000);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const acks = z.union([z.literal(0), z.literal(1), z.literal(-1)]);
const text = z.string().max(MAX_TEXT);

const topicSpec = z.strictObject({
  name: topicName,
  partitions: z.number().int().min(1).max(10_000),
  replicationFactor: z.number().int().min(1).max(1_000),
  configs: z.record(z.string().max(200), z.string().max(1_000)),
});

const draftRecord = z.strictObject({
  key: text.nullable(),
  value: text.nullable(),
  headers: z.array(z.strictObject({ key: z.string().max(1_000), value: text.nullable() })).max(100),
  partition: partition.nullable(),
});

const groupId = z.string().min(1).max(249);
const clientId = z.string().min(1).max(300);
const consumeRate = z.number().min(0.1).max(MAX_STEADY_RATE).nullable();

/** `host:port` pairs separated by commas (host names, IPv4, or bracketed IPv6). */
const bootstrapServers = z
  .string()
  .max(4_000)
  .refine((value) => value.split(',').every((entry) => /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):\d{1,5}$/.test(entry.trim()) && Number(entry.trim().split(':').pop()) <= 65_535), {
    message: 'expected host:port pairs separated by commas, e.g. localhost:9092',
  });

const connectionDraft = z.strictObject({
  id: z.string().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(100),
  bootstrapServers,
  clientId: z.string().min(1).max(200),
  tls: z.strictObject({ enabled: z.boolean(), caFile: z.string().min(1).max(4_096).nullable(), rejectUnauthorized: z.boolean() }),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1).max(1_000),
      password: z.string().max(10_000).nullable(),
    })
    .nullable(),
  readOnly: z.boolean(),
  pollIntervalMs: z.number().int().min(500).max(600_000),
  watchedGroups: z
    .array(groupId)
    .max(MAX_WATCHED_GROUPS)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'names a group more than once' }),
});

const offsetResetSpec = z.union([
  z.strictObject({ kind: z.literal('earliest') }),
  z.strictObject({ kind: z.literal('latest') }),
  z.strictObject({ kind: z.literal('offset'), offset }),
  z.strictObject({ kind: z.literal('timestamp'), timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
  z.strictObject({ kind: z.literal('shift'), by: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) }),
]);

const schemas: { [N in CommandName]: z.ZodType<CommandArgs<N>> } = {
  alterTopicConfigs: z.strictObject({ name: topicName, configs: z.record(z.string().min(1).max(200), z.string().max(1_000).nullable()) }),
  resetGroupOffsets: z.strictObject({ groupId, topic: topicName, partitions: z.array(partition).min(1).max(10_000).nullable(), to: offsetResetSpec }),
  listConnections: z.strictObject({}) as z.ZodType<Record<string, never>>,
  saveConnection: z.strictObject({ connection: connectionDraft }),
  testConnection: z.strictObject({ connection: connectionDraft }),
  removeConnection: z.strictObject({ id: z.string().min(1).max(100) }),
  switchCluster: z.strictObject({ id: z.string().min(1).max(100) }),
  isolateBroker: z.strictObject({ brokerId }),
  slowFollower: z.strictObject({ brokerId, delayMs: z.number().int().min(0).max(600_000) }),
  clearFault: z.strictObject({ kind: z.enum(['isolated', 'slow-fetches']), brokerId }),
  clearAllFaults: z.strictObject({}) as z.ZodType<Record<string, never>>,
  electPreferredLeaders: z.strictObject({}) as z.ZodType<Record<string, never>>,
  createConsumerGroup: z.strictObject({
    groupId,
    topics: z.array(topicName).min(1).max(100),
    members: z.number().int().min(1).max(MAX_APP_MEMBERS),
    assignor: z.enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky']),
    recordsPerSecond: consumeRate,
    sessionTimeoutMs: z.number().int().min(1_000).max(300_000).optional(),
  }),
  addGroupMember: z.strictObject({ groupId }),
  memberAction: z.strictObject({ clientId, action: z.enum(['pause', 'resume', 'crash', 'close']) }),
  setGroupRate: z.strictObject({ groupId, recordsPerSecond: consumeRate }),
  reassignPartition: z.strictObject({ topic: topicName, partition, replicas: z.array(brokerId).min(1).max(100) }),
  cancelReassignment: z.strictObject({ topic: topicName, partition }),
  startScenario: z.strictObject({ id: z.enum(Object.keys(SCENARIOS) as [ScenarioId, ...ScenarioId[]]) }),
  stopScenario: z.strictObject({}) as z.ZodType<Record<string, never>>,
  scenarioStatus: z.strictObject({}) as z.ZodType<Record<string, never>>,
  timeline: z.strictObject({ limit: z.number().int().min(1).max(TIMELINE_MAX_EVENTS).optional() }),
  stateAt: z.strictObject({ time: z.number().min(0).max(Number.MAX_SAFE_INTEGER) }),
  stopBroker: z.strictObject({ brokerId, graceful: z.boolean().optional() }),
  startBroker: z.strictObject({ brokerId }),
  addBroker: z.strictObject({}) as z.ZodType<Record<string, never>>,
  previewTopic: topicSpec,
  createTopic: topicSpec,
  deleteTopic: z.strictObject({ name: topicName }),
  createPartitions: z.strictObject({ name: topicName, totalPartitions: z.number().int().min(1).max(10_000) }),
  describeTopicConfigs: z.strictObject({ name: topicName }),
  produce: z
    .strictObject({
      topic: topicName,
      records: z.array(draftRecord).min(1).max(MAX_RECORDS_PER_PRODUCE),
      acks,
      repeat: z.number().int().min(1).max(MAX_RECORDS_PER_PRODUCE).optional(),
      expandTemplates: z.boolean().optional(),
    })
    .refine((args) => args.records.length * (args.repeat ?? 1) <= MAX_RECORDS_PER_PRODUCE, {
      message: `one produce sends at most ${MAX_RECORDS_PER_PRODUCE.toLocaleString('en-US')} records`,
    }),
  startProducer: z.strictObject({
    topic: topicName,
    recordsPerSecond: z.number().min(0.1).max(MAX_STEADY_RATE),
    key: text.nullable(),
    value: text,
    acks,
  }),
  stopProducer: z.strictObject({ id: z.string().min(1).max(100) }),
  fetchRecords: z.strictObject({ topic: topicName, partition, offset, maxRecords: z.number().int().min(1).max(MAX_RECORDS_PER_PAGE) }),
  listOffset: z.strictObject({
    topic: topicName,
    partition,
    position: z.union([z.literal('earliest'), z.literal('latest'), z.strictObject({ timestamp: z.number().int().min(0) })]),
  }),
};

/** Whether a name is one of the host's commands. */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(schemas, name);
}

/** Checks a command's arguments: the parsed value, or an INVALID_REQUEST error naming what is wrong. */
export function parseCommandArgs<N extends CommandName>(
  name: unknown,
  args: unknown,
): { ok: true; name: N; args: CommandArgs<N> } | { ok: false; error: CommandError } {
  if (!isCommandName(name)) {
    return { ok: false, error: { name: 'INVALID_REQUEST', message: `INVALID_REQUEST: there is no command "${String(name).slice(0, 60)}".` } };
  }
  const parsed = schemas[name].safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return { ok: false, error: { name: 'INVALID_REQUEST', message: `INVALID_REQUEST: ${name} was called with bad arguments (${issues}).` } };
  }
  return { ok: true, name: name as N, args: parsed.data as CommandArgs<N> };
}
