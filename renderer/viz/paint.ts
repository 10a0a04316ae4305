/**
 * Paints the cluster map on canvases, in pure functions of (layout, state, time). The tile
 * layer holds thousands of replicas; the overlay holds what follows the pointer (a hovered
 * partition's links) and sent messages' paths, so moving the mouse never repaints every tile.
 *
 * The visual language: a leader is a solid tile with a crown notch; an in-sync follower is
 * outlined and filled to its log end offset against the leader's; an out-of-sync follower is
 * dashed and hatched in amber; an offline partition is red with a cross; a preferred leader
 * that does not lead has a small dot; the high watermark is a line across the tile. Tiles on a
 * stopped broker are grey. A replica whose log grew flashes briefly. A follower whose log end
 * is unknown (an external cluster's: clients cannot see it) is outlined and hatched in grey.
 */
import { easeCubicOut } from 'd3';
import type { BrokerSnapshot, PartitionSnapshot, TopicSnapshot } from '../../core/host/contract';
import type { MessagePath } from '../store/store';
import { PATH_MS } from '../store/store';
import type { MapLayout, TileLayout } from './layout';
import { topicColor, type Theme } from './palette';

/** How long a pulse lasts. */
export const PULSE_MS = 450;

/** What one paint of the tile layer reads. */
export interface TileFrame {
  layout: MapLayout;
  topicsByName: ReadonlyMap<string, TopicSnapshot>;
  brokers: ReadonlyMap<number, BrokerSnapshot>;
  pulses: ReadonlyMap<string, number>;
  theme: Theme;
  now: number;
  /** Where each tile was drawn before the layout changed, for the 300 ms move. */
  from: ReadonlyMap<string, { x: number; y: number }> | null;
  transition: number;
  /** Topic being hovered (its other tiles are dimmed). */
  focusTopic: string | null;
  focusPartition: number | null;
}

/** Whether tiles are still moving to a new layout at `now` (so the loop keeps painting them). */
export function tilesAnimating(frame: Pick<TileFrame, 'transition'>): boolean {
  return frame.transition < 1;
}

/** Whether any replica is still pulsing at `now` (pulses live on the overlay). */
export function pulsesAnimating(pulses: ReadonlyMap<string, number>, now: number): boolean {
  for (const time of pulses.values()) if (now - time < PULSE_MS) return true;
  return false;
}

/**
 * Repaints only the tiles of the given topics (a delta changes a few topics; repainting 5,400
 * tiles for each would cost most of a frame in software rendering). Each tile's cell is
 * cleared to its lane's colour first.
 */
export function paintTopicTiles(ctx: CanvasRenderingContext2D, frame: TileFrame, topics: Iterable<string>): void {
  const { layout, theme } = frame;
  const s = layout.tileSize;
  const laneColor = new Map(layout.lanes.map((lane) => [lane.brokerId, (frame.brokers.get(lane.brokerId)?.alive ?? false) ? theme.lane : theme.laneStopped]));
  for (const name of topics) {
    const topic = frame.topicsByName.get(name);
    for (const index of layout.tilesByTopic.get(name) ?? []) {
      const tile = layout.tiles[index];
      ctx.fillStyle = laneColor.get(tile.brokerId) ?? theme.lane;
      ctx.fillRect(tile.x - 1, tile.y - 1, s + 2, s + 2);
      const partition = topic?.partitions[tile.partition];
      if (!topic || !partition) continue;
      const dimmed = frame.focusTopic !== null && (tile.topic !== frame.focusTopic || (frame.focusPartition !== null && tile.partition !== frame.focusPartition));
      ctx.globalAlpha = dimmed ? 0.28 : 1;
      paintTile(ctx, tile.x, tile.y, s, topic, partition, tile, frame);
    }
  }
  ctx.globalAlpha = 1;
}

/** A tile's position during a layout transition. */
export function tilePosition(frame: Pick<TileFrame, 'from' | 'transition'>, tile: TileLayout): { x: number; y: number } {
  const before = frame.from?.get(tile.key);
  if (!before || frame.transition >= 1) return tile;
  const t = easeCubicOut(frame.transition);
  return { x: before.x + (tile.x - before.x) * t, y: before.y + (tile.y - before.y) * t };
}

