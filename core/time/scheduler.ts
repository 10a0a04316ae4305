/**
 * The engine's one event loop. Every piece of cluster work (a network hop, a timeout, a
 * periodic check) is a task ordered by (due time, sequence). The app drives it on the real
 * clock; tests drive it on a simulated clock, where hours of cluster time pass in milliseconds
 * and a run replays exactly from its seed. Nothing in the engine calls Date.now, setTimeout or
 * Math.random: they reach it through this interface and `Random`.
 */

/** A scheduled task that can be cancelled before it runs. */
export interface Timer {
  cancel(): void;
}

/** What the engine needs of time: the current time and deferred work. */
export interface Scheduler {
  /** Milliseconds since the epoch (simulated or real). */
  now(): number;
  /** Runs `task` once, `delayMs` from now (0: as soon as the current task ends). */
  schedule(delayMs: number, task: () => void): Timer;
}

interface Task {
  due: number;
  seq: number;
  run: (() => void) | null;
  /** Position in the heap, -1 once removed; lets a cancel take the task out at once. */
  index: number;
}

/**
 * A binary min-heap of tasks by (due, seq). Cancelled tasks leave the heap immediately, so a
 * busy cluster that arms and cancels thousands of request timeouts a second keeps a heap the
 * size of what is really pending.
 */
class TaskQueue {
  private heap: Task[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): Task | undefined {
    return this.heap[0];
  }

  push(task: Task): void {
    task.index = this.heap.length;
    this.heap.push(task);
    this.siftUp(task.index);
  }

  pop(): Task | undefined {
    const top = this.heap[0];
    if (top) this.remove(top);
    return top;
  }

  remove(task: Task): void {
    const heap = this.heap;
    const i = task.index;
    if (i < 0 || heap[i] !== task) return;
    task.index = -1;
    const last = heap.pop()!;
    if (i === heap.length) return;
    heap[i] = last;
    last.index = i;
    if (i > 0 && before(last, heap[(i - 1) >> 1])) this.siftUp(i);
    else this.siftDown(i);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    const task = heap[start];
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, heap[parent])) break;
      heap[i] = heap[parent];
      heap[i].index = i;
      i = parent;
    }
    heap[i] = task;
    task.index = i;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = heap.length;
    const task = heap[start];
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], task)) break;
      heap[i] = heap[child];
      heap[i].index = i;
      i = child;
    }
    heap[i] = task;
    task.index = i;
  }
}

function before(a: Task, b: Task): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Shared queue logic of both schedulers. */
abstract class QueueScheduler implements Scheduler {
  protected readonly queue = new TaskQueue();
  private seq = 0;

  abstract now(): number;

  schedule(delayMs: number, task: () => void): Timer {
    const entry: Task = { due: this.now() + Math.max(0, delayMs), seq: this.seq++, run: task, index: -1 };
    this.queue.push(entry);
    this.onScheduled(entry.due);
    return {
      cancel: () => {
        entry.run = null;
        this.queue.remove(entry);
      },
    };
  }

  /** Called after a task is queued, so a real-time scheduler can arm its timer. */
  protected onScheduled(_due: number): void {}

  /** Runs one task if its due time is <= `limit`; returns false when none is. */
  protected runNext(limit: number): boolean {
    const queue = this.queue;
    for (;;) {
      const next = queue.peek();
      if (!next || next.due > limit) return false;
      queue.pop();
      if (next.run === null) continue;
      this.advanceTo(next.due);
      const run = next.run;
      next.run = null;
      this.runTask(run);
      return true;
    }
  }

  /** Moves the clock (simulated time only). */
  protected advanceTo(_time: number): void {}

  /** Runs one task; simulations let a failure surface, the app's loop survives it. */
  protected runTask(run: () => void): void {
    run();
  }
}

/**
 * Simulated time: nothing happens until a test calls `runFor` or `runUntil`, which run the
 * due tasks in order and jump the clock from one task to the next.
 */
export class SimScheduler extends QueueScheduler {
  private time: number;
  /** Tasks run so far, for tests that bound work. */
  tasksRun = 0;
  /** Called after every task: tests check invariants here. */
  afterTask: (() => void) | null = null;

  constructor(startTime = Date.UTC(2026, 0, 1)) {
    super();
    this.time = startTime;
  }

  now(): number {
    return this.time;
  }

  protected override advanceTo(time: number): void {
    if (time > this.time) this.time = time;
  }

  /** Runs every task due within the next `ms` milliseconds, then sets the clock to now + ms. */
  runFor(ms: number): void {
    const end = this.time + ms;
    while (this.runNext(end)) this.ranTask();
    this.time = end;
  }

  /**
   * Runs tasks until `condition` holds (checked after every task) or `maxMs` of simulated
   * time pass. Returns whether the condition held.
   */
  runUntil(condition: () => boolean, maxMs = 60_000): boolean {
    const end = this.time + maxMs;
    if (condition()) return true;
    while (this.runNext(end)) {
      this.ranTask();
      if (condition()) return true;
    }
    this.time = end;
    return condition();
  }

  private ranTask(): void {
    this.tasksRun++;
    this.afterTask?.();
  }

  /** Number of queued tasks (cancelled ones included until they surface). */
  get pending(): number {
    return this.queue.size;
  }
}

/**
 * Real time for the app: tasks due now run on the next turn of Node's event loop
 * (setImmediate, so a burst of work does not starve I/O), later ones on one timer armed for
 * the earliest due task.
 */
export class RealScheduler extends QueueScheduler {
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private immediate: NodeJS.Immediate | null = null;
  private stopped = false;
  /** Longest a single drain may run before yielding to I/O. */
  private readonly sliceMs = 20;
  /** Where a failing task is reported; the loop goes on with the next task. */
  onError: (error: unknown) => void = (error) => console.error('A cluster task failed:', error);

  protected override runTask(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.onError(error);
    }
  }

  now(): number {
    return Date.now();
  }

  protected override onScheduled(due: number): void {
    if (this.stopped) return;
    if (due <= this.now()) {
      this.immediate ??= setImmediate(this.drain);
    } else if (due < this.timerDue) {
      if (this.timer) clearTimeout(this.timer);
      this.timerDue = due;
      this.timer = setTimeout(this.drain, due - this.now());
    }
  }

  private readonly drain = (): void => {
    this.immediate = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
    if (this.stopped) return;
    const sliceEnd = Date.now() + this.sliceMs;
    let count = 0;
    while (this.runNext(Date.now())) {
      if (++count % 64 === 0 && Date.now() > sliceEnd) break;
    }
    const next = this.queue.peek();
    if (next) this.onScheduled(next.due);
  };

  /** Stops running tasks (the host is shutting down). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }
}
