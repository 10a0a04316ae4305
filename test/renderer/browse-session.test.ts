/**
 * The message browser's reading: pages by offset from each partition, merged by timestamp
 * without ever inserting a record above one already shown.
 */
import { describe, expect, it } from 'vitest';
import type { BrowsedRecord, CommandArgs, CommandName, CommandResult, HostBridge } from '../../core/host/contract';
import { BrowseSession, type BrowseView } from '../../renderer/store/browse-session';

/** Two partitions whose records interleave in time. */
function fakeBridge(logs: Record<number, number[]>, pageSize = 2): HostBridge & { fetches: number } {
  const bridge = {
    fetches: 0,
    onUpdate: () => () => undefined,
    requestSnapshot: () => undefined,
    async call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
      if (name === 'listOffset') {
        const a = args as CommandArgs<'listOffset'>;
        const offset = a.position === 'earliest' ? 0 : a.position === 'latest' ? logs[a.partition].length : logs[a.partition].findIndex((t) => t >= (a.position as { timestamp: number }).timestamp);
        return { ok: true, value: { offset, timestamp: -1 } } as CommandResult<N>;
      }
      const a = args as CommandArgs<'fetchRecords'>;
      bridge.fetches++;
      const times = logs[a.partition];
      const records: BrowsedRecord[] = times.slice(a.offset, a.offset + Math.min(pageSize, a.maxRecords)).map((timestamp, i) => ({
        partition: a.partition,
        offset: a.offset + i,
        timestamp,
        key: null,
        value: { text: `${a.partition}@${a.offset + i}` },
        valueBytes: 3,
        valueTruncated: false,
        headers: [],
      }));
      const nextOffset = a.offset + records.length;
      return { ok: true, value: { topic: a.topic, partition: a.partition, records, nextOffset, logStartOffset: 0, highWatermark: times.length } } as CommandResult<N>;
    },
  };
  return bridge;
}

async function readAll(session: BrowseSession): Promise<void> {
  for (let i = 0; i < 50 && session.hasMore(); i++) await session.loadMore();
}

describe('BrowseSession', () => {
  it('merges partitions by time, in order, as pages arrive', async () => {
    const logs = { 0: [1, 4, 5, 9], 1: [2, 3, 6, 7, 8] };
    let view: BrowseView | null = null;
    const session = new BrowseSession(fakeBridge(logs), { topic: 't', partitions: [0, 1], start: { kind: 'earliest' } }, (v) => (view = v));
    await session.open(new Map([[0, 4], [1, 5]]));
    const firstRows = view!.rows.map((r) => r.timestamp);
    expect(firstRows).toEqual([...firstRows].sort((a, b) => a - b));
    await readAll(session);
    expect(view!.rows.map((r) => r.timestamp)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(view!.caughtUp).toBe(true);
  });

  it('starts at an offset, and at a time', async () => {
    const logs = { 0: [10, 20, 30, 40] };
    let view: BrowseView | null = null;
    const byOffset = new BrowseSession(fakeBridge(logs), { topic: 't', partitions: [0], start: { kind: 'offset', offset: 2 } }, (v) => (view = v));
    await byOffset.open(new Map([[0, 4]]));
    await readAll(byOffset);
    expect(view!.rows.map((r) => r.offset)).toEqual([2, 3]);
    const byTime = new BrowseSession(fakeBridge(logs), { topic: 't', partitions: [0], start: { kind: 'time', timestamp: 25 } }, (v) => (view = v));
    await byTime.open(new Map([[0, 4]]));
    await readAll(byTime);
    expect(view!.rows.map((r) => r.offset)).toEqual([2, 3]);
  });

  it('follows new records once told of a higher high watermark', async () => {
    const logs = { 0: [1, 2] };
    let view: BrowseView | null = null;
    const session = new BrowseSession(fakeBridge(logs), { topic: 't', partitions: [0], start: { kind: 'latest' } }, (v) => (view = v));
    await session.open(new Map([[0, 2]]));
    await readAll(session);
    expect(view!.rows.map((r) => r.offset)).toEqual([0, 1]);
    logs[0].push(3);
    session.noteHighWatermarks(new Map([[0, 3]]));
    await readAll(session);
    expect(view!.rows.map((r) => r.offset)).toEqual([0, 1, 2]);
  });
});
