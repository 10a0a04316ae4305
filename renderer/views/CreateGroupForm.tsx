/**
 * Starts a consumer group of in-app consumers: group id, topics (comma-separated, suggested
 * from the cluster's), how many members, the assignor and the consume rate. The members use a
 * 6 s session timeout so a crash plays out while you watch. Errors show inline in Kafka's words.
 */
import { useState, type FormEvent } from 'react';
import type { AssignorName } from '../../core/host/contract';
import { getStore, host, useApp } from '../store/store';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { Unavailable, useUnavailable } from '../components/Gate';

const ASSIGNORS: { name: AssignorName; note: string }[] = [
  { name: 'range', note: 'range: consecutive partitions of each topic per member (eager)' },
  { name: 'roundrobin', note: 'roundrobin: partitions dealt out one by one (eager)' },
  { name: 'sticky', note: 'sticky: balanced, keeps what members own (eager)' },
  { name: 'cooperative-sticky', note: 'cooperative-sticky: sticky, and members keep consuming while it rebalances (incremental)' },
];

export function CreateGroupForm() {
  const unavailable = useUnavailable('app-consumers');
  if (unavailable) {
    return (
      <div className="panel">
        <h2>New consumer group</h2>
        <Unavailable feature="app-consumers" reason={unavailable} />
        <p className="muted small-text">Groups of your own consumers appear in the list on the left as they join; their offsets can be reset from the group’s panel while the group is empty.</p>
      </div>
    );
  }
  return <AppGroupForm />;
}

function AppGroupForm() {
  const topics = useApp((s) => s.topics.filter((t) => !t.internal).map((t) => t.name).join('\n'));
  const firstTopic = topics.split('\n')[0] ?? '';
  const [groupId, setGroupId] = useState('billing');
  const [topic, setTopic] = useState(firstTopic);
  const [members, setMembers] = useState('2');
  const [assignor, setAssignor] = useState<AssignorName>('range');
  const [rate, setRate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    const topicList = topic.split(',').map((t) => t.trim()).filter(Boolean);
    const count = Number(members);
    const perSecond = rate.trim() === '' ? null : Number(rate);
    if (topicList.length === 0) return setError('INVALID_REQUEST: name at least one topic to subscribe to.');
    if (!Number.isInteger(count) || count < 1) return setError('INVALID_REQUEST: members must be a whole number of at least 1.');
    if (perSecond !== null && !(perSecond > 0)) return setError('INVALID_REQUEST: the consume rate must be a positive number, or empty for as fast as possible.');
    setBusy(true);
    const result = await host().call('createConsumerGroup', { groupId: groupId.trim(), topics: topicList, members: count, assignor, recordsPerSecond: perSecond });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    getStore().getState().select({ kind: 'group', groupId: groupId.trim() });
  };
  return (
    <form className="panel form" data-testid="consumer-group-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>New consumer group</h2>
      <label>
        <span>
          <Term term="group.id">Group id</Term>
        </span>
        <input name="group-id" value={groupId} onChange={(e) => setGroupId(e.target.value)} autoFocus autoComplete="off" spellCheck={false} />
      </label>
      <label>
        <span>Topics</span>
        <input name="topic" list="topic-names" value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="orders, payments" autoComplete="off" spellCheck={false} />
        <datalist id="topic-names">
          {topics.split('\n').filter(Boolean).map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <small className="muted">One or more, separated by commas.</small>
      </label>
      <div className="row">
        <label>
          <span>Members</span>
          <input name="members" type="number" min={1} max={64} value={members} onChange={(e) => setMembers(e.target.value)} />
        </label>
        <label>
          <span>
            <Term term="consume rate">Records/s per member</Term>
          </span>
          <input name="rate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} placeholder="as fast as it can" />
        </label>
      </div>
      <label>
        <span>
          <Term term="partition.assignment.strategy">Assignor</Term>
        </span>
        <select name="assignor" value={assignor} onChange={(e) => setAssignor(e.target.value as AssignorName)}>
          {ASSIGNORS.map((a) => (
            <option key={a.name} value={a.name}>
              {a.note}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small-text">Members read from the earliest offset, commit every second and use a 6 s session timeout, so a crash plays out while you watch.</p>
      {error && <ErrorText message={error} testId="form-error" />}
      <div className="actions">
        <button type="button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="consumer-group-submit" disabled={busy}>
          {busy ? 'Starting…' : 'Start group'}
        </button>
      </div>
    </form>
  );
}
