/**
 * Rebuilds a coordinator's state from one partition of __consumer_offsets when its broker
 * becomes that partition's leader (Kafka's CoordinatorLoader): reads the log from its start to
 * its end, a chunk per scheduler task (offsets.load.buffer.size), replaying every record so the
 * last value of each key wins and tombstones delete. While it runs, requests for the
 * partition's groups get COORDINATOR_LOAD_IN_PROGRESS.
 */
import type { Log } from '../log/log';
import { OffsetOutOfRangeError } from '../log/log';
import { decodeRecordBatches } from '../protocol/records';
import { decodeOffsetsTopicRecord, type GroupMetadataValue } from './offsets-records';
import { OffsetStore } from './offset-store';

/** What a partition of __consumer_offsets holds once replayed. */
export interface LoadedPartition {
  groups: Map<string, GroupMetadataValue>;
  offsets: OffsetStore;
  records: number;
  skippedRecords: number;
}

/** Control batches (transaction markers) carry no group data. */
const CONTROL_FLAG = 0x20;

/**
 * Replays `log` into a LoadedPartition, one chunk per task given to `schedule`; stops quietly
 * when `cancelled()` turns true (the broker lost the partition meanwhile).
 */
export function loadPartition(
  log: Log,
  chunkBytes: number,
  schedule: (task: () => void) => void,
  cancelled: () => boolean,
  done: (loaded: LoadedPartition) => void,
): void {
  const loaded: LoadedPartition = { groups: new Map(), offsets: new OffsetStore(), records: 0, skippedRecords: 0 };
  let offset = log.logStartOffset;
  const step = (): void => {
    if (cancelled()) return;
    let chunk: Buffer;
    try {
      chunk = offset >= log.logEndOffset ? Buffer.alloc(0) : log.read(offset, chunkBytes, log.logEndOffset).records;
    } catch (error) {
      // Retention moved the log start past us: continue from the new start.
      if (!(error instanceof OffsetOutOfRangeError)) throw error;
      offset = log.logStartOffset;
      schedule(step);
      return;
    }
    if (chunk.length === 0) {
      done(loaded);
      return;
    }
    for (const batch of decodeRecordBatches(chunk)) {
      offset = batch.header.baseOffset + batch.header.lastOffsetDelta + 1;
      if ((batch.header.attributes & CONTROL_FLAG) !== 0) continue;
      for (const record of batch.records) replay(loaded, record.key, record.value);
    }
    schedule(step);
  };
  schedule(step);
}

function replay(loaded: LoadedPartition, key: Buffer | null, value: Buffer | null): void {
  if (key === null) {
    loaded.skippedRecords++;
    return;
  }
  let record;
  try {
    record = decodeOffsetsTopicRecord(key, value);
  } catch {
    // Kafka skips records of unknown types; so does the loader.
    loaded.skippedRecords++;
    return;
  }
  loaded.records++;
  if (record.type === 'offset-commit') {
    if (record.value === null) loaded.offsets.delete(record.group, record.topic, record.partition);
    else {
      const { offset, leaderEpoch, metadata, commitTimestamp } = record.value;
      loaded.offsets.set(record.group, record.topic, record.partition, { offset, leaderEpoch, metadata, commitTimestamp });
    }
  } else if (record.value === null) {
    loaded.groups.delete(record.group);
  } else {
    loaded.groups.set(record.group, record.value);
  }
}
