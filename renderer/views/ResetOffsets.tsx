/**
 * Reset a consumer group's committed offsets on one topic, as kafka-consumer-groups.sh
 * --reset-offsets and the popular explorers offer it: to the earliest or latest offset, to an
 * offset, to a time, or shifted by N. Kafka allows it only while the group has no members (a
 * running member would overwrite the new offsets with its next commit), so the form says so and
 * waits. The group id must be typed to confirm; the result lists each partition's new offset.
 */
import { useState, type FormEvent } from 'react';
import type { GroupSnapshot } from '../../core/host/contract';
import { host, useApp } from '../store/store';
import { buildResetSpec, RESET_KINDS, type ResetKind } from '../store/offset-reset';
import { formatCount } from '../components/format';
import { ErrorText } from '../components/ErrorText';
import { useWriteBlocked } from '../components/Gate';
import { groupDescribed } from '../store/source';

/** Why the group's offsets cannot be reset now, or null. */
export function resetBlockedReason(group: Pick<GroupSnapshot, 'groupId' | 'members' | 'state'>): string | null {
  if (group.members.length > 0) {
    const n = group.members.length;
    return `${group.groupId} has ${n} member${n === 1 ? '' : 's'}: Kafka resets offsets only while a group is empty (a running member would commit over them). Stop its consumers, then reset.`;
  }
  if (!groupDescribed(group)) return `This cluster does not say whether ${group.groupId} has members (it does not serve DescribeGroups), and Kafka resets offsets only in an empty group, so they cannot be reset from here.`;
  if (group.state !== 'Empty' && group.state !== 'Dead') return `${group.groupId} is ${group.state}: wait until it is Empty.`;
  return null;
}

export function ResetOffsets({ group }: { group: GroupSnapshot }) {
  const topicNames = useApp((s) => s.topics);
  const readOnly = useWriteBlocked('resetGroupOffsets');
  const committedTopics = [...new Set(group.offsets.map((o) => o.topic))].sort();
  // The group's own topics first; any other topic can be given a starting offset too.
  const otherTopics = topicNames.filter((t) => !t.internal && !committedTopics.includes(t.name)).map((t) => t.name);
  const [topic, setTopic] = useState(committedTopics[0] ?? otherTopics[0] ?? '');
  const [kind, setKind] = useState<ResetKind>('earliest');
  const [value, setValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ topic: string; partitions: { partition: number; offset: number }[]; before: Map<number, number> } | null>(null);
  const blocked = readOnly ?? resetBlockedReason(group);
  const choice = RESET_KINDS.find((k) => k.kind === kind)!;
  const confirmed = confirm === group.groupId;
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (blocked || !confirmed) return;
    if (topic === '') return setError('INVALID_REQUEST: choose a topic.');
    const spec = buildResetSpec(kind, value);
    if (typeof spec === 'string') return setError(spec);
    // The committed offsets as they were, for the result (the next snapshot already shows the new ones).
    const before = new Map(group.offsets.filter((o) => o.topic === topic).map((o) => [o.partition, o.committedOffset]));
    setBusy(true);
    const outcome = await host().call('resetGroupOffsets', { groupId: group.groupId, topic, partitions: null, to: spec });
    setBusy(false);
    if (!outcome.ok) return setError(outcome.error.message);
    setError(null);
    setConfirm('');
    setResult({ topic, partitions: outcome.value.partitions, before });
  };
  return (
    <form className="form reset-offsets" data-testid="reset-offsets" data-blocked={blocked ? 'true' : 'false'} onSubmit={(e) => void submit(e)} noValidate>
      <h3>Reset offsets</h3>
      {blocked && (
        <p className="muted small-text blocked-note" data-testid="reset-offsets-blocked">
          {blocked}
        </p>
      )}
      <fieldset disabled={blocked !== null} className="plain">
        <div className="row">
          <label>
            <span>Topic</span>
            <select name="reset-topic" value={topic} onChange={(e) => setTopic(e.target.value)}>
              {committedTopics.length > 0 && (
                <optgroup label="Committed by this group">
                  {committedTopics.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </optgroup>
              )}
              {otherTopics.length > 0 && (
                <optgroup label="Other topics">
                  {otherTopics.slice(0, 2_000).map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
        </div>
        <div className="row">
          <label>
            <span>Move every partition</span>
            <select name="reset-kind" value={kind} onChange={(e) => { setKind(e.target.value as ResetKind); setError(null); }}>
              {RESET_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Value</span>
            <input name="reset-value" value={value} disabled={choice.placeholder === null} placeholder={choice.placeholder ?? '—'} onChange={(e) => { setValue(e.target.value); setError(null); }} autoComplete="off" spellCheck={false} />
          </label>
        </div>
        <label>
          <span>
            Type <strong className="mono">{group.groupId}</strong> to confirm
          </span>
          <input name="confirm-name" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" spellCheck={false} aria-label={`Type ${group.groupId} to confirm`} />
        </label>
        <div className="actions start">
          <button type="submit" className="danger" data-testid="reset-offsets-submit" disabled={blocked !== null || !confirmed || busy} title={blocked ?? (confirmed ? `Commit new offsets for ${group.groupId} on ${topic}` : `Type ${group.groupId} above to confirm`)}>
            {busy ? 'Resetting…' : 'Reset offsets'}
          </button>
        </div>
      </fieldset>
      {error && <ErrorText message={error} testId="reset-offsets-error" />}
      {result && (
        <div className="result" data-testid="reset-offsets-result" aria-live="polite">
          {result.topic}: {result.partitions.length} partition{result.partitions.length === 1 ? '' : 's'} moved.
          <table className="data-table compact">
            <thead>
              <tr>
                <th>Partition</th>
                <th>Was</th>
                <th>Now</th>
              </tr>
            </thead>
            <tbody>
              {result.partitions.slice(0, 200).map((p) => (
                <tr key={p.partition} data-testid="reset-partition" data-partition={p.partition} data-offset={p.offset}>
                  <td>{p.partition}</td>
                  <td className="muted">{(result.before.get(p.partition) ?? -1) >= 0 ? formatCount(result.before.get(p.partition)!) : '—'}</td>
                  <td>{formatCount(p.offset)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.partitions.length > 200 && <p className="muted small-text">First 200 of {formatCount(result.partitions.length)} partitions.</p>}
        </div>
      )}
    </form>
  );
}
