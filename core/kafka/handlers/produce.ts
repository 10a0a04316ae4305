/**
 * Produce (key 0), v3-8: records stored exactly as the client sent them (only the base offset
 * and partition leader epoch are rewritten, both outside the CRC), after Kafka's validation.
 * acks=0 gets no response at all; acks=all answers once the in-sync replicas have the records.
 */
import type { ProducePartitionData } from '../../broker/messages';
import { framePool } from '../../log/frame-pool';
import { resolveTopicConfig } from '../../config/topic-config';
import { validateProducerRecords, type BatchRejection } from '../validate';
import type { Message } from '../protocol/codec';
import { code, type Handler } from './context';

interface PartitionRequest {
  index: number;
  records: Buffer | null;
}

export const produce: Handler = (ctx, request, respond) => {
  const acks = request.acks as number;
  if (acks !== 0 && acks !== 1 && acks !== -1) {
    respond(responseFor(request, () => ({ errorCode: code('INVALID_REQUIRED_ACKS'), errorMessage: `acks must be 0, 1 or -1 (all), not ${acks}` })));
    return;
  }
  if (acks === 0) respond(null); // keeps its place in the response order, sends nothing
  const topics: { name: string; partitionData: PartitionRequest[] }[] = request.topicData;
  const checks = topics.flatMap((topic) =>
    topic.partitionData.map(async (p) => {
      const compacted = resolveTopicConfig(ctx.broker.image.topics.get(topic.name)?.configs ?? {}).cleanupPolicy.includes('compact');
      return { topic: topic.name, partition: p.index, records: p.records, rejection: await validateProducerRecords(p.records, { requireKeys: compacted }) };
    }),
  );
  Promise.all(checks).then((checked) => {
    const rejected = new Map<string, BatchRejection>();
    const valid: ProducePartitionData[] = [];
    for (const c of checked) {
      if (c.rejection) rejected.set(`${c.topic}\u0000${c.partition}`, c.rejection);
      else valid.push({ topic: c.topic, partition: c.partition, records: c.records! });
    }
    try {
      handle(valid, rejected);
    } finally {
      // Appended (the log has its own copy, the tail cache its own reference) or refused: the
      // request's hold on its frame ends here.
      framePool.release(ctx.context.frame.buffer);
    }
  }).catch((error: unknown) => ctx.context.connection.close(`internal error in Produce: ${(error as Error).message}`));

  function handle(valid: ProducePartitionData[], rejected: Map<string, BatchRejection>): void {
    ctx.broker.handleProduce({ acks: acks as 0 | 1 | -1, timeoutMs: request.timeoutMs, partitions: valid, crcVerified: true }, (results) => {
      if (acks === 0) return;
      const byKey = new Map(results.map((r) => [`${r.topic}\u0000${r.partition}`, r]));
      respond(
        responseFor(request, (topic, partition) => {
          const key = `${topic}\u0000${partition}`;
          const rejection = rejected.get(key);
          if (rejection) return { errorCode: code(rejection.error), errorMessage: rejection.message };
          const r = byKey.get(key)!;
          return { errorCode: code(r.error), errorMessage: r.errorMessage, baseOffset: r.baseOffset, logAppendTimeMs: r.logAppendTimeMs, logStartOffset: r.logStartOffset };
        }),
      );
    });
  }
};

function responseFor(request: Message, answer: (topic: string, partition: number) => Record<string, unknown>) {
  return {
    throttleTimeMs: 0,
    responses: (request.topicData as { name: string; partitionData: PartitionRequest[] }[]).map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((p) => ({
        index: p.index,
        baseOffset: -1,
        logAppendTimeMs: -1,
        logStartOffset: -1,
        recordErrors: [],
        errorMessage: null,
        ...answer(topic.name, p.index),
      })),
    })),
  };
}
