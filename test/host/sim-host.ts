/**
 * Hosts on a simulated clock for tests: opened with a running controller and brokers, and a
 * way to wait for a command while the clock runs (the engine's work happens on the clock).
 */
import { expect } from 'vitest';
import { MemoryStorage, SimScheduler } from '../../core/index';
import { ClusterHost } from '../../core/host/host';

/** A host of `brokers` brokers on a simulated clock, every broker running. */
export function openSimHost(brokers = 3, seed = 7): { host: ClusterHost; scheduler: SimScheduler } {
  const scheduler = new SimScheduler();
  const host = new ClusterHost({ brokers, scheduler, storage: new MemoryStorage(), seed, kafkaPort: null });
  scheduler.runUntil(() => host.cluster.controllerId >= 0 && [...host.cluster.brokers.values()].every((b) => b.state === 'running'), 30_000);
  return { host, scheduler };
}

/** Runs the simulated clock while a promise settles; fails the test if it never does. */
export async function settle<T>(scheduler: SimScheduler, promise: Promise<T>): Promise<T> {
  let done = false;
  let value: T;
  void promise.then((v) => {
    done = true;
    value = v;
  });
  for (let i = 0; i < 10_000 && !done; i++) {
    scheduler.runFor(10);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(done).toBe(true);
  return value!;
}
