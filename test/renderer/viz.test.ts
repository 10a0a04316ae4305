/**
 * The map's layout and the window's text: tiles never overlap and line up by topic, the tile
 * shrinks to fit thousands of replicas, numbers and times read well, and the renderer imports
 * only types from the engine.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerSnapshot, TopicSnapshot } from '../../core/host/contract';
import { layoutMap, tileAt } from '../../renderer/viz/layout';
import { formatBytes, formatCount, formatDuration, formatRelative } from '../../renderer/components/format';
import { parseJsonLines, toJsonLines } from '../../renderer/views/json-lines';

function brokers(n: number): BrokerSnapshot[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, state: 'running', alive: true, fenced: false, isolated: false, slowMs: 0, fetchDelayMs: 0, controller: i === 0, brokerEpoch: 1, replicaCount: 0, leaderCount: 0 }));
}

function topics(count: number, partitions: number, brokerCount: number, rf: number): TopicSnapshot[] {
  return Array.from({ length: count }, (_, t) => ({
    name: `topic-${t}`,
    topicId: `${t}`,
    internal: false,
    sequence: t,
    configs: {},
    replicationFactor: rf,
    partitions: Array.from({ length: partitions }, (_, p) => {
      const replicas = Array.from({ length: rf }, (_, r) => ((t + p + r) % brokerCount) + 1);
      return { partition: p, leader: replicas[0], leaderEpoch: 0, replicas, isr: replicas, addingReplicas: [], removingReplicas: [], offline: false, underReplicated: false, highWatermark: 0, logStartOffset: 0, logEndOffset: 0, replicaStates: [] };
    }),
  }));
}

describe('map layout', () => {
  it('puts every replica in its broker’s lane, without overlaps', () => {
    const layout = layoutMap(brokers(3), topics(4, 6, 3, 3), { width: 900, height: 700 });
    expect(layout.tiles).toHaveLength(4 * 6 * 3);
    const seen = new Set<string>();
    for (const tile of layout.tiles) {
      const lane = layout.lanes.find((l) => l.brokerId === tile.brokerId)!;
      expect(tile.y).toBeGreaterThanOrEqual(lane.y);
      expect(tile.y + layout.tileSize).toBeLessThanOrEqual(lane.y + lane.height);
      const cell = `${tile.x},${tile.y}`;
      expect(seen.has(cell)).toBe(false);
      seen.add(cell);
    }
    const first = layout.tiles[0];
    expect(tileAt(layout, first.x + 1, first.y + 1)).toBe(first);
    expect(tileAt(layout, 1, 1)).toBeUndefined();
  });

  it('shrinks tiles for 5,400 replicas', () => {
    const layout = layoutMap(brokers(6), topics(300, 6, 6, 3), { width: 900, height: 700 });
    expect(layout.tiles).toHaveLength(5_400);
    expect(layout.tileSize).toBeLessThan(12);
  });
});

describe('text', () => {
  it('formats numbers, sizes, durations and relative times', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatDuration(604_800_000)).toBe('7 days');
    expect(formatDuration(-1)).toBe('forever');
    expect(formatRelative(0, 12_000)).toBe('12 s ago');
    expect(formatRelative(0, 3 * 60_000)).toBe('3 min ago');
    expect(formatRelative(0, 500)).toBe('just now');
  });

  it('round-trips exported JSON lines', () => {
    const lines = toJsonLines([{ partition: 1, offset: 7, timestamp: 5, key: { text: 'k' }, value: { text: '{"a":1}' }, valueBytes: 7, valueTruncated: false, headers: [{ key: 'h', value: { text: 'v' } }] }]);
    expect(parseJsonLines(lines)).toEqual({ records: [{ key: 'k', value: '{"a":1}', headers: [{ key: 'h', value: 'v' }], partition: 1 }] });
    expect(parseJsonLines('{"a":1}\n"plain"')).toEqual({
      records: [
        { key: null, value: '{"a":1}', headers: [], partition: null },
        { key: null, value: 'plain', headers: [], partition: null },
      ],
    });
    expect(parseJsonLines('{oops')).toEqual({ error: 'Line 1 is not valid JSON.' });
  });
});

describe('layering', () => {
  it('the renderer imports only types from the engine', () => {
    const root = fileURLToPath(new URL('../../renderer', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name) && name !== 'vite.config.ts') files.push(path);
      }
    };
    walk(root);
    const offenders = files.filter((file) => /^import (?!type )[^;]*from '(\.\.\/)+core\//m.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
