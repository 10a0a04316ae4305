/**
 * Idempotent producers' state for one partition replica (Kafka's ProducerStateManager,
 * without transactions): per producer id its epoch and its last five batches' sequence ranges
 * and offsets. The leader checks every batch that carries a producer id: a batch seen before
 * gets its original offsets back instead of being written twice; a gap in the sequence is
 * OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is INVALID_PRODUCER_EPOCH. Every replica
 * updates the same state from the batches it appends, so it survives a leader change; a
 * snapshot saved with the checkpoints, plus the batches after it, restore it after a restart.
 */
import { BASE_SEQUENCE_OFFSET, LAST_OFFSET_DELTA_OFFSET, PRODUCER_EPOCH_OFFSET, PRODUCER_ID_OFFSET, batchSizeAt, readInt64 } from '../protocol/batch';
import type { KafkaErrorName } from '../protocol/errors';

/** How many recent batches per producer are kept for duplicate detection (Kafka: 5). */
export const BATCHES_PER_PRODUCER = 5;

/** Where one batch of a producer went. */
interface BatchMetadata {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

/** One producer's state. */
interface ProducerEntry {
  epoch: number;
  batches: BatchMetadata[];
}

/** The producer fields of a batch header. */
export interface ProducerBatch {
  producerId: number;
  epoch: number;
  firstSequence: number;
  lastSequence: number;
}

/** The outcome of checking a batch before it is appended. */
export type SequenceCheck = { kind: 'append' } | { kind: 'duplicate'; firstOffset: number } | { kind: 'reject'; error: KafkaErrorName; message: string };

/** Reads the producer fields of the batch at `pos`, or null when it has no producer id. */
export function producerBatchAt(records: Buffer, pos: number): ProducerBatch | null {
  const producerId = readInt64(records, pos + PRODUCER_ID_OFFSET);
  if (producerId < 0) return null;
  const firstSequence = records.readInt32BE(pos + BASE_SEQUENCE_OFFSET);
  const delta = records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
  return {
    producerId,
    epoch: records.readInt16BE(pos + PRODUCER_EPOCH_OFFSET),
    firstSequence,
    lastSequence: firstSequence < 0 ? -1 : (firstSequence + delta) % 2147483648,
  };
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();
  /** The log offset this state covers up to (exclusive). */
  coveredUpTo = 0;
  /** Whether the state changed since it was last saved. */
  changed = false;

  /** Number of producers tracked. */
  get size(): number {
    return this.producers.size;
  }

  /** Kafka's checks for a batch about to be appended by the leader. */
  check(batch: ProducerBatch): SequenceCheck {
    const entry = this.producers.get(batch.producerId);
    if (!entry) return { kind: 'append' };
    if (batch.epoch < entry.epoch) {
      return { kind: 'reject', error: 'INVALID_PRODUCER_EPOCH', message: `producer ${batch.producerId} used epoch ${batch.epoch}, older than its current epoch ${entry.epoch}` };
    }
    const duplicate = entry.batches.find((b) => b.firstSequence === batch.firstSequence && b.lastSequence === batch.lastSequence);
    if (batch.epoch === entry.epoch && duplicate) return { kind: 'duplicate', firstOffset: duplicate.firstOffset };
    if (batch.epoch > entry.epoch) {
      if (batch.firstSequence !== 0) {
        return { kind: 'reject', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: `producer ${batch.producerId} began epoch ${batch.epoch} at sequence ${batch.firstSequence}, not 0` };
      }
      return { kind: 'append' };
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last && batch.firstSequence !== (last.lastSequence + 1) % 2147483648) {
      return {
        kind: 'reject',
        error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
        message: `producer ${batch.producerId} sent sequence ${batch.firstSequence} after ${last.lastSequence}`,
      };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (leader or follower). */
  update(batch: ProducerBatch, firstOffset: number, lastOffset: number): void {
    let entry = this.producers.get(batch.producerId);
    if (!entry || batch.epoch > entry.epoch) {
      entry = { epoch: batch.epoch, batches: [] };
      this.producers.set(batch.producerId, entry);
    }
    if (batch.firstSequence >= 0) {
      entry.batches.push({ firstSequence: batch.firstSequence, lastSequence: batch.lastSequence, firstOffset, lastOffset });
      if (entry.batches.length > BATCHES_PER_PRODUCER) entry.batches.shift();
    }
    this.coveredUpTo = Math.max(this.coveredUpTo, lastOffset + 1);
    this.changed = true;
  }

  /** Records every producer batch in appended records (offsets already assigned). */
  updateFromRecords(records: Buffer): void {
    for (let pos = 0; pos + 61 <= records.length; ) {
      const size = batchSizeAt(records, pos);
      const first = readInt64(records, pos);
      const last = first + records.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
      const batch = producerBatchAt(records, pos);
      if (batch) this.update(batch, first, last);
      else this.coveredUpTo = Math.max(this.coveredUpTo, last + 1);
      pos += size;
    }
  }

  /** Forgets batches at or after `offset` (the log was truncated there). */
  truncateTo(offset: number): void {
    for (const [id, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.lastOffset < offset);
      if (entry.batches.length === 0) this.producers.delete(id);
    }
    this.coveredUpTo = Math.min(this.coveredUpTo, offset);
    this.changed = true;
  }

  /** The state as JSON for a snapshot file. */
  toJSON(): { coveredUpTo: number; producers: [number, ProducerEntry][] } {
    return { coveredUpTo: this.coveredUpTo, producers: [...this.producers.entries()] };
  }

  /** Restores a snapshot; returns false when it is not one. */
  load(data: unknown): boolean {
    const snapshot = data as ReturnType<ProducerStateManager['toJSON']>;
    if (!snapshot || typeof snapshot.coveredUpTo !== 'number' || !Array.isArray(snapshot.producers)) return false;
    this.producers.clear();
    for (const [id, entry] of snapshot.producers) this.producers.set(id, entry);
    this.coveredUpTo = snapshot.coveredUpTo;
    return true;
  }
}
