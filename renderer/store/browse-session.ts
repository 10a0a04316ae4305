/**
 * Reading a topic for the message browser: pages fetched by offset from each partition
 * (never more than the screen asks for), merged across partitions by timestamp. A k-way merge
 * with look-ahead: a record is shown only once every partition that still has unread records
 * has one buffered, so a later page never inserts records above ones already shown. The rows
 * kept are bounded; when they overflow, the oldest are dropped (the browser follows the tail).
 */
import type { BrowsedRecord, HostBridge, OffsetPosition, RecordPage } from '../../core/host/contract';

/** Where to start reading. */
export type BrowseStart = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: number } | { kind: 'time'; timestamp: number };

/** What to read: a topic, one partition or all, and where to start. */
export interface BrowseSpec {
  topic: string;
  partitions: number[];
  start: BrowseStart;
}

/** Records per partition per page. */
export const PAGE_RECORDS = 200;
/** Most rows kept in the browser at once. */
export const MAX_ROWS = 20_000;
/** How many of the newest records "latest" shows before following new ones. */
const LATEST_BACKLOG = 100;

/** What the browser view shows. */
export interface BrowseView {
  rows: BrowsedRecord[];
  loading: boolean;
  error: string | null;
  /** Every partition is read up to its high watermark. */
  caughtUp: boolean;
  /** Rows dropped from the top to stay within MAX_ROWS. */
  dropped: number;
}

interface PartitionCursor {
  partition: number;
  next: number;
  highWatermark: number;
  buffer: BrowsedRecord[];
}

/** One reading of a topic; replaced when the user changes what to read. */
export class BrowseSession {
  private cursors: PartitionCursor[] = [];
  private rows: BrowsedRecord[] = [];
  private dropped = 0;
  private loading = false;
  private error: string | null = null;
  private closed = false;
  private opened = false;

  constructor(
    private readonly bridge: HostBridge,
    readonly spec: BrowseSpec,
    private readonly onChange: (view: BrowseView) => void,
  ) {}

  /** The current view. */
  view(): BrowseView {
    return { rows: this.rows, loading: this.loading, error: this.error, caughtUp: this.caughtUp(), dropped: this.dropped };
  }

  /** Stops updating the view (a newer session took over). */
  close(): void {
    this.closed = true;
  }

  /** Finds the start offsets, then loads the first pages. */
  async open(highWatermarks: ReadonlyMap<number, number>): Promise<void> {
    this.loading = true;
    this.emit();
    const cursors = await Promise.all(this.spec.partitions.map((partition) => this.startCursor(partition, highWatermarks.get(partition) ?? 0)));
    if (this.closed) return;
    if (cursors.some((c) => c === null)) {
      this.loading = false;
      return this.emit();
    }
    this.cursors = cursors as PartitionCursor[];
    this.opened = true;
    this.loading = false;
    await this.loadMore();
  }

  private async startCursor(partition: number, highWatermark: number): Promise<PartitionCursor | null> {
    const start = this.spec.start;
    let next: number;
    if (start.kind === 'offset') {
      next = start.offset;
    } else {
      const position: OffsetPosition = start.kind === 'time' ? { timestamp: start.timestamp } : start.kind === 'latest' ? 'latest' : 'earliest';
      const result = await this.bridge.call('listOffset', { topic: this.spec.topic, partition, position });
      if (!result.ok) {
        this.error = result.error.message;
        return null;
      }
      // No record at or after the time: start at the end and wait for new ones.
      next = result.value.offset >= 0 ? result.value.offset : highWatermark;
      if (start.kind === 'latest') {
        const earliest = await this.bridge.call('listOffset', { topic: this.spec.topic, partition, position: 'earliest' });
        const floor = earliest.ok ? earliest.value.offset : 0;
        next = Math.max(floor, next - Math.ceil(LATEST_BACKLOG / this.spec.partitions.length));
      }
    }
    return { partition, next, highWatermark, buffer: [] };
  }

  /** Tells the session about high watermarks seen in the cluster's updates. */
  noteHighWatermarks(highWatermarks: ReadonlyMap<number, number>): void {
    for (const cursor of this.cursors) cursor.highWatermark = Math.max(cursor.highWatermark, highWatermarks.get(cursor.partition) ?? 0);
  }

  /** Whether there are records not yet read. */
  hasMore(): boolean {
    return this.cursors.some((c) => c.buffer.length > 0 || c.next < c.highWatermark);
  }

  /** Fetches a page from every partition that needs one, then shows what the merge allows. */
  async loadMore(): Promise<void> {
    if (this.loading || this.closed || !this.opened) return;
    const needing = this.cursors.filter((c) => c.buffer.length === 0 && c.next < c.highWatermark);
    if (needing.length === 0) {
      this.merge();
      return this.emit();
    }
    this.loading = true;
    this.emit();
    const pages = await Promise.all(
      needing.map((c) => this.bridge.call('fetchRecords', { topic: this.spec.topic, partition: c.partition, offset: c.next, maxRecords: PAGE_RECORDS })),
    );
    if (this.closed) return;
    this.loading = false;
    pages.forEach((result, i) => {
      const cursor = needing[i];
      if (!result.ok) {
        this.error = result.error.message;
        return;
      }
      this.error = null;
      this.take(cursor, result.value);
    });
    this.merge();
    this.emit();
  }

  private take(cursor: PartitionCursor, page: RecordPage): void {
    cursor.buffer.push(...page.records);
    cursor.highWatermark = Math.max(cursor.highWatermark, page.highWatermark);
    // Retention may have moved the log start past the cursor: continue from the log start.
    cursor.next = page.records.length > 0 ? page.nextOffset : Math.max(cursor.next, Math.min(page.logStartOffset, page.highWatermark));
  }

  /** Moves records from the buffers to the rows, oldest first, while the order is certain. */
  private merge(): void {
    const added: BrowsedRecord[] = [];
    for (;;) {
      let best: PartitionCursor | null = null;
      let blocked = false;
      for (const cursor of this.cursors) {
        if (cursor.buffer.length === 0) {
          if (cursor.next < cursor.highWatermark) blocked = true;
          continue;
        }
        if (!best || before(cursor.buffer[0], best.buffer[0])) best = cursor;
      }
      if (!best || blocked) break;
      added.push(best.buffer.shift()!);
    }
    if (added.length === 0) return;
    let rows = this.rows.concat(added);
    if (rows.length > MAX_ROWS) {
      this.dropped += rows.length - MAX_ROWS;
      rows = rows.slice(rows.length - MAX_ROWS);
    }
    this.rows = rows;
  }

  private caughtUp(): boolean {
    return this.opened && !this.hasMore();
  }

  private emit(): void {
    if (!this.closed) this.onChange(this.view());
  }
}

function before(a: BrowsedRecord, b: BrowsedRecord): boolean {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  if (a.partition !== b.partition) return a.partition < b.partition;
  return a.offset < b.offset;
}
