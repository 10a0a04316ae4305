/**
 * The window's one store (zustand, vanilla): the cluster slice fed by the bridge, and the UI
 * slice (selection, hover, panels, the produce draft, sent-message paths). Components read it
 * through narrow selectors; the map's paint loop reads it with getState in requestAnimationFrame.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AcksSetting, ClusterEvent, ClusterSnapshot, ConnectionSummary, HostBridge, HostUpdate, ProduceOutcome } from '../../core/host/contract';
import { applyUpdate, EMPTY_CLUSTER, groupsOf, type ClusterState } from './cluster-state';
import { sourceOf } from './source';

/** What the inspector shows. */
export type Selection =
  | { kind: 'cluster' }
  | { kind: 'topic'; topic: string }
  | { kind: 'broker'; brokerId: number }
  | { kind: 'create-topic' }
  | { kind: 'group'; groupId: string }
  | { kind: 'create-group' };

/** The inspector's tabs for a topic. */
export type TopicTab = 'overview' | 'produce' | 'browse';

/** A partition the pointer is over on the map. */
export interface HoveredPartition {
  topic: string;
  partition: number;
  /** Where the pointer is, in the map's coordinates (for the tooltip). */
  x: number;
  y: number;
}

/** A produced record's trip across the map: producer to leader, leader to followers. */
export interface MessagePath {
  id: number;
  topic: string;
  partition: number;
  startedAt: number;
}

/** The produce form's fields, kept while the user switches tabs (and filled by replay). */
export interface ProduceDraft {
  key: string;
  value: string;
  valueFormat: 'text' | 'json';
  headers: { key: string; value: string }[];
  /** '' for automatic (the partitioner chooses). */
  partition: string;
  acks: AcksSetting;
  count: string;
  ratePerSecond: string;
}

/** The UI slice. */
export interface UiState {
  connection: 'connecting' | 'open' | 'closed';
  selection: Selection;
  topicTab: TopicTab;
  hovered: HoveredPartition | null;
  paths: MessagePath[];
  draft: ProduceDraft;
  lastProduce: { topic: string; outcome: ProduceOutcome | null; error: string | null; at: number } | null;
  /** Focus requests for the keyboard shortcuts (the search box). */
  searchFocusRequest: number;
  /** The moment shown instead of now (time travel), or null for live. */
  past: { time: number; label: string } | null;
  /** Every recorded event, oldest first (loaded from the host once, then appended live). */
  timeline: ClusterEvent[];
  /** The partition the centre shows in the replication view, or null for the map. */
  focus: { topic: string; partition: number } | null;
  /** The topic list's search (the cluster map follows it when the cluster is too big to draw whole). */
  topicQuery: string;
  /** The source id of the last live snapshot (a different one means the host switched clusters). */
  liveSourceId: string | null;
  /** Saved connections to external clusters, as the host lists them (never their secrets). */
  connections: ConnectionSummary[];
  /** The cluster shown now as the host names it: `embedded` or a connection id. */
  activeCluster: string;
  /** Why the connections could not be listed (a host without a connection store says so), or null. */
  connectionsError: string | null;
  /** Whether the connections dialog is open. */
  connectionsOpen: boolean;
}

/** Events the window keeps for the timeline. */
export const TIMELINE_EVENTS = 5_000;

/** The events worth a place on the timeline: commit batches at most one per 5 s, as the host keeps them. */
function timelineWorthy(timeline: ClusterEvent[], events: ClusterEvent[]): ClusterEvent[] {
  let lastCommits = -Infinity;
  for (let i = timeline.length - 1; i >= 0 && i >= timeline.length - 200; i--) {
    if (timeline[i].type === 'group.offsets-committed') {
      lastCommits = timeline[i].time;
      break;
    }
  }
  return events.filter((event) => {
    if (event.type !== 'group.offsets-committed') return true;
    if (event.time - lastCommits < 5_000) return false;
    lastCommits = event.time;
    return true;
  });
}

