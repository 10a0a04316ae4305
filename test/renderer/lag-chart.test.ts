/** The lag chart's estimate of the time to catch up, from how fast the lag shrinks. */
import { describe, expect, it } from 'vitest';
import { catchUpText, lagSlope } from '../../renderer/views/LagChart';

describe('time to catch up', () => {
  it('divides the lag by how fast it shrank over the last ten seconds', () => {
    const points = Array.from({ length: 11 }, (_, i) => ({ time: i * 1_000, lagRecords: 1_000 - i * 50 }));
    expect(lagSlope(points)).toBe(50);
    expect(catchUpText(points)).toBe('about 10 s to catch up');
  });
  it('says so when the lag grows or is gone', () => {
    expect(catchUpText([{ time: 0, lagRecords: 10 }, { time: 5_000, lagRecords: 60 }])).toBe('falling behind by 10 records/s');
    expect(catchUpText([{ time: 0, lagRecords: 0 }])).toBe('caught up');
  });
});
