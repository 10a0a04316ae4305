/**
 * The ownership view of one consumer group: partitions on the left (with their lag as a bar),
 * members on the right, one link per owned partition. A rebalance plays out in its phases
 * (PreparingRebalance, CompletingRebalance, Stable) with its reason; when a generation
 * completes, links that moved are redrawn: revoked ones fade out dashed, newly assigned ones
 * glow for a moment. Every owned partition carries test hooks (data-testid="ownership").
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { GroupSnapshot } from '../../core/host/contract';
import { getStore, useApp } from '../store/store';
import { consumersOf, groupsOf } from '../store/cluster-state';
import { formatCount } from '../components/format';
import { topicColor } from '../viz/palette';

const ROW = 30;
const TOP = 64;
/** Roughly how wide one character of the 12px labels is. */
const CHAR_PX = 7.2;
const PHASES = ['PreparingRebalance', 'CompletingRebalance', 'Stable'] as const;
/** How long moved links stay marked after a generation completes. */
const CHANGE_MS = 4_000;

type Link = { topic: string; partition: number; member: string };
const key = (p: { topic: string; partition: number }): string => `${p.topic}\u0000${p.partition}`;

function ownedLinks(group: GroupSnapshot): Link[] {
  return group.members.flatMap((m) => m.assignment.map((p) => ({ topic: p.topic, partition: p.partition, member: m.clientId })));
}

/** Which links are new and which were revoked since the previous generation the view saw. */
function useChanges(group: GroupSnapshot | undefined): { added: Set<string>; revoked: Link[] } {
  const previous = useRef<{ generation: number; links: Link[] } | null>(null);
  const [changes, setChanges] = useState<{ added: Set<string>; revoked: Link[]; until: number }>({ added: new Set(), revoked: [], until: 0 });
  useEffect(() => {
    if (!group || group.state !== 'Stable') return;
    const links = ownedLinks(group);
    const before = previous.current;
    previous.current = { generation: group.generationId, links };
    if (!before || before.generation === group.generationId) return;
    const now = new Map(links.map((l) => [key(l), l.member]));
    const was = new Map(before.links.map((l) => [key(l), l.member]));
    const added = new Set(links.filter((l) => was.get(key(l)) !== l.member).map((l) => `${key(l)}\u0000${l.member}`));
    const revoked = before.links.filter((l) => now.get(key(l)) !== l.member);
    setChanges({ added, revoked, until: Date.now() + CHANGE_MS });
    const timer = setTimeout(() => setChanges({ added: new Set(), revoked: [], until: 0 }), CHANGE_MS);
    return () => clearTimeout(timer);
  }, [group]);
  return changes;
}

/** The width of an element, kept current as the window resizes. */
function useWidth(fallback: number, present: boolean): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [present]);
  return [ref, width];
}

