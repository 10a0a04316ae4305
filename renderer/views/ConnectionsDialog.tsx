/**
 * The connections dialog (modal): the saved connections to external clusters, each with what
 * it uses (TLS, SASL, read-only), where its password is kept, and buttons to show, edit or
 * remove it; and the form to add or edit one. Opened from the header.
 */
import { useEffect, useRef, useState } from 'react';
import type { ConnectionSummary } from '../../core/host/contract';
import { getStore, host, useApp } from '../store/store';
import { emptyFields, fieldsFromSummary, SASL_CHOICES, type ConnectionFields } from '../store/connection-draft';
import { ErrorText } from '../components/ErrorText';
import { ConnectionForm } from './ConnectionForm';

function ConnectionRow({ connection, active, onEdit, onRemoved, onError }: { connection: ConnectionSummary; active: boolean; onEdit: () => void; onRemoved: () => void; onError: (message: string | null) => void }) {
  const show = async (): Promise<void> => {
    const error = await getStore().getState().switchCluster(connection.id);
    onError(error);
    if (!error) getStore().setState({ connectionsOpen: false });
  };
  const remove = async (): Promise<void> => {
    const result = await host().call('removeConnection', { id: connection.id });
    onError(result.ok ? null : result.error.message);
    if (result.ok) onRemoved();
    await getStore().getState().loadConnections();
  };
  const mechanism = SASL_CHOICES.find((c) => c.value === connection.sasl?.mechanism)?.label;
  return (
    <li className={`connection-row ${active ? 'active' : ''}`} data-testid="connection" data-connection-id={connection.id}>
      <div className="connection-main">
        <strong>{connection.name}</strong>
        {active && <span className="badge controller">shown</span>}
        {connection.readOnly && <span className="badge">read-only</span>}
        <div className="mono small-text muted connection-bootstrap" title={connection.bootstrapServers}>
          {connection.bootstrapServers}
        </div>
        <div className="small-text muted">
          {connection.tls.enabled ? `TLS${connection.tls.rejectUnauthorized ? '' : ' (certificate not verified)'}` : 'no TLS'} · {mechanism ? `SASL ${mechanism} as ${connection.sasl?.username}` : 'no SASL'} · every {(connection.pollIntervalMs / 1000).toLocaleString('en-US')} s
          {connection.sasl?.hasPassword && <> · password {connection.secretsEncrypted ? 'encrypted by the system keychain' : <span className="text-warning" title="This system offers no keychain: the password is kept in a file only your user account can read">not encrypted (file readable by you only)</span>}</>}
        </div>
      </div>
      <div className="connection-actions">
        {!active && (
          <button className="small primary" onClick={() => void show()} title="Show this cluster in the window">
            Show
          </button>
        )}
        <button className="small" data-testid="connection-edit" onClick={onEdit}>
          Edit
        </button>
        <button className="small danger-outline" data-testid="connection-list-remove" onClick={() => void remove()} title="Forget this connection and its saved password; the cluster itself is not touched">
          Remove
        </button>
      </div>
    </li>
  );
}

export function ConnectionsDialog() {
  const open = useApp((s) => s.connectionsOpen);
  const connections = useApp((s) => s.connections);
  const active = useApp((s) => s.activeCluster);
  const listError = useApp((s) => s.connectionsError);
  const ref = useRef<HTMLDialogElement>(null);
  // The form being shown: a new connection, a saved one by id, or none. A counter remounts the form for a fresh start.
  const [editing, setEditing] = useState<{ fields: ConnectionFields; key: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      void getStore().getState().loadConnections();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);
  const close = (): void => {
    getStore().setState({ connectionsOpen: false });
    setEditing(null);
    setError(null);
  };
  const edit = (fields: ConnectionFields): void => setEditing({ fields, key: Date.now() });
  const summary = editing?.fields.id ? connections.find((c) => c.id === editing.fields.id) : undefined;
  return (
    <dialog ref={ref} className="connections-dialog" data-testid="connections" aria-labelledby="connections-title" onClose={close}>
      {open && (
        <div className="connections-body">
          <div className="dialog-head">
            <h2 id="connections-title">Connections</h2>
            <button className="small" onClick={close} aria-label="Close the connections dialog">
              ✕
            </button>
          </div>
          <p className="muted small-text">
            Attach the window to any Kafka cluster. It is read with Kafka’s protocol like any client: topics, partitions, leaders, ISRs, high watermarks and groups, polled on an interval. Passwords stay with the app; the window never receives them.
          </p>
          <ul className="connection-list">
            <li className={`connection-row ${active === 'embedded' ? 'active' : ''}`}>
              <div className="connection-main">
                <strong>Embedded cluster</strong>
                {active === 'embedded' && <span className="badge controller">shown</span>}
                <div className="small-text muted">Runs inside Brokerscope: faults, scenarios and in-app consumers work here.</div>
              </div>
              <div className="connection-actions">
                {active !== 'embedded' && (
                  <button className="small primary" onClick={() => void getStore().getState().switchCluster('embedded').then((e) => (setError(e), e ? undefined : close()))}>
                    Show
                  </button>
                )}
              </div>
            </li>
            {connections.map((connection) => (
              <ConnectionRow key={connection.id} connection={connection} active={connection.id === active} onEdit={() => edit(fieldsFromSummary(connection))} onRemoved={() => editing?.fields.id === connection.id && setEditing(null)} onError={setError} />
            ))}
          </ul>
          {listError && <ErrorText message={listError} testId="connections-error" />}
          {error && <ErrorText message={error} />}
          {editing ? (
            <ConnectionForm key={editing.key} initial={editing.fields} summary={summary} onDone={() => setEditing(null)} />
          ) : (
            <div className="actions start">
              <button className="primary" data-testid="connection-add" onClick={() => edit(emptyFields())}>
                + Add connection
              </button>
            </div>
          )}
        </div>
      )}
    </dialog>
  );
}
