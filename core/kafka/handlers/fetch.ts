/**
 * Fetch (key 1), v0-12, for consumers: whole stored batches from the partition leader up to
 * the high watermark, with long polling (max wait, min bytes). Old versions (v0-3) get the
 * stored v2 batches as they are, which clients such as sarama decode. No fetch sessions
 * (session id 0) and no follower fetching (preferred read replica -1). From v12 a consumer's
 * last fetched epoch is checked and a diverging epoch reported, as Kafka does (KIP-320).
 */
import type { FetchPartitionRequest } from '../../broker/messages';
import { framePool } from '../../log/frame-pool';
import { releaseAfterWrite } from '../connection';
import { code, type Handler } from './context';

interface TopicRequest {
  topic: string;
  partitions: { partition: number; currentLeaderEpoch: number; fetchOffset: number; lastFetchedEpoch: number; partitionMaxBytes: number }[];
}

export const fetch: Handler = (ctx, request, respond) => {
  const version = ctx.context.apiVersion;
  const topics: TopicRequest[] = request.topics;
  const partitions: FetchPartitionRequest[] = [];
  const diverging = new Map<string, { epoch: number; endOffset: number }>();
  for (const t of topics) {
    for (const p of t.partitions) {
      const divergence = version >= 12 ? checkDivergence(ctx.broker, t.topic, p) : null;
      if (divergence) diverging.set(`${t.topic}\u0000${p.partition}`, divergence);
      else partitions.push({ topic: t.topic, partition: p.partition, fetchOffset: p.fetchOffset, currentLeaderEpoch: version >= 9 ? p.currentLeaderEpoch : -1, partitionMaxBytes: Math.max(0, p.partitionMaxBytes) });
    }
  }
  const maxBytes = version >= 3 ? Math.max(0, request.maxBytes) : 0x7fffffff;
  const maxWaitMs = diverging.size > 0 ? 0 : Math.max(0, request.maxWaitMs);
  ctx.broker.handleFetch({ replicaId: -1, maxWaitMs, minBytes: Math.max(0, request.minBytes), maxBytes, partitions }, (response) => {
    const byKey = new Map(response.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
    // Records read from a log for this answer alone may be pooled memory: reused once written.
    const pooled = response.partitions.filter((p) => framePool.isPooled(p.records)).map((p) => p.records.buffer);
    respond(releaseAfterWrite({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          const key = `${t.topic}\u0000${p.partition}`;
          const divergence = diverging.get(key);
          const data = byKey.get(key);
          const leader = ctx.broker.partitions.get(`${t.topic}-${p.partition}`);
          return {
            partitionIndex: p.partition,
            errorCode: divergence ? 0 : code(data?.error),
            highWatermark: data?.highWatermark ?? leader?.highWatermark ?? -1,
            lastStableOffset: data?.highWatermark ?? leader?.highWatermark ?? -1,
            logStartOffset: data?.logStartOffset ?? -1,
            divergingEpoch: divergence ?? undefined,
            abortedTransactions: version >= 4 ? [] : null,
            preferredReadReplica: -1,
            records: data?.records ?? null,
          };
        }),
      })),
    }, pooled));
  });
};

/** Kafka's diverging-epoch check for a fetch that names the epoch of its last record. */
function checkDivergence(broker: import('../../broker/broker').Broker, topic: string, p: TopicRequest['partitions'][number]): { epoch: number; endOffset: number } | null {
  if (p.lastFetchedEpoch < 0) return null;
  const partition = broker.partitions.get(`${topic}-${p.partition}`);
  if (!partition || partition.role !== 'leader') return null;
  const end = partition.log.endOffsetForEpoch(p.lastFetchedEpoch);
  if (end.leaderEpoch === p.lastFetchedEpoch && end.endOffset >= p.fetchOffset) return null;
  if (end.endOffset < 0) return null;
  return { epoch: end.leaderEpoch, endOffset: end.endOffset };
}
