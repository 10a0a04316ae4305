/**
 * The consumer groups under the topics in the sidebar: in-app groups and groups of remote Kafka
 * clients alike, with state, generation, members and total lag; searchable and virtualised (a
 * big cluster has thousands of groups). Selecting one shows its ownership view in the centre
 * and its members in the inspector.
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { getStore, useApp } from '../store/store';
import { groupsOf } from '../store/cluster-state';
import { formatCount } from '../components/format';
import { useUnavailable } from '../components/Gate';
import { groupDescribed } from '../store/source';
import type { GroupSnapshot } from '../../core/host/contract';

function GroupRow({ group, selected }: { group: GroupSnapshot; selected: boolean }) {
  const rebalancing = group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance';
  const described = groupDescribed(group);
  return (
    <button
      className={`topic-row group-row ${selected ? 'selected' : ''}`}
      data-testid="group"
      data-group={group.groupId}
      data-state={group.state}
      data-generation={group.generationId}
      onClick={() => getStore().getState().select({ kind: 'group', groupId: group.groupId })}
      title={described ? `${group.groupId}: ${group.state}, generation ${group.generationId}` : `${group.groupId}: state and members unknown (the cluster does not describe its groups); committed offsets and lag are shown`}
    >
      <span className={`group-state-dot state-${group.state}`} />
      <span className="topic-row-main">
        <span className="topic-row-name">{group.groupId}</span>
        <span className="topic-row-meta muted">
          {described ? `${group.state} · gen ${group.generationId} · ${group.members.length} member${group.members.length === 1 ? '' : 's'}` : 'state and members unknown'} · lag {formatCount(group.lagRecords)}
        </span>
      </span>
      {rebalancing && <span className="badge warn">rebalancing</span>}
    </button>
  );
}

export function GroupList() {
  const groups = useApp((s) => groupsOf(s));
  const selected = useApp((s) => (s.selection.kind === 'group' ? s.selection.groupId : null));
  const appConsumersUnavailable = useUnavailable('app-consumers');
  const [query, setQuery] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? groups.filter((g) => g.groupId.toLowerCase().includes(q)) : groups;
  }, [groups, query]);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => 46, overscan: 8 });
  return (
    <section className="group-list" aria-label="Consumer groups">
      <div className="sidebar-head">
        <h2 title="Consumer groups">Groups{groups.length > 0 ? <span className="muted count"> {formatCount(groups.length)}</span> : null}</h2>
        {appConsumersUnavailable ? null : (
          <button className="small" onClick={() => getStore().getState().select({ kind: 'create-group' })} title="Start a group of in-app consumers (G)">
            + New group
          </button>
        )}
      </div>
      {(groups.length > 0 || query !== '') && (
        <input className="search" type="search" data-testid="group-search" placeholder={`Search ${formatCount(groups.length)} groups`} value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search consumer groups" />
      )}
      <div className="group-scroll" ref={scrollRef}>
        {shown.length === 0 && <p className="muted empty-note">{groups.length === 0 ? 'No groups yet.' : 'No group matches.'}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={shown[item.index].groupId} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
              <GroupRow group={shown[item.index]} selected={shown[item.index].groupId === selected} />
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
