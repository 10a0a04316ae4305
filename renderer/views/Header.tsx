/**
 * The header: which cluster (the switcher, its source and freshness, the connections dialog),
 * live indicators (records in per second, under-replicated and offline partitions) and the
 * connection to the host.
 */
import { useShallow } from 'zustand/react/shallow';
import { clusterHealth } from '../store/cluster-state';
import { getStore, useApp } from '../store/store';
import { formatBytes, formatCount, formatRate } from '../components/format';
import { Term } from '../components/Term';
import { KafkaChip } from './KafkaChip';
import { ClusterSwitcher } from './ClusterSwitcher';
import { ConnectionsDialog } from './ConnectionsDialog';

export function Header() {
  const { clusterId, brokerCount, liveBrokers, controllerId, rates, connection } = useApp(
    useShallow((s) => ({
      clusterId: s.clusterId,
      brokerCount: s.brokers.length,
      liveBrokers: s.brokers.filter((b) => b.alive).length,
      controllerId: s.controllerId,
      rates: s.rates,
      connection: s.connection,
    })),
  );
  const health = useApp(useShallow((s) => clusterHealth(s)));
  return (
    <header className="header">
      <div className="brand">
        <img src="./icon.svg" alt="" width={22} height={22} />
        <span>Brokerscope</span>
      </div>
      <ClusterSwitcher />
      <button className="cluster-chip" onClick={() => getStore().getState().select({ kind: 'cluster' })} title={`Cluster id ${clusterId}: show its overview`}>
        {liveBrokers}/{brokerCount} brokers
        <span className="muted"> · <Term term="controller">controller</Term> {controllerId >= 0 ? controllerId : 'being elected'}</span>
      </button>
      <KafkaChip />
      <div className="indicators">
        <div className="indicator" title="Records appended by partition leaders (produced) per second, over the last second">
          <span className="indicator-value">{formatRate(rates.recordsInPerSecond)}</span>
          <span className="indicator-label">in · {formatBytes(rates.bytesInPerSecond)}/s</span>
        </div>
        <div className={`indicator ${health.underReplicated > 0 ? 'warn' : ''}`}>
          <span className="indicator-value">{formatCount(health.underReplicated)}</span>
          <span className="indicator-label">
            <Term term="under-replicated">under-replicated</Term>
          </span>
        </div>
        <div className={`indicator ${health.offline > 0 ? 'bad' : ''}`}>
          <span className="indicator-value">{formatCount(health.offline)}</span>
          <span className="indicator-label">
            <Term term="offline">offline</Term>
          </span>
        </div>
        <div className={`connection connection-${connection}`} title={connection === 'open' ? 'Connected to the Brokerscope host' : 'Reconnecting to the Brokerscope host'}>
          <span className="dot" /> {connection === 'open' ? 'live' : connection === 'connecting' ? 'connecting' : 'disconnected'}
        </div>
      </div>
      <ConnectionsDialog />
    </header>
  );
}
