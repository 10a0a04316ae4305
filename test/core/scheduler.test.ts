import { describe, expect, it } from 'vitest';
import { Random } from '../../core/time/random';
import { RealScheduler, SimScheduler } from '../../core/time/scheduler';

describe('SimScheduler', () => {
  it('runs tasks in (due time, scheduling order) and moves the clock to each', () => {
    const sim = new SimScheduler(1000);
    const seen: [string, number][] = [];
    sim.schedule(20, () => seen.push(['b', sim.now()]));
    sim.schedule(10, () => seen.push(['a', sim.now()]));
    sim.schedule(20, () => seen.push(['c', sim.now()]));
    sim.schedule(0, () => sim.schedule(5, () => seen.push(['nested', sim.now()])));
    sim.runFor(100);
    expect(seen).toEqual([['nested', 1005], ['a', 1010], ['b', 1020], ['c', 1020]]);
    expect(sim.now()).toBe(1100);
  });

  it('drops cancelled tasks from the queue at once, whatever their position', () => {
    const sim = new SimScheduler(0);
    const random = new Random(9);
    const timers = Array.from({ length: 1000 }, (_, i) => ({ i, due: random.nextInt(500), timer: null as null | { cancel(): void } }));
    const ran: number[] = [];
    for (const t of timers) t.timer = sim.schedule(t.due, () => ran.push(t.i));
    const cancelled = new Set(timers.filter(() => random.next() < 0.5).map((t) => t.i));
    for (const t of timers) if (cancelled.has(t.i)) t.timer!.cancel();
    expect(sim.pending).toBe(1000 - cancelled.size);
    sim.runFor(1000);
    const expected = timers.filter((t) => !cancelled.has(t.i)).sort((a, b) => a.due - b.due || a.i - b.i).map((t) => t.i);
    expect(ran).toEqual(expected);
  });

  it('runUntil stops as soon as the condition holds', () => {
    const sim = new SimScheduler(0);
    let count = 0;
    const tick = (): void => {
      count++;
      sim.schedule(10, tick);
    };
    sim.schedule(10, tick);
    expect(sim.runUntil(() => count === 5, 1_000)).toBe(true);
    expect(sim.now()).toBe(50);
    expect(sim.runUntil(() => false, 100)).toBe(false);
    expect(sim.now()).toBe(150);
  });
});

describe('RealScheduler', () => {
  it('runs due tasks and timers on the real clock, and stops', async () => {
    const scheduler = new RealScheduler();
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.schedule(15, () => {
        seen.push('later');
        resolve();
      });
      scheduler.schedule(0, () => seen.push('now'));
      const cancelled = scheduler.schedule(5, () => seen.push('cancelled'));
      cancelled.cancel();
    });
    expect(seen).toEqual(['now', 'later']);
    scheduler.stop();
  });
});

describe('Random', () => {
  it('replays the same sequence from the same seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
    expect(new Random(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
