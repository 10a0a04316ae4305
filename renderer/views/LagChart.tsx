/**
 * A group's total lag over time (the last five minutes, a point a second), with the estimated
 * time to catch up: lag divided by how fast it has been shrinking over the last ten seconds
 * (which already nets out records still arriving). Growing lag says so instead.
 */
import { scaleLinear, line, area } from 'd3';
import type { LagPoint } from '../store/cluster-state';
import { formatCount } from '../components/format';

const WIDTH = 356;
const HEIGHT = 84;
const SLOPE_WINDOW_MS = 10_000;

/** Records per second the lag shrinks by (negative: it grows), over the last ten seconds. */
export function lagSlope(points: LagPoint[]): number | null {
  if (points.length < 2) return null;
  const last = points[points.length - 1];
  const first = points.find((p) => last.time - p.time <= SLOPE_WINDOW_MS) ?? points[0];
  const seconds = (last.time - first.time) / 1000;
  if (seconds < 1) return null;
  return (first.lagRecords - last.lagRecords) / seconds;
}

/** "caught up", "about 12 s to catch up", or "falling behind by 30 records/s". */
export function catchUpText(points: LagPoint[]): string {
  const last = points[points.length - 1];
  if (!last) return 'no lag measured yet';
  if (last.lagRecords === 0) return 'caught up';
  const slope = lagSlope(points);
  if (slope === null) return 'measuring…';
  if (slope <= 0.05) return slope < -0.05 ? `falling behind by ${formatCount(-slope)} records/s` : 'not catching up (no progress)';
  const seconds = last.lagRecords / slope;
  return seconds < 90 ? `about ${Math.ceil(seconds)} s to catch up` : seconds < 5_400 ? `about ${Math.ceil(seconds / 60)} min to catch up` : `about ${Math.ceil(seconds / 3_600)} h to catch up`;
}

export function LagChart({ points }: { points: LagPoint[] }) {
  if (points.length === 0) return <p className="muted small-text">No lag measured yet.</p>;
  const first = points[0].time;
  const last = points[points.length - 1].time;
  const x = scaleLinear().domain([first, Math.max(last, first + 10_000)]).range([36, WIDTH - 4]);
  const max = Math.max(1, ...points.map((p) => p.lagRecords));
  const y = scaleLinear().domain([0, max]).nice(3).range([HEIGHT - 16, 6]);
  const path = line<LagPoint>().x((p) => x(p.time)).y((p) => y(p.lagRecords))(points) ?? '';
  const fill = area<LagPoint>().x((p) => x(p.time)).y0(y(0)).y1((p) => y(p.lagRecords))(points) ?? '';
  return (
    <figure className="lag-chart" aria-label="Lag over time">
      <svg width={WIDTH} height={HEIGHT} role="img">
        {y.ticks(3).filter(Number.isInteger).map((tick) => (
          <g key={tick}>
            <line x1={36} x2={WIDTH - 4} y1={y(tick)} y2={y(tick)} className="grid-line" />
            <text x={32} y={y(tick) + 3} textAnchor="end" className="axis-text">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        <path d={fill} className="lag-area" />
        <path d={path} className="lag-line" />
        <text x={36} y={HEIGHT - 3} className="axis-text">
          {Math.round((last - first) / 1000)} s ago
        </text>
        <text x={WIDTH - 4} y={HEIGHT - 3} textAnchor="end" className="axis-text">
          now
        </text>
      </svg>
      <figcaption className="small-text">
        Lag {formatCount(points[points.length - 1].lagRecords)} records · {catchUpText(points)}
      </figcaption>
    </figure>
  );
}
