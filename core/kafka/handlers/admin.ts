/**
 * Admin APIs, answered by the active controller as Kafka's brokers forward them:
 * CreateTopics (key 19) v0-7, DeleteTopics (key 20) v0-6, CreatePartitions (key 37) v0-1,
 * DescribeConfigs (key 32) v0-2, AlterConfigs (key 33) v0-2 and IncrementalAlterConfigs (key 44)
 * v0-1, with Kafka's per-topic errors and messages.
 */
import type { Controller } from '../../controller/controller';
import { describeTopicConfig } from '../../config/topic-config';
import { KafkaError } from '../../protocol/errors';
import type { Message } from '../protocol/codec';
import { code, fromError, type Handler, type HandlerContext } from './context';

function controllerOf(ctx: HandlerContext): Controller {
  const controller = ctx.cluster.controller;
  if (!controller) throw new KafkaError('NOT_CONTROLLER', 'no controller is active right now');
  return controller;
}

export const createTopics: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const topics = (request.topics as { name: string; numPartitions: number; replicationFactor: number; assignments: { partitionIndex: number; brokerIds: number[] }[]; configs: { name: string; value: string | null }[] }[]).map((t) => {
    try {
      const configs: Record<string, string> = {};
      for (const c of t.configs) {
        if (c.value === null) throw new KafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${c.name}`);
        configs[c.name] = c.value;
      }
      const assignment = t.assignments.length > 0 ? [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex).map((a) => a.brokerIds) : undefined;
      if (assignment && (t.numPartitions !== -1 || t.replicationFactor !== -1)) {
        throw new KafkaError('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
      }
      const topic = controllerOf(ctx).createTopic(
        {
          name: t.name,
          partitions: t.numPartitions === -1 ? undefined : t.numPartitions,
          replicationFactor: t.replicationFactor === -1 ? undefined : t.replicationFactor,
          configs,
          replicaAssignment: assignment,
        },
        { validateOnly: request.validateOnly === true },
      );
      return {
        name: t.name,
        topicId: version >= 7 ? topic.topicId : undefined,
        errorCode: 0,
        errorMessage: null,
        numPartitions: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? -1,
        configs: describeTopicConfig(topic.configs, ctx.cluster.settings.topicConfigDefaults).map((c) => ({
          name: c.name,
          value: c.value,
          readOnly: false,
          configSource: c.source === 'TOPIC' ? 1 : c.source === 'BROKER' ? 4 : 5,
          isSensitive: false,
        })),
      };
    } catch (error) {
      return { name: t.name, ...fromError(error), numPartitions: -1, replicationFactor: -1, configs: null };
    }
  });
  respond({ throttleTimeMs: 0, topics });
};

export const deleteTopics: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const names: { name: string | null; topicId: string }[] =
    version >= 6 ? request.topics : (request.topicNames as string[]).map((name) => ({ name, topicId: '00000000-0000-0000-0000-000000000000' }));
  const responses = names.map(({ name, topicId }) => {
    const resolved = name ?? [...ctx.cluster.store.image.topics.values()].find((t) => t.topicId === topicId)?.name ?? null;
    try {
      if (resolved === null) throw new KafkaError('UNKNOWN_TOPIC_ID', `Topic id ${topicId} does not exist.`);
      const id = ctx.cluster.store.image.topics.get(resolved)?.topicId;
      controllerOf(ctx).deleteTopic(resolved);
      return { name: resolved, topicId: id, errorCode: 0, errorMessage: null };
    } catch (error) {
      return { name: resolved, topicId, ...fromError(error) };
    }
  });
  respond({ throttleTimeMs: 0, responses });
};

export const createPartitions: Handler = (ctx, request, respond) => {
  const results = (request.topics as { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[]).map((t) => {
    try {
      if (t.assignments && t.assignments.length > 0) throw new KafkaError('INVALID_REQUEST', 'Explicit assignments for new partitions are not supported; the controller places them.');
      controllerOf(ctx).createPartitions(t.name, t.count, { validateOnly: request.validateOnly === true });
      return { name: t.name, errorCode: 0, errorMessage: null };
    } catch (error) {
      return { name: t.name, ...fromError(error) };
    }
  });
  respond({ throttleTimeMs: 0, results });
};

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

export const describeConfigs: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const results = (request.resources as { resourceType: number; resourceName: string; configurationKeys: string[] | null }[]).map((r) => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (r.resourceType === BROKER_RESOURCE) return { ...base, errorCode: 0, errorMessage: null, configs: [] };
    if (r.resourceType !== TOPIC_RESOURCE) return { ...base, errorCode: code('INVALID_REQUEST'), errorMessage: `Unsupported resource type ${r.resourceType}`, configs: [] };
    const topic = ctx.broker.image.topics.get(r.resourceName);
    if (!topic) return { ...base, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: `Topic '${r.resourceName}' does not exist.`, configs: [] };
    const wanted = r.configurationKeys ? new Set(r.configurationKeys) : null;
    const configs = describeTopicConfig(topic.configs, ctx.cluster.settings.topicConfigDefaults)
      .filter((c) => !wanted || wanted.has(c.name))
      .map((c) => ({
        name: c.name,
        value: c.value,
        readOnly: false,
        isDefault: c.isDefault,
        configSource: c.source === 'TOPIC' ? 1 : c.source === 'BROKER' ? 4 : 5,
        isSensitive: false,
        synonyms: version >= 1 && request.includeSynonyms ? [{ name: c.name, value: c.value, source: c.source === 'TOPIC' ? 1 : 5 }] : [],
      }));
    return { ...base, errorCode: 0, errorMessage: null, configs };
  });
  respond({ throttleTimeMs: 0, results });
};

/** IncrementalAlterConfigs' operations (KIP-339). */
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;
/** Topic configs whose values are comma-separated lists (the ones APPEND and SUBTRACT apply to). */
const LIST_CONFIGS = new Set(['cleanup.policy', 'leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']);

type AlterResource = { resourceType: number; resourceName: string; configs: { name: string; value: string | null; configOperation?: number }[] };

/**
 * Alters each resource's configs through the controller (any broker forwards, as Kafka's do):
 * `next` computes the topic's new overrides from its current ones, or throws Kafka's error for
 * that resource. Broker resources are refused: the embedded brokers' settings are the app's.
 */
function alterEach(ctx: HandlerContext, request: Message, respond: (response: Message) => void, next: (current: Record<string, string>, configs: AlterResource['configs']) => Record<string, string>): void {
  const responses = (request.resources as AlterResource[]).map((r) => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    try {
      if (r.resourceType === BROKER_RESOURCE) throw new KafkaError('INVALID_REQUEST', "The embedded brokers' settings are the app's; only topic configs can be altered.");
      if (r.resourceType !== TOPIC_RESOURCE) throw new KafkaError('INVALID_REQUEST', `Unsupported resource type ${r.resourceType}`);
      const topic = ctx.broker.image.topics.get(r.resourceName);
      if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${r.resourceName}' does not exist.`);
      const configs = next({ ...topic.configs }, r.configs);
      // Validation always runs; validate-only stops before the change is committed.
      const controller = controllerOf(ctx);
      if (request.validateOnly === true) controller.validateTopicConfigs(configs);
      else controller.alterTopicConfigs(r.resourceName, configs);
      return { ...base, errorCode: 0, errorMessage: null };
    } catch (error) {
      return { ...base, ...fromError(error) };
    }
  });
  respond({ throttleTimeMs: 0, responses });
}

