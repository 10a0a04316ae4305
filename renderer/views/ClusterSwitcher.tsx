/**
 * The header's cluster part: which cluster is shown (a switcher between the embedded cluster
 * and every saved connection), a badge saying what kind of source it is and whether it is
 * read-only, for an external cluster how fresh its picture is (polled N s ago, or the poll's
 * error), and the button that opens the connections dialog.
 */
import { useState } from 'react';
import { getStore, useApp } from '../store/store';
import { pollStatus, sourceOf } from '../store/source';
import { useNow } from './use-now';

function SourceStatus() {
  const source = useApp((s) => sourceOf(s));
  const now = useNow(1_000);
  const status = pollStatus(source, now);
  if (!status) return null;
  return (
    <span className={`source-status ${status.failing ? 'failing' : ''}`} data-testid="source-status" data-failing={String(status.failing)} title={status.title} role="status">
      {status.failing ? '⚠ ' : ''}
      {status.text}
    </span>
  );
}

export function ClusterSwitcher() {
  const source = useApp((s) => sourceOf(s));
  const connections = useApp((s) => s.connections);
  const active = useApp((s) => s.activeCluster);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (id: string): Promise<void> => {
    setSwitching(true);
    setError(await getStore().getState().switchCluster(id));
    setSwitching(false);
  };
  // The snapshot's source is the truth once it arrives; the listed active id covers the moment between.
  const value = connections.some((c) => c.id === active) || active === 'embedded' ? active : source.id;
  return (
    <div className="cluster-switch">
      <select
        className="cluster-switcher"
        data-testid="cluster-switcher"
        aria-label="Cluster shown"
        value={value}
        disabled={switching}
        onChange={(e) => void change(e.target.value)}
        title={error ?? 'Switch between the embedded cluster and your saved connections'}
      >
        <option value="embedded">Embedded cluster</option>
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
        {/* A source the list does not know yet (the list loads after the first snapshot). */}
        {source.id !== 'embedded' && !connections.some((c) => c.id === source.id) && <option value={source.id}>{source.name}</option>}
      </select>
      <span
        className={`source-badge kind-${source.kind} ${source.readOnly ? 'read-only' : ''}`}
        data-testid="source-badge"
        data-kind={source.kind}
        data-cluster-id={source.id}
        data-read-only={String(source.readOnly)}
        title={
          source.kind === 'embedded'
            ? 'The cluster running inside Brokerscope: every fault, scenario and in-app consumer is available'
            : `An external cluster at ${source.bootstrap ?? '?'}, read over Kafka's protocol${source.readOnly ? '; read-only: every write is turned off' : ''}`
        }
      >
        {source.kind === 'embedded' ? 'embedded' : 'external'}
        {source.readOnly && <span className="badge-read-only">read-only</span>}
      </span>
      <SourceStatus />
      <button className="small" data-testid="connections-open" onClick={() => getStore().setState({ connectionsOpen: true })} title="Add, edit, test and remove connections to external clusters">
        Connections…
      </button>
      {error && (
        <span className="switch-error" role="alert" title={error}>
          {error}
        </span>
      )}
    </div>
  );
}
