/**
 * The cluster map's layout, computed by D3 in plain functions: brokers are horizontal lanes
 * (d3.scaleBand), every replica a square tile inside its broker's lane. Topics get the same
 * slot (x, band) in every lane, in creation order, so one topic's tiles line up down the
 * lanes; inside a slot a broker's replicas of that topic sit in partition order. The tile size
 * is the largest (up to MAX_TILE) that fits the viewport; below MIN_TILE the map scrolls. Hit
 * testing uses a d3.quadtree of tile centres.
 */
import { quadtree, scaleBand, type Quadtree } from 'd3';
import type { BrokerSnapshot, TopicSnapshot } from '../../core/host/contract';
import { replicaKey } from '../store/cluster-state';

/** Width of the DOM header at the left of each lane (broker name, state, controls). */
export const LANE_HEADER_WIDTH = 176;
const MAX_TILE = 40;
const MIN_TILE = 6;
const LANE_GAP = 10;
const LANE_PADDING = 12;
const MIN_LANE_HEIGHT = 118;
const RIGHT_PADDING = 16;
const TOP_PADDING = 8;

/** One replica's square. */
export interface TileLayout {
  key: string;
  topic: string;
  partition: number;
  brokerId: number;
  x: number;
  y: number;
}

/** One broker's lane. */
export interface LaneLayout {
  brokerId: number;
  y: number;
  height: number;
}

/** One topic's slot inside one lane (for the topic's label). */
export interface SlotLayout {
  topic: string;
  x: number;
  y: number;
  width: number;
}

/** Everything the painter and the hit test need. */
export interface MapLayout {
  width: number;
  height: number;
  tileSize: number;
  gap: number;
  labelHeight: number;
  areaX: number;
  lanes: LaneLayout[];
  tiles: TileLayout[];
  tileIndex: Map<string, number>;
  /** Indexes of each topic's tiles, for repainting only what changed. */
  tilesByTopic: Map<string, number[]>;
  slots: SlotLayout[];
  finder: Quadtree<TileLayout>;
}

interface Slot {
  topic: TopicSnapshot;
  x: number;
  band: number;
  cols: number;
  width: number;
}

interface Packing {
  slots: Slot[];
  bandTops: number[];
  innerHeight: number;
  laneHeight: number;
  total: number;
}

/** Replica counts per broker for each topic (how wide its slot must be). */
function hostedCounts(topics: TopicSnapshot[]): Map<string, Map<number, number>> {
  const counts = new Map<string, Map<number, number>>();
  for (const topic of topics) {
    const perBroker = new Map<number, number>();
    for (const partition of topic.partitions) for (const id of partition.replicas) perBroker.set(id, (perBroker.get(id) ?? 0) + 1);
    counts.set(topic.name, perBroker);
  }
  return counts;
}

function pack(topics: TopicSnapshot[], counts: Map<string, Map<number, number>>, lanes: number, areaWidth: number, tile: number): Packing {
  const gap = tileGap(tile);
  const labelHeight = tile >= 14 ? 16 : 0;
  const topicGap = Math.max(6, Math.round(tile * 0.6));
  const maxCols = Math.max(1, Math.floor((areaWidth + gap) / (tile + gap)));
  const slots: Slot[] = [];
  const bandRows: number[] = [];
  let x = 0;
  let band = 0;
  for (const topic of topics) {
    const slotTiles = Math.max(1, ...counts.get(topic.name)!.values());
    const cols = Math.min(slotTiles, maxCols);
    const rows = Math.ceil(slotTiles / cols);
    const width = cols * (tile + gap) - gap;
    if (x > 0 && x + width > areaWidth) {
      band++;
      x = 0;
    }
    slots.push({ topic, x, band, cols, width });
    bandRows[band] = Math.max(bandRows[band] ?? 0, rows);
    x += width + topicGap;
  }
  const bandTops: number[] = [];
  let y = 0;
  for (let b = 0; b < bandRows.length; b++) {
    bandTops.push(y);
    y += labelHeight + bandRows[b] * (tile + gap) - gap + (b < bandRows.length - 1 ? Math.max(6, gap * 3) : 0);
  }
  const laneHeight = Math.max(MIN_LANE_HEIGHT, y + LANE_PADDING * 2);
  return { slots, bandTops, innerHeight: y, laneHeight, total: TOP_PADDING + lanes * laneHeight + Math.max(0, lanes - 1) * LANE_GAP };
}