export function OwnershipView({ groupId }: { groupId: string }) {
  const group = useApp((s) => groupsOf(s).find((g) => g.groupId === groupId));
  const [scrollRef, containerWidth] = useWidth(640, group !== undefined);
  const WIDTH = Math.max(560, containerWidth - 16);
  const longestPartition = Math.max(8, ...(group?.offsets ?? []).map((o) => `${o.topic}-${o.partition} 00000`.length));
  const longestMember = Math.max(8, ...(group?.members ?? []).map((m) => m.clientId.length + 24));
  // Labels get the room they need, up to two fifths of the width each; links take the middle.
  const LEFT_X = Math.min(WIDTH * 0.4, 90 + longestPartition * CHAR_PX);
  const RIGHT_X = WIDTH - Math.min(WIDTH * 0.4, longestMember * CHAR_PX);
  const consumers = useApp((s) => consumersOf(s));
  const topics = useApp((s) => s.topicsByName);
  const lastRebalance = useApp((s) => [...s.events].reverse().find((e) => e.type === 'group.rebalance-started' && e.groupId === groupId));
  const changes = useChanges(group);
  if (!group) return <div className="map-waiting muted">Group {groupId} is not loaded by any coordinator right now.</div>;
  const partitions = new Map<string, { topic: string; partition: number; lagRecords: number }>();
  for (const o of group.offsets) partitions.set(key(o), { topic: o.topic, partition: o.partition, lagRecords: o.lagRecords });
  for (const l of ownedLinks(group)) if (!partitions.has(key(l))) partitions.set(key(l), { topic: l.topic, partition: l.partition, lagRecords: 0 });
  const partitionList = [...partitions.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const members = [...group.members].sort((a, b) => (a.clientId < b.clientId ? -1 : 1));
  const partitionY = new Map(partitionList.map((p, i) => [key(p), TOP + i * ROW + ROW / 2]));
  const memberY = new Map(members.map((m, i) => [m.clientId, TOP + i * ROW * Math.max(1, partitionList.length / Math.max(1, members.length)) + ROW / 2]));
  const height = TOP + Math.max(partitionList.length, members.length, 1) * ROW + 24;
  const maxLag = Math.max(1, ...partitionList.map((p) => p.lagRecords));
  const states = new Map(consumers.filter((c) => c.groupId === groupId).map((c) => [c.clientId, c.state]));
  const phase = PHASES.indexOf(group.state as (typeof PHASES)[number]);
  const link = (l: Link, className: string, testId: boolean) => {
    const y1 = partitionY.get(key(l));
    const y2 = memberY.get(l.member);
    if (y1 === undefined || y2 === undefined) return null;
    const colour = topicColor(topics.get(l.topic)?.sequence ?? 0, false);
    const d = `M${LEFT_X + 8},${y1} C${(LEFT_X + RIGHT_X) / 2},${y1} ${(LEFT_X + RIGHT_X) / 2},${y2} ${RIGHT_X - 8},${y2}`;
    // A group (not the bare path) carries the hooks: a level path has no height, so it would count as hidden.
    return (
      <g
        key={`${className}-${key(l)}-${l.member}`}
        className={`own-link ${className}`}
        {...(testId ? { 'data-testid': 'ownership', 'data-group': group.groupId, 'data-topic': l.topic, 'data-partition': l.partition, 'data-member': l.member } : {})}
      >
        <title>{`${l.topic}-${l.partition} → ${l.member}`}</title>
        <path d={d} stroke={colour} />
        <circle cx={LEFT_X + 8} cy={y1} r={3} fill={colour} />
      </g>
    );
  };
  return (
    <div className="ownership" aria-label={`Ownership of group ${groupId}`}>
      <div className="ownership-head">
        <button className="link-button" onClick={() => getStore().getState().select({ kind: 'cluster' })}>
          ← Cluster map
        </button>
        <strong>{group.groupId}</strong>
        <span className="muted">
          generation {group.generationId} · {group.protocol ?? 'no'} assignor · coordinator broker {group.coordinator} · lag {formatCount(group.lagRecords)}
        </span>
      </div>
      <ol className="phases" aria-label="Rebalance phases">
        {PHASES.map((name, i) => (
          <li key={name} className={i === phase ? 'phase active' : i < phase ? 'phase done' : 'phase'}>
            {name}
          </li>
        ))}
        {group.state === 'Empty' || group.state === 'Dead' || group.state === 'Unknown' ? <li className="phase active">{group.state}</li> : null}
        {lastRebalance && lastRebalance.type === 'group.rebalance-started' && (
          <li className="phase-reason muted">
            last rebalance: {lastRebalance.reason}
            {lastRebalance.detail && lastRebalance.detail !== lastRebalance.reason ? ` (${lastRebalance.detail})` : ''}
          </li>
        )}
      </ol>
      <div className="ownership-scroll" ref={scrollRef}>
        <svg width={WIDTH} height={height} className="ownership-svg" role="img" aria-label="Partitions and the members that own them">
          <text x={LEFT_X} y={TOP - 16} textAnchor="end" className="col-title">
            partitions · lag
          </text>
          <text x={RIGHT_X} y={TOP - 16} className="col-title">
            members
          </text>
          {partitionList.map((p) => {
            const y = partitionY.get(key(p))!;
            const w = (p.lagRecords / maxLag) * 60;
            return (
              <g key={key(p)}>
                <rect x={LEFT_X - 66} y={y - 5} width={60} height={10} rx={2} className="lag-track" />
                <rect x={LEFT_X - 66} y={y - 5} width={w} height={10} rx={2} className="lag-bar">
                  <title>{`lag ${formatCount(p.lagRecords)} records`}</title>
                </rect>
                <text x={LEFT_X - 72} y={y + 4} textAnchor="end" className="own-label">
                  <tspan fill={topicColor(topics.get(p.topic)?.sequence ?? 0, false)}>■ </tspan>
                  {p.topic}-{p.partition}
                  <tspan className="muted-fill"> {formatCount(p.lagRecords)}</tspan>
                </text>
                <circle cx={LEFT_X + 8} cy={y} r={4} className="own-node" />
              </g>
            );
          })}
          {changes.revoked.map((l) => link(l, 'revoked', false))}
          {ownedLinks(group).map((l) => link(l, changes.added.has(`${key(l)}\u0000${l.member}`) ? 'added' : '', true))}
          {members.map((m) => {
            const y = memberY.get(m.clientId)!;
            const state = states.get(m.clientId) ?? 'remote';
            return (
              <g key={m.memberId}>
                <circle cx={RIGHT_X - 8} cy={y} r={5} className={`own-node member-node state-${state}`} />
                <text x={RIGHT_X + 4} y={y + 4} className="own-label">
                  {m.clientId}
                  <tspan className="muted-fill">
                    {' '}
                    {m.memberId === group.leader ? '· leader ' : ''}· {m.assignment.length} owned{state !== 'running' ? ` · ${state}` : ''}
                  </tspan>
                </text>
              </g>
            );
          })}
        </svg>
        {changes.revoked.length + changes.added.size > 0 && (
          <p className="muted small-text ownership-note">
            Generation {group.generationId}: {changes.added.size} partition{changes.added.size === 1 ? '' : 's'} newly assigned (highlighted), {changes.revoked.length} revoked (dashed).
          </p>
        )}
      </div>
    </div>
  );
}
