/**
 * Watching replication and rebalancing in real Chromium against `npm run serve` with short
 * settings (replica.lag.time.max.ms 3 s): isolate a follower and watch it leave the ISR and
 * rejoin after healing; start a group of two on six partitions (three each), add a third
 * member (two each in the next generation), crash one and watch its partitions move after the
 * session timeout. Also takes the ownership view's screenshot mid-rebalance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openWindow, pageProblems, startServe, type ServeProcess } from './harness';

const ASSETS = fileURLToPath(new URL('../../assets/', import.meta.url));
const LAG_MS = 3_000;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

const replicas = (topic: string, extra = ''): string => `[data-testid="replica"][data-topic="${topic}"]${extra}`;
const owned = (group: string, member?: string): string => `[data-testid="ownership"][data-group="${group}"]${member ? `[data-member="${member}"]` : ''}`;

async function createTopic(name: string, partitions: number, minInsyncReplicas = 1): Promise<void> {
  await page.getByRole('button', { name: '+ New topic' }).click();
  const form = page.getByTestId('create-topic');
  await form.locator('input[name="topic-name"]').fill(name);
  await form.locator('input[name="partitions"]').fill(String(partitions));
  await form.locator('input[name="replication-factor"]').fill('3');
  await form.locator('input[name="min-insync-replicas"]').fill(String(minInsyncReplicas));
  await page.getByTestId('create-topic-submit').click();
  await expect.poll(() => page.locator(replicas(name)).count()).toBe(partitions * 3);
}

/** Client ids of the group's members, as the window lists them. */
async function members(group: string): Promise<string[]> {
  return page.locator(`[data-testid="member"][data-group="${group}"]`).evaluateAll((items) => items.map((item) => item.getAttribute('data-member') ?? ''));
}

/** How many partitions each member owns, as the ownership view draws them. */
async function ownership(group: string): Promise<number[]> {
  const links = await page.locator(owned(group)).evaluateAll((items) => items.map((item) => item.getAttribute('data-member') ?? ''));
  const counts = new Map<string, number>();
  for (const member of links) counts.set(member, (counts.get(member) ?? 0) + 1);
  return [...counts.values()].sort();
}

