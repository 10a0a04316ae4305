/**
 * JSON lines in and out of the message browser and the produce form. Each imported line is an
 * object with `value` (and optionally `key`, `headers`, `partition`) as exported, or any other
 * JSON value, which becomes the record's value.
 */
import type { BrowsedRecord, CarriedBytes, DraftRecord } from '../../core/host/contract';

/** Most lines one import sends (the host's limit for one produce). */
export const MAX_IMPORT_LINES = 100_000;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parses a JSON-lines file into records, or says which line is wrong. */
export function parseJsonLines(content: string): { records: DraftRecord[] } | { error: string } {
  const records: DraftRecord[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { error: `Line ${i + 1} is not valid JSON.` };
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'value' in parsed) {
      const record = parsed as { key?: unknown; value?: unknown; headers?: unknown; partition?: unknown };
      const headers = Array.isArray(record.headers)
        ? record.headers.map((h: { key?: unknown; value?: unknown }) => ({ key: String(h.key ?? ''), value: text(h.value) }))
        : record.headers && typeof record.headers === 'object'
          ? Object.entries(record.headers as Record<string, unknown>).map(([key, value]) => ({ key, value: text(value) }))
          : [];
      const partition = typeof record.partition === 'number' && Number.isInteger(record.partition) && record.partition >= 0 ? record.partition : null;
      records.push({ key: text(record.key), value: text(record.value), headers, partition });
    } else {
      records.push({ key: null, value: text(parsed), headers: [], partition: null });
    }
    if (records.length > MAX_IMPORT_LINES) return { error: `The file has more than ${MAX_IMPORT_LINES.toLocaleString('en-US')} records; split it.` };
  }
  if (records.length === 0) return { error: 'The file has no records.' };
  return { records };
}

/** Carried bytes as text (base64 kept as it is, marked). */
function exported(bytes: CarriedBytes | null): string | null {
  if (bytes === null) return null;
  return bytes.text ?? `base64:${bytes.base64}`;
}

/** Records as JSON lines, in the shape parseJsonLines reads back. */
export function toJsonLines(records: BrowsedRecord[]): string {
  return records
    .map((r) =>
      JSON.stringify({
        partition: r.partition,
        offset: r.offset,
        timestamp: r.timestamp,
        key: exported(r.key),
        value: exported(r.value),
        headers: r.headers.map((h) => ({ key: h.key, value: exported(h.value) })),
      }),
    )
    .join('\n');
}
