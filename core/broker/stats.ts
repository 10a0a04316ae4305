/**
 * Gathers high-rate facts (records appended per replica, high watermark moves) and emits them
 * as one event per interval, so a cluster taking a million records a second still produces a
 * handful of events a second.
 */
import type { AppendCount, EventBus } from '../events';
import type { Scheduler } from '../time/scheduler';
import { IntervalGatherer } from '../time/interval-gatherer';

export class StatsCollector extends IntervalGatherer {
  private appends = new Map<string, AppendCount>();
  private highWatermarks = new Map<string, { topic: string; partition: number; highWatermark: number }>();
  /** Totals since start, for rates in the app and the benchmark. */
  totalRecordsProduced = 0;
  totalBytesProduced = 0;

  constructor(
    scheduler: Scheduler,
    private readonly events: EventBus,
    intervalMs: number,
  ) {
    super(scheduler, intervalMs);
  }

  /** Counts records appended to one replica. */
  appended(topic: string, partition: number, brokerId: number, records: number, bytes: number, logEndOffset: number, leader: boolean): void {
    const key = `${brokerId}:${topic}-${partition}`;
    const entry = this.appends.get(key);
    if (entry) {
      entry.records += records;
      entry.bytes += bytes;
      entry.logEndOffset = logEndOffset;
    } else {
      this.appends.set(key, { topic, partition, brokerId, records, bytes, logEndOffset, leader });
    }
    if (leader) {
      this.totalRecordsProduced += records;
      this.totalBytesProduced += bytes;
    }
    this.arm();
  }

  /** Notes a partition's new high watermark. */
  highWatermark(topic: string, partition: number, highWatermark: number): void {
    this.highWatermarks.set(`${topic}-${partition}`, { topic, partition, highWatermark });
    this.arm();
  }

  protected emit(now: number, intervalMs: number): void {
    if (this.appends.size > 0) {
      this.events.emit({ type: 'records.appended', time: now, intervalMs, appends: [...this.appends.values()] });
      this.appends = new Map();
    }
    if (this.highWatermarks.size > 0) {
      this.events.emit({ type: 'high-watermark.advanced', time: now, partitions: [...this.highWatermarks.values()] });
      this.highWatermarks = new Map();
    }
  }
}
