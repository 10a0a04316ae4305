/**
 * One broker's lane header on the map: its id, state, controller badge, replica and leader
 * counts, and the stop/start control right where the broker is. The lane element spans the
 * whole lane and carries the broker's test hooks.
 */
import { memo, useState } from 'react';
import type { BrokerSnapshot } from '../../core/host/contract';
import { formatCount } from '../components/format';
import { Term } from '../components/Term';
import { host, getStore } from '../store/store';
import { Unavailable, useUnavailable } from '../components/Gate';

/** Words for a broker's state. */
export function brokerStateLabel(broker: BrokerSnapshot): string {
  if (!broker.alive) return 'stopped';
  if (broker.state === 'starting') return 'starting';
  if (broker.fenced) return 'fenced';
  return 'running';
}

export const BrokerLane = memo(function BrokerLane({ broker, y, height, width }: { broker: BrokerSnapshot; y: number; height: number; width: number }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = brokerStateLabel(broker);
  // External cluster: stop/start/isolate cannot be done by a Kafka client (the source says why).
  const faultsUnavailable = useUnavailable('faults');
  const run = async (action: 'stop' | 'start' | 'isolate' | 'heal'): Promise<void> => {
    setBusy(true);
    setError(null);
    const brokerId = broker.id;
    const result =
      action === 'stop'
        ? await host().call('stopBroker', { brokerId })
        : action === 'start'
          ? await host().call('startBroker', { brokerId })
          : action === 'isolate'
            ? await host().call('isolateBroker', { brokerId })
            : await host().call('clearFault', { kind: 'isolated', brokerId });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  };
  return (
    <div
      className={`lane lane-${state}`}
      style={{ top: y, height, width: width - 12 }}
      data-testid="broker"
      data-broker-id={broker.id}
      data-alive={String(broker.alive)}
      data-controller={String(broker.controller)}
      aria-label={`Broker ${broker.id}, ${state}${broker.controller ? ', controller' : ''}`}
    >
      <div className="lane-header" onClick={(event) => event.stopPropagation()}>
        <div className="lane-title">
          <button className="link-button lane-name" onClick={() => getStore().getState().select({ kind: 'broker', brokerId: broker.id })} title="Show this broker's details">
            Broker {broker.id}
          </button>
          {broker.controller && (
            <span className="badge controller" title="This broker hosts the active controller">
              <Term term="controller">controller</Term>
            </span>
          )}
        </div>
        <div className={`lane-state state-${state}`}>
          <span className="dot" /> {state === 'fenced' ? <Term term="fenced">fenced</Term> : state}
          {broker.isolated && (
            <span className="fault-tag" title="Cut off from the other brokers and the controller">
              ✂ isolated
            </span>
          )}
          {broker.fetchDelayMs > 0 && (
            <span className="fault-tag" title={`Every replica fetch waits ${broker.fetchDelayMs} ms`}>
              ◷ slowed
            </span>
          )}
        </div>
        <div className="lane-counts muted">
          {formatCount(broker.replicaCount)} replicas · {formatCount(broker.leaderCount)} <Term term="leader">leading</Term>
        </div>
        {faultsUnavailable ? (
          <div className="lane-buttons">
            <Unavailable feature="faults" reason={faultsUnavailable} label="Stop · Isolate" />
          </div>
        ) : (
        <div className="lane-buttons">
        {broker.alive ? (
          <button className="small" data-testid="broker-stop" data-broker-id={broker.id} disabled={busy} onClick={() => void run('stop')} title="Crash this broker: its memory is lost, its files are kept">
            Stop
          </button>
        ) : (
          <button className="small primary" data-testid="broker-start" data-broker-id={broker.id} disabled={busy} onClick={() => void run('start')} title="Start this broker: it recovers from its files and rejoins">
            Start
          </button>
        )}
        {broker.isolated ? (
          <button className="small" data-testid="broker-heal" data-broker-id={broker.id} disabled={busy} onClick={() => void run('heal')} title="Reconnect this broker to the others and the controller">
            Heal
          </button>
        ) : !broker.alive ? null : (
          <button className="small" data-testid="broker-isolate" data-broker-id={broker.id} disabled={busy} onClick={() => void run('isolate')} title="Cut this broker off from the other brokers and the controller: it keeps running, but is fenced, leaves the ISRs and loses its leaderships">
            Isolate
          </button>
        )}
        </div>
        )}
        {error && <div className="error small-error">{error}</div>}
      </div>
    </div>
  );
});
