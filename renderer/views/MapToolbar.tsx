/**
 * Above the map: the legend of the visual language (what a solid, outlined, dashed or crossed
 * tile means) and the cluster-wide action, add broker.
 */
import { useState } from 'react';
import { host, useApp } from '../store/store';
import { faultsOf } from '../store/cluster-state';
import type { Fault } from '../../core/host/contract';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';

export function MapToolbar() {
  const [error, setError] = useState<string | null>(null);
  const faults = useApp((s) => faultsOf(s));
  const stopped = useApp((s) => s.brokers.filter((b) => !b.alive).map((b) => b.id).join(','));
  const start = async (brokerId: number): Promise<void> => {
    const result = await host().call('startBroker', { brokerId });
    setError(result.ok ? null : result.error.message);
  };
  const [note, setNote] = useState<string | null>(null);
  const clear = async (fault: Fault): Promise<void> => {
    const result = await host().call('clearFault', { kind: fault.kind, brokerId: fault.brokerId });
    setError(result.ok ? null : result.error.message);
  };
  const clearAll = async (): Promise<void> => {
    const result = await host().call('clearAllFaults', {});
    setError(result.ok ? null : result.error.message);
  };
  const elect = async (): Promise<void> => {
    const result = await host().call('electPreferredLeaders', {});
    setError(result.ok ? null : result.error.message);
    setNote(result.ok ? (result.value.elected === 0 ? 'Every preferred leader already leads (or is out of sync).' : `${result.value.elected} leaderships moved to preferred replicas.`) : null);
  };
  const add = async (): Promise<void> => {
    const result = await host().call('addBroker', {});
    setError(result.ok ? null : result.error.message);
  };
  return (
    <div className="map-toolbar">
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="legend-tile leader" /> <Term term="leader">leader</Term>
        </li>
        <li>
          <span className="legend-tile in-sync" /> <Term term="follower">in-sync follower</Term>
        </li>
        <li>
          <span className="legend-tile out-of-sync" /> <Term term="out of sync">out of sync</Term>
        </li>
        <li>
          <span className="legend-tile offline" /> <Term term="offline">offline</Term>
        </li>
        <li>
          <span className="legend-dot" /> <Term term="preferred leader">preferred leader, not leading</Term>
        </li>
        <li>
          <span className="legend-line" /> <Term term="high watermark">high watermark</Term>
        </li>
      </ul>
      <button className="small" onClick={() => void elect()} title="Move leadership back to each partition's preferred (first) replica where it is in sync">
        Elect preferred leaders
      </button>
      <button className="small" data-testid="add-broker" onClick={() => void add()} title="Add a broker with the next free id">
        + Add broker
      </button>
      {(faults.length > 0 || stopped !== '') && (
        <div className="faults" aria-label="Active faults">
          <span className="muted">Active faults:</span>
          {stopped !== '' &&
            stopped.split(',').map((id) => (
              <span key={`stopped-${id}`} className="fault-chip" data-testid="fault" data-kind="stopped" data-broker-id={id}>
                ■ broker {id} stopped
                <button className="small" onClick={() => void start(Number(id))} title="Start this broker: it recovers from its files and rejoins">
                  Start
                </button>
              </span>
            ))}
          {faults.map((fault) => (
            <span key={`${fault.kind}-${fault.brokerId}`} className="fault-chip" data-testid="fault" data-kind={fault.kind} data-broker-id={fault.brokerId}>
              {describeFault(fault)}
              <button className="small" data-testid="fault-clear" onClick={() => void clear(fault)} title="Undo this fault">
                Heal
              </button>
            </span>
          ))}
          {faults.length > 1 && (
            <button className="small" onClick={() => void clearAll()}>
              Heal all
            </button>
          )}
        </div>
      )}
      {note && <span className="muted small-text">{note}</span>}
      {error && <ErrorText message={error} />}
    </div>
  );
}

/** A fault in a few words. */
export function describeFault(fault: Fault): string {
  return fault.kind === 'isolated' ? `✂ broker ${fault.brokerId} isolated` : `◷ broker ${fault.brokerId} fetches +${(fault.delayMs / 1000).toLocaleString('en-US')} s`;
}
