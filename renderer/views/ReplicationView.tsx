/**
 * The replication view of one partition: each replica's log as a bar of offsets ending at its
 * log end offset, the high watermark as one line across them, the leader epoch and ISR
 * membership. As records arrive the bars grow and the high watermark follows the slowest
 * in-sync replica; a follower that lags past replica.lag.time.max.ms turns amber and leaves
 * the ISR, and rejoins once caught up. Below, the partition's story: elections (who won, why,
 * the epoch bump), ISR changes and truncations of returning replicas.
 */
import { useState } from 'react';
import type { ClusterEvent, PartitionSnapshot } from '../../core/host/contract';
import { getStore, host, useApp } from '../store/store';
import { describeEvent } from '../components/describe-event';
import { formatCount, formatExact, formatRelative } from '../components/format';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { topicColor } from '../viz/palette';
import { useNow } from './use-now';
import { Unavailable, useUnavailable, WriteButton } from '../components/Gate';
import { logEndKnown } from '../store/source';

const EMPTY: ClusterEvent[] = [];

/** Why an election chose its winner, in a sentence. */
function electionWhy(event: Extract<ClusterEvent, { type: 'leader.elected' }>): string {
  if (event.leader < 0) return 'no in-sync replica is alive, so the partition is offline until one returns';
  switch (event.reason) {
    case 'leader stopped':
    case 'leader fenced':
      return `broker ${event.previousLeader} was lost; broker ${event.leader} is the first live replica in the ISR [${event.isr.join(', ')}], so it cannot have lost an acknowledged record`;
    case 'preferred leader':
      return `broker ${event.leader} is the preferred (first) replica and in sync, so leadership went back to it`;
    case 'unclean':
      return `no in-sync replica was alive and unclean.leader.election.enable allowed an out-of-sync one: records may be lost`;
    case 'broker returned':
      return `broker ${event.leader} was the last in-sync replica and came back`;
    default:
      return `${event.reason}: broker ${event.leader} is the first eligible replica`;
  }
}

function partitionEvents(timeline: ClusterEvent[], topic: string, partition: number): ClusterEvent[] {
  const mine = timeline.filter(
    (e) => (e.type === 'leader.elected' || e.type === 'isr.shrunk' || e.type === 'isr.expanded' || e.type === 'replica.truncated' || e.type === 'partition.reassignment-started' || e.type === 'partition.reassignment-completed') &&
      e.topic === topic && e.partition === partition,
  );
  return mine.slice(-40).reverse();
}

function ReplicaBars({ partition, colour, unknownReason }: { partition: PartitionSnapshot; colour: string; unknownReason: string }) {
  const start = Math.max(0, partition.logStartOffset);
  const end = Math.max(1, start + 1, partition.logEndOffset, ...partition.replicaStates.map((r) => r.logEndOffset));
  const scale = (offset: number): number => ((Math.max(start, offset) - start) / (end - start)) * 100;
  const hw = Math.max(0, partition.highWatermark);
  const adding = partition.addingReplicas ?? [];
  const removing = partition.removingReplicas ?? [];
  return (
    <div className="replica-bars">
      {partition.replicaStates.map((replica) => (
        <div
          key={replica.brokerId}
          className={`replica-row ${replica.leader ? 'is-leader' : replica.inSync ? 'is-in-sync' : 'is-out-of-sync'} ${replica.brokerAlive ? '' : 'is-stopped'}`}
          data-testid="replication-replica"
          data-broker-id={replica.brokerId}
          data-in-sync={String(replica.inSync)}
          data-leader={String(replica.leader)}
          data-log-end-offset={replica.logEndOffset}
        >
          <div className="replica-label">
            <strong>Broker {replica.brokerId}</strong> {replica.leader ? <span className="badge controller">leader</span> : <span className="muted">follower</span>}
            {adding.includes(replica.brokerId) && <span className="badge warn">adding</span>}
            {removing.includes(replica.brokerId) && <span className="badge warn">removing</span>}
            <div className="muted small-text">
              {!replica.brokerAlive ? 'stopped' : replica.inSync ? 'in the ISR' : 'out of the ISR'}
              {replica.preferred ? ' · preferred leader' : ''}
            </div>
          </div>
          {logEndKnown(replica) ? (
            <div className="replica-track" title={`log end offset ${formatCount(replica.logEndOffset)}, ${formatCount(replica.lagRecords)} behind the leader`}>
              <div className="replica-fill" style={{ width: `${scale(replica.logEndOffset)}%`, background: replica.leader || replica.inSync ? colour : undefined }} />
              <span className="replica-leo">
                LEO {formatCount(replica.logEndOffset)}
                {replica.lagRecords > 0 ? ` (−${formatCount(replica.lagRecords)})` : ''}
              </span>
            </div>
          ) : (
            // Not drawn as empty or as full: nobody outside the broker knows how far this log reaches.
            <div className="replica-track unknown" title={unknownReason} data-testid="unavailable" data-feature="follower-log-end-offset">
              <span className="replica-leo">
                LEO unknown{replica.inSync ? ' · in the ISR, so at least the high watermark' : ''}
                <span className="visually-hidden">: {unknownReason}</span>
              </span>
            </div>
          )}
        </div>
      ))}
      <div className={`hw-line ${scale(hw) > 80 ? 'at-end' : ''}`} style={{ left: `calc(190px + (100% - 190px) * ${scale(hw) / 100})` }} data-testid="high-watermark" data-offset={hw}>
        <span>HW {formatCount(hw)}</span>
      </div>
    </div>
  );
}

