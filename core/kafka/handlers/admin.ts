/**
 * Admin APIs, answered by the active controller as Kafka's brokers forward them:
 * CreateTopics (key 19) v0-7, DeleteTopics (key 20) v0-6, CreatePartitions (key 37) v0-1 and
 * DescribeConfigs (key 32) v0-2, with Kafka's per-topic errors and messages.
 */
import type { Controller } from '../../controller/controller';
import { describeTopicConfig } from '../../config/topic-config';
import { KafkaError } from '../../protocol/errors';
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
