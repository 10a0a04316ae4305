/**
 * One broker: its state, epoch, what it hosts and leads, and its controls (crash, clean
 * shutdown, start).
 */
import { useState } from 'react';
import { getStore, host, useApp } from '../store/store';
import { formatCount } from '../components/format';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { brokerStateLabel } from './BrokerLane';
import { Unavailable, useUnavailable } from '../components/Gate';

export function BrokerPanel({ brokerId }: { brokerId: number }) {
  const broker = useApp((s) => s.brokers.find((b) => b.id === brokerId));
  const [error, setError] = useState<string | null>(null);
  const [delay, setDelay] = useState('15000');
  const faultsUnavailable = useUnavailable('faults');
  if (!broker) return <div className="panel muted">Broker {brokerId} is not in this cluster.</div>;
  const run = async (action: () => ReturnType<ReturnType<typeof host>['call']>): Promise<void> => {
    setError(null);
    const result = await action();
    if (!result.ok) setError(result.error.message);
  };
  return (
    <div className="panel">
      <div className="panel-head">
        <button className="link-button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          ← Cluster
        </button>
      </div>
      <h2>
        Broker {broker.id} {broker.controller && <span className="badge controller">controller</span>}
      </h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>{brokerStateLabel(broker)}</dd>
        <dt>
          <Term term="broker epoch">Broker epoch</Term>
        </dt>
        <dd>{broker.brokerEpoch >= 0 ? formatCount(broker.brokerEpoch) : '—'}</dd>
        <dt>Replicas</dt>
        <dd>{formatCount(broker.replicaCount)}</dd>
        <dt>
          <Term term="leader">Leaderships</Term>
        </dt>
        <dd>{formatCount(broker.leaderCount)}</dd>
      </dl>
      {faultsUnavailable ? (
        <Unavailable feature="faults" reason={faultsUnavailable} />
      ) : (
        <>
      <div className="actions start">
        {broker.alive ? (
          <>
            <button onClick={() => void run(() => host().call('stopBroker', { brokerId, graceful: false }))} title="Memory lost, files kept; leadership moves after broker.session.timeout.ms">
              Stop (crash)
            </button>
            <button onClick={() => void run(() => host().call('stopBroker', { brokerId, graceful: true }))} title="Controlled shutdown: leadership moves first, then the broker stops cleanly">
              Stop cleanly
            </button>
          </>
        ) : (
          <button className="primary" onClick={() => void run(() => host().call('startBroker', { brokerId }))}>
            Start
          </button>
        )}
      </div>
      {broker.alive && (
        <>
          <h3>Faults</h3>
          <div className="actions start">
            {broker.isolated ? (
              <button onClick={() => void run(() => host().call('clearFault', { kind: 'isolated', brokerId }))}>Heal isolation</button>
            ) : (
              <button onClick={() => void run(() => host().call('isolateBroker', { brokerId }))} title="Cut this broker off from the other brokers and the controller: it keeps running, but is fenced, leaves the ISRs and loses its leaderships">
                Isolate
              </button>
            )}
            {broker.fetchDelayMs > 0 ? (
              <button onClick={() => void run(() => host().call('clearFault', { kind: 'slow-fetches', brokerId }))}>Heal slow fetches ({formatCount(broker.fetchDelayMs)} ms)</button>
            ) : (
              <span className="inline-group">
                <button onClick={() => void run(() => host().call('slowFollower', { brokerId, delayMs: Number(delay) || 0 }))} title="Delay every replica fetch this broker sends: a follower slower than replica.lag.time.max.ms leaves the ISR while records arrive">
                  Slow its fetches by
                </button>
                <input className="narrow" name="fetch-delay-ms" inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} aria-label="Fetch delay in ms" /> ms
              </span>
            )}
          </div>
        </>
      )}
        </>
      )}
      {error && <ErrorText message={error} />}
    </div>
  );
}
