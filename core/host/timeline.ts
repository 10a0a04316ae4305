/**
 * The timeline the window rewinds: every notable event (never the per-interval stats), and
 * recorded states of the cluster (snapshots taken as events happen, at most a few a second,
 * and every few seconds while anything changes), so selecting a moment shows the cluster as
 * it was then. Everything is bounded: events by count, states by their serialised size. With a
 * data directory the timeline is kept beside the cluster's data and survives a restart of the
 * app (appended every few seconds and on close; rewritten within its size bound as it grows).
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterEvent } from '../events';
import type { ClusterSnapshot } from '../view/snapshot';

/** Events the timeline keeps (oldest dropped first). */
export const TIMELINE_MAX_EVENTS = 5_000;
/** Bytes of recorded states kept in memory (serialised). */
export const TIMELINE_MAX_STATE_BYTES = 48 * 1024 * 1024;
/** The timeline file's size bound, in bytes: it never grows past this. */
export const TIMELINE_MAX_FILE_BYTES = 24 * 1024 * 1024;
/** The file beside the cluster's data. */
export const TIMELINE_FILE = 'brokerscope-timeline.json';
/** Commit batches (gathered per 100 ms) kept at most one per this interval. */
export const COMMITS_GAP_MS = 5_000;
/** At most one recorded state per this interval while events arrive. */
const MIN_STATE_GAP_MS = 250;
/** While nothing notable happens but state changes (logs grow), one state per this interval. */
const QUIET_STATE_GAP_MS = 5_000;

/** One recorded state: when, and the snapshot as JSON (kept serialised: its size is known and it is never mutated). */
interface RecordedState {
  time: number;
  json: string;
}

/**
 * The file is JSON lines, appended as the timeline grows: a header line, then one line per
 * event (`{"e": event}`) or recorded state (`{"t": time, "s": snapshot}`, the snapshot's JSON
 * spliced in as it is kept, never escaped into a string: states are megabytes). Saving writes only what
 * is new; when an append would pass the file's bound, the file is rewritten with every kept
 * event and the newest states within two thirds of the bound (temporary file, then rename), so
 * rewrites stay rare.
 */
const FILE_HEADER = JSON.stringify({ brokerscopeTimeline: 3 });
/** What a rewrite fills of the bound, leaving room for appends. */
const REWRITE_BYTES = Math.floor((TIMELINE_MAX_FILE_BYTES * 2) / 3);

/** A recorded state's line: its JSON spliced in whole. */
function stateLine(state: RecordedState): string {
  return `{"t":${state.time},"s":${state.json}}`;
}

