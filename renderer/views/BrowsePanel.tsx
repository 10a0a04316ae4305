/**
 * The message browser: a topic's records from one partition or all, starting at the earliest,
 * the latest, an offset or a time; a virtualised list (only the rows on screen are drawn, only
 * the pages near them fetched) that follows new records while scrolled to the end; a record's
 * value as text, pretty JSON or hex; replay a record as it is or edited; export as JSON lines.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BrowsedRecord, CarriedBytes, TopicSnapshot } from '../../core/host/contract';
import { BrowseSession, type BrowseStart, type BrowseView } from '../store/browse-session';
import { getStore, host } from '../store/store';
import { formatCount, formatExact, formatRelative } from '../components/format';
import { ErrorText } from '../components/ErrorText';
import { toJsonLines } from './json-lines';
import { useNow } from './use-now';
import { WriteButton } from '../components/Gate';

type ValueFormat = 'text' | 'json' | 'hex';
const ROW_HEIGHT = 52;

function bytesOf(carried: CarriedBytes): Uint8Array {
  if (carried.text !== undefined) return new TextEncoder().encode(carried.text);
  return Uint8Array.from(atob(carried.base64), (c) => c.charCodeAt(0));
}

/** A value as the chosen format shows it (binary values always as hex). */
export function showBytes(carried: CarriedBytes | null, format: ValueFormat, multiline = false): string {
  if (carried === null) return 'null';
  if (format === 'hex' || carried.text === undefined) {
    const bytes = bytesOf(carried).subarray(0, multiline ? 4096 : 64);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  }
  if (format === 'json') {
    try {
      return JSON.stringify(JSON.parse(carried.text), null, multiline ? 2 : undefined);
    } catch {
      return carried.text;
    }
  }
  return carried.text;
}

function highWatermarks(topic: TopicSnapshot): Map<number, number> {
  return new Map(topic.partitions.map((p) => [p.partition, Math.max(0, p.highWatermark)]));
}

function parseStart(kind: string, input: string): BrowseStart | string {
  if (kind === 'earliest' || kind === 'latest') return { kind };
  if (kind === 'offset') {
    const offset = Number(input);
    return Number.isInteger(offset) && offset >= 0 ? { kind: 'offset', offset } : 'The offset must be a whole number of at least 0.';
  }
  const timestamp = new Date(input).getTime();
  return Number.isFinite(timestamp) ? { kind: 'time', timestamp } : 'Give a date and time, e.g. 2026-01-31 14:00.';
}

function Row({ record, format, selected, now, onSelect }: { record: BrowsedRecord; format: ValueFormat; selected: boolean; now: number; onSelect: () => void }) {
  return (
    <button className={`message-row ${selected ? 'selected' : ''}`} data-testid="message-row" data-offset={record.offset} data-partition={record.partition} onClick={onSelect}>
      <span className="message-meta">
        <span className="mono">
          p{record.partition} · #{formatCount(record.offset)}
        </span>
        <time className="muted" title={formatExact(record.timestamp)}>
          {formatRelative(record.timestamp, now)}
        </time>
        {record.key && <span className="message-key mono" title="Key">{showBytes(record.key, 'text')}</span>}
        {record.headers.length > 0 && <span className="muted">{record.headers.length} headers</span>}
      </span>
      <span className="message-value mono">{showBytes(record.value, format)}</span>
    </button>
  );
}

function RecordDetail({ record, topic, format }: { record: BrowsedRecord; topic: string; format: ValueFormat }) {
  const [status, setStatus] = useState<string | null>(null);
  const asDraft = () => ({
    key: record.key?.text ?? null,
    value: record.value?.text ?? null,
    headers: record.headers.map((h) => ({ key: h.key, value: h.value?.text ?? null })),
  });
  const replay = async (): Promise<void> => {
    const draft = asDraft();
    const result = await host().call('produce', { topic, records: [{ ...draft, partition: null }], acks: -1 });
    if (result.ok) {
      getStore().getState().showPath(topic, result.value.partition);
      setStatus(`Replayed to partition ${result.value.partition} at offset ${result.value.offset}`);
    } else {
      setStatus(result.error.message);
    }
  };
  const edit = (): void => {
    const draft = asDraft();
    const store = getStore().getState();
    store.setDraft({ key: draft.key ?? '', value: draft.value ?? '', headers: draft.headers.map((h) => ({ key: h.key, value: h.value ?? '' })), partition: '' });
    store.setTopicTab('produce');
  };
  const binary = record.value !== null && record.value.text === undefined;
  return (
    <div className="record-detail">
      <div className="record-detail-head">
        <strong>
          Partition {record.partition}, offset {formatCount(record.offset)}
        </strong>
        <span className="muted">{formatExact(record.timestamp)}</span>
      </div>
      {record.key && <div className="mono small-text">key: {showBytes(record.key, 'text')}</div>}
      {record.headers.map((h, i) => (
        <div className="mono small-text muted" key={i}>
          {h.key}: {showBytes(h.value, 'text')}
        </div>
      ))}
      <pre className="record-value">{showBytes(record.value, format, true)}</pre>
      {record.valueTruncated && <div className="muted small-text">Showing the first 16 KB of {formatCount(record.valueBytes)} bytes.</div>}
      <div className="actions start">
        <WriteButton command="produce" className="small" disabled={binary || record.valueTruncated} onClick={() => void replay()} title="Send this record again, as it is, to the same topic">
          Replay
        </WriteButton>
        <WriteButton command="produce" className="small" disabled={binary || record.valueTruncated} onClick={edit} title="Open it in the produce form to edit before sending">
          Edit & replay
        </WriteButton>
      </div>
      {status && (status.startsWith('Replayed') ? <div className="result">{status}</div> : <ErrorText message={status} />)}
    </div>
  );
}

