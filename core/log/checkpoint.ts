/**
 * Kafka's checkpoint files (CheckpointFile.java): plain text, a version line, a count line, then
 * one entry per line with fields separated by a space:
 *
 *   0
 *   2
 *   orders 0 1500
 *   orders 1 1320
 *
 * A data dir holds three with `topic partition offset` entries; every partition dir holds a
 * `leader-epoch-checkpoint` with `epoch startOffset` entries. Files are replaced atomically.
 */
import type { Storage } from './storage';

/** The data dir's file of per-partition recovery points (offsets below which the log was flushed). */
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
/** The data dir's file of per-partition high watermarks. */
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';
/** The data dir's file of per-partition log start offsets. */
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
/** The partition dir's file of leader epochs and their start offsets. */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';

/** The only version Kafka writes for these files. */
export const CHECKPOINT_VERSION = 0;

/** A checkpoint file that cannot be parsed. */
export class CheckpointError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`malformed checkpoint file ${path}: ${message}`);
    this.name = 'CheckpointError';
  }
}

/** One entry of an offset checkpoint. */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** One entry of a leader epoch checkpoint: the first offset written in `epoch`. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** The text of a checkpoint holding `lines` (each one entry, fields already joined). */
export function formatCheckpoint(lines: readonly string[]): string {
  return `${CHECKPOINT_VERSION}\n${lines.length}\n${lines.map((line) => `${line}\n`).join('')}`;
}

/**
 * The entries of a checkpoint's text, each split into `fieldCount` fields. Rejects an unknown
 * version, a count that does not match the entries, and entries of the wrong shape.
 */
export function parseCheckpoint(text: string, path: string, fieldCount: number): string[][] {
  const lines = text.split('\n');
  // The file ends with a newline, leaving one empty string after the split.
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) throw new CheckpointError(path, 'missing the version or count line');
  if (lines[0].trim() !== String(CHECKPOINT_VERSION)) {
    throw new CheckpointError(path, `unrecognized version '${lines[0]}' (expected ${CHECKPOINT_VERSION})`);
  }
  const count = parseNonNegativeInteger(lines[1], path, 'entry count');
  const entries = lines.slice(2);
  if (entries.length !== count) throw new CheckpointError(path, `expected ${count} entries, found ${entries.length}`);
  return entries.map((line, i) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== fieldCount) {
      throw new CheckpointError(path, `entry ${i + 1} '${line}' has ${fields.length} fields, expected ${fieldCount}`);
    }
    return fields;
  });
}

/** Parses a decimal integer >= 0 that a JS number holds exactly. */
function parseNonNegativeInteger(field: string, path: string, what: string): number {
  const trimmed = field.trim();
  if (!/^\d+$/.test(trimmed)) throw new CheckpointError(path, `${what} '${field}' is not a non-negative integer`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) throw new CheckpointError(path, `${what} '${field}' is too large`);
  return value;
}

/** Reads a checkpoint's entries; a missing file has none. */
function readEntries(storage: Storage, path: string, fieldCount: number): string[][] {
  const data = storage.readFile(path);
  return data === undefined ? [] : parseCheckpoint(data.toString('utf8'), path, fieldCount);
}

/** Reads a `topic partition offset` checkpoint; [] when the file does not exist. */
export function readOffsetCheckpoint(storage: Storage, path: string): TopicPartitionOffset[] {
  return readEntries(storage, path, 3).map(([topic, partition, offset]) => ({
    topic,
    partition: parseNonNegativeInteger(partition, path, 'partition'),
    offset: parseNonNegativeInteger(offset, path, 'offset'),
  }));
}

/** Replaces a `topic partition offset` checkpoint. */
export function writeOffsetCheckpoint(storage: Storage, path: string, entries: Iterable<TopicPartitionOffset>): void {
  const lines: string[] = [];
  for (const { topic, partition, offset } of entries) lines.push(`${topic} ${partition} ${offset}`);
  storage.writeFileAtomic(path, formatCheckpoint(lines));
}

/** Reads a leader epoch checkpoint; [] when the file does not exist. */
export function readEpochCheckpoint(storage: Storage, path: string): EpochEntry[] {
  return readEntries(storage, path, 2).map(([epoch, startOffset]) => ({
    epoch: parseNonNegativeInteger(epoch, path, 'epoch'),
    startOffset: parseNonNegativeInteger(startOffset, path, 'start offset'),
  }));
}

/** Replaces a leader epoch checkpoint. */
export function writeEpochCheckpoint(storage: Storage, path: string, entries: readonly EpochEntry[], options: { sync?: boolean } = {}): void {
  storage.writeFileAtomic(path, formatCheckpoint(entries.map(({ epoch, startOffset }) => `${epoch} ${startOffset}`)), options);
}