/** The state a line holds, when it is a whole state line (a torn last line is not). */
function parseStateLine(line: string): RecordedState | null {
  const head = /^\{"t":(-?\d+(?:\.\d+)?),"s":/.exec(line);
  if (!head || !line.endsWith('}')) return null;
  const json = line.slice(head[0].length, -1);
  try {
    JSON.parse(json);
  } catch {
    return null;
  }
  return { time: Number(head[1]), json };
}

/** Whether an event belongs on the timeline (the high-rate stats events do not). */
export function isTimelineEvent(event: ClusterEvent): boolean {
  return event.type !== 'records.appended' && event.type !== 'high-watermark.advanced';
}

export class Timeline {
  private events: ClusterEvent[] = [];
  private states: RecordedState[] = [];
  private stateBytes = 0;
  private lastStateTime = -Infinity;
  private dirty = false;
  private lastCommitsTime = -Infinity;
  /** Added since the last save (appended to the file by the next one). */
  private unsavedEvents: ClusterEvent[] = [];
  private unsavedStates: RecordedState[] = [];
  /** The file's size as written; -1 when unknown (the next save rewrites it). */
  private fileBytes = -1;

  constructor(private readonly dataDir: string | null) {
    if (dataDir) this.load();
  }

  /** Adds an event (commit batches at most one per COMMITS_GAP_MS, so they never crowd out the rest). */
  addEvent(event: ClusterEvent): void {
    if (!isTimelineEvent(event)) return;
    if (event.type === 'group.offsets-committed') {
      if (event.time - this.lastCommitsTime < COMMITS_GAP_MS) return;
      this.lastCommitsTime = event.time;
    }
    this.events.push(event);
    if (this.events.length > TIMELINE_MAX_EVENTS) this.events.splice(0, this.events.length - TIMELINE_MAX_EVENTS);
    if (this.dataDir) this.unsavedEvents.push(event);
    this.dirty = true;
  }

  /** Whether a state should be recorded now: soon after events, or now and then while anything changes. */
  wantsState(now: number, notable: boolean): boolean {
    return now - this.lastStateTime >= (notable ? MIN_STATE_GAP_MS : QUIET_STATE_GAP_MS);
  }

  /** Records the cluster's state. */
  addState(snapshot: ClusterSnapshot): void {
    const json = JSON.stringify(snapshot);
    const state = { time: snapshot.time, json };
    this.states.push(state);
    if (this.dataDir) this.unsavedStates.push(state);
    this.stateBytes += json.length;
    this.lastStateTime = snapshot.time;
    while (this.stateBytes > TIMELINE_MAX_STATE_BYTES && this.states.length > 1) this.stateBytes -= this.states.shift()!.json.length;
    this.dirty = true;
  }

  /** The events, oldest first (at most `limit`, the newest). */
  listEvents(limit = TIMELINE_MAX_EVENTS): ClusterEvent[] {
    return this.events.slice(-limit);
  }

  /**
   * The cluster as it was just after `time`: the first state recorded at or after it (or the
   * last one before it, when none was recorded since). Null when nothing was recorded.
   */
  stateAt(time: number): ClusterSnapshot | null {
    if (this.states.length === 0) return null;
    let low = 0;
    let high = this.states.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.states[mid].time < time) low = mid + 1;
      else high = mid;
    }
    const state = this.states[Math.min(low, this.states.length - 1)];
    return JSON.parse(state.json) as ClusterSnapshot;
  }

  /** Writes what is new since the last save (rewriting the file within its bound when it grew too large). */
  save(): void {
    if (!this.dataDir || !this.dirty) return;
    this.dirty = false;
    const path = join(this.dataDir, TIMELINE_FILE);
    try {
      const lines = [...this.unsavedEvents.map((e) => JSON.stringify({ e })), ...this.unsavedStates.map(stateLine)];
      const text = lines.length > 0 ? lines.join('\n') + '\n' : '';
      const bytes = Buffer.byteLength(text);
      if (this.fileBytes < 0 || this.fileBytes + bytes > TIMELINE_MAX_FILE_BYTES || !existsSync(path)) {
        this.rewrite(path);
      } else if (bytes > 0) {
        appendFileSync(path, text);
        this.fileBytes += bytes;
      }
      this.unsavedEvents = [];
      this.unsavedStates = [];
    } catch (error) {
      this.fileBytes = -1;
      console.error(`The timeline could not be saved: ${(error as Error).message}`);
    }
  }

  /** The whole file again: every event kept and the newest states within REWRITE_BYTES. */
  private rewrite(path: string): void {
    // Newest first within a share of the bound: events within half of it, states in the rest.
    const newest = (items: string[], budget: number): string[] => {
      const kept: string[] = [];
      for (let i = items.length - 1; i >= 0; i--) {
        const size = Buffer.byteLength(items[i]) + 1;
        if (size > budget) break;
        budget -= size;
        kept.push(items[i]);
      }
      return kept.reverse();
    };
    const events = newest(this.events.map((e) => JSON.stringify({ e })), REWRITE_BYTES / 2);
    const used = events.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, FILE_HEADER.length + 1);
    const states = newest(this.states.map(stateLine), REWRITE_BYTES - used);
    const text = [FILE_HEADER, ...events, ...states].join('\n') + '\n';
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.fileBytes = Buffer.byteLength(text);
  }

  private load(): void {
    const path = join(this.dataDir!, TIMELINE_FILE);
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    if (lines[0] !== FILE_HEADER) return; // A foreign or older file: start a new timeline (the next save replaces it).
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      // A line that does not parse is a torn last line (the app stopped mid-write): the rest is intact.
      if (line.startsWith('{"t":')) {
        const state = parseStateLine(line);
        if (state) this.states.push(state);
        continue;
      }
      try {
        const parsed = JSON.parse(line) as Partial<{ e: ClusterEvent }>;
        if (parsed.e && typeof parsed.e.type === 'string') this.events.push(parsed.e);
      } catch {
        continue;
      }
    }
    this.events = this.events.slice(-TIMELINE_MAX_EVENTS);
    this.stateBytes = this.states.reduce((sum, state) => sum + state.json.length, 0);
    while (this.stateBytes > TIMELINE_MAX_STATE_BYTES && this.states.length > 1) this.stateBytes -= this.states.shift()!.json.length;
    this.lastStateTime = this.states.at(-1)?.time ?? -Infinity;
    this.fileBytes = Buffer.byteLength(text);
  }
}
