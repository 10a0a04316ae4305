/**
 * A topic in the inspector: its overview, the produce form and the message browser as tabs.
 */
import { getStore, useApp, type TopicTab } from '../store/store';
import { topicColor } from '../viz/palette';
import { TopicOverview } from './TopicOverview';
import { ProducePanel } from './ProducePanel';
import { BrowsePanel } from './BrowsePanel';

const TABS: { id: TopicTab; label: string; hint: string }[] = [
  { id: 'overview', label: 'Overview', hint: 'Partitions, replicas and configs (O)' },
  { id: 'produce', label: 'Produce', hint: 'Send records by hand (P)' },
  { id: 'browse', label: 'Browse', hint: 'Read records from the partitions (B)' },
];

export function TopicPanel({ topicName }: { topicName: string }) {
  const topic = useApp((s) => s.topicsByName.get(topicName));
  const tab = useApp((s) => s.topicTab);
  if (!topic) return <div className="panel muted">Topic {topicName} does not exist.</div>;
  return (
    <div className="topic-panel">
      <div className="panel-head">
        <button className="link-button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          ← Cluster
        </button>
      </div>
      <h2 className="topic-title">
        <span className="swatch" style={{ background: topicColor(topic.sequence, topic.internal) }} />
        <span className="topic-title-name">{topic.name}</span>
      </h2>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'tab active' : 'tab'} title={t.hint} onClick={() => getStore().getState().setTopicTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'overview' && <TopicOverview topic={topic} />}
        {tab === 'produce' && <ProducePanel topic={topic} />}
        {tab === 'browse' && <BrowsePanel topic={topic} />}
      </div>
    </div>
  );
}
