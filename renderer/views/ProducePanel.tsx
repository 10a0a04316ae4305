/**
 * Produce by hand: key, value (text or JSON, checked before sending), headers, partition
 * (automatic or chosen), acks; send once, send N, or run a steady producer; import a file of
 * JSON lines. Keys and values may hold templates ({{seq}}, {{uuid}}, {{time}}, {{timestamp}},
 * {{random}}). The result names the partition and offset, or Kafka's error and a sentence; a
 * sent record's path is drawn on the map.
 */
import { useRef, useState } from 'react';
import type { CommandResult, DraftRecord, ProduceOutcome, TopicSnapshot } from '../../core/host/contract';
import { getStore, host, useApp, type ProduceDraft } from '../store/store';
import { ErrorText } from '../components/ErrorText';
import { Term } from '../components/Term';
import { formatCount } from '../components/format';
import { parseJsonLines } from './json-lines';
import { ProducerList } from './ProducerList';
import { useWriteBlocked, WriteButton } from '../components/Gate';

/** Placeholders replaced by sample values, so a JSON template can be checked before expansion. */
const SAMPLES: Record<string, string> = { seq: '0', uuid: '00000000-0000-4000-8000-000000000000', time: '2026-01-01T00:00:00.000Z', timestamp: '0', random: '0' };