/** The whole store. */
export interface AppState extends ClusterState, UiState {
  bridge: HostBridge | null;
  applyHostUpdate(update: HostUpdate): void;
  select(selection: Selection, tab?: TopicTab): void;
  setTopicTab(tab: TopicTab): void;
  setHovered(hovered: HoveredPartition | null): void;
  setDraft(patch: Partial<ProduceDraft>): void;
  showPath(topic: string, partition: number): void;
  /** Loads the host's recorded events (on connect). */
  loadTimeline(): Promise<void>;
  /** Shows the cluster as it was at `time` (every view freezes there) until returnToLive(). */
  viewPast(time: number, label: string): Promise<string | null>;
  /** Back to now: asks the host for a fresh snapshot. */
  returnToLive(): void;
  /** Asks the host for the saved connections and the active cluster. */
  loadConnections(): Promise<void>;
  /** Shows another cluster (`embedded` or a connection id); the host's snapshot of it follows. Returns the error, or null. */
  switchCluster(id: string): Promise<string | null>;
}

/** The produce form when nothing was typed yet. */
export const EMPTY_DRAFT: ProduceDraft = {
  key: '',
  value: '',
  valueFormat: 'text',
  headers: [],
  partition: '',
  acks: -1,
  count: '1',
  ratePerSecond: '10',
};

/** How long a message path is drawn. */
export const PATH_MS = 1_200;
let nextPathId = 1;

/** Creates the store; `now` is injectable for tests. */
export function createAppStore(bridge: HostBridge | null, now: () => number = () => performance.now()): StoreApi<AppState> {
  return createStore<AppState>()((set, get) => ({
    ...EMPTY_CLUSTER,
    connection: 'connecting',
    selection: { kind: 'cluster' },
    topicTab: 'overview',
    hovered: null,
    paths: [],
    draft: EMPTY_DRAFT,
    lastProduce: null,
    searchFocusRequest: 0,
    past: null,
    timeline: [],
    focus: null,
    topicQuery: '',
    liveSourceId: null,
    connections: [],
    activeCluster: 'embedded',
    connectionsError: null,
    connectionsOpen: false,
    bridge,
    applyHostUpdate(update) {
      if (update.type === 'snapshot') {
        const sourceId = sourceOf({ extras: update.cluster as unknown as Record<string, unknown> }).id;
        const previous = get().liveSourceId;
        if (previous !== null && previous !== sourceId) {
          // The host switched clusters: nothing of the old picture may survive (the past being
          // viewed, its timeline, lag history, hovered tile, sent paths, results of its commands).
          set({ ...resetForNewCluster(), liveSourceId: sourceId, activeCluster: sourceId });
          void get().loadConnections();
        } else if (previous === null) {
          set({ liveSourceId: sourceId, activeCluster: sourceId });
          void get().loadConnections();
        }
      }
      const newEvents = update.type === 'delta' ? timelineWorthy(get().timeline, update.events) : [];
      if (newEvents.length > 0) set({ timeline: [...get().timeline, ...newEvents].slice(-TIMELINE_EVENTS) });
      if (update.type === 'snapshot' && !get().past) void get().loadTimeline();
      // While the window shows a past moment, live state waits (returning to live asks for a fresh snapshot).
      if (get().past) return;
      const next = applyUpdate(get(), update, now());
      if (next === 'gap') {
        get().bridge?.requestSnapshot();
        return;
      }
      set({ ...next, ...keptSelection(get(), next, update.type === 'snapshot') });
    },
    select(selection, tab) {
      set({ selection, ...(tab ? { topicTab: tab } : {}) });
    },
    setTopicTab(topicTab) {
      set({ topicTab });
    },
    setHovered(hovered) {
      const current = get().hovered;
      if (current === hovered) return;
      if (current && hovered && current.topic === hovered.topic && current.partition === hovered.partition && current.x === hovered.x && current.y === hovered.y) return;
      set({ hovered });
    },
    setDraft(patch) {
      set({ draft: { ...get().draft, ...patch } });
    },
    async loadTimeline() {
      const bridge = get().bridge;
      if (!bridge) return;
      const result = await bridge.call('timeline', {});
      if (!result.ok) return;
      // Events that arrived while loading are already at the end of the live list.
      const loaded = result.value.events;
      const lastLoaded = loaded[loaded.length - 1]?.time ?? -Infinity;
      const newer = get().timeline.filter((e) => e.time > lastLoaded);
      set({ timeline: [...loaded, ...newer].slice(-TIMELINE_EVENTS) });
    },
    async viewPast(time, label) {
      const bridge = get().bridge;
      if (!bridge) return 'no bridge to the host';
      const result = await bridge.call('stateAt', { time });
      if (!result.ok) return result.error.message;
      if (!result.value) return 'Nothing was recorded at that moment.';
      const cluster: ClusterSnapshot = result.value.cluster;
      const state = get();
      const past = applyUpdate(state, { type: 'snapshot', seq: state.seq, cluster, producers: [], rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, recentEvents: state.timeline.filter((e) => e.time <= cluster.time).slice(-50) }, now());
      if (past === 'gap') return null;
      // Keep the lag history (it is the window's own, not part of the recorded state).
      set({ ...past, lagHistory: state.lagHistory, past: { time, label } });
      return null;
    },
    returnToLive() {
      if (!get().past) return;
      set({ past: null, seq: -1 });
      get().bridge?.requestSnapshot();
    },
    async loadConnections() {
      const bridge = get().bridge;
      if (!bridge) return;
      const result = await bridge.call('listConnections', {});
      if (!result.ok) {
        set({ connections: [], connectionsError: result.error.message });
        return;
      }
      set({ connections: result.value.connections, activeCluster: result.value.active, connectionsError: null });
    },
    async switchCluster(id) {
      const bridge = get().bridge;
      if (!bridge) return 'no bridge to the host';
      if (id === get().activeCluster) return null;
      const result = await bridge.call('switchCluster', { id });
      if (!result.ok) return result.error.message;
      // The snapshot of the new cluster resets the window when it arrives (applyHostUpdate).
      set({ activeCluster: result.value.id });
      return null;
    },
    showPath(topic, partition) {
      const time = now();
      const paths = get().paths.filter((path) => time - path.startedAt < PATH_MS);
      set({ paths: [...paths.slice(-9), { id: nextPathId++, topic, partition, startedAt: time }] });
    },
  }));
}

