/**
 * The cluster map: brokers as lanes, every replica a tile, painted on two canvases by a
 * requestAnimationFrame loop that reads the store with getState (React renders only the few
 * DOM parts: lane headers with their controls, the tooltip, and the hidden list of replicas
 * that carries the test hooks and tells screen readers what the canvas shows). The loop paints
 * only when something changed or is still animating: nothing moves when nothing changes.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { getStore, useApp } from '../store/store';
import { layoutMap, tileAt, type MapLayout } from '../viz/layout';
import { overlayAnimating, paintOverlay, paintTiles, paintTopicTiles, tilesAnimating, type TileFrame } from '../viz/paint';
import { systemTheme, type Theme } from '../viz/palette';
import { BrokerLane } from './BrokerLane';
import { PartitionTooltip } from './PartitionTooltip';
import { ReplicaHooks } from './ReplicaHooks';
import type { AppState } from '../store/store';
import { mapScopeOf } from '../store/map-scope';

/** How long tiles take to move to a new layout. */
const TRANSITION_MS = 300;

/** A callback the UI benchmark installs to learn when a frame was painted (never set in normal use). */
type PaintProbe = (state: AppState, paintedAt: number) => void;

function useViewport(ref: React.RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    setSize({ width: element.clientWidth, height: element.clientHeight });
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

function useTheme(): Theme {
  const [theme, setTheme] = useState(systemTheme);
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: light)');
    const onChange = (): void => setTheme(systemTheme());
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return theme;
}

function sizeCanvas(canvas: HTMLCanvasElement, layout: MapLayout): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(layout.width * ratio);
  const height = Math.round(layout.height * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${layout.width}px`;
    canvas.style.height = `${layout.height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** Least time between two paints of an overlay that only animates (fading pulses, moving paths). */
const OVERLAY_ANIMATION_MS = 30;

/** The map view. */
export function ClusterMap() {
  const scrollRef = useRef<HTMLDivElement>(null);
  const tilesRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const viewport = useViewport(scrollRef);
  const theme = useTheme();
  const structureKey = useApp((s) => s.structureKey);
  const brokers = useApp((s) => s.brokers);
  // Which topics are drawn: all of them, or on a very large cluster the part MapToolbar names (map-scope.ts).
  const scopeKey = useApp((s) => mapScopeOf(s).key);
  const layout = useMemo(() => {
    const state = getStore().getState();
    return layoutMap(state.brokers, mapScopeOf(state).topics, { width: Math.max(320, viewport.width), height: Math.max(200, viewport.height) });
    // The layout depends on structure only; values (offsets, ISR) are painted, not laid out.
  }, [structureKey, scopeKey, viewport.width, viewport.height]);
  const previousLayout = useRef<MapLayout | null>(null);
  const transition = useRef<{ from: Map<string, { x: number; y: number }> | null; start: number }>({ from: null, start: 0 });

  useEffect(() => {
    const before = previousLayout.current;
    // Move tiles when the structure changes, not when the window is resized.
    if (before && before.width === layout.width) {
      transition.current = { from: new Map(before.tiles.map((t) => [t.key, { x: t.x, y: t.y }])), start: performance.now() };
    }
    previousLayout.current = layout;
  }, [layout]);

  useEffect(() => {
    const store = getStore();
    let frame = 0;
    let tilesDirty = true;
    let overlayDirty = true;
    let lastOverlayPaint = -Infinity;
    /** Topics whose tiles changed since the last paint (a full repaint clears it). */
    const changedTopics = new Set<string>();
    const draw = (): void => {
      frame = 0;
      const state = store.getState();
      const now = performance.now();
      const progress = Math.min(1, (now - transition.current.start) / TRANSITION_MS);
      const hovered = state.hovered;
      const tileFrame: TileFrame = {
        layout,
        topicsByName: state.topicsByName,
        brokers: new Map(state.brokers.map((b) => [b.id, b])),
        pulses: state.pulses,
        theme,
        now,
        from: transition.current.from,
        transition: progress,
        focusTopic: hovered?.topic ?? null,
        focusPartition: hovered?.partition ?? null,
      };
      const animatingTiles = tilesAnimating(tileFrame);
      if (tilesDirty || animatingTiles) {
        paintTiles(sizeCanvas(tilesRef.current!, layout), tileFrame);
        tilesDirty = false;
      } else if (changedTopics.size > 0) {
        paintTopicTiles(sizeCanvas(tilesRef.current!, layout), tileFrame, changedTopics);
      }
      changedTopics.clear();
      const overlayFrame = { layout, tileFrame, topicsByName: state.topicsByName, hovered, paths: state.paths, pulses: state.pulses, theme, now };
      const animatingOverlay = overlayAnimating(overlayFrame) || progress < 1;
      // Fading pulses redraw at most every other frame (~30 fps looks the same, and a busy
      // cluster pulses continuously); anything new on the overlay is drawn at once.
      if (overlayDirty || (animatingOverlay && now - lastOverlayPaint >= OVERLAY_ANIMATION_MS)) {
        paintOverlay(sizeCanvas(overlayRef.current!, layout), overlayFrame);
        overlayDirty = false;
        lastOverlayPaint = now;
      }
      (globalThis as { __brokerscopeOnPaint?: PaintProbe }).__brokerscopeOnPaint?.(state, now);
      if (animatingTiles || animatingOverlay) frame = requestAnimationFrame(draw);
    };
    const request = (): void => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.brokers !== previous.brokers || state.hovered !== previous.hovered) tilesDirty = true;
      if (state.topicsByName !== previous.topicsByName) {
        for (const [name, topic] of state.topicsByName) if (previous.topicsByName.get(name) !== topic) changedTopics.add(name);
      }
      if (state.hovered !== previous.hovered || state.paths !== previous.paths || state.pulses !== previous.pulses || state.topicsByName !== previous.topicsByName) overlayDirty = true;
      if (tilesDirty || overlayDirty || changedTopics.size > 0) request();
    });
    request();
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [layout, theme]);

  const onPointerMove = (event: React.PointerEvent<HTMLDivElement>): void => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const tile = tileAt(layout, x, y);
    getStore().getState().setHovered(tile ? { topic: tile.topic, partition: tile.partition, x: tile.x + layout.tileSize, y: tile.y } : null);
  };
  const onClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    const rect = event.currentTarget.getBoundingClientRect();
    const tile = tileAt(layout, event.clientX - rect.left, event.clientY - rect.top);
    if (tile) {
      getStore().getState().select({ kind: 'topic', topic: tile.topic });
      getStore().setState({ focus: { topic: tile.topic, partition: tile.partition } });
    }
  };

  const lanes = new Map(layout.lanes.map((lane) => [lane.brokerId, lane]));
  return (
    <div className="map-scroll" ref={scrollRef}>
      <div
        className="map-stage"
        style={{ width: layout.width, height: layout.height }}
        onPointerMove={onPointerMove}
        onPointerLeave={() => getStore().getState().setHovered(null)}
        onClick={onClick}
      >
        <canvas ref={tilesRef} className="map-canvas" aria-hidden="true" />
        <canvas ref={overlayRef} className="map-canvas" aria-hidden="true" />
        {brokers.map((broker) => {
          const lane = lanes.get(broker.id);
          return lane ? <BrokerLane key={broker.id} broker={broker} y={lane.y} height={lane.height} width={layout.width} /> : null;
        })}
        <PartitionTooltip layout={layout} />
      </div>
      <ReplicaHooks />
    </div>
  );
}
