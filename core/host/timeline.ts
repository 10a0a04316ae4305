/**
 * The timeline the window rewinds: every notable event (never the per-interval stats), and
 * recorded states of the cluster (snapshots taken as events happen, at most a few a second,
 * and every few seconds while anything changes), so selecting a moment shows the cluster as
 * it was then. Everything is bounded: events by count, states by their serialised size. With a
 * data directory the timeline is kept beside the cluster's data and survives a restart of the
 * app (written every few seconds and on close, newest first within the file's size bound).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterEvent } from '../events';
import type { ClusterSnapshot } from '../view/snapshot';

/** Events the timeline keeps (oldest dropped first). */
export const TIMELINE_MAX_EVENTS = 5_000;
/** Bytes of recorded states kept in memory (serialised). */
export const TIMELINE_MAX_STATE_BYTES = 48 * 1024 * 1024;
/** Bytes of recorded states written to disk. */
export const TIMELINE_MAX_FILE_BYTES = 16 * 1024 * 1024;
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

/** What the file holds. */
interface TimelineFile {
  version: 1;
  events: ClusterEvent[];
  states: RecordedState[];
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
    this.dirty = true;
  }

  /** Whether a state should be recorded now: soon after events, or now and then while anything changes. */
  wantsState(now: number, notable: boolean): boolean {
    return now - this.lastStateTime >= (notable ? MIN_STATE_GAP_MS : QUIET_STATE_GAP_MS);
  }

  /** Records the cluster's state. */
  addState(snapshot: ClusterSnapshot): void {
    const json = JSON.stringify(snapshot);
    this.states.push({ time: snapshot.time, json });
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

  /** Writes the timeline beside the cluster's data when it changed (newest states within the file's bound). */
  save(): void {
    if (!this.dataDir || !this.dirty) return;
    this.dirty = false;
    const kept: RecordedState[] = [];
    let bytes = 0;
    for (let i = this.states.length - 1; i >= 0; i--) {
      bytes += this.states[i].json.length;
      if (bytes > TIMELINE_MAX_FILE_BYTES) break;
      kept.unshift(this.states[i]);
    }
    const file: TimelineFile = { version: 1, events: this.events, states: kept };
    const path = join(this.dataDir, TIMELINE_FILE);
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(file));
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      console.error(`The timeline could not be saved: ${(error as Error).message}`);
    }
  }

  private load(): void {
    const path = join(this.dataDir!, TIMELINE_FILE);
    if (!existsSync(path)) return;
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as TimelineFile;
      if (file.version !== 1 || !Array.isArray(file.events) || !Array.isArray(file.states)) return;
      this.events = file.events.slice(-TIMELINE_MAX_EVENTS);
      this.states = file.states.filter((s) => typeof s.time === 'number' && typeof s.json === 'string');
      this.stateBytes = this.states.reduce((sum, s) => sum + s.json.length, 0);
    } catch {
      // A torn or foreign file: start a new timeline rather than refuse to start.
    }
  }
}
