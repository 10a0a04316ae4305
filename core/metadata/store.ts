/**
 * The durable metadata log (KRaft's `__cluster_metadata`), kept as JSON lines under the
 * cluster's data dir: `__cluster_metadata-0/metadata.jsonl` and, once the log grows, a
 * snapshot that replaces the records before it. In a real cluster a Raft quorum of
 * controllers replicates this log; here the quorum is modelled as always reachable by the
 * active controller (as ZooKeeper was), so the interesting failures stay the brokers'.
 */
import type { Storage } from '../log/storage';
import { applyRecord, cloneImage, emptyImage, imageToRecords, type MetadataImage, type MetadataRecord } from './image';

const DIR = '__cluster_metadata-0';
const LOG_FILE = `${DIR}/metadata.jsonl`;
const SNAPSHOT_FILE = `${DIR}/snapshot.json`;

/** Watches records as they are committed. */
export interface MetadataObserver {
  /** Called before `record` is applied to `image`. */
  record(record: MetadataRecord, image: MetadataImage): void;
  /** Called once a batch of records is durable and applied. */
  committed(): void;
}

interface Snapshot {
  offset: number;
  clusterId: string;
  records: MetadataRecord[];
}

/** The metadata log plus the image it adds up to. */
export class MetadataStore {
  /** The current image; callers must not mutate it. */
  readonly image: MetadataImage;
  /** Records after the snapshot, in memory for brokers that are catching up. */
  private tail: { offset: number; record: MetadataRecord }[] = [];
  private snapshotOffset = -1;
  private readonly file;
  /** Sees every record just before it is applied (the cluster turns them into events). */
  observer: MetadataObserver | null = null;

  private constructor(
    private readonly storage: Storage,
    readonly clusterId: string,
    private readonly snapshotEvery: number,
  ) {
    this.image = emptyImage();
    storage.mkdirp(DIR);
    this.file = storage.open(LOG_FILE);
  }

  /** Opens the store in `storage`, replaying the snapshot and the log; creates it when absent. */
  static open(storage: Storage, newClusterId: () => string, snapshotEvery = 20_000): MetadataStore {
    const snapshotData = storage.readFile(SNAPSHOT_FILE);
    const snapshot = snapshotData ? (JSON.parse(snapshotData.toString('utf8')) as Snapshot) : null;
    const store = new MetadataStore(storage, snapshot?.clusterId ?? newClusterId(), snapshotEvery);
    if (snapshot) {
      for (const record of snapshot.records) applyRecord(store.image, record);
      store.image.offset = snapshot.offset;
      store.snapshotOffset = snapshot.offset;
    }
    store.replayLog();
    if (!snapshot) store.writeSnapshot();
    return store;
  }

  private replayLog(): void {
    const data = this.storage.readFile(LOG_FILE);
    if (!data) return;
    let validBytes = 0;
    let start = 0;
    for (;;) {
      const end = data.indexOf(0x0a, start);
      if (end < 0) break;
      let entry: { offset: number; record: MetadataRecord };
      try {
        entry = JSON.parse(data.toString('utf8', start, end));
      } catch {
        break; // A torn last line: everything before it was committed.
      }
      if (entry.offset > this.image.offset) {
        applyRecord(this.image, entry.record);
        this.image.offset = entry.offset;
        this.tail.push(entry);
      }
      validBytes = end + 1;
      start = end + 1;
    }
    if (validBytes < data.length) this.file.truncate(validBytes);
  }

  /** Appends records durably and applies them; returns the offset of the last one. */
  append(records: MetadataRecord[]): number {
    if (records.length === 0) return this.image.offset;
    const lines: string[] = [];
    for (const record of records) {
      const offset = this.image.offset + 1;
      this.observer?.record(record, this.image);
      applyRecord(this.image, record);
      this.image.offset = offset;
      this.tail.push({ offset, record });
      lines.push(JSON.stringify({ offset, record }));
    }
    this.file.append(Buffer.from(lines.join('\n') + '\n', 'utf8'));
    this.observer?.committed();
    if (this.tail.length >= this.snapshotEvery) this.writeSnapshot();
    return this.image.offset;
  }

  /**
   * What a broker at `offset` needs to catch up: the records after it, or, when those were
   * folded into a snapshot, the whole image.
   */
  since(offset: number): { records: { offset: number; record: MetadataRecord }[] } | { image: MetadataImage } {
    if (offset < this.snapshotOffset) return { image: cloneImage(this.image) };
    const firstIndex = this.tail.findIndex((entry) => entry.offset > offset);
    return { records: firstIndex < 0 ? [] : this.tail.slice(firstIndex) };
  }

  /** Writes a snapshot of the current image and empties the log. */
  writeSnapshot(): void {
    const snapshot: Snapshot = { offset: this.image.offset, clusterId: this.clusterId, records: imageToRecords(this.image) };
    this.storage.writeFileAtomic(SNAPSHOT_FILE, JSON.stringify(snapshot));
    this.file.truncate(0);
    this.tail = [];
    this.snapshotOffset = this.image.offset;
  }

  /** Flushes and closes the log file. */
  close(): void {
    this.file.flush();
    this.file.close();
  }
}