/** Paints lanes, topic labels and every tile. */
export function paintTiles(ctx: CanvasRenderingContext2D, frame: TileFrame): void {
  const { layout, theme } = frame;
  ctx.clearRect(0, 0, layout.width, layout.height);
  for (const lane of layout.lanes) {
    const alive = frame.brokers.get(lane.brokerId)?.alive ?? false;
    ctx.fillStyle = alive ? theme.lane : theme.laneStopped;
    roundRect(ctx, 6, lane.y, layout.width - 12, lane.height, 10);
    ctx.fill();
  }
  paintLabels(ctx, frame);
  const s = layout.tileSize;
  for (const tile of layout.tiles) {
    const topic = frame.topicsByName.get(tile.topic);
    const partition = topic?.partitions[tile.partition];
    if (!topic || !partition) continue;
    const { x, y } = tilePosition(frame, tile);
    const dimmed = frame.focusTopic !== null && (tile.topic !== frame.focusTopic || (frame.focusPartition !== null && tile.partition !== frame.focusPartition));
    ctx.globalAlpha = dimmed ? 0.28 : 1;
    paintTile(ctx, x, y, s, topic, partition, tile, frame);
  }
  ctx.globalAlpha = 1;
}

function paintLabels(ctx: CanvasRenderingContext2D, frame: TileFrame): void {
  const { layout, theme } = frame;
  if (layout.labelHeight === 0) return;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const slot of layout.slots) {
    if (slot.width < 24) continue;
    const topic = frame.topicsByName.get(slot.topic);
    ctx.fillStyle = topic ? topicColor(topic.sequence, topic.internal) : theme.mutedText;
    ctx.fillText(fitText(ctx, slot.topic, slot.width), slot.x, slot.y + 1);
  }
}

const fitted = new Map<string, string>();

/** Cuts a label to a width with an ellipsis (cached: labels rarely change). */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  const key = `${text}|${Math.round(width)}`;
  const cached = fitted.get(key);
  if (cached !== undefined) return cached;
  let result = text;
  if (ctx.measureText(text).width > width) {
    let end = text.length;
    while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > width) end--;
    result = `${text.slice(0, end)}…`;
  }
  if (fitted.size > 5_000) fitted.clear();
  fitted.set(key, result);
  return result;
}