function tileGap(tile: number): number {
  return Math.max(1, Math.round(tile * 0.14));
}

/** Lays out brokers and topics in a viewport of the given size. */
export function layoutMap(brokers: BrokerSnapshot[], topics: TopicSnapshot[], viewport: { width: number; height: number }): MapLayout {
  const areaX = LANE_HEADER_WIDTH + 12;
  const areaWidth = Math.max(80, viewport.width - areaX - RIGHT_PADDING);
  const counts = hostedCounts(topics);
  let tile = MAX_TILE;
  let packing = pack(topics, counts, brokers.length, areaWidth, tile);
  // Shrink tiles until the map fits, but only while that helps: once every lane is at its
  // minimum height (many brokers, short window) smaller tiles would not shorten the map, only
  // make it unreadable, so it scrolls instead.
  while (tile > MIN_TILE && packing.total > viewport.height && packing.laneHeight > MIN_LANE_HEIGHT) {
    tile--;
    packing = pack(topics, counts, brokers.length, areaWidth, tile);
  }
  const gap = tileGap(tile);
  const labelHeight = tile >= 14 ? 16 : 0;
  const height = Math.max(viewport.height, packing.total);
  const laneStep = packing.laneHeight + LANE_GAP;
  const lanesScale = scaleBand<number>()
    .domain(brokers.map((b) => b.id))
    .range([TOP_PADDING, TOP_PADDING + laneStep * brokers.length])
    .paddingInner(LANE_GAP / laneStep)
    .paddingOuter(0)
    .align(0);
  const lanes: LaneLayout[] = brokers.map((b) => ({ brokerId: b.id, y: lanesScale(b.id) ?? 0, height: packing.laneHeight }));
  const laneY = new Map(lanes.map((lane) => [lane.brokerId, lane.y]));
  const tiles: TileLayout[] = [];
  const slots: SlotLayout[] = [];
  for (const slot of packing.slots) {
    for (const lane of lanes) {
      const top = lane.y + LANE_PADDING + packing.bandTops[slot.band];
      slots.push({ topic: slot.topic.name, x: areaX + slot.x, y: top, width: slot.width });
    }
    const placed = new Map<number, number>();
    for (const partition of slot.topic.partitions) {
      for (const brokerId of partition.replicas) {
        const y0 = laneY.get(brokerId);
        if (y0 === undefined) continue;
        const index = placed.get(brokerId) ?? 0;
        placed.set(brokerId, index + 1);
        const col = index % slot.cols;
        const row = Math.floor(index / slot.cols);
        tiles.push({
          key: replicaKey(slot.topic.name, partition.partition, brokerId),
          topic: slot.topic.name,
          partition: partition.partition,
          brokerId,
          x: areaX + slot.x + col * (tile + gap),
          y: y0 + LANE_PADDING + packing.bandTops[slot.band] + labelHeight + row * (tile + gap),
        });
      }
    }
  }
  const tileIndex = new Map(tiles.map((t, i) => [t.key, i]));
  const tilesByTopic = new Map<string, number[]>();
  tiles.forEach((t, i) => {
    const list = tilesByTopic.get(t.topic);
    if (list) list.push(i);
    else tilesByTopic.set(t.topic, [i]);
  });
  const finder = quadtree<TileLayout>()
    .x((t) => t.x + tile / 2)
    .y((t) => t.y + tile / 2)
    .addAll(tiles);
  return { width: viewport.width, height, tileSize: tile, gap, labelHeight, areaX, lanes, tiles, tileIndex, tilesByTopic, slots, finder };
}

/** The tile under a point, if any. */
export function tileAt(layout: MapLayout, x: number, y: number): TileLayout | undefined {
  const half = layout.tileSize / 2;
  const found = layout.finder.find(x, y, half * Math.SQRT2 + 1);
  if (!found) return undefined;
  const inside = x >= found.x - 1 && x <= found.x + layout.tileSize + 1 && y >= found.y - 1 && y <= found.y + layout.tileSize + 1;
  return inside ? found : undefined;
}
