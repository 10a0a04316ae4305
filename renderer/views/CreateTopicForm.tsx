/**
 * Create a topic: name, partitions, replication factor, min.insync.replicas and retention,
 * with a live preview of where each partition's replicas and leader will land (the
 * controller's own placement, asked with validateOnly: nothing is created). The engine's
 * errors show inline, in Kafka's words, and the form keeps what was typed.
 */
import { useEffect, useState } from 'react';
import { getStore, host, useApp } from '../store/store';
import { ErrorText } from '../components/ErrorText';
import { Term } from '../components/Term';
import type { TopicSpec } from '../../core/host/contract';
import { useWriteBlocked, WriteButton } from '../components/Gate';

const RETENTION_CHOICES: { label: string; ms: string }[] = [
  { label: '1 hour', ms: '3600000' },
  { label: '1 day', ms: '86400000' },
  { label: '7 days (Kafka default)', ms: '604800000' },
  { label: '30 days', ms: '2592000000' },
  { label: 'forever', ms: '-1' },
];

interface Fields {
  name: string;
  partitions: string;
  replicationFactor: string;
  minInsyncReplicas: string;
  retentionMs: string;
}

function toSpec(fields: Fields): TopicSpec | string {
  const partitions = Number(fields.partitions);
  const replicationFactor = Number(fields.replicationFactor);
  const minInsync = Number(fields.minInsyncReplicas);
  if (!Number.isInteger(partitions) || partitions < 1) return 'INVALID_PARTITIONS: partitions must be a whole number of at least 1.';
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) return 'INVALID_REPLICATION_FACTOR: the replication factor must be a whole number of at least 1.';
  if (!Number.isInteger(minInsync) || minInsync < 1) return 'INVALID_CONFIG: min.insync.replicas must be a whole number of at least 1.';
  return {
    name: fields.name.trim(),
    partitions,
    replicationFactor,
    configs: { 'min.insync.replicas': String(minInsync), 'retention.ms': fields.retentionMs },
  };
}

/** Asks the controller where the replicas would go, after the user pauses typing. */
function usePreview(spec: TopicSpec | string): { assignment: number[][] | null; error: string | null } {
  const [preview, setPreview] = useState<{ assignment: number[][] | null; error: string | null }>({ assignment: null, error: null });
  const key = JSON.stringify(spec);
  useEffect(() => {
    if (typeof spec === 'string') {
      setPreview({ assignment: null, error: spec });
      return;
    }
    if (spec.name === '') {
      setPreview({ assignment: null, error: null });
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      void host()
        .call('previewTopic', spec)
        .then((result) => {
          if (cancelled) return;
          setPreview(result.ok ? { assignment: result.value.replicaAssignment, error: null } : { assignment: null, error: result.error.message });
        });
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // The spec's text is its identity.
  }, [key]);
  return preview;
}

function PlacementPreview({ assignment }: { assignment: number[][] }) {
  const brokers = useApp((s) => s.brokers);
  const shown = assignment.slice(0, 24);
  return (
    <div className="preview">
      <div className="preview-title muted">Where the replicas will go</div>
      <table className="preview-table">
        <thead>
          <tr>
            <th>Partition</th>
            {brokers.map((b) => (
              <th key={b.id} className={b.alive ? '' : 'muted'}>
                Broker {b.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((replicas, partition) => (
            <tr key={partition}>
              <td>{partition}</td>
              {brokers.map((b) => {
                const index = replicas.indexOf(b.id);
                return (
                  <td key={b.id}>
                    {index === 0 ? (
                      <span className="chip leader" title="Leader (the preferred replica)">leader</span>
                    ) : index > 0 ? (
                      <span className="chip follower" title="Follower">follower</span>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {assignment.length > shown.length && <div className="muted">… and {assignment.length - shown.length} more partitions, placed the same way.</div>}
    </div>
  );
}

export function CreateTopicForm() {
  const liveBrokers = useApp((s) => s.brokers.filter((b) => b.alive).length);
  const [fields, setFields] = useState<Fields>({ name: '', partitions: '3', replicationFactor: String(Math.min(3, Math.max(1, liveBrokers))), minInsyncReplicas: '2', retentionMs: '604800000' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const readOnly = useWriteBlocked('createTopic');
  const spec = toSpec(fields);
  const preview = usePreview(spec);
  const set = (patch: Partial<Fields>): void => {
    setFields({ ...fields, ...patch });
    setError(null);
  };
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    if (readOnly) return;
    if (typeof spec === 'string') {
      setError(spec);
      return;
    }
    setBusy(true);
    const result = await host().call('createTopic', spec);
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    getStore().getState().select({ kind: 'topic', topic: result.value.name }, 'produce');
  };
  return (
    <form className="panel form" data-testid="create-topic" onSubmit={(e) => void submit(e)} noValidate>
      <h2>New topic</h2>
      <label>
        <span>Name</span>
        <input name="topic-name" value={fields.name} onChange={(e) => set({ name: e.target.value })} placeholder="orders" autoFocus autoComplete="off" spellCheck={false} />
        <small className="muted">Letters, digits, “.”, “_” and “-”; at most 249 characters.</small>
      </label>
      <div className="row">
        <label>
          <span>
            <Term term="partitions">Partitions</Term>
          </span>
          <input name="partitions" type="number" min={1} value={fields.partitions} onChange={(e) => set({ partitions: e.target.value })} />
        </label>
        <label>
          <span>
            <Term term="replication factor">Replication factor</Term>
          </span>
          <input name="replication-factor" type="number" min={1} value={fields.replicationFactor} onChange={(e) => set({ replicationFactor: e.target.value })} />
        </label>
      </div>
      <div className="row">
        <label>
          <span>
            <Term term="min.insync.replicas">min.insync.replicas</Term>
          </span>
          <input name="min-insync-replicas" type="number" min={1} value={fields.minInsyncReplicas} onChange={(e) => set({ minInsyncReplicas: e.target.value })} />
        </label>
        <label>
          <span>
            <Term term="retention.ms">Retention</Term>
          </span>
          <select name="retention-ms" value={fields.retentionMs} onChange={(e) => set({ retentionMs: e.target.value })}>
            {RETENTION_CHOICES.map((choice) => (
              <option key={choice.ms} value={choice.ms}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <ErrorText message={error} testId="form-error" /> : preview.error && fields.name.trim() !== '' ? <ErrorText message={preview.error} testId="form-error" /> : null}
      {preview.assignment && !error && <PlacementPreview assignment={preview.assignment} />}
      {readOnly && (
        <p className="muted small-text" data-testid="read-only-note">
          {readOnly}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          Cancel
        </button>
        <WriteButton command="createTopic" type="submit" className="primary" data-testid="create-topic-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create topic'}
        </WriteButton>
      </div>
    </form>
  );
}
