/**
 * The cluster at a glance, with the first actions a newcomer needs: create a topic, or start
 * a demo that creates one and produces to it steadily. Below, running steady producers and
 * the latest events.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getStore, host, useApp } from '../store/store';
import { clusterHealth } from '../store/cluster-state';
import { formatCount, formatExact, formatRate, formatRelative } from '../components/format';
import { describeEvent } from '../components/describe-event';
import { ErrorText } from '../components/ErrorText';
import { ProducerList } from './ProducerList';
import { useNow } from './use-now';
import { ScenarioList } from './Scenarios';
import { Unavailable, useUnavailable, WriteButton } from '../components/Gate';
import { pollStatus, sourceOf } from '../store/source';

/** An external cluster's source: where it is read from, how fresh, and what it cannot show. */
function SourceFacts({ now }: { now: number }) {
  const source = useApp((s) => sourceOf(s));
  if (source.kind !== 'external') return null;
  const status = pollStatus(source, now);
  return (
    <>
      <dl className="facts">
        <dt>Connection</dt>
        <dd>
          {source.name}
          {source.readOnly ? ' (read-only)' : ''}
        </dd>
        <dt>Bootstrap</dt>
        <dd className="mono small-text" title={source.bootstrap ?? ''}>
          {source.bootstrap}
        </dd>
        <dt>Refreshed</dt>
        <dd className={status?.failing ? 'text-offline' : ''} title={status?.title}>
          {status?.text}
        </dd>
      </dl>
      {source.unavailable.length > 0 && (
        <details className="unavailable-list">
          <summary>What a Kafka client cannot see or do here ({source.unavailable.length})</summary>
          {source.unavailable.map((entry) => (
            <Unavailable key={entry.feature} feature={entry.feature} reason={entry.reason} />
          ))}
        </details>
      )}
    </>
  );
}

const DEMO_TOPIC = 'demo-orders';

async function startDemo(): Promise<string | null> {
  const store = getStore().getState();
  if (!store.topicsByName.has(DEMO_TOPIC)) {
    const created = await host().call('createTopic', { name: DEMO_TOPIC, partitions: 6, replicationFactor: Math.min(3, store.brokers.filter((b) => b.alive).length), configs: { 'min.insync.replicas': '2' } });
    if (!created.ok) return created.error.message;
  }
  const started = await host().call('startProducer', {
    topic: DEMO_TOPIC,
    recordsPerSecond: 20,
    key: 'customer-{{random}}',
    value: '{"order":{{seq}},"id":"{{uuid}}","at":"{{time}}"}',
    acks: -1,
  });
  if (!started.ok) return started.error.message;
  getStore().getState().select({ kind: 'topic', topic: DEMO_TOPIC }, 'browse');
  return null;
}

export function ClusterOverview() {
  const facts = useApp(useShallow((s) => ({ clusterId: s.clusterId, brokers: s.brokers.length, topics: s.topics.filter((t) => !t.internal).length, controllerId: s.controllerId, rates: s.rates })));
  const health = useApp(useShallow((s) => clusterHealth(s)));
  const events = useApp((s) => s.events);
  const now = useNow(1_000);
  const external = useApp((s) => sourceOf(s).kind === 'external');
  const faultsUnavailable = useUnavailable('faults');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<string | null>): Promise<void> => {
    setBusy(true);
    setError(await action());
    setBusy(false);
  };
  return (
    <div className="panel">
      <h2>Cluster</h2>
      <dl className="facts">
        <dt>Cluster id</dt>
        <dd className="mono">{facts.clusterId}</dd>
        <dt>Brokers</dt>
        <dd>{formatCount(facts.brokers)}</dd>
        <dt>Controller</dt>
        <dd>{facts.controllerId >= 0 ? `broker ${facts.controllerId}` : 'being elected'}</dd>
        <dt>Topics · partitions</dt>
        <dd>
          {formatCount(facts.topics)} · {formatCount(health.partitions)}
        </dd>
        <dt>Produced</dt>
        <dd>{formatRate(facts.rates.recordsInPerSecond)}</dd>
      </dl>
      <SourceFacts now={now} />
      {facts.topics === 0 && (
        <div className="callout">
          {external ? (
            <>
              <strong>This cluster has no topics yet.</strong> Create one to see its partitions spread across the brokers.
            </>
          ) : (
            <>
              <strong>Your cluster is running.</strong> Create a topic to see its partitions spread across the brokers, or start the demo: a topic with a steady producer, so records flow at once.
            </>
          )}
          <div className="actions start">
            <WriteButton command="createTopic" className="primary" onClick={() => getStore().getState().select({ kind: 'create-topic' })}>
              Create your first topic
            </WriteButton>
            {!external && (
              <button disabled={busy} onClick={() => void act(startDemo)}>
                Start the demo
              </button>
            )}
          </div>
        </div>
      )}
      <div className="actions start">
        {faultsUnavailable ? (
          <Unavailable feature="faults" reason={faultsUnavailable} label="Add broker" />
        ) : (
          <button disabled={busy} onClick={() => void act(async () => { const r = await host().call('addBroker', {}); return r.ok ? null : r.error.message; })} title="Add a broker with the next free id; new topics can place replicas on it">
            + Add broker
          </button>
        )}
        {/* The demo writes a topic of its own: a newcomer's aid for the embedded cluster, never for someone's real one. */}
        {facts.topics > 0 && !external && (
          <button disabled={busy} onClick={() => void act(startDemo)} title={`Create ${DEMO_TOPIC} if needed and produce 20 records a second to it`}>
            Start demo producer
          </button>
        )}
      </div>
      {error && <ErrorText message={error} />}
      <ScenarioList />
      <ProducerList />
      <h3>Recent events</h3>
      <ol className="events">
        {events.length === 0 && <li className="muted">Nothing yet.</li>}
        {[...events].reverse().slice(0, 60).map((event, index) => {
          const { text, tone } = describeEvent(event);
          return (
            <li key={`${event.time}-${index}`} className={`event event-${tone}`}>
              <span className="event-text">{text}</span>
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