/** Why a JSON value is not JSON, or null when it is (templates count as their sample values). */
export function jsonProblem(text: string): string | null {
  const sample = text.replace(/\{\{\s*(seq|uuid|time|timestamp|random)\s*\}\}/g, (_, name: string) => SAMPLES[name]);
  try {
    JSON.parse(sample);
    return null;
  } catch (error) {
    return `The value is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function describeOutcome(outcome: ProduceOutcome): string {
  if (outcome.records === 1) {
    return outcome.offset >= 0 ? `Sent to partition ${outcome.partition} at offset ${outcome.offset}` : `Sent to partition ${outcome.partition} (acks=0: the broker does not report offsets)`;
  }
  const places = outcome.placements
    .slice(0, 6)
    .map((p) => (p.firstOffset === p.lastOffset ? `partition ${p.partition} offset ${p.firstOffset}` : `partition ${p.partition} offsets ${p.firstOffset}–${p.lastOffset}`))
    .join(', ');
  const more = outcome.placements.length > 6 ? ` and ${outcome.placements.length - 6} more partitions` : '';
  return `Sent ${formatCount(outcome.records)} records: ${places}${more}. Last: partition ${outcome.partition} at offset ${outcome.offset}`;
}

function draftRecord(draft: ProduceDraft): DraftRecord {
  return {
    key: draft.key === '' ? null : draft.key,
    value: draft.value,
    headers: draft.headers.filter((h) => h.key !== '').map((h) => ({ key: h.key, value: h.value })),
    partition: draft.partition === '' ? null : Number(draft.partition),
  };
}

export function ProducePanel({ topic }: { topic: TopicSnapshot }) {
  const draft = useApp((s) => s.draft);
  const lastProduce = useApp((s) => (s.lastProduce && s.lastProduce.topic === topic.name ? s.lastProduce : null));
  const topicNames = useApp((s) => s.topics);
  const [target, setTarget] = useState(topic.name);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const readOnly = useWriteBlocked('produce');
  const set = (patch: Partial<ProduceDraft>): void => {
    getStore().getState().setDraft(patch);
    setProblem(null);
  };
  const report = (result: CommandResult<'produce'>, topicName: string): void => {
    const store = getStore().getState();
    if (result.ok) {
      store.showPath(topicName, result.value.partition);
      getStore().setState({ lastProduce: { topic: topic.name, outcome: result.value, error: null, at: Date.now() } });
    } else {
      getStore().setState({ lastProduce: { topic: topic.name, outcome: null, error: result.error.message, at: Date.now() } });
    }
  };
  const check = (): string | null => {
    if (target.trim() === '') return 'INVALID_TOPIC_EXCEPTION: choose a topic to send to.';
    if (draft.valueFormat === 'json') return jsonProblem(draft.value);
    if (draft.partition !== '' && !(Number.isInteger(Number(draft.partition)) && Number(draft.partition) >= 0)) return 'The partition must be a whole number, or automatic.';
    return null;
  };
  const send = async (repeat: number): Promise<void> => {
    const found = check();
    if (found) return setProblem(found);
    setBusy(true);
    const result = await host().call('produce', { topic: target.trim(), records: [draftRecord(draft)], acks: draft.acks, repeat, expandTemplates: true });
    setBusy(false);
    report(result, target.trim());
  };
  const startSteady = async (): Promise<void> => {
    const found = check();
    if (found) return setProblem(found);
    const rate = Number(draft.ratePerSecond);
    if (!(rate > 0)) return setProblem('The rate must be a positive number of records per second.');
    const result = await host().call('startProducer', { topic: target.trim(), recordsPerSecond: rate, key: draft.key === '' ? null : draft.key, value: draft.value, acks: draft.acks });
    if (!result.ok) setProblem(result.error.message);
  };
  const importFile = async (file: File): Promise<void> => {
    const parsed = parseJsonLines(await file.text());
    if ('error' in parsed) return setProblem(parsed.error);
    setBusy(true);
    const result = await host().call('produce', { topic: target.trim(), records: parsed.records, acks: draft.acks });
    setBusy(false);
    report(result, target.trim());
  };
  const count = Math.max(1, Math.floor(Number(draft.count) || 1));
  return (
    <form className="panel form" data-testid="produce" onSubmit={(e) => { e.preventDefault(); if (!readOnly) void send(1); }} noValidate>
      <label>
        <span>Topic</span>
        <input name="topic" list="produce-topics" value={target} onChange={(e) => setTarget(e.target.value)} autoComplete="off" spellCheck={false} />
        <datalist id="produce-topics">
          {topicNames.map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
      </label>
      <label>
        <span>
          <Term term="key">Key</Term> <small className="muted">(optional)</small>
        </span>
        <input name="key" value={draft.key} onChange={(e) => set({ key: e.target.value })} placeholder="customer-42" autoComplete="off" spellCheck={false} />
      </label>
      <label>
        <span className="label-row">
          Value
          <span className="segmented" role="radiogroup" aria-label="Value format">
            {(['text', 'json'] as const).map((format) => (
              <button key={format} type="button" role="radio" aria-checked={draft.valueFormat === format} className={draft.valueFormat === format ? 'active' : ''} onClick={() => set({ valueFormat: format })}>
                {format === 'json' ? 'JSON' : 'Text'}
              </button>
            ))}
          </span>
        </span>
        <textarea name="value" rows={5} value={draft.value} onChange={(e) => set({ value: e.target.value })} placeholder={draft.valueFormat === 'json' ? '{"order": {{seq}}, "at": "{{time}}"}' : 'hello, Kafka'} spellCheck={false} />
        <small className="muted">Templates: {'{{seq}} {{uuid}} {{time}} {{timestamp}} {{random}}'}</small>
        {draft.valueFormat === 'json' && draft.value !== '' && jsonProblem(draft.value) && <small className="text-warning">{jsonProblem(draft.value)}</small>}
      </label>
      <fieldset className="headers">
        <legend>
          <Term term="headers">Headers</Term>
        </legend>
        {draft.headers.map((header, index) => (
          <div className="row" key={index}>
            <input aria-label="Header name" placeholder="name" value={header.key} onChange={(e) => set({ headers: draft.headers.map((h, i) => (i === index ? { ...h, key: e.target.value } : h)) })} />
            <input aria-label="Header value" placeholder="value" value={header.value} onChange={(e) => set({ headers: draft.headers.map((h, i) => (i === index ? { ...h, value: e.target.value } : h)) })} />
            <button type="button" className="small" aria-label="Remove header" onClick={() => set({ headers: draft.headers.filter((_, i) => i !== index) })}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="small" onClick={() => set({ headers: [...draft.headers, { key: '', value: '' }] })}>
          + Header
        </button>
      </fieldset>
      <div className="row">
        <label>
          <span>
            <Term term="partition">Partition</Term>
          </span>
          <select name="partition" value={draft.partition} onChange={(e) => set({ partition: e.target.value })}>
            <option value="">automatic</option>
            {topic.partitions.map((p) => (
              <option key={p.partition} value={String(p.partition)}>
                {p.partition}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>
            <Term term="acks">acks</Term>
          </span>
          <select name="acks" value={String(draft.acks)} onChange={(e) => set({ acks: Number(e.target.value) as 0 | 1 | -1 })}>
            <option value="-1">all</option>
            <option value="1">1 (leader)</option>
            <option value="0">0 (none)</option>
          </select>
        </label>
      </div>
      {problem && <ErrorText message={problem} />}
      {readOnly && (
        <p className="muted small-text" data-testid="read-only-note">
          {readOnly}
        </p>
      )}
      <div className="actions start">
        <WriteButton command="produce" type="submit" className="primary" data-testid="produce-submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send'}
        </WriteButton>
        <span className="inline-group">
          <WriteButton command="produce" type="button" disabled={busy} onClick={() => void send(count)}>
            Send
          </WriteButton>
          <input name="count" aria-label="How many records" className="narrow" type="number" min={1} value={draft.count} onChange={(e) => set({ count: e.target.value })} />
        </span>
        <WriteButton command="produce" type="button" disabled={busy} onClick={() => fileRef.current?.click()} title="One record a line: a JSON object with value (and optionally key, headers, partition), or any JSON value">
          Import JSON lines…
        </WriteButton>
        <input ref={fileRef} type="file" accept=".jsonl,.ndjson,.json,.txt" hidden onChange={(e) => { const file = e.target.files?.[0]; e.target.value = ''; if (file) void importFile(file); }} />
      </div>
      <div className="row align-end steady">
        <label>
          <span>Steady producer, records/s</span>
          <input name="rate" type="number" min={0.1} step="any" value={draft.ratePerSecond} onChange={(e) => set({ ratePerSecond: e.target.value })} />
        </label>
        <WriteButton command="startProducer" type="button" onClick={() => void startSteady()}>
          Start
        </WriteButton>
      </div>
      <ProducerList topic={topic.name} />
      {lastProduce && (
        <div className={lastProduce.error ? 'result result-error' : 'result'} data-testid="produce-result" aria-live="polite">
          {lastProduce.error ? <ErrorText message={lastProduce.error} /> : lastProduce.outcome ? describeOutcome(lastProduce.outcome) : null}
        </div>
      )}
    </form>
  );
}
