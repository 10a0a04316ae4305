/**
 * The timeline's recorder: events without the high-rate stats, commit batches thinned, states
 * found by time, and a file beside the cluster's data that a new host reads back.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Timeline } from '../../core/host/timeline';
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
