/**
 * One connection to an external cluster, as a form: name, bootstrap servers, client id, poll
 * interval, read-only, consumer groups to watch (for clusters that do not list their groups),
 * TLS (with an optional CA file and whether the certificate must verify), SASL (PLAIN,
 * SCRAM-SHA-256/512). Test connects with these settings and reads the
 * metadata without saving; Save stores it (the password goes to the host and the form forgets
 * it). Errors show in Kafka's words and never clear what was typed.
 */
import { useState, type FormEvent } from 'react';
import type { ConnectionSummary, ConnectionTestResult } from '../../core/host/contract';
import { getStore, host } from '../store/store';
import { buildDraft, fieldsAfterSave, passwordPlaceholder, SASL_CHOICES, type ConnectionFields, type SaslChoice } from '../store/connection-draft';
import { formatCount } from '../components/format';
import { ErrorText } from '../components/ErrorText';

/** What the form says about where the password is kept, honestly. */
function secretsNote(summary: ConnectionSummary | undefined, fields: ConnectionFields): string | null {
  if (fields.saslMechanism === 'none') return null;
  if (!summary?.sasl?.hasPassword) return 'On save the password goes to the app, which encrypts it with the system’s keychain where there is one, and otherwise keeps it in a file only your user account can read. The window never receives it back.';
  return summary.secretsEncrypted
    ? 'The saved password is encrypted by the system’s keychain; the window never receives it.'
    : 'The saved password is not encrypted: this system offers no keychain, so it is kept in a file only your user account can read. The window never receives it.';
}

function TestResult({ result }: { result: ConnectionTestResult }) {
  const controller = result.brokers.find((b) => b.id === result.controllerId);
  return (
    <div className="result" data-testid="connection-test-result" aria-live="polite">
      Reached {result.clusterId ? <span className="mono">{result.clusterId}</span> : 'the cluster'} in {formatCount(result.latencyMs)} ms: {formatCount(result.brokers.length)} broker{result.brokers.length === 1 ? '' : 's'}, controller{' '}
      {result.controllerId >= 0 ? `broker ${result.controllerId}${controller ? ` (${controller.host}:${controller.port})` : ''}` : 'unknown'}, {formatCount(result.topics)} topic{result.topics === 1 ? '' : 's'}.
      <ul className="test-brokers small-text muted">
        {result.brokers.slice(0, 12).map((b) => (
          <li key={b.id}>
            broker {b.id} · {b.host}:{b.port}
          </li>
        ))}
        {result.brokers.length > 12 && <li>… and {result.brokers.length - 12} more</li>}
      </ul>
    </div>
  );
}

