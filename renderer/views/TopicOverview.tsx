/**
 * A topic's partitions (leader, replicas, ISR, offsets), its configs (an editor), and the
 * topic's actions: add partitions, delete (after its name is typed to confirm).
 */
import { useState } from 'react';
import type { TopicSnapshot } from '../../core/host/contract';
import { getStore, host } from '../store/store';
import { formatCount } from '../components/format';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';
import { ConfirmByName } from '../components/ConfirmByName';
import { WriteButton } from '../components/Gate';
import { ProducerList } from './ProducerList';
import { TopicConfigs } from './TopicConfigs';

const SHOWN_PARTITIONS = 200;

export function TopicOverview({ topic }: { topic: TopicSnapshot }) {
  const [total, setTotal] = useState(String(topic.partitions.length + 1));
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const addPartitions = async (): Promise<void> => {
    setError(null);
    const result = await host().call('createPartitions', { name: topic.name, totalPartitions: Number(total) });
    if (!result.ok) setError(result.error.message);
  };
  const remove = async (): Promise<void> => {
    setBusy(true);
    const result = await host().call('deleteTopic', { name: topic.name });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      setConfirming(false);
      return;
    }
    getStore().getState().select({ kind: 'cluster' });
  };
  const records = topic.partitions.reduce((sum, p) => sum + Math.max(0, p.highWatermark - Math.max(0, p.logStartOffset)), 0);
  return (
    <div className="panel">
      <dl className="facts">
        <dt>
          <Term term="partitions">Partitions</Term>
        </dt>
        <dd>{formatCount(topic.partitions.length)}</dd>
        <dt>
          <Term term="replication factor">Replication factor</Term>
        </dt>
        <dd>{topic.replicationFactor}</dd>
        <dt>Records kept</dt>
        <dd>{formatCount(records)}</dd>
        <dt>Topic id</dt>
        <dd className="mono small-text">{topic.topicId}</dd>
      </dl>
      <ProducerList topic={topic.name} />
      <h3>Partitions</h3>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th>#</th>
              <th><Term term="leader">Leader</Term></th>
              <th>Replicas</th>
              <th><Term term="isr">ISR</Term></th>
              <th><Term term="log end offset">LEO</Term></th>
              <th><Term term="high watermark">HW</Term></th>
              <th><Term term="leader epoch">Epoch</Term></th>
            </tr>
          </thead>
          <tbody>
            {topic.partitions.slice(0, SHOWN_PARTITIONS).map((p) => (
              <tr key={p.partition} className={p.offline ? 'row-bad' : p.underReplicated ? 'row-warn' : ''}>
                <td>
                  <button className="link-button" onClick={() => getStore().setState({ focus: { topic: topic.name, partition: p.partition } })} title="Open the replication view of this partition">
                    {p.partition}
                  </button>
                </td>
                <td>{p.offline ? 'offline' : p.leader}</td>
                <td>{p.replicas.join(', ')}</td>
                <td>{p.isr.join(', ')}</td>
                <td>{formatCount(p.logEndOffset)}</td>
                <td>{formatCount(Math.max(0, p.highWatermark))}</td>
                <td>{p.leaderEpoch}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {topic.partitions.length > SHOWN_PARTITIONS && <p className="muted">First {SHOWN_PARTITIONS} of {formatCount(topic.partitions.length)} partitions.</p>}
      </div>
      <h3>Configs</h3>
      <TopicConfigs topic={topic} />
      <h3>Actions</h3>
      <div className="row align-end">
        <label>
          <span>Total partitions</span>
          <input type="number" name="total-partitions" min={topic.partitions.length + 1} value={total} onChange={(e) => setTotal(e.target.value)} />
        </label>
        <WriteButton command="createPartitions" onClick={() => void addPartitions()} title="Kafka can only add partitions; keyed records may map to other partitions afterwards">
          Add partitions
        </WriteButton>
      </div>
      {confirming ? (
        <ConfirmByName name={topic.name} action="Delete topic" busy={busy} onCancel={() => setConfirming(false)} onConfirm={() => void remove()}>
          Delete <strong>{topic.name}</strong> and its {formatCount(records)} records on every broker? This cannot be undone.
        </ConfirmByName>
      ) : (
        <div className="actions start">
          <WriteButton command="deleteTopic" className="danger-outline" data-testid="delete-topic" onClick={() => setConfirming(true)}>
            Delete topic…
          </WriteButton>
        </div>
      )}
      {error && <ErrorText message={error} />}
    </div>
  );
}