async function generation(group: string): Promise<number> {
  return Number(await page.locator(`[data-testid="group"][data-group="${group}"]`).getAttribute('data-generation'));
}

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe({ args: ['--replica-lag-time-max-ms', String(LAG_MS), '--kafka-port', '0'] }), launchBrowser()]);
  page = await openWindow(browser, serve.url);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('faults', () => {
  it('shows a partition’s replicas in the replication view, and NOT_ENOUGH_REPLICAS once a follower is cut off', async () => {
    await createTopic('audit', 1, 3);
    const openView = async (): Promise<Locator> => {
      await page.getByRole('button', { name: /^audit/ }).click();
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByTitle('Open the replication view of this partition').first().click();
      const view = page.getByTestId('replication-view');
      await view.waitFor();
      return view;
    };
    let view = await openView();
    await view.getByRole('button', { name: 'Send 100 records (acks=all)' }).click();
    await expect.poll(() => view.locator('[data-testid="replication-replica"][data-log-end-offset="100"]').count(), { timeout: 20_000 }).toBe(3);
    await page.keyboard.press('Escape');
    const follower = Number(await page.locator(replicas('audit', '[data-leader="false"]')).first().getAttribute('data-broker-id'));
    await page.locator(`[data-testid="broker-isolate"][data-broker-id="${follower}"]`).click();
    view = await openView();
    await view.locator(`[data-testid="replication-replica"][data-broker-id="${follower}"][data-in-sync="false"]`).waitFor({ timeout: LAG_MS + 8_000 });
    await view.getByRole('button', { name: 'Send 100 (acks=1)' }).click();
    await expect.poll(() => view.locator('[data-testid="replication-replica"][data-log-end-offset="200"]').count(), { timeout: 20_000 }).toBe(2);
    // Below min.insync.replicas the high watermark holds still (Kafka 3.7+).
    expect(await view.getByTestId('high-watermark').getAttribute('data-offset')).toBe('100');
    await view.getByRole('button', { name: 'Send 100 records (acks=all)' }).click();
    const error = page.getByTestId('replication-produce-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toContain('NOT_ENOUGH_REPLICAS');
    await page.waitForTimeout(400);
    mkdirSync(ASSETS, { recursive: true });
    await page.screenshot({ path: `${ASSETS}screenshot-replication.png` });
    await page.locator('[data-testid="fault-clear"]').click();
    await view.locator(`[data-testid="replication-replica"][data-broker-id="${follower}"][data-in-sync="true"]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => view.getByTestId('high-watermark').getAttribute('data-offset'), { timeout: 20_000 }).toBe('200');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="broker"]').first().waitFor();
  });

  it('isolates a follower: it leaves the ISR within the lag time and rejoins after healing', async () => {
    await createTopic('clicks', 1);
    const leader = Number(await page.locator(replicas('clicks', '[data-leader="true"]')).getAttribute('data-broker-id'));
    const follower = Number(await page.locator(replicas('clicks', '[data-leader="false"]')).first().getAttribute('data-broker-id'));
    const isolatedAt = Date.now();
    await page.locator(`[data-testid="broker-isolate"][data-broker-id="${follower}"]`).click();
    await page.locator(`[data-testid="fault"][data-kind="isolated"][data-broker-id="${follower}"]`).waitFor();
    await page.locator(replicas('clicks', `[data-broker-id="${follower}"][data-in-sync="false"]`)).waitFor({ state: 'attached', timeout: LAG_MS + 8_000 });
    // Out within the lag time (or the broker session timeout, whichever fences it first), plus the window's update.
    expect(Date.now() - isolatedAt).toBeLessThan(LAG_MS + 6_000);
    expect(Number(await page.locator(replicas('clicks', '[data-leader="true"]')).getAttribute('data-broker-id'))).toBe(leader);
    await page.locator('[data-testid="fault-clear"]').click();
    await page.locator('[data-testid="fault"]').waitFor({ state: 'detached' });
    await page.locator(replicas('clicks', `[data-broker-id="${follower}"][data-in-sync="true"]`)).waitFor({ state: 'attached', timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="timeline-event"][data-kind="fault.applied"]').count()).toBeGreaterThan(0);
  });
});

async function leaderOf(topic: string, partition: number): Promise<number> {
  const leader = page.locator(replicas(topic, `[data-partition="${partition}"][data-leader="true"]`));
  await leader.waitFor({ state: 'attached' });
  return Number(await leader.getAttribute('data-broker-id'));
}

describe('reassignment', () => {
  it('adds a broker and moves a partition onto it: the new replica catches up, joins the ISR, and the old one goes', async () => {
    await createTopic('moves', 1);
    const brokersBefore = await page.locator('[data-testid="broker"]').count();
    await page.getByTestId('add-broker').first().click();
    const added = brokersBefore + 1;
    await page.locator(`[data-testid="broker"][data-broker-id="${added}"][data-alive="true"]`).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: /^moves/ }).click();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByTitle('Open the replication view of this partition').first().click();
    const view = page.getByTestId('replication-view');
    await view.getByRole('button', { name: 'Send 100 records (acks=all)' }).click();
    const logEnds = (): Promise<string[]> => view.locator('[data-testid="replication-replica"]').evaluateAll((items) => items.map((i) => `${i.getAttribute('data-broker-id')}:${i.getAttribute('data-log-end-offset')}:${i.getAttribute('data-in-sync')}`).sort());
    await expect.poll(() => view.locator('[data-testid="replication-replica"][data-log-end-offset="100"]').count(), { timeout: 20_000 }).toBe(3);
    const current = (await view.locator('[data-testid="replication-replica"]').evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-broker-id'))))).sort();
    const target = [...current.slice(1), added];
    await view.locator('input[name="reassign-replicas"]').fill(target.join(', '));
    await view.getByTestId('reassign-submit').click();
    // The new replica catches up (all 100 records) and joins the ISR; then the removed one is gone.
    await expect.poll(logEnds, { timeout: 30_000 }).toEqual(target.map((id) => `${id}:100:true`).sort());
    await expect.poll(() => page.locator('[data-testid="timeline-event"][data-kind="partition.reassignment-completed"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="broker"]').first().waitFor();
  });
});

describe('the timeline', () => {
  it('shows a leader election after its broker stops, and the earlier leader when a past event is selected', async () => {
    await createTopic('ledger', 1);
    const leader = await leaderOf('ledger', 0);
    await page.locator(`[data-testid="broker-stop"][data-broker-id="${leader}"]`).click();
    await expect.poll(() => leaderOf('ledger', 0), { timeout: 30_000 }).not.toBe(leader);
    const next = await leaderOf('ledger', 0);
    const election = page.locator('[data-testid="timeline-event"][data-kind="leader.elected"]', { hasText: `ledger-0: broker ${next} leads` });
    await election.first().waitFor();
    expect(await election.first().textContent()).toContain(`was broker ${leader}`);
    await page.locator('[data-testid="timeline-event"][data-kind="topic.created"]', { hasText: 'Topic ledger created' }).getByRole('button').click();
    await page.getByTestId('viewing-past').waitFor();
    await expect.poll(() => leaderOf('ledger', 0)).toBe(leader);
    await page.getByTestId('timeline-live').click();
    await page.getByTestId('viewing-past').waitFor({ state: 'detached' });
    await expect.poll(() => leaderOf('ledger', 0)).toBe(next);
    await page.locator(`[data-testid="broker-start"][data-broker-id="${leader}"]`).click();
    await page.locator(`[data-testid="broker"][data-broker-id="${leader}"][data-alive="true"]`).waitFor({ state: 'attached' });
    await expect.poll(() => page.locator(replicas('ledger', '[data-in-sync="true"]')).count(), { timeout: 30_000 }).toBe(3);
  });
});

describe('consumer groups', () => {
  it('splits 6 partitions 3 and 3 between two members', async () => {
    await createTopic('events', 6);
    await page.getByRole('button', { name: '+ New group' }).click();
    const form = page.getByTestId('consumer-group-form');
    await form.locator('input[name="group-id"]').fill('billing');
    await form.locator('input[name="topic"]').fill('events');
    await form.locator('input[name="members"]').fill('2');
    await page.getByTestId('consumer-group-submit').click();
    await page.locator('[data-testid="group"][data-group="billing"][data-state="Stable"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => ownership('billing'), { timeout: 30_000 }).toEqual([3, 3]);
    expect(await members('billing')).toHaveLength(2);
  });

  it('adds a third member: each owns 2 in the next generation', async () => {
    const before = await generation('billing');
    await page.getByTestId('member-add').click();
    // Mid-rebalance, for the README (taken as soon as the group leaves Stable, if the window sees it).
    await page
      .locator('[data-testid="group"][data-group="billing"]:not([data-state="Stable"])')
      .waitFor({ timeout: 10_000 })
      .then(async () => {
        mkdirSync(ASSETS, { recursive: true });
        await page.screenshot({ path: `${ASSETS}screenshot-ownership.png` });
      })
      .catch(() => {});
    await expect.poll(() => ownership('billing'), { timeout: 30_000 }).toEqual([2, 2, 2]);
    await page.locator('[data-testid="group"][data-group="billing"][data-state="Stable"]').waitFor();
    expect(await generation('billing')).toBeGreaterThan(before);
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${ASSETS}screenshot-ownership-stable.png` });
  });

  it('moves a crashed member’s partitions after the session timeout', async () => {
    const [victim] = await members('billing');
    const crashedAt = Date.now();
    await page.locator(`[data-testid="member"][data-member="${victim}"] [data-testid="member-crash"]`).click();
    await expect.poll(() => page.locator(owned('billing', victim)).count(), { timeout: 40_000 }).toBe(0);
    await expect.poll(() => ownership('billing'), { timeout: 30_000 }).toEqual([3, 3]);
    // Not before the 6 s session timeout (counted from the last heartbeat, at most 2 s before the crash).
    expect(Date.now() - crashedAt).toBeGreaterThan(3_000);
    expect(await members('billing')).not.toContain(victim);
    expect(pageProblems(page)).toEqual([]);
  });
});

describe('guided scenarios', () => {
  it('narrates “a consumer joins the group” step by step and cleans up after itself', async () => {
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="scenario-start"][data-scenario="consumer-joins"]').click();
    const narration = page.getByTestId('scenario');
    await narration.waitFor();
    await expect.poll(() => narration.locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    await narration.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-testid="ownership"][data-group="scenario-join-group"]').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ASSETS}screenshot-scenario.png` });
    await page.locator('[data-testid="scenario"][data-state="finished"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator(replicas('scenario-join')).count(), { timeout: 20_000 }).toBe(0);
  });
});

describe('after a restart', () => {
  it('keeps the timeline with the cluster’s data', async () => {
    await page.close();
    await serve.stop();
    serve = await startServe({ dataDir: serve.dataDir, args: ['--kafka-port', '0'] });
    page = await openWindow(browser, serve.url);
    await expect.poll(() => page.locator('[data-testid="timeline-event"][data-kind="fault.applied"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="timeline-event"][data-kind="leader.elected"]').count()).toBeGreaterThan(0);
  });
});
