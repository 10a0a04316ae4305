/**
 * The guided scenarios on a simulated clock, through the host's commands: each runs its story
 * to the end with its narration, and leaves the cluster as it found it (no topics, groups,
 * faults or stopped brokers of its own left behind); stopping one midway undoes it too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage, SimScheduler } from '../../core/index';
import { ClusterHost } from '../../core/host/host';
import { SCENARIOS, type ScenarioId } from '../../core/host/scenarios';

const hosts: ClusterHost[] = [];

function openHost(): { host: ClusterHost; scheduler: SimScheduler } {
  const scheduler = new SimScheduler();
  const host = new ClusterHost({ brokers: 3, scheduler, storage: new MemoryStorage(), seed: 11, kafkaPort: null, settings: { replicaLagTimeMaxMs: 3_000 } });
  hosts.push(host);
  scheduler.runUntil(() => host.cluster.controllerId >= 0 && [...host.cluster.brokers.values()].every((b) => b.state === 'running'), 30_000);
  return { host, scheduler };
}

/** Runs simulated time (letting promises settle between steps) until `condition` holds. */
async function runUntil(scheduler: SimScheduler, condition: () => boolean, maxMs: number): Promise<void> {
  for (let elapsed = 0; elapsed < maxMs && !condition(); elapsed += 50) {
    scheduler.runFor(50);
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}

function userTopics(host: ClusterHost): string[] {
  return [...host.cluster.store.image.topics.keys()].filter((name) => !name.startsWith('__'));
}

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

describe('guided scenarios', () => {
  for (const id of Object.keys(SCENARIOS) as ScenarioId[]) {
    it(`${id} runs to the end and leaves the cluster as it was`, async () => {
      const { host, scheduler } = openHost();
      expect((await host.execute('startScenario', { id })).ok).toBe(true);
      const status = async () => {
        const result = await host.execute('scenarioStatus', {});
        return result.ok ? result.value : null;
      };
      let last = await status();
      await runUntil(scheduler, () => last?.state !== 'running', 240_000).catch(() => {});
      for (let i = 0; i < 4_800 && last?.state === 'running'; i++) {
        scheduler.runFor(50);
        await new Promise((resolve) => setImmediate(resolve));
        last = await status();
      }
      expect(last?.steps.map((s) => s.text).join('\n')).not.toContain('The scenario stopped');
      expect(last?.state).toBe('finished');
      expect(last!.steps.length).toBeGreaterThan(3);
      await runUntil(scheduler, () => userTopics(host).length === 0, 30_000);
      expect(host.cluster.faults()).toEqual([]);
      expect([...host.cluster.brokers.values()].every((b) => b.running)).toBe(true);
      expect(host.cluster.consumers().filter((c) => c.state === 'running')).toEqual([]);
    });
  }

  it('undoes a scenario stopped midway', async () => {
    const { host, scheduler } = openHost();
    await host.execute('startScenario', { id: 'follower-falls-behind' });
    await runUntil(scheduler, () => host.cluster.faults().length > 0, 30_000);
    await host.execute('stopScenario', {});
    await runUntil(scheduler, () => userTopics(host).length === 0 && host.cluster.faults().length === 0, 30_000);
    const result = await host.execute('scenarioStatus', {});
    expect(result.ok && result.value?.state).toBe('stopped');
  });
});