export function ConnectionForm({ initial, summary, onDone }: { initial: ConnectionFields; summary: ConnectionSummary | undefined; onDone: () => void }) {
  const [fields, setFields] = useState<ConnectionFields>(initial);
  const [error, setError] = useState<string | null>(null);
  const [tested, setTested] = useState<ConnectionTestResult | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<'test' | 'save' | 'remove' | null>(null);
  const set = (patch: Partial<ConnectionFields>): void => {
    setFields({ ...fields, ...patch });
    setError(null);
    setSaved(false);
  };
  const test = async (): Promise<void> => {
    const draft = buildDraft(fields);
    setTested(null);
    if (typeof draft === 'string') return setError(draft);
    setBusy('test');
    const result = await host().call('testConnection', { connection: draft });
    setBusy(null);
    if (result.ok) {
      setTested(result.value);
      setError(null);
    } else setError(result.error.message);
  };
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const draft = buildDraft(fields);
    if (typeof draft === 'string') return setError(draft);
    setBusy('save');
    const result = await host().call('saveConnection', { connection: draft });
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    // The host has the password now; the form keeps no copy of it.
    setFields(fieldsAfterSave(fields, result.value.id));
    setSaved(true);
    setError(null);
    await getStore().getState().loadConnections();
  };
  const remove = async (): Promise<void> => {
    if (!fields.id) return;
    setBusy('remove');
    const result = await host().call('removeConnection', { id: fields.id });
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    await getStore().getState().loadConnections();
    onDone();
  };
  const sasl = fields.saslMechanism !== 'none';
  const note = secretsNote(summary, fields);
  return (
    <form className="form connection-form" data-testid="connection-form" data-connection-id={fields.id ?? ''} onSubmit={(e) => void save(e)} noValidate>
      <h3 className="form-title">{fields.id ? `Edit ${initial.name || 'connection'}` : 'New connection'}</h3>
      <div className="row">
        <label>
          <span>Name</span>
          <input name="connection-name" value={fields.name} onChange={(e) => set({ name: e.target.value })} placeholder="staging" autoComplete="off" spellCheck={false} autoFocus />
        </label>
        <label>
          <span title="Brokers log it with every request; quotas can apply per client id">Client id</span>
          <input name="client-id" value={fields.clientId} onChange={(e) => set({ clientId: e.target.value })} autoComplete="off" spellCheck={false} />
        </label>
      </div>
      <label>
        <span title="Any brokers of the cluster; the client learns the rest from their metadata">Bootstrap servers</span>
        <input name="bootstrap-servers" value={fields.bootstrapServers} onChange={(e) => set({ bootstrapServers: e.target.value })} placeholder="kafka-1.example.com:9092, kafka-2.example.com:9092" autoComplete="off" spellCheck={false} />
      </label>
      <div className="row align-end">
        <label>
          <span title="How often metadata, offsets and groups are read (it backs off while the cluster is slow)">Poll every (ms)</span>
          <input name="poll-interval-ms" type="number" min={500} max={600000} step={500} value={fields.pollIntervalMs} onChange={(e) => set({ pollIntervalMs: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" name="read-only" checked={fields.readOnly} onChange={(e) => set({ readOnly: e.target.checked })} />
          <span title="Create, delete, produce, config edits and offset resets are all turned off for this cluster">Read-only</span>
        </label>
      </div>
      <label>
        <span title="Groups named here are polled at their coordinator even when ListGroups is not served or an ACL denies it; groups the cluster lists are shown anyway">
          Watched groups <small className="muted">(optional: for clusters that do not list groups; ids separated by commas or new lines)</small>
        </span>
        <textarea name="watched-groups" rows={2} value={fields.watchedGroups} onChange={(e) => set({ watchedGroups: e.target.value })} placeholder="payments, audit-trail" autoComplete="off" spellCheck={false} />
      </label>
      <fieldset className="group-box">
        <legend>TLS</legend>
        <div className="row">
          <label className="check">
            <input type="checkbox" name="tls-enabled" checked={fields.tlsEnabled} onChange={(e) => set({ tlsEnabled: e.target.checked })} />
            <span>Encrypt with TLS</span>
          </label>
          <label className="check">
            <input type="checkbox" name="tls-reject-unauthorized" checked={fields.tlsRejectUnauthorized} disabled={!fields.tlsEnabled} onChange={(e) => set({ tlsRejectUnauthorized: e.target.checked })} />
            <span title="Turn off only for test clusters with self-signed certificates: without it anyone in between can read the traffic">Verify the certificate</span>
          </label>
        </div>
        <label>
          <span>CA file <small className="muted">(optional: a PEM file path on this computer; empty uses the system’s authorities)</small></span>
          <input name="ca-file" value={fields.caFile} disabled={!fields.tlsEnabled} onChange={(e) => set({ caFile: e.target.value })} placeholder="ca.pem" autoComplete="off" spellCheck={false} />
        </label>
        {fields.tlsEnabled && !fields.tlsRejectUnauthorized && <small className="text-warning">The server’s certificate will not be checked.</small>}
      </fieldset>
      <fieldset className="group-box">
        <legend>SASL</legend>
        <div className="row">
          <label>
            <span>Mechanism</span>
            <select name="sasl-mechanism" value={fields.saslMechanism} onChange={(e) => set({ saslMechanism: e.target.value as SaslChoice })}>
              {SASL_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Username</span>
            <input name="sasl-username" value={fields.saslUsername} disabled={!sasl} onChange={(e) => set({ saslUsername: e.target.value })} autoComplete="off" spellCheck={false} />
          </label>
        </div>
        <label>
          <span>Password</span>
          <input name="sasl-password" type="password" value={fields.saslPassword} disabled={!sasl} onChange={(e) => set({ saslPassword: e.target.value })} placeholder={sasl ? passwordPlaceholder(fields) : ''} autoComplete="new-password" />
        </label>
        {note && <small className="muted secrets-note" data-testid="secrets-note" data-encrypted={summary?.sasl?.hasPassword ? String(summary.secretsEncrypted) : undefined}>{note}</small>}
        {sasl && !fields.tlsEnabled && <small className="text-warning">Without TLS, {fields.saslMechanism === 'plain' ? 'the password crosses the network in clear text' : 'the records and metadata cross the network unencrypted'}.</small>}
      </fieldset>
      {error && <ErrorText message={error} testId="form-error" />}
      {tested && !error && <TestResult result={tested} />}
      {saved && !error && <div className="result">Saved. Choose it in the header’s cluster list to show it.</div>}
      <div className="actions">
        {fields.id && (
          <button type="button" className="danger-outline" data-testid="connection-remove" disabled={busy !== null} onClick={() => void remove()} title="Forget this connection and its saved password; the cluster itself is not touched">
            Remove
          </button>
        )}
        <span className="spacer" />
        <button type="button" onClick={onDone}>
          Close
        </button>
        <button type="button" data-testid="connection-test" disabled={busy !== null} onClick={() => void test()} title="Connect with these settings and read the cluster's metadata; nothing is saved">
          {busy === 'test' ? 'Testing…' : 'Test'}
        </button>
        <button type="submit" className="primary" data-testid="connection-save" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
