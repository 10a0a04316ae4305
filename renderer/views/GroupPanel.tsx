/**
 * One consumer group in the inspector: state, generation, assignor, leader and coordinator, the
 * last rebalance's reason, every member with what it owns (and, for in-app members, pause,
 * resume, crash and close), add a member, the consume rate, and lag over time.
 */
import { useState } from 'react';
import type { ConsumerSnapshot, GroupMemberSnapshot, GroupSnapshot } from '../../core/host/contract';
import { getStore, host, useApp } from '../store/store';
import { consumersOf, groupsOf } from '../store/cluster-state';
import { formatCount } from '../components/format';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { LagChart } from './LagChart';
import { ResetOffsets } from './ResetOffsets';
import { Unavailable, useUnavailable } from '../components/Gate';
import { groupDescribed } from '../store/source';

const EMPTY: never[] = [];

function MemberRow({ group, member, consumer, onError }: { group: GroupSnapshot; member: GroupMemberSnapshot; consumer: ConsumerSnapshot | undefined; onError: (message: string | null) => void }) {
  const act = async (action: 'pause' | 'resume' | 'crash' | 'close'): Promise<void> => {
    const result = await host().call('memberAction', { clientId: member.clientId, action });
    onError(result.ok ? null : result.error.message);
  };
  const leader = group.leader === member.memberId;
  const state = consumer?.state ?? 'remote';
  return (
    <li className={`member member-${state}`} data-testid="member" data-group={group.groupId} data-member={member.clientId} data-state={state}>
      <div className="member-head">
        <span className="member-name mono">{member.clientId}</span>
        {leader && <span className="badge" title="The group leader runs the assignor">leader</span>}
        <span className={`badge ${state === 'crashed' ? 'bad' : state === 'paused' ? 'warn' : ''}`}>{state === 'remote' ? member.clientHost : state}</span>
      </div>
      <div className="muted small-text">
        owns {member.assignment.length === 0 ? 'nothing' : member.assignment.map((p) => `${p.topic}-${p.partition}`).join(', ')}
        {consumer && ` · consumed ${formatCount(consumer.consumedRecords)}`}
        {state === 'crashed' && ` · removed after session.timeout.ms (${formatCount(member.sessionTimeoutMs / 1000)} s) of silence`}
      </div>
      {consumer && state !== 'crashed' && state !== 'closed' && state !== 'closing' && (
        <div className="actions start member-actions">
          {state === 'paused' ? (
            <button className="small" onClick={() => void act('resume')}>
              Resume
            </button>
          ) : (
            <button className="small" onClick={() => void act('pause')} title="Stop consuming but stay in the group (heartbeats go on)">
              Pause
            </button>
          )}
          <button className="small danger-outline" data-testid="member-crash" onClick={() => void act('crash')} title="Stop dead: no commit, no LeaveGroup; the coordinator removes it after its session timeout">
            Crash
          </button>
          <button className="small" onClick={() => void act('close')} title="Commit, send LeaveGroup and close: the group rebalances at once">
            Close
          </button>
        </div>
      )}
    </li>
  );
}

