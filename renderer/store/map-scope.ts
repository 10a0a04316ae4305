/**
 * Which topics the cluster map draws. Up to MAP_REPLICA_LIMIT replicas it draws every topic;
 * past that (2,000 topics x 12 partitions x 3 replicas is 72,000 tiles, far more than a screen
 * can show or a software-rendered canvas can repaint at a useful rate) it draws a chosen part
 * that fits the budget: the selected topic, then the topics matching the sidebar's search, or
 * with no search the topics with offline or under-replicated partitions first (what someone
 * looking at a big cluster wants to find), then the rest in creation order. The header and the
 * brokers' lanes keep counting the whole cluster; the map says what it left out.
 */
import type { TopicSnapshot } from '../../core/host/contract';

/** Most replica tiles the map draws at once (the UI benchmark's 5,400-tile cluster fits). */
export const MAP_REPLICA_LIMIT = 6_000;

/** What the map draws, and how much of the cluster that is. */
export interface MapScope {
  topics: TopicSnapshot[];
  /** Changes exactly when the set of drawn topics changes (the map lays out again). */
  key: string;
  /** Whether some topics are left out. */
  limited: boolean;
  totalTopics: number;
  totalReplicas: number;
  drawnReplicas: number;
  /** The search the choice followed ('' for none) and how many topics it matched. */
  query: string;
  matched: number;
}

/** Per topic object (a delta replaces only the topics it changes): its replicas and whether any partition has a problem. */
const topicFacts = new WeakMap<TopicSnapshot, { replicas: number; problem: boolean }>();

function factsOf(topic: TopicSnapshot): { replicas: number; problem: boolean } {
  let facts = topicFacts.get(topic);
  if (facts) return facts;
  facts = { replicas: 0, problem: false };
  for (const partition of topic.partitions) {
    facts.replicas += partition.replicas.length;
    if (partition.offline || partition.underReplicated) facts.problem = true;
  }
  topicFacts.set(topic, facts);
  return facts;
}

function replicaCount(topic: TopicSnapshot): number {
  return factsOf(topic).replicas;
}

function hasProblem(topic: TopicSnapshot): boolean {
  return factsOf(topic).problem;
}

/** Chooses the topics the map draws (see the file's comment). */
export function chooseMapTopics(topics: TopicSnapshot[], query: string, selectedTopic: string | null, limit = MAP_REPLICA_LIMIT): MapScope {
  let totalReplicas = 0;
  for (const topic of topics) totalReplicas += replicaCount(topic);
  const q = query.trim().toLowerCase();
  if (totalReplicas <= limit) {
    return { topics, key: 'all', limited: false, totalTopics: topics.length, totalReplicas, drawnReplicas: totalReplicas, query: q, matched: topics.length };
  }
  const matching = q ? topics.filter((t) => t.name.toLowerCase().includes(q)) : [...topics.filter(hasProblem), ...topics.filter((t) => !hasProblem(t))];
  const chosen = new Set<TopicSnapshot>();
  let drawn = 0;
  for (const topic of matching) {
    const count = replicaCount(topic);
    if (drawn + count > limit) break;
    chosen.add(topic);
    drawn += count;
  }
  // The selected topic is always drawn (it is the one being looked at), on top of the budget,
  // so selecting a topic the map already shows never changes the layout.
  const selected = selectedTopic !== null ? topics.find((t) => t.name === selectedTopic) : undefined;
  if (selected && !chosen.has(selected)) {
    chosen.add(selected);
    drawn += replicaCount(selected);
  }
  // Creation order, as always, so a topic's column and colour stay where people expect them.
  const drawnTopics = topics.filter((t) => chosen.has(t));
  return { topics: drawnTopics, key: drawnTopics.map((t) => t.name).join('\n'), limited: true, totalTopics: topics.length, totalReplicas, drawnReplicas: drawn, query: q, matched: q ? matching.length : topics.length };
}

let memo: { topics: TopicSnapshot[]; query: string; selected: string | null; scope: MapScope } | null = null;

/** chooseMapTopics for the store's state, remembered while its inputs stay the same (selectors call it on every change). */
export function mapScopeOf(state: { topics: TopicSnapshot[]; topicQuery: string; selection: { kind: string; topic?: string } }): MapScope {
  const selected = state.selection.kind === 'topic' ? (state.selection.topic ?? null) : null;
  if (memo && memo.topics === state.topics && memo.query === state.topicQuery && memo.selected === selected) return memo.scope;
  const scope = chooseMapTopics(state.topics, state.topicQuery, selected);
  memo = { topics: state.topics, query: state.topicQuery, selected, scope };
  return scope;
}
