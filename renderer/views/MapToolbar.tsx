/**
 * Above the map: the legend of the visual language (what a solid, outlined, dashed or crossed
 * tile means) and the cluster-wide action, add broker.
 */
import { useState } from 'react';
import { host } from '../store/store';
import { Term } from '../components/Term';
import { ErrorText } from '../components/ErrorText';

export function MapToolbar() {
  const [error, setError] = useState<string | null>(null);
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
      <button className="small" data-testid="add-broker" onClick={() => void add()} title="Add a broker with the next free id">
        + Add broker
      </button>
      {error && <ErrorText message={error} />}
    </div>
  );
}
