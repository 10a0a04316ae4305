/**
 * The replicas as a visually hidden list: what the canvas shows, for screen readers and for
 * automated UI tests (stable data-* hooks). One memoised list per topic, so a delta that
 * changes one topic re-renders only that topic's items. It mirrors exactly the topics the map
 * draws (on a very large cluster, a part of them: 72,000 list items would stall the window).
 */
import { memo } from 'react';
import type { TopicSnapshot } from '../../core/host/contract';
import { useApp } from '../store/store';
import { mapScopeOf } from '../store/map-scope';

const TopicReplicas = memo(function TopicReplicas({ topic }: { topic: TopicSnapshot }) {
  return (
    <>
      {topic.partitions.flatMap((partition) =>
        partition.replicaStates.map((replica) => (
          <li
            key={`${partition.partition}-${replica.brokerId}`}
            data-testid="replica"
            data-topic={topic.name}
            data-partition={partition.partition}
            data-broker-id={replica.brokerId}
            data-leader={String(replica.leader)}
            data-in-sync={String(replica.inSync)}
            data-preferred={String(replica.preferred)}
            data-offline={String(partition.offline)}
          >
            {/* One text node per item (not one per interpolation): thousands of items stay cheap to update. */}
            {`${topic.name}-${partition.partition} on broker ${replica.brokerId}: ${replica.leader ? 'leader' : 'follower'}, ${replica.inSync ? 'in sync' : 'out of sync'}, log end offset ${replica.logEndOffset >= 0 ? replica.logEndOffset : 'unknown'}`}
          </li>
        )),
      )}
    </>
  );
});

export function ReplicaHooks() {
  const topics = useApp((s) => mapScopeOf(s).topics);
  return (
    <ul className="replica-hooks" aria-label="Replicas on the map">
      {topics.map((topic) => (
        <TopicReplicas key={topic.name} topic={topic} />
      ))}
    </ul>
  );
}
