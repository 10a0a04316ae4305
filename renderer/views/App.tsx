/**
 * The window: header; topics on the left; the cluster map in the centre; the inspector on the
 * right. One screen, no page hopping.
 */
import { ClusterMap } from './ClusterMap';
import { Header } from './Header';
import { Inspector } from './Inspector';
import { MapToolbar } from './MapToolbar';
import { TopicList } from './TopicList';
import { useShortcuts } from './shortcuts';
import { useApp } from '../store/store';
import { OwnershipView } from './OwnershipView';
import { Timeline } from './Timeline';
import { ReplicationView } from './ReplicationView';

export function App() {
  useShortcuts();
  const ready = useApp((s) => s.seq >= 0);
  const connection = useApp((s) => s.connection);
  const past = useApp((s) => s.past !== null);
  const focus = useApp((s) => s.focus);
  const groupId = useApp((s) => (s.selection.kind === 'group' ? s.selection.groupId : null));
  return (
    <div className="app">
      <Header />
      <TopicList />
      <main className="map" aria-label="Cluster map">
        {past && <div className="past-stripe">Viewing the cluster as it was — the timeline's “Return to live” brings back now.</div>}
        <MapToolbar />
        {ready && groupId !== null ? (
          <OwnershipView groupId={groupId} />
        ) : ready && focus ? (
          <ReplicationView topic={focus.topic} partition={focus.partition} />
        ) : ready ? (
          <ClusterMap />
        ) : (
          <div className="map-waiting muted">{connection === 'closed' ? 'Cannot reach the Brokerscope host; retrying…' : 'Starting the cluster…'}</div>
        )}
      </main>
      <Timeline />
      <Inspector />
    </div>
  );
}