function paintTile(ctx: CanvasRenderingContext2D, x: number, y: number, s: number, topic: TopicSnapshot, partition: PartitionSnapshot, tile: TileLayout, frame: TileFrame): void {
  const theme = frame.theme;
  const brokerId = tile.brokerId;
  const replica = partition.replicaStates.find((r) => r.brokerId === brokerId);
  const brokerAlive = frame.brokers.get(brokerId)?.alive ?? false;
  const color = brokerAlive ? topicColor(topic.sequence, topic.internal) : theme.stopped;
  const radius = s >= 12 ? Math.min(4, s / 6) : 0;
  const leaderEnd = Math.max(1, partition.logEndOffset);
  if (partition.offline) {
    ctx.fillStyle = theme.offline;
    roundRect(ctx, x, y, s, s, radius);
    ctx.fill();
    cross(ctx, x, y, s, '#ffffff');
  } else if (replica?.leader) {
    ctx.fillStyle = color;
    roundRect(ctx, x, y, s, s, radius);
    ctx.fill();
    crown(ctx, x, y, s, theme.dark ? '#11151c' : '#ffffff');
  } else if (replica?.inSync) {
    // Outlined, filled to its log end offset against the leader's, lighter than a leader.
    ctx.fillStyle = withAlpha(color, 0.1);
    roundRect(ctx, x, y, s, s, radius);
    ctx.fill();
    const level = Math.min(1, (replica.logEndOffset || 0) / leaderEnd);
    if (replica.logEndOffset < 0) {
      // Unknown log end (an external cluster's follower): grey hatching, never a fill level it does not have.
      if (s >= 8) hatch(ctx, x, y, s, withAlpha(theme.mutedText, 0.45));
    } else if (partition.logEndOffset > 0 && level > 0) {
      const h = Math.max(1, level * s);
      ctx.save();
      roundRect(ctx, x, y, s, s, radius);
      ctx.clip();
      ctx.fillStyle = withAlpha(color, 0.3);
      ctx.fillRect(x, y + s - h, s, h);
      ctx.restore();
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = s >= 10 ? 2 : 1;
    roundRect(ctx, x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, s - ctx.lineWidth, s - ctx.lineWidth, radius);
    ctx.stroke();
  } else {
    // Out of sync: amber hatching and a dashed edge, readable without colour.
    ctx.fillStyle = withAlpha(theme.outOfSync, 0.14);
    roundRect(ctx, x, y, s, s, radius);
    ctx.fill();
    if (s >= 8) hatch(ctx, x, y, s, withAlpha(theme.outOfSync, 0.55));
    ctx.strokeStyle = theme.outOfSync;
    ctx.lineWidth = s >= 10 ? 2 : 1;
    ctx.setLineDash(s >= 10 ? [3, 2] : [2, 1]);
    roundRect(ctx, x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, s - ctx.lineWidth, s - ctx.lineWidth, radius);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (!partition.offline && partition.highWatermark >= 0 && partition.highWatermark < partition.logEndOffset && s >= 10) {
    const hwY = y + s - (partition.highWatermark / leaderEnd) * s;
    ctx.strokeStyle = theme.dark ? 'rgba(255,255,255,0.85)' : 'rgba(0,0,0,0.7)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x + 1, Math.round(hwY) + 0.5);
    ctx.lineTo(x + s - 1, Math.round(hwY) + 0.5);
    ctx.stroke();
  }
  if (replica?.preferred && !replica.leader && !partition.offline && s >= 8) {
    ctx.fillStyle = theme.text;
    ctx.beginPath();
    ctx.arc(x + s - Math.max(2.5, s / 7), y + Math.max(2.5, s / 7), Math.max(1.5, s / 10), 0, Math.PI * 2);
    ctx.fill();
  }
  if (s >= 20) {
    ctx.font = `600 ${Math.round(s * 0.36)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = replica?.leader || partition.offline ? (theme.dark ? '#11151c' : '#ffffff') : theme.text;
    ctx.fillText(String(partition.partition), x + s / 2, y + s / 2 + (replica?.leader ? s * 0.08 : 0));
    ctx.textAlign = 'start';
  }
}

/** What one paint of the overlay reads. */
export interface OverlayFrame {
  layout: MapLayout;
  tileFrame: Pick<TileFrame, 'from' | 'transition'>;
  topicsByName: ReadonlyMap<string, TopicSnapshot>;
  hovered: { topic: string; partition: number } | null;
  paths: MessagePath[];
  pulses: ReadonlyMap<string, number>;
  theme: Theme;
  now: number;
}

/** Whether the overlay still moves at `now`. */
export function overlayAnimating(frame: Pick<OverlayFrame, 'paths' | 'now' | 'pulses'>): boolean {
  return frame.paths.some((path) => frame.now - path.startedAt < PATH_MS) || pulsesAnimating(frame.pulses, frame.now);
}

/** Paints a hovered partition's leader-to-follower links and sent messages' paths. */
export function paintOverlay(ctx: CanvasRenderingContext2D, frame: OverlayFrame): void {
  const { layout } = frame;
  ctx.clearRect(0, 0, layout.width, layout.height);
  paintPulses(ctx, frame);
  if (frame.hovered) paintLinks(ctx, frame, frame.hovered.topic, frame.hovered.partition);
  for (const path of frame.paths) paintPath(ctx, frame, path);
}

/** A flash over each replica whose log just grew, fading in PULSE_MS. */
function paintPulses(ctx: CanvasRenderingContext2D, frame: OverlayFrame): void {
  const s = frame.layout.tileSize;
  for (const [key, time] of frame.pulses) {
    const age = frame.now - time;
    if (age >= PULSE_MS || age < 0) continue;
    const index = frame.layout.tileIndex.get(key);
    if (index === undefined) continue;
    const { x, y } = tilePosition(frame.tileFrame, frame.layout.tiles[index]);
    const t = age / PULSE_MS;
    ctx.fillStyle = `rgba(255,255,255,${(0.5 * (1 - t)).toFixed(3)})`;
    ctx.fillRect(x, y, s, s);
    if (s >= 10) {
      const grow = 1 + t * Math.max(2, s * 0.15);
      ctx.strokeStyle = `rgba(255,255,255,${(0.6 * (1 - t)).toFixed(3)})`;
      ctx.lineWidth = 1.5;
      roundRect(ctx, x - grow, y - grow, s + grow * 2, s + grow * 2, 4 + grow);
      ctx.stroke();
    }
  }
}

function centre(frame: OverlayFrame, topic: string, partition: number, brokerId: number): { x: number; y: number } | null {
  const index = frame.layout.tileIndex.get(`${topic}|${partition}|${brokerId}`);
  if (index === undefined) return null;
  const position = tilePosition(frame.tileFrame, frame.layout.tiles[index]);
  const half = frame.layout.tileSize / 2;
  return { x: position.x + half, y: position.y + half };
}

function paintLinks(ctx: CanvasRenderingContext2D, frame: OverlayFrame, topicName: string, partitionId: number): void {
  const topic = frame.topicsByName.get(topicName);
  const partition = topic?.partitions[partitionId];
  if (!topic || !partition) return;
  const s = frame.layout.tileSize;
  const color = topicColor(topic.sequence, topic.internal);
  for (const replica of partition.replicaStates) {
    const c = centre(frame, topicName, partitionId, replica.brokerId);
    if (!c) continue;
    ctx.strokeStyle = frame.theme.text;
    ctx.lineWidth = 2;
    roundRect(ctx, c.x - s / 2 - 3, c.y - s / 2 - 3, s + 6, s + 6, 5);
    ctx.stroke();
  }
  const leader = partition.leader >= 0 ? centre(frame, topicName, partitionId, partition.leader) : null;
  if (!leader) return;
  for (const replica of partition.replicaStates) {
    if (replica.brokerId === partition.leader) continue;
    const follower = centre(frame, topicName, partitionId, replica.brokerId);
    if (!follower) continue;
    ctx.strokeStyle = replica.inSync ? color : frame.theme.outOfSync;
    ctx.lineWidth = 2;
    ctx.setLineDash(replica.inSync ? [] : [5, 4]);
    arrow(ctx, leader, follower, s / 2 + 4);
    ctx.setLineDash([]);
  }
}

function paintPath(ctx: CanvasRenderingContext2D, frame: OverlayFrame, path: MessagePath): void {
  const t = (frame.now - path.startedAt) / PATH_MS;
  if (t < 0 || t >= 1) return;
  const topic = frame.topicsByName.get(path.topic);
  const partition = topic?.partitions[path.partition];
  if (!topic || !partition || partition.leader < 0) return;
  const leader = centre(frame, path.topic, path.partition, partition.leader);
  if (!leader) return;
  const color = topicColor(topic.sequence, topic.internal);
  const producer = { x: leader.x, y: Math.max(4, frame.layout.lanes[0]?.y ?? 0) };
  const fade = t > 0.85 ? (1 - t) / 0.15 : 1;
  ctx.globalAlpha = fade;
  // First 40%: producer to leader; then leader to each follower.
  if (t < 0.4) {
    const u = easeCubicOut(t / 0.4);
    dot(ctx, producer.x + (leader.x - producer.x) * u, producer.y + (leader.y - producer.y) * u, color, frame.theme);
  } else {
    const u = easeCubicOut(Math.min(1, (t - 0.4) / 0.4));
    for (const replica of partition.replicaStates) {
      if (replica.brokerId === partition.leader) continue;
      const follower = centre(frame, path.topic, path.partition, replica.brokerId);
      if (!follower) continue;
      ctx.strokeStyle = withAlpha(color, 0.5);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(leader.x, leader.y);
      ctx.lineTo(leader.x + (follower.x - leader.x) * u, leader.y + (follower.y - leader.y) * u);
      ctx.stroke();
      dot(ctx, leader.x + (follower.x - leader.x) * u, leader.y + (follower.y - leader.y) * u, color, frame.theme);
    }
    ring(ctx, leader, frame.layout.tileSize / 2 + 4 + (t - 0.4) * 20, color);
  }
  ctx.globalAlpha = 1;
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, color: string, theme: Theme): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = theme.text;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(x, y, 6, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
}

function ring(ctx: CanvasRenderingContext2D, c: { x: number; y: number }, radius: number, color: string): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(c.x, c.y, radius, 0, Math.PI * 2);
  ctx.stroke();
}

function arrow(ctx: CanvasRenderingContext2D, from: { x: number; y: number }, to: { x: number; y: number }, inset: number): void {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length < inset * 2) return;
  const ux = dx / length;
  const uy = dy / length;
  const start = { x: from.x + ux * inset, y: from.y + uy * inset };
  const end = { x: to.x - ux * inset, y: to.y - uy * inset };
  // A gentle curve keeps links between far tiles from running over the tiles in between.
  const bend = Math.min(60, length * 0.15);
  const control = { x: (start.x + end.x) / 2 - uy * bend, y: (start.y + end.y) / 2 + ux * bend };
  ctx.beginPath();
  ctx.moveTo(start.x, start.y);
  ctx.quadraticCurveTo(control.x, control.y, end.x, end.y);
  ctx.stroke();
  const angle = Math.atan2(end.y - control.y, end.x - control.x);
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(end.x, end.y);
  ctx.lineTo(end.x - 9 * Math.cos(angle - 0.4), end.y - 9 * Math.sin(angle - 0.4));
  ctx.lineTo(end.x - 9 * Math.cos(angle + 0.4), end.y - 9 * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fillStyle = ctx.strokeStyle;
  ctx.fill();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  if (r <= 0) ctx.rect(x, y, w, h);
  else ctx.roundRect(x, y, w, h, r);
}

function crown(ctx: CanvasRenderingContext2D, x: number, y: number, s: number, color: string): void {
  if (s < 8) return;
  const w = s * 0.5;
  const h = s * 0.2;
  const left = x + (s - w) / 2;
  const top = y + s * 0.1;
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(left, top + h);
  ctx.lineTo(left, top);
  ctx.lineTo(left + w * 0.25, top + h * 0.55);
  ctx.lineTo(left + w * 0.5, top);
  ctx.lineTo(left + w * 0.75, top + h * 0.55);
  ctx.lineTo(left + w, top);
  ctx.lineTo(left + w, top + h);
  ctx.closePath();
  ctx.fill();
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, s: number, color: string): void {
  const inset = s * 0.25;
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(1, s / 10);
  ctx.beginPath();
  ctx.moveTo(x + inset, y + inset);
  ctx.lineTo(x + s - inset, y + s - inset);
  ctx.moveTo(x + s - inset, y + inset);
  ctx.lineTo(x + inset, y + s - inset);
  ctx.stroke();
}

function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, s: number, color: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, s, s);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const step = Math.max(4, s / 5);
  for (let d = -s; d < s; d += step) {
    ctx.moveTo(x + d, y + s);
    ctx.lineTo(x + d + s, y);
  }
  ctx.stroke();
  ctx.restore();
}

const alphaCache = new Map<string, string>();

/** A hex colour with an alpha, as rgba() (cached: called for every tile). */
export function withAlpha(hex: string, alpha: number): string {
  const key = `${hex}${alpha.toFixed(2)}`;
  let value = alphaCache.get(key);
  if (!value) {
    const n = parseInt(hex.slice(1), 16);
    value = `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha.toFixed(2)})`;
    if (alphaCache.size > 2_000) alphaCache.clear();
    alphaCache.set(key, value);
  }
  return value;
}