/** AlterConfigs (key 33): the listed configs become the topic's whole set of overrides. */
export const alterConfigs: Handler = (ctx, request, respond) =>
  alterEach(ctx, request, respond, (_current, configs) => {
    const next: Record<string, string> = {};
    for (const c of configs) {
      if (c.value === null) throw new KafkaError('INVALID_REQUEST', `Null value not supported for : ${c.name}`);
      next[c.name] = c.value;
    }
    return next;
  });

/** IncrementalAlterConfigs (key 44): set, delete (back to the default), append to or subtract from named configs. */
export const incrementalAlterConfigs: Handler = (ctx, request, respond) =>
  alterEach(ctx, request, respond, (current, configs) => {
    if (new Set(configs.map((c) => c.name)).size !== configs.length) throw new KafkaError('INVALID_REQUEST', 'Error due to duplicate config keys');
    for (const c of configs) {
      const list = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
      switch (c.configOperation) {
        case SET:
          if (c.value === null) throw new KafkaError('INVALID_REQUEST', `Null value not supported for : ${c.name}`);
          current[c.name] = c.value;
          break;
        case DELETE:
          delete current[c.name];
          break;
        case APPEND:
        case SUBTRACT: {
          if (!LIST_CONFIGS.has(c.name)) throw new KafkaError('INVALID_CONFIG', `Config value append is not allowed for config key: ${c.name}`);
          const values = list(current[c.name] ?? describeTopicConfig({}, ctx.cluster.settings.topicConfigDefaults).find((d) => d.name === c.name)?.value ?? undefined);
          const operand = list(c.value ?? '');
          const result = c.configOperation === APPEND ? [...values, ...operand.filter((v) => !values.includes(v))] : values.filter((v) => !operand.includes(v));
          current[c.name] = result.join(',');
          break;
        }
        default:
          throw new KafkaError('INVALID_REQUEST', `Unknown config operation ${c.configOperation} for ${c.name}`);
      }
    }
    return current;
  });