/** The UI state that belongs to one cluster, as it is before anything happened on a new one. */
function resetForNewCluster(): Partial<AppState> {
  return { past: null, timeline: [], lagHistory: new Map(), hovered: null, paths: [], lastProduce: null, focus: null, seq: -1 };
}

/**
 * What must change in the selection after an update: a topic, broker or partition that no
 * longer exists cannot stay selected. A group missing from a delta may only be between
 * coordinators (its panel says so); missing from a snapshot, it is gone from this cluster.
 */
function keptSelection(state: AppState, next: ClusterState, snapshot: boolean): Partial<AppState> {
  const patch: Partial<AppState> = {};
  const selection = state.selection;
  const gone =
    (selection.kind === 'topic' && !next.topicsByName.has(selection.topic)) ||
    (selection.kind === 'broker' && !next.brokers.some((b) => b.id === selection.brokerId)) ||
    (snapshot && selection.kind === 'group' && !groupsOf(next).some((g) => g.groupId === selection.groupId));
  if (gone) patch.selection = { kind: 'cluster' };
  const focus = state.focus;
  if (focus && !next.topicsByName.get(focus.topic)?.partitions[focus.partition]) patch.focus = null;
  return patch;
}

let appStore: StoreApi<AppState> | null = null;

/** Installs the window's store (once, at start). */
export function installStore(store: StoreApi<AppState>): void {
  appStore = store;
}

/** The window's store. */
export function getStore(): StoreApi<AppState> {
  if (!appStore) throw new Error('the store is not installed yet');
  return appStore;
}

/** Reads the store through a narrow selector (re-renders only when the selected value changes). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(getStore(), selector);
}

/** Calls a host command through the window's bridge. */
export function host(): HostBridge {
  const bridge = getStore().getState().bridge;
  if (!bridge) throw new Error('no bridge to the host');
  return bridge;
}
