/**
 * Running steady producers (optionally of one topic), each with its rate, records sent and
 * failed, last error, and a stop button.
 */
import { useShallow } from 'zustand/react/shallow';
import { host, useApp } from '../store/store';
import { formatCount, formatRate } from '../components/format';

export function ProducerList({ topic }: { topic?: string }) {
  const producers = useApp(useShallow((s) => (topic ? s.producers.filter((p) => p.topic === topic) : s.producers)));
  if (producers.length === 0) return null;
  return (
    <div className="producers">
      <h3>Steady producers</h3>
      {producers.map((p) => (
        <div key={p.id} className="producer" data-testid="steady-producer">
          <div>
            <strong>{p.topic}</strong> · {formatRate(p.recordsPerSecond)} · acks={p.acks === -1 ? 'all' : p.acks}
            <div className="muted">
              {formatCount(p.sentRecords)} sent{p.failedRecords > 0 ? ` · ${formatCount(p.failedRecords)} failed` : ''}
            </div>
            {p.lastError && <div className="text-warning small-text">{p.lastError}</div>}
          </div>
          <button className="small" onClick={() => void host().call('stopProducer', { id: p.id })}>
            Stop
          </button>
        </div>
      ))}
    </div>
  );
}
