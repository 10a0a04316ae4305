/**
 * Converts records between the engine's bytes and the window's plain data: text when the
 * bytes are valid UTF-8, base64 otherwise, values cut at a size that keeps a page of the
 * message browser small (the full size is reported, so the window can say it was cut).
 */
import type { DecodedRecord } from '../protocol/records';
import type { ProducerRecord } from '../client/producer';
import type { BrowsedRecord, CarriedBytes, DraftRecord } from './contract';

/** Longest value carried to the window in a page, in bytes. */
export const MAX_CARRIED_VALUE_BYTES = 16_384;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are UTF-8, else as base64. */
export function carryBytes(bytes: Buffer | null, limit = Infinity): CarriedBytes | null {
  if (bytes === null) return null;
  const cut = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
  try {
    return { text: utf8.decode(cut) };
  } catch {
    // A cut may split a multi-byte character: text up to a valid boundary still reads as text.
    if (cut !== bytes) {
      for (let end = cut.length - 1; end >= cut.length - 3 && end > 0; end--) {
        try {
          return { text: utf8.decode(cut.subarray(0, end)) };
        } catch {
          // try one byte shorter
        }
      }
    }
    return { base64: cut.toString('base64') };
  }
}

/** A decoded record of a partition as the window shows it. */
export function toBrowsedRecord(partition: number, record: DecodedRecord): BrowsedRecord {
  const valueBytes = record.value?.length ?? 0;
  return {
    partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: carryBytes(record.key, MAX_CARRIED_VALUE_BYTES),
    value: carryBytes(record.value, MAX_CARRIED_VALUE_BYTES),
    valueBytes,
    valueTruncated: valueBytes > MAX_CARRIED_VALUE_BYTES,
    headers: record.headers.map((header) => ({ key: header.key, value: carryBytes(header.value, MAX_CARRIED_VALUE_BYTES) })),
  };
}

/** A typed record as the engine's producer takes it. */
export function toProducerRecord(draft: DraftRecord, key = draft.key, value = draft.value): ProducerRecord {
  const record: ProducerRecord = { key, value };
  if (draft.headers.length > 0) {
    record.headers = draft.headers.map((header) => ({ key: header.key, value: header.value === null ? null : Buffer.from(header.value, 'utf8') }));
  }
  if (draft.partition !== null) record.partition = draft.partition;
  return record;
}
