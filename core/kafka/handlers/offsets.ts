/**
 * ListOffsets (key 2), v0-5: earliest (-2), latest (-1, the high watermark) or the first
 * offset at a time; v0 answers in its old form (a list of offsets). OffsetForLeaderEpoch
 * (key 23), v0-3: where an epoch ends in the leader's log, for clients checking truncation.
 */
import { code, type Handler } from './context';

export const listOffsets: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const topics: { name: string; partitions: { partitionIndex: number; currentLeaderEpoch: number; timestamp: number; maxNumOffsets: number }[] }[] = request.topics;
  const answers = ctx.broker.handleListOffsets(
    topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, timestamp: p.timestamp, currentLeaderEpoch: version >= 4 ? p.currentLeaderEpoch : -1 }))),
  );
  let i = 0;
  respond({
    throttleTimeMs: 0,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const a = answers[i++];
        return {
          partitionIndex: p.partitionIndex,
          errorCode: code(a.error),
          oldStyleOffsets: a.error || a.offset < 0 ? [] : [a.offset],
          timestamp: a.timestamp,
          offset: a.offset,
          leaderEpoch: a.leaderEpoch,
        };
      }),
    })),
  });
};

export const offsetForLeaderEpoch: Handler = (ctx, request, respond) => {
  const topics: { topic: string; partitions: { partition: number; currentLeaderEpoch: number; leaderEpoch: number }[] }[] = request.topics;
  const answers = ctx.broker.handleOffsetsForLeaderEpoch(
    topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, currentLeaderEpoch: ctx.context.apiVersion >= 2 ? p.currentLeaderEpoch : -1, leaderEpoch: p.leaderEpoch }))),
  );
  let i = 0;
  respond({
    throttleTimeMs: 0,
    topics: topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const a = answers[i++];
        return { errorCode: code(a.error), partition: p.partition, leaderEpoch: a.leaderEpoch, endOffset: a.endOffset };
      }),
    })),
  });
};
