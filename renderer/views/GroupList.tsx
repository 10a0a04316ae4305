/**
 * The consumer groups under the topics in the sidebar: in-app groups and groups of remote Kafka
 * clients alike, with state, generation, members and total lag. Selecting one shows its
 * ownership view in the centre and its members in the inspector.
 */
import { getStore, useApp } from '../store/store';
import { groupsOf } from '../store/cluster-state';
import { formatCount } from '../components/format';
import type { GroupSnapshot } from '../../core/host/contract';

function GroupRow({ group, selected }: { group: GroupSnapshot; selected: boolean }) {
  const rebalancing = group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance';
  return (
    <button
      className={`topic-row group-row ${selected ? 'selected' : ''}`}
      data-testid="group"
      data-group={group.groupId}
      data-state={group.state}
      data-generation={group.generationId}
      onClick={() => getStore().getState().select({ kind: 'group', groupId: group.groupId })}
      title={`${group.groupId}: ${group.state}, generation ${group.generationId}`}
    >
      <span className={`group-state-dot state-${group.state}`} />
      <span className="topic-row-main">
        <span className="topic-row-name">{group.groupId}</span>
        <span className="topic-row-meta muted">
          {group.state} · gen {group.generationId} · {group.members.length} member{group.members.length === 1 ? '' : 's'} · lag {formatCount(group.lagRecords)}
        </span>
      </span>
      {rebalancing && <span className="badge warn">rebalancing</span>}
    </button>
  );
}

export function GroupList() {
  const groups = useApp((s) => groupsOf(s));
  const selected = useApp((s) => (s.selection.kind === 'group' ? s.selection.groupId : null));
  return (
    <section className="group-list" aria-label="Consumer groups">
      <div className="sidebar-head">
        <h2 title="Consumer groups">Groups</h2>
        <button className="small" onClick={() => getStore().getState().select({ kind: 'create-group' })} title="Start a group of in-app consumers (G)">
          + New group
        </button>
      </div>
      <div className="group-scroll">
        {groups.length === 0 && <p className="muted empty-note">No groups yet.</p>}
        {groups.map((group) => (
          <GroupRow key={group.groupId} group={group} selected={group.groupId === selected} />
        ))}
      </div>
    </section>
  );
}