/** Moves the partition's replicas (AlterPartitionReassignments), or cancels a move in progress. */
function Reassign({ topic, partition }: { topic: string; partition: PartitionSnapshot }) {
  const unavailable = useUnavailable('reassignment');
  if (unavailable) {
    return (
      <div className="reassign">
        <Unavailable feature="reassignment" reason={unavailable} />
      </div>
    );
  }
  return <ReassignForm topic={topic} partition={partition} />;
}

function ReassignForm({ topic, partition }: { topic: string; partition: PartitionSnapshot }) {
  const brokers = useApp((s) => s.brokers);
  const [replicas, setReplicas] = useState(partition.replicas.join(', '));
  const [error, setError] = useState<string | null>(null);
  const moving = partition.addingReplicas.length > 0 || partition.removingReplicas.length > 0;
  const call = async (action: () => ReturnType<ReturnType<typeof host>['call']>): Promise<void> => {
    const r = await action();
    setError(r.ok ? null : r.error.message);
  };
  const target = replicas.split(/[\s,]+/).filter(Boolean).map(Number);
  return (
    <div className="reassign">
      {moving ? (
        <div className="callout" data-testid="reassignment">
          <strong>Reassigning</strong>: adding broker {partition.addingReplicas.join(', ') || '—'} (catching up, joins the ISR when it has every record), then removing broker {partition.removingReplicas.join(', ') || '—'}.{' '}
          <button className="small" onClick={() => void call(() => host().call('cancelReassignment', { topic, partition: partition.partition }))}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="actions start">
          <label className="inline-group">
            <span className="muted small-text">Move replicas to brokers</span>
            <input className="narrow wide" name="reassign-replicas" value={replicas} onChange={(e) => setReplicas(e.target.value)} placeholder={brokers.map((b) => b.id).join(', ')} />
          </label>
          <button className="small" data-testid="reassign-submit" onClick={() => void call(() => host().call('reassignPartition', { topic, partition: partition.partition, replicas: target }))} title="Kafka's reassignment: new replicas catch up and join the ISR, then the removed ones go; the first listed is the preferred leader">
            Reassign
          </button>
        </div>
      )}
      {error && <ErrorText message={error} />}
    </div>
  );
}

