/**
 * The topics, searchable and virtualised (hundreds of topics scroll smoothly): colour,
 * name, partitions and replication factor, records kept, and a warning when any partition is
 * under-replicated or offline.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TopicSnapshot } from '../../core/host/contract';
import { getStore, useApp } from '../store/store';
import { topicColor } from '../viz/palette';
import { formatCount } from '../components/format';
import { GroupList } from './GroupList';
import { WriteButton } from '../components/Gate';
import { MAP_REPLICA_LIMIT, mapScopeOf } from '../store/map-scope';

/** How long typing must pause before the map follows the search. */
const SEARCH_SETTLE_MS = 250;

function recordsKept(topic: TopicSnapshot): number {
  let total = 0;
  for (const p of topic.partitions) total += Math.max(0, p.highWatermark - Math.max(0, p.logStartOffset));
  return total;
}

function TopicRow({ topic, selected }: { topic: TopicSnapshot; selected: boolean }) {
  const offline = topic.partitions.filter((p) => p.offline).length;
  const under = topic.partitions.filter((p) => !p.offline && p.underReplicated).length;
  return (
    <button className={`topic-row ${selected ? 'selected' : ''}`} data-testid="topic-row" data-topic={topic.name} onClick={() => getStore().getState().select({ kind: 'topic', topic: topic.name })} title={topic.name}>
      <span className="swatch" style={{ background: topicColor(topic.sequence, topic.internal) }} />
      <span className="topic-row-main">
        <span className="topic-row-name">{topic.name}</span>
        <span className="topic-row-meta muted">
          {topic.partitions.length} partitions · RF {topic.replicationFactor} · {formatCount(recordsKept(topic))} records
        </span>
      </span>
      {offline > 0 ? (
        <span className="badge bad" title={`${offline} offline partitions`}>{offline}</span>
      ) : under > 0 ? (
        <span className="badge warn" title={`${under} under-replicated partitions`}>{under}</span>
      ) : null}
    </button>
  );
}

export function TopicList() {
  const topics = useApp((s) => s.topics);
  const selected = useApp((s) => (s.selection.kind === 'topic' ? s.selection.topic : null));
  const focusRequest = useApp((s) => s.searchFocusRequest);
  // The list filters as each key is typed; the store's copy (which the map follows past
  // MAP_REPLICA_LIMIT replicas, re-laying out thousands of tiles) follows once typing pauses.
  const [query, setQuery] = useState(() => getStore().getState().topicQuery);
  useEffect(() => {
    if (query === getStore().getState().topicQuery) return;
    const timer = setTimeout(() => getStore().setState({ topicQuery: query }), SEARCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  const mapLimited = useApp((s) => mapScopeOf(s).limited);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? topics.filter((t) => t.name.toLowerCase().includes(q)) : topics;
  }, [topics, query]);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => 46, overscan: 8 });
  useEffect(() => {
    if (focusRequest > 0) searchRef.current?.focus();
  }, [focusRequest]);
  return (
    <nav className="sidebar" aria-label="Topics">
      <div className="sidebar-head">
        <h2>Topics</h2>
        <WriteButton command="createTopic" className="small primary" onClick={() => getStore().getState().select({ kind: 'create-topic' })} title="Create a topic (N)">
          + New topic
        </WriteButton>
      </div>
      <input
        ref={searchRef}
        className="search"
        type="search"
        data-testid="topic-search"
        placeholder={`Search ${topics.length > 0 ? formatCount(topics.length) + ' ' : ''}topics  ( / )`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Search topics"
        title={mapLimited ? `The map draws at most ${formatCount(MAP_REPLICA_LIMIT)} replicas: it shows the topics this search matches` : undefined}
      />
      {query.trim() !== '' && (
        <div className="search-count muted small-text" aria-live="polite">
          {formatCount(shown.length)} of {formatCount(topics.length)} topics{mapLimited ? ' · the map follows this search' : ''}
        </div>
      )}
      <div className="topic-scroll" ref={scrollRef}>
        {shown.length === 0 && <p className="muted empty-note">{topics.length === 0 ? 'No topics yet.' : 'No topic matches.'}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={shown[item.index].name} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
              <TopicRow topic={shown[item.index]} selected={shown[item.index].name === selected} />
            </div>
          ))}
        </div>
      </div>
      <GroupList />
    </nav>
  );
}
