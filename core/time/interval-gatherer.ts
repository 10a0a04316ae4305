/**
 * The shape every high-rate fact takes on its way to the event bus: gathered as it happens,
 * emitted once per interval (the first fact arms a timer; the flush emits what was gathered
 * and how long it covers). Subclasses gather; `emit` says what one flush sends.
 */
import type { Scheduler } from './scheduler';

export abstract class IntervalGatherer {
  private scheduled = false;
  private lastFlush: number;

  constructor(
    protected readonly scheduler: Scheduler,
    private readonly intervalMs: number,
  ) {
    this.lastFlush = scheduler.now();
  }

  /** Emits what was gathered now (also called before a snapshot so it is up to date). */
  flush(): void {
    this.scheduled = false;
    const now = this.scheduler.now();
    this.emit(now, now - this.lastFlush);
    this.lastFlush = now;
  }

  /** Sends what was gathered since the last flush, `intervalMs` ago, and forgets it. */
  protected abstract emit(now: number, intervalMs: number): void;

  /** Schedules a flush one interval from now, unless one is pending. */
  protected arm(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.scheduler.schedule(this.intervalMs, () => this.flush());
  }
}
