/**
 * The timeline strip under the map: every recorded event on a time axis (coloured by kind)
 * and in a filterable list, newest first. Selecting an event (or a moment on the axis) shows
 * the whole window (map, ownership, inspector) as the cluster was just after it, with a banner
 * and a "live" button that returns to now. The host keeps the timeline with the cluster's data,
 * so it survives a restart.
 */
import { useMemo, useState } from 'react';
import { scaleLinear } from 'd3';
import type { ClusterEvent } from '../../core/host/contract';
import { getStore, useApp } from '../store/store';
import { describeEvent } from '../components/describe-event';
import { formatExact, formatRelative } from '../components/format';
import { useNow } from './use-now';

/** The kinds of events the filter offers. */
const CATEGORIES = {
  all: 'All',
  brokers: 'Brokers & controller',
  leaders: 'Leaders & ISR',
  topics: 'Topics',
  groups: 'Groups',
  faults: 'Faults',
} as const;
type Category = keyof typeof CATEGORIES;

/** Which filter category an event falls in. */
export function eventCategory(event: ClusterEvent): Exclude<Category, 'all'> {
  if (event.type.startsWith('broker.') || event.type === 'controller.changed') return 'brokers';
  if (event.type === 'leader.elected' || event.type.startsWith('isr.') || event.type === 'replica.truncated' || event.type.startsWith('partition.')) return 'leaders';
  if (event.type.startsWith('group.')) return 'groups';
  if (event.type.startsWith('fault.')) return 'faults';
  return 'topics';
}

const COLOURS: Record<Exclude<Category, 'all'>, string> = {
  brokers: '#e15759',
  leaders: '#f28e2b',
  topics: '#4e79a7',
  groups: '#59a14f',
  faults: '#b07aa1',
};

const AXIS_WIDTH = 1000;
const SHOWN_EVENTS = 300;

export function Timeline() {
  const timeline = useApp((s) => s.timeline);
  const past = useApp((s) => s.past);
  const now = useNow(1_000);
  const [category, setCategory] = useState<Category>('all');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return timeline.filter((event) => (category === 'all' || eventCategory(event) === category) && (!q || describeEvent(event).text.toLowerCase().includes(q)));
  }, [timeline, category, query]);
  const start = Math.max(timeline[0]?.time ?? now - 60_000, now - 30 * 60_000);
  const x = scaleLinear().domain([start, Math.max(now, start + 60_000)]).range([8, AXIS_WIDTH - 8]).clamp(true);
  const show = async (time: number, label: string): Promise<void> => setError(await getStore().getState().viewPast(time, label));
  const onAxisClick = (event: React.MouseEvent<SVGSVGElement>): void => {
    const box = event.currentTarget.getBoundingClientRect();
    const time = Math.round(x.invert(((event.clientX - box.left) / box.width) * AXIS_WIDTH));
    void show(time, formatExact(time));
  };
  return (
    <section className={`timeline ${past ? 'timeline-past' : ''}`} aria-label="Timeline">
      <div className="timeline-head">
        <h2>Timeline</h2>
        <div className="segmented" role="group" aria-label="Event kinds">
          {(Object.keys(CATEGORIES) as Category[]).map((name) => (
            <button key={name} className={category === name ? 'active' : ''} onClick={() => setCategory(name)}>
              {CATEGORIES[name]}
            </button>
          ))}
        </div>
        <input className="timeline-search" type="search" placeholder="Filter events" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Filter events" />
        {past ? (
          <span className="past-banner" data-testid="viewing-past">
            Viewing the past: {formatExact(past.time)}
            <button className="small primary" data-testid="timeline-live" onClick={() => getStore().getState().returnToLive()} title="Return to the cluster as it is now (L)">
              ● Return to live
            </button>
          </span>
        ) : (
          <span className="live-chip on">
            <span className="dot" /> live
          </span>
        )}
      </div>
      <svg className="timeline-axis" viewBox={`0 0 ${AXIS_WIDTH} 26`} preserveAspectRatio="none" onClick={onAxisClick} role="img" aria-label="Events over time; click a moment to see the cluster then">
        <line x1={8} x2={AXIS_WIDTH - 8} y1={13} y2={13} className="grid-line" />
        {filtered.slice(-2_000).map((event, i) => (
          <rect key={i} x={x(event.time) - 1} y={5} width={2.5} height={16} fill={COLOURS[eventCategory(event)]} opacity={0.85} />
        ))}
        {past && <rect x={x(past.time) - 1.5} y={0} width={3} height={26} className="past-marker" />}
      </svg>
      {error && <div className="error small-error">{error}</div>}
      <ol className="timeline-list">
        {filtered.length === 0 && <li className="muted">No events{timeline.length > 0 ? ' match' : ' yet'}.</li>}
        {filtered
          .slice(-SHOWN_EVENTS)
          .reverse()
          .map((event, index) => {
            const { text, tone } = describeEvent(event);
            const selected = past !== null && past.time === event.time;
            return (
              <li key={`${event.time}-${index}`} className={`event event-${tone} ${selected ? 'selected' : ''}`} data-testid="timeline-event" data-kind={event.type}>
                <button className="timeline-item" onClick={() => void show(event.time, text)} title="Show the cluster just after this event" aria-label={`Show the cluster after: ${text}`}>
                  <span className="swatch" style={{ background: COLOURS[eventCategory(event)] }} />
                  <span className="event-text">{text}</span>
                </button>
                <time className="muted" title={formatExact(event.time)}>
                  {formatRelative(event.time, now)}
                </time>
              </li>
            );
          })}
      </ol>
    </section>
  );
}
