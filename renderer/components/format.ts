/**
 * Numbers and times as people read them: thousands separators, rates per second, byte sizes
 * and relative times ("3 s ago") with the exact time for hover titles.
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** A rate with its unit: "1,234 msg/s". */
export function formatRate(perSecond: number, unit = 'msg/s'): string {
  return `${perSecond >= 100 ? integer.format(perSecond) : oneDecimal.format(perSecond)} ${unit}`;
}

/** Bytes in B, KB, MB or GB (powers of 1000, as Kafka's docs write sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${integer.format(bytes)} B`;
  if (bytes < 1_000_000) return `${oneDecimal.format(bytes / 1_000)} KB`;
  if (bytes < 1_000_000_000) return `${oneDecimal.format(bytes / 1_000_000)} MB`;
  return `${oneDecimal.format(bytes / 1_000_000_000)} GB`;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago" (future times: "in 5 s"). */
export function formatRelative(time: number, now: number): string {
  const seconds = Math.round((now - time) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  // Clocks of the host and the window may differ by a little: a few seconds ahead is "now".
  if (s < 2 || (future && s < 60)) return 'just now';
  if (s < 60) text = `${s} s`;
  else if (s < 3_600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3_600)} h`;
  else text = `${Math.floor(s / 86_400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

/** The exact local time with milliseconds, for hover titles. */
export function formatExact(time: number): string {
  const date = new Date(time);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Milliseconds as the largest whole unit: 604800000 → "7 days". */
export function formatDuration(ms: number): string {
  if (ms < 0) return 'forever';
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${formatCount(n)} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${formatCount(ms)} ms`;
}
