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

export function App() {
  useShortcuts();
  const ready = useApp((s) => s.seq >= 0);
  const connection = useApp((s) => s.connection);
  return (
    <div className="app">
      <Header />
      <TopicList />
      <main className="map" aria-label="Cluster map">
        <MapToolbar />
        {ready ? <ClusterMap /> : <div className="map-waiting muted">{connection === 'closed' ? 'Cannot reach the Brokerscope host; retrying…' : 'Starting the cluster…'}</div>}
      </main>
      <Inspector />
    </div>
  );
}