export function ReplicationView({ topic, partition: index }: { topic: string; partition: number }) {
  const topicSnapshot = useApp((s) => s.topicsByName.get(topic));
  const timeline = useApp((s) => s.timeline ?? EMPTY);
  const now = useNow(1_000);
  const followerEndUnavailable = useUnavailable('follower-log-end-offset');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const partition = topicSnapshot?.partitions[index];
  if (!topicSnapshot || !partition) return <div className="map-waiting muted">{topic}-{index} does not exist (any more).</div>;
  const minIsr = Number(topicSnapshot.configs['min.insync.replicas'] ?? '1');
  const events = partitionEvents(timeline, topic, index);
  const lastElection = events.find((e): e is Extract<ClusterEvent, { type: 'leader.elected' }> => e.type === 'leader.elected');
  const send = async (count: number, acks: -1 | 1): Promise<void> => {
    setBusy(true);
    const r = await host().call('produce', { topic, acks, repeat: count, expandTemplates: true, records: [{ key: null, value: 'record {{seq}} at {{time}}', headers: [], partition: index }] });
    setBusy(false);
    setResult(r.ok ? { ok: true, text: `${r.value.records} records written with acks=${acks === -1 ? 'all' : '1'}, up to offset ${formatCount(r.value.offset)}.` } : { ok: false, text: r.error.message });
  };
  return (
    <div className="replication" data-testid="replication-view" data-topic={topic} data-partition={index}>
      <div className="ownership-head">
        <button className="link-button" onClick={() => getStore().setState({ focus: null })}>
          ← Cluster map
        </button>
        <strong>
          {topic}-{index}
        </strong>
        <span className="muted">
          <Term term="leader epoch">leader epoch</Term> {partition.leaderEpoch} · leader {partition.offline ? 'none (offline)' : `broker ${partition.leader}`} · <Term term="ISR">ISR</Term> [{partition.isr.join(', ')}] · <Term term="high watermark">high watermark</Term>{' '}
          {formatCount(Math.max(0, partition.highWatermark))}
        </span>
      </div>
      <ReplicaBars partition={partition} colour={topicColor(topicSnapshot.sequence, topicSnapshot.internal)} unknownReason={followerEndUnavailable ?? 'This replica’s log end offset is not known.'} />
      {followerEndUnavailable && partition.replicaStates.some((r) => !logEndKnown(r)) && (
        <p className="muted small-text replication-note">
          Followers’ bars are hatched grey: {followerEndUnavailable} The leader’s bar ends at the log end a client sees; the high watermark line holds for every in-sync replica.
        </p>
      )}
      {partition.isr.length < minIsr && (
        <div className="callout warn-callout">
          <strong>NOT_ENOUGH_REPLICAS</strong> for acks=all: only {partition.isr.length} of the {minIsr} required replicas (min.insync.replicas) are in sync. Producers with acks=1 still succeed; the high watermark holds still.
        </div>
      )}
      <div className="actions start replication-actions">
        <WriteButton command="produce" disabled={busy} onClick={() => void send(100, -1)} title="Produce 100 records to this partition with acks=all: every in-sync replica must have them">
          Send 100 records (acks=all)
        </WriteButton>
        <WriteButton command="produce" disabled={busy} onClick={() => void send(100, 1)} title="Produce 100 records with acks=1: the leader alone acknowledges">
          Send 100 (acks=1)
        </WriteButton>
        <WriteButton command="produce" disabled={busy} onClick={() => void send(5_000, -1)}>
          Send 5,000
        </WriteButton>
        <span className="muted small-text">
          A follower that is not caught up for <Term term="replica.lag.time.max.ms">replica.lag.time.max.ms</Term> leaves the ISR; the high watermark follows the slowest in-sync replica.
        </span>
      </div>
      {result && (result.ok ? <div className="result">{result.text}</div> : <ErrorText message={result.text} testId="replication-produce-error" />)}
      <Reassign key={partition.replicas.join(',')} topic={topic} partition={partition} />
      {lastElection && (
        <div className="callout election" data-testid="last-election">
          <strong>Last election</strong> ({formatRelative(lastElection.time, now)}): {lastElection.leader < 0 ? 'no leader' : `broker ${lastElection.leader} won`}, leader epoch → {lastElection.leaderEpoch}
          {lastElection.previousLeader >= 0 ? ` (was broker ${lastElection.previousLeader})` : ''}. Why: {electionWhy(lastElection)}.
        </div>
      )}
      <h3 className="replication-story">This partition's story</h3>
      <ol className="events replication-events">
        {events.length === 0 && <li className="muted">No elections, ISR changes or truncations yet.</li>}
        {events.map((event, i) => {
          const { text, tone } = describeEvent(event);
          return (
            <li key={`${event.time}-${i}`} className={`event event-${tone}`}>
              <span className="event-text">
                {text}
                {event.type === 'replica.truncated' && ' — the returning replica dropped records the new leader never had, so the logs agree again'}
              </span>
              <time className="muted" title={formatExact(event.time)}>
                {formatRelative(event.time, now)}
              </time>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
