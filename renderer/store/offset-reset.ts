/**
 * The reset-offsets form's choice turned into the contract's OffsetResetSpec, as the popular
 * Kafka explorers (and kafka-consumer-groups.sh --reset-offsets) offer it: to the earliest or
 * latest offset, to an offset, to a time, or shifted by N. Pure, so the parsing is tested.
 */
import type { OffsetResetSpec } from '../../core/host/contract';

/** The kinds of reset, in the order the form lists them. */
export type ResetKind = OffsetResetSpec['kind'];

/** Each kind with its label and what the value field expects. */
export const RESET_KINDS: { kind: ResetKind; label: string; placeholder: string | null }[] = [
  { kind: 'earliest', label: 'to the earliest offset (--to-earliest)', placeholder: null },
  { kind: 'latest', label: 'to the latest offset (--to-latest)', placeholder: null },
  { kind: 'offset', label: 'to an offset (--to-offset)', placeholder: 'offset, e.g. 1200' },
  { kind: 'timestamp', label: 'to a time (--to-datetime)', placeholder: '2026-01-31 14:00 or ms since 1970' },
  { kind: 'shift', label: 'shift by N (--shift-by)', placeholder: '-100 or 250' },
];

/** Reads a time typed as a local date and time, an ISO string, or milliseconds since the epoch. */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // "2026-01-31 14:00" is local time, as a person reads a clock; Date.parse wants the T.
  const time = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(trimmed) ? trimmed.replace(' ', 'T') : trimmed);
  return Number.isFinite(time) && time >= 0 ? time : null;
}

/** The spec for a kind and typed value, or INVALID_REQUEST and a sentence. */
export function buildResetSpec(kind: ResetKind, value: string): OffsetResetSpec | string {
  switch (kind) {
    case 'earliest':
    case 'latest':
      return { kind };
    case 'offset': {
      const offset = Number(value.trim());
      if (value.trim() === '' || !Number.isSafeInteger(offset) || offset < 0) return 'INVALID_REQUEST: the offset must be a whole number of at least 0.';
      return { kind, offset };
    }
    case 'timestamp': {
      const timestamp = parseTime(value);
      if (timestamp === null) return 'INVALID_REQUEST: write the time as 2026-01-31 14:00 (local), an ISO time, or milliseconds since 1970.';
      return { kind, timestamp };
    }
    case 'shift': {
      const by = Number(value.trim());
      if (value.trim() === '' || !Number.isSafeInteger(by)) return 'INVALID_REQUEST: shift by a whole number of records, negative to go back (e.g. -100).';
      return { kind, by };
    }
  }
}