export function BrowsePanel({ topic }: { topic: TopicSnapshot }) {
  const [partitionChoice, setPartitionChoice] = useState('all');
  const [startKind, setStartKind] = useState('earliest');
  const [startInput, setStartInput] = useState('');
  const [format, setFormat] = useState<ValueFormat>('text');
  const [view, setView] = useState<BrowseView>({ rows: [], loading: false, error: null, caughtUp: false, dropped: 0 });
  const [selected, setSelected] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const sessionRef = useRef<BrowseSession | null>(null);
  const following = useRef(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(1_000);
  const partitions = useMemo(
    () => (partitionChoice === 'all' ? topic.partitions.map((p) => p.partition) : [Number(partitionChoice)]),
    [partitionChoice, topic.partitions.length],
  );

  // A new session whenever what to read changes.
  useEffect(() => {
    const start = parseStart(startKind, startInput);
    if (typeof start === 'string') {
      setProblem(start);
      return;
    }
    setProblem(null);
    const session = new BrowseSession(host(), { topic: topic.name, partitions, start }, setView);
    sessionRef.current?.close();
    sessionRef.current = session;
    following.current = true;
    setSelected(null);
    void session.open(highWatermarks(topic));
    return () => session.close();
    // Restarted on purpose by the Go button (generation) and by the choices.
  }, [topic.name, partitions, startKind, generation]);

  // New records: note the high watermarks and read on while following the end.
  useEffect(() => {
    const session = sessionRef.current;
    if (!session) return;
    session.noteHighWatermarks(highWatermarks(topic));
    if (following.current && session.hasMore()) void session.loadMore();
  }, [topic]);

  const virtualizer = useVirtualizer({ count: view.rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    const session = sessionRef.current;
    if (session && lastVisible >= view.rows.length - 20 && session.hasMore()) void session.loadMore();
  }, [lastVisible, view.rows.length]);
  useEffect(() => {
    if (following.current && view.rows.length > 0) virtualizer.scrollToIndex(view.rows.length - 1, { align: 'end' });
  }, [view.rows.length]);

  const onScroll = (): void => {
    const element = scrollRef.current;
    if (element) following.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
  };
  const exportRows = (): void => {
    const blob = new Blob([toJsonLines(view.rows)], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${topic.name}.jsonl`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  const tailing = following.current && (view.caughtUp || (view.loading && view.rows.length > 0));
  const selectedRecord = selected ? view.rows.find((r) => `${r.partition}:${r.offset}` === selected) : undefined;
  return (
    <div className="panel browse">
      <div className="row">
        <label>
          <span>Partition</span>
          <select name="browse-partition" value={partitionChoice} onChange={(e) => setPartitionChoice(e.target.value)}>
            <option value="all">all</option>
            {topic.partitions.map((p) => (
              <option key={p.partition} value={String(p.partition)}>
                {p.partition}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Start at</span>
          <select name="browse-start" value={startKind} onChange={(e) => setStartKind(e.target.value)}>
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
            <option value="offset">offset</option>
            <option value="time">time</option>
          </select>
        </label>
        {(startKind === 'offset' || startKind === 'time') && (
          <label>
            <span>{startKind === 'offset' ? 'Offset' : 'Time'}</span>
            <input name="browse-from" type={startKind === 'offset' ? 'number' : 'datetime-local'} value={startInput} onChange={(e) => setStartInput(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && setGeneration((g) => g + 1)} />
          </label>
        )}
        <button className="small align-self-end" onClick={() => setGeneration((g) => g + 1)} title="Read again from the start position">
          Go
        </button>
      </div>
      <div className="row browse-bar">
        <span className="segmented" role="radiogroup" aria-label="Value format">
          {(['text', 'json', 'hex'] as const).map((f) => (
            <button key={f} type="button" role="radio" aria-checked={format === f} className={format === f ? 'active' : ''} onClick={() => setFormat(f)}>
              {f === 'json' ? 'JSON' : f === 'hex' ? 'Hex' : 'Text'}
            </button>
          ))}
        </span>
        <span className={`live-chip ${tailing ? 'on' : ''}`} title="While scrolled to the end, new records appear as they are written">
          <span className="dot" /> {tailing ? `live tail · ${formatCount(view.rows.length)}` : view.loading ? 'loading…' : `${formatCount(view.rows.length)} shown`}
        </span>
        <button className="small" onClick={exportRows} disabled={view.rows.length === 0} title="Download the shown records as JSON lines">
          Export
        </button>
      </div>
      {problem && <ErrorText message={problem} />}
      {view.error && <ErrorText message={view.error} />}
      {view.dropped > 0 && <div className="muted small-text">Older rows beyond {formatCount(view.rows.length)} were dropped; start at an offset to see them.</div>}
      <div className="message-scroll" ref={scrollRef} onScroll={onScroll}>
        {view.rows.length === 0 && !view.loading && <p className="muted empty-note">{view.caughtUp ? 'No records yet. New ones appear here as they are written.' : ''}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const record = view.rows[item.index];
            const key = `${record.partition}:${record.offset}`;
            return (
              <div key={key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <Row record={record} format={format} selected={key === selected} now={now} onSelect={() => setSelected(key === selected ? null : key)} />
              </div>
            );
          })}
        </div>
      </div>
      {selectedRecord && <RecordDetail record={selectedRecord} topic={topic.name} format={format} />}
    </div>
  );
}
