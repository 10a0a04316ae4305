/**
 * A topic's configs (DescribeConfigs) as an editor: every config with its value, Kafka's
 * default marked, its documentation on hover. Values are edited in place or returned to the
 * default; Save sends only what changed (IncrementalAlterConfigs: a null value returns a config
 * to its default). Errors show inline in Kafka's words and keep the edits.
 */
import { useEffect, useState } from 'react';
import type { TopicConfigEntry, TopicSnapshot } from '../../core/host/contract';
import { host } from '../store/store';
import { formatDuration } from '../components/format';
import { ErrorText } from '../components/ErrorText';
import { useWriteBlocked } from '../components/Gate';

/** A value in words where it is a duration: "604800000 (7 days)". */
function valueHint(name: string, value: string): string | null {
  if ((name.endsWith('.ms') || name.endsWith('.timeout')) && /^-?\d+$/.test(value)) return formatDuration(Number(value));
  return null;
}

/** The edits to send: each changed config's new value, or null to return it to its default. */
export function configChanges(entries: TopicConfigEntry[], edits: ReadonlyMap<string, string | null>): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [name, value] of edits) {
    const entry = entries.find((e) => e.name === name);
    if (!entry) continue;
    if (value === null) {
      if (!entry.isDefault) changes[name] = null;
    } else if (value !== entry.value) changes[name] = value;
  }
  return changes;
}

export function TopicConfigs({ topic }: { topic: TopicSnapshot }) {
  const [entries, setEntries] = useState<TopicConfigEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [edits, setEdits] = useState<ReadonlyMap<string, string | null>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = useWriteBlocked('alterTopicConfigs');
  // Reloads when the topic's configs change (an edit here or anywhere else).
  const configsKey = JSON.stringify(topic.configs);
  useEffect(() => {
    let cancelled = false;
    void host()
      .call('describeTopicConfigs', { name: topic.name })
      .then((result) => {
        if (cancelled) return;
        if (result.ok) {
          setEntries(result.value);
          setLoadError(null);
        } else {
          setEntries([]);
          setLoadError(result.error.message);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [topic.name, configsKey]);
  const edit = (name: string, value: string | null): void => {
    const next = new Map(edits);
    next.set(name, value);
    setEdits(next);
    setError(null);
    setSaved(null);
  };
  const changes = entries ? configChanges(entries, edits) : {};
  const changed = Object.keys(changes);
  const save = async (): Promise<void> => {
    if (changed.length === 0) return;
    setBusy(true);
    const result = await host().call('alterTopicConfigs', { name: topic.name, configs: changes });
    if (!result.ok) {
      setBusy(false);
      return setError(result.error.message);
    }
    // Read back what the cluster now holds, so the editor shows its values, not ours.
    const fresh = await host().call('describeTopicConfigs', { name: topic.name });
    setBusy(false);
    if (fresh.ok) setEntries(fresh.value);
    setEdits(new Map());
    setError(null);
    setSaved(`${changed.length} config${changed.length === 1 ? '' : 's'} saved: ${changed.join(', ')}.`);
  };
  if (entries === null) return <p className="muted">Loading configs…</p>;
  return (
    <div className="topic-configs" data-testid="topic-configs">
      {loadError && <ErrorText message={loadError} />}
      <div className="config-rows">
        {entries.map((entry) => {
          const edited = edits.get(entry.name);
          const pendingDefault = edited === null;
          const value = edited === undefined || edited === null ? entry.value : edited;
          const dirty = entry.name in changes;
          const hint = valueHint(entry.name, value);
          return (
            <div key={entry.name} className={`config-row ${entry.isDefault && !dirty ? 'default' : ''} ${dirty ? 'dirty' : ''}`} data-testid="topic-config" data-name={entry.name} data-default={String(entry.isDefault)}>
              <label className="config-name mono" htmlFor={`config-${entry.name}`} title={entry.doc}>
                {entry.name}
              </label>
              <input
                id={`config-${entry.name}`}
                name="config-value"
                className="config-input mono"
                value={pendingDefault ? '' : value}
                placeholder={pendingDefault ? 'back to the default on save' : undefined}
                disabled={blocked !== null}
                title={blocked ?? (hint ? `${value} = ${hint}` : entry.doc)}
                onChange={(e) => edit(entry.name, e.target.value)}
                spellCheck={false}
                autoComplete="off"
              />
              <span className="config-state">
                {dirty ? (
                  <button type="button" className="link-button small-text" onClick={() => { const next = new Map(edits); next.delete(entry.name); setEdits(next); }} title="Undo this edit">
                    undo
                  </button>
                ) : entry.isDefault ? (
                  <span className="muted small-text" title="Kafka's default: no value is set on the topic">
                    default
                  </span>
                ) : (
                  <button type="button" className="link-button small-text" data-testid="topic-config-reset" disabled={blocked !== null} onClick={() => edit(entry.name, null)} title={blocked ?? 'Return this config to its default (on save)'}>
                    reset
                  </button>
                )}
              </span>
              {hint && !dirty && <span className="config-hint muted small-text">{hint}</span>}
            </div>
          );
        })}
      </div>
      {error && <ErrorText message={error} testId="topic-configs-error" />}
      {saved && !error && <div className="result">{saved}</div>}
      <div className="actions start">
        <span className={blocked ? 'write-blocked' : undefined} title={blocked ?? undefined}>
          <button type="button" className="primary small" data-testid="topic-configs-save" disabled={blocked !== null || busy || changed.length === 0} onClick={() => void save()} title={blocked ?? (changed.length === 0 ? 'Edit a value first' : `Set ${changed.join(', ')}`)}>
            {busy ? 'Saving…' : changed.length > 0 ? `Save ${changed.length} change${changed.length === 1 ? '' : 's'}` : 'Save configs'}
          </button>
        </span>
        {changed.length > 0 && (
          <button type="button" className="small" onClick={() => setEdits(new Map())}>
            Discard
          </button>
        )}
      </div>
    </div>
  );
}