export function GroupPanel({ groupId }: { groupId: string }) {
  const group = useApp((s) => groupsOf(s).find((g) => g.groupId === groupId));
  const consumers = useApp((s) => consumersOf(s));
  const lag = useApp((s) => s.lagHistory.get(groupId) ?? EMPTY);
  const lastRebalance = useApp((s) => [...s.events].reverse().find((e) => e.type === 'group.rebalance-started' && e.groupId === groupId));
  const [error, setError] = useState<string | null>(null);
  const [rate, setRate] = useState('');
  const appConsumersUnavailable = useUnavailable('app-consumers');
  const membersUnavailable = useUnavailable('group-members');
  const mine = consumers.filter((c) => c.groupId === groupId);
  if (!group) {
    return (
      <div className="panel">
        <button className="link-button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          ← Cluster
        </button>
        <p className="muted">Group {groupId} is not loaded by any coordinator right now{mine.length > 0 ? '; its members are finding their coordinator…' : '.'}</p>
      </div>
    );
  }
  const byClient = new Map(mine.map((c) => [c.clientId, c]));
  const memberClients = new Set(group.members.map((m) => m.clientId));
  const joining = mine.filter((c) => !memberClients.has(c.clientId) && (c.state === 'running' || c.state === 'paused'));
  const gone = mine.filter((c) => !memberClients.has(c.clientId) && c.state === 'crashed');
  const call = async (action: () => ReturnType<ReturnType<typeof host>['call']>): Promise<void> => {
    const result = await action();
    setError(result.ok ? null : result.error.message);
  };
  const inApp = mine.length > 0;
  // Without DescribeGroups the cluster shows no members: say so rather than "Members (0)".
  const membersHidden = membersUnavailable !== null && !groupDescribed(group);
  return (
    <div className="panel" data-testid="group-panel" data-group={groupId}>
      <div className="panel-head">
        <button className="link-button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          ← Cluster
        </button>
      </div>
      <h2>Group {group.groupId}</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd title={membersHidden ? membersUnavailable : undefined}>{group.state}</dd>
        <dt>
          <Term term="generation">Generation</Term>
        </dt>
        <dd>{group.generationId}</dd>
        <dt>Assignor</dt>
        <dd>{group.protocol ?? '—'}</dd>
        <dt>
          <Term term="coordinator">Coordinator</Term>
        </dt>
        <dd>broker {group.coordinator}</dd>
        <dt>Leader</dt>
        <dd className="mono">{group.members.find((m) => m.memberId === group.leader)?.clientId ?? '—'}</dd>
        <dt>
          <Term term="group lag">Lag</Term>
        </dt>
        <dd>{formatCount(group.lagRecords)} records</dd>
        {lastRebalance && lastRebalance.type === 'group.rebalance-started' && (
          <>
            <dt>Last rebalance</dt>
            <dd title={lastRebalance.detail}>{lastRebalance.reason}</dd>
          </>
        )}
      </dl>
      <LagChart points={lag} />
      <h3>Members{membersHidden ? '' : ` (${group.members.length})`}</h3>
      {membersHidden && <Unavailable feature="group-members" reason={membersUnavailable} />}
      <ul className="members">
        {group.members.map((member) => (
          <MemberRow key={member.memberId} group={group} member={member} consumer={byClient.get(member.clientId)} onError={setError} />
        ))}
        {joining.map((c) => (
          <li key={c.clientId} className="member member-joining" data-testid="member-joining" data-member={c.clientId}>
            <span className="mono">{c.clientId}</span> <span className="muted">joining…</span>
          </li>
        ))}
        {gone.map((c) => (
          <li key={c.clientId} className="member member-crashed muted">
            <span className="mono">{c.clientId}</span> crashed and was removed from the group{' '}
            <button className="small link-button" onClick={() => void call(() => host().call('memberAction', { clientId: c.clientId, action: 'close' }))}>
              forget
            </button>
          </li>
        ))}
      </ul>
      {inApp ? (
        <div className="actions start">
          <button className="primary small" data-testid="member-add" onClick={() => void call(() => host().call('addGroupMember', { groupId }))} title="Start one more in-app member with the same topics, assignor and rate: the group rebalances">
            + Add member
          </button>
          <span className="inline-group">
            <input className="narrow" name="group-rate" value={rate} onChange={(e) => setRate(e.target.value)} placeholder="max" aria-label="Records per second per member" />
            <button className="small" onClick={() => void call(() => host().call('setGroupRate', { groupId, recordsPerSecond: rate.trim() === '' ? null : Number(rate) }))}>
              Set rate/s
            </button>
          </span>
        </div>
      ) : appConsumersUnavailable ? (
        <Unavailable feature="app-consumers" reason={appConsumersUnavailable} />
      ) : (
        <div className="actions start">
          <button
            className="small"
            data-testid="member-add"
            onClick={() => void call(() => host().call('addGroupMember', { groupId }))}
            title="Join this group with an in-app member: it subscribes to the group's topics with the group's assignor, which works when that is one of Kafka's built-in assignors (range, roundrobin, sticky, cooperative-sticky)"
          >
            + Join with an in-app member
          </button>
          <span className="muted small-text">Members of this group are remote Kafka clients; the window watches them, and can add its own beside them.</span>
        </div>
      )}
      {error && <ErrorText message={error} />}
      <ResetOffsets group={group} />
    </div>
  );
}
