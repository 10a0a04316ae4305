/**
 * Above the map: the legend of the visual language (what a solid, outlined, dashed or crossed
 * tile means), the cluster-wide actions (elect preferred leaders, add broker; on an external
 * cluster the sentence saying why they are not offered), the active faults, and on a cluster
 * too big to draw whole, which part of it the map shows.
 */
import { useState } from 'react';
import { host, useApp } from '../store/store';
import { faultsOf } from '../store/cluster-state';
import type { Fault } from '../../core/host/contract';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { Unavailable, useUnavailable } from '../components/Gate';
import { mapScopeOf, MAP_REPLICA_LIMIT } from '../store/map-scope';
import { formatCount } from '../components/format';
import { useShallow } from 'zustand/react/shallow';

/** On a cluster too big to draw whole: what the map shows, and how to choose. */
function MapScopeNote() {
  const scope = useApp(
    useShallow((s) => {
      const scope = mapScopeOf(s);
      return { limited: scope.limited, drawnTopics: scope.topics.length, totalTopics: scope.totalTopics, drawnReplicas: scope.drawnReplicas, totalReplicas: scope.totalReplicas, query: scope.query, matched: scope.matched };
    }),
  );
  if (!scope.limited) return null;
  const how = scope.query
    ? `the topics matching “${scope.query}” (${formatCount(scope.matched)} match${scope.matched === 1 ? 'es' : ''})`
    : 'the selected topic, then topics with offline or under-replicated partitions, then the first in creation order';
  return (
    <div className="map-scope" data-testid="map-scope" data-drawn-topics={scope.drawnTopics} data-total-topics={scope.totalTopics} role="note">
      <strong>
        Drawing {formatCount(scope.drawnTopics)} of {formatCount(scope.totalTopics)} topics
      </strong>{' '}
      ({formatCount(scope.drawnReplicas)} of {formatCount(scope.totalReplicas)} replicas; the map draws at most {formatCount(MAP_REPLICA_LIMIT)} at once): {how}. Search the topic list to choose which; the header and the lanes count the whole cluster.
    </div>
  );
}

export function MapToolbar() {
  const [error, setError] = useState<string | null>(null);
  const faultsUnavailable = useUnavailable('faults');
  const reassignmentUnavailable = useUnavailable('reassignment');
  const followerEndUnavailable = useUnavailable('follower-log-end-offset');
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
        {followerEndUnavailable && (
          <li title={followerEndUnavailable}>
            <span className="legend-tile unknown" /> <span className="term">follower’s log end unknown</span>
          </li>
        )}
      </ul>
      {reassignmentUnavailable ? (
        <Unavailable feature="reassignment" reason={reassignmentUnavailable} label="Elect preferred leaders" />
      ) : (
        <button className="small" onClick={() => void elect()} title="Move leadership back to each partition's preferred (first) replica where it is in sync">
          Elect preferred leaders
        </button>
      )}
      {faultsUnavailable ? (
        <Unavailable feature="faults" reason={faultsUnavailable} label="Add broker" />
      ) : (
        <button className="small" data-testid="add-broker" onClick={() => void add()} title="Add a broker with the next free id">
          + Add broker
        </button>
      )}
      <MapScopeNote />
      {(faults.length > 0 || stopped !== '') && (
        <div className="faults" aria-label="Active faults">
          <span className="muted">{faultsUnavailable ? 'Missing brokers:' : 'Active faults:'}</span>
          {stopped !== '' &&
            stopped.split(',').map((id) =>
              faultsUnavailable ? (
                // An attached cluster's broker that left the metadata: stopped, crashed or unreachable; a client cannot tell which, nor start it.
                <span key={`stopped-${id}`} className="fault-chip" data-testid="fault" data-kind="missing" data-broker-id={id} title="This broker was in the cluster's metadata and is no longer: stopped, crashed or cut off from the controller">
                  ■ broker {id} not in the metadata
                </span>
              ) : (
                <span key={`stopped-${id}`} className="fault-chip" data-testid="fault" data-kind="stopped" data-broker-id={id}>
                  ■ broker {id} stopped
                  <button className="small" onClick={() => void start(Number(id))} title="Start this broker: it recovers from its files and rejoins">
                    Start
                  </button>
                </span>
              ),
            )}
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
