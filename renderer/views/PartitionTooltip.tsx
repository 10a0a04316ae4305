/**
 * The hovered partition's facts: leader, leader epoch, high watermark, and for each replica
 * its log end offset, lag and whether it is in sync.
 */
import { useApp } from '../store/store';
import type { MapLayout } from '../viz/layout';
import { formatCount } from '../components/format';
import { topicColor } from '../viz/palette';
import { useUnavailable } from '../components/Gate';
import { logEndKnown } from '../store/source';

export function PartitionTooltip({ layout }: { layout: MapLayout }) {
  const hovered = useApp((s) => s.hovered);
  const topic = useApp((s) => (s.hovered ? s.topicsByName.get(s.hovered.topic) : undefined));
  const unknownReason = useUnavailable('follower-log-end-offset');
  if (!hovered || !topic) return null;
  const partition = topic.partitions[hovered.partition];
  if (!partition) return null;
  const left = Math.min(hovered.x + 10, layout.width - 300);
  const top = Math.min(hovered.y, layout.height - 220);
  return (
    <div className="tooltip" style={{ left: Math.max(8, left), top: Math.max(8, top) }} role="tooltip">
      <div className="tooltip-title">
        <span className="swatch" style={{ background: topicColor(topic.sequence, topic.internal) }} />
        {topic.name}-{partition.partition}
      </div>
      <div className="tooltip-grid">
        <span>Leader</span>
        <span>{partition.offline ? <strong className="text-offline">offline</strong> : `broker ${partition.leader}`}</span>
        <span>Leader epoch</span>
        <span>{formatCount(partition.leaderEpoch)}</span>
        <span>High watermark</span>
        <span>{formatCount(Math.max(0, partition.highWatermark))}</span>
        <span>Log start</span>
        <span>{formatCount(Math.max(0, partition.logStartOffset))}</span>
      </div>
      <table className="tooltip-replicas">
        <thead>
          <tr>
            <th>Broker</th>
            <th>Role</th>
            <th>LEO</th>
            <th>Lag</th>
          </tr>
        </thead>
        <tbody>
          {partition.replicaStates.map((replica) => (
            <tr key={replica.brokerId}>
              <td>
                {replica.brokerId}
                {replica.preferred ? ' •' : ''}
              </td>
              <td className={replica.leader ? '' : replica.inSync ? '' : 'text-warning'}>{replica.leader ? 'leader' : replica.inSync ? 'in sync' : 'out of sync'}</td>
              <td className={logEndKnown(replica) ? '' : 'muted'}>{logEndKnown(replica) ? formatCount(replica.logEndOffset) : 'unknown'}</td>
              <td className={logEndKnown(replica) ? '' : 'muted'}>{logEndKnown(replica) ? formatCount(replica.lagRecords) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted tooltip-note">• preferred leader · LEO: log end offset</div>
      {unknownReason && partition.replicaStates.some((r) => !logEndKnown(r)) && <div className="muted tooltip-note" data-testid="unavailable" data-feature="follower-log-end-offset">Unknown: {unknownReason}</div>}
    </div>
  );
}
