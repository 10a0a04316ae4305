/**
 * The timeline's recorder: events without the high-rate stats, commit batches thinned, states
 * found by time, and a file beside the cluster's data that a new host reads back.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Timeline, TIMELINE_FILE, TIMELINE_MAX_FILE_BYTES } from '../../core/host/timeline';
import { EMBEDDED_SOURCE } from '../../core/view/snapshot';
import type { ClusterEvent, ClusterSnapshot } from '../../core/index';

const state = (time: number, controllerId: number): ClusterSnapshot =>
  ({ time, clusterId: 'c', controllerId, controllerEpoch: 1, metadataOffset: 0, brokers: [], topics: [], groups: [], consumers: [], kafka: null, faults: [], source: EMBEDDED_SOURCE }) as ClusterSnapshot;

describe('the timeline', () => {
  it('keeps notable events, thins commit batches and drops stats', () => {
    const timeline = new Timeline(null);
    timeline.addEvent({ type: 'records.appended', time: 1, intervalMs: 100, appends: [] });
    timeline.addEvent({ type: 'broker.added', time: 2, brokerId: 4 });
    for (let t = 0; t < 10_000; t += 100) timeline.addEvent({ type: 'group.offsets-committed', time: t, intervalMs: 100, commits: [] });
    const kinds = timeline.listEvents().map((e: ClusterEvent) => e.type);
    expect(kinds).not.toContain('records.appended');
    expect(kinds.filter((k) => k === 'group.offsets-committed')).toHaveLength(2);
  });

  it('finds the state just after a moment, and survives a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-timeline-'));
    const timeline = new Timeline(dir);
    timeline.addState(state(1_000, 1));
    timeline.addState(state(2_000, 2));
    timeline.addEvent({ type: 'broker.added', time: 1_500, brokerId: 4 });
    expect(timeline.stateAt(1_500)?.controllerId).toBe(2);
    expect(timeline.stateAt(500)?.controllerId).toBe(1);
    expect(timeline.stateAt(9_000)?.controllerId).toBe(2);
    timeline.save();
    const reopened = new Timeline(dir);
    expect(reopened.listEvents()).toHaveLength(1);
    expect(reopened.stateAt(1_001)?.controllerId).toBe(2);
  });
});

describe('the timeline file', () => {
  it('appends what is new and stays within its size bound, keeping the newest states', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-timeline-'));
    const timeline = new Timeline(dir);
    const path = join(dir, TIMELINE_FILE);
    // States of about 1 MiB each: twice the bound in all, saved as they come.
    const padding = 'x'.repeat(1024 * 1024);
    const big = (i: number): ClusterSnapshot => ({ ...state(i * 1_000, i), clusterId: `${i}-${padding}` }) as ClusterSnapshot;
    let largest = 0;
    for (let i = 1; i <= 48; i++) {
      timeline.addState(big(i));
      timeline.addEvent({ type: 'broker.added', time: i * 1_000, brokerId: i });
      timeline.save();
      largest = Math.max(largest, statSync(path).size);
    }
    expect(largest).toBeLessThanOrEqual(TIMELINE_MAX_FILE_BYTES);
    const reopened = new Timeline(dir);
    expect(reopened.listEvents()).toHaveLength(48);
    expect(reopened.stateAt(48_000)?.controllerId).toBe(48);
    // The oldest states gave way; the moment asked for falls on the oldest one kept.
    const oldest = reopened.stateAt(0)!.controllerId;
    expect(oldest).toBeGreaterThan(1);
    expect(oldest).toBeLessThan(48);
  });

  it('reads past a torn last line (the app stopped mid-write)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brokerscope-timeline-'));
    const timeline = new Timeline(dir);
    timeline.addState(state(1_000, 1));
    timeline.addEvent({ type: 'broker.added', time: 1_000, brokerId: 4 });
    timeline.save();
    timeline.addState(state(2_000, 2));
    timeline.save();
    const path = join(dir, TIMELINE_FILE);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -20));
    const reopened = new Timeline(dir);
    expect(reopened.listEvents()).toHaveLength(1);
    expect(reopened.stateAt(5_000)?.controllerId).toBe(1);
  });
});
