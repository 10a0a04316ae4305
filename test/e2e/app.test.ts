/**
 * Brokerscope's window in real Chromium against `npm run serve`, as a person uses it: create a
 * topic and see its replicas, get Kafka's error for a bad name, produce a record and find it
 * in the browser at the reported offset, stop a leader's broker and watch leadership move,
 * restart the host and find everything still there. Also takes the README's screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWindow, pageProblems, startServe, type ServeProcess } from './harness';

const ASSETS = fileURLToPath(new URL('../../assets/', import.meta.url));
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let produced: { partition: number; offset: number; value: string } | null = null;

const replicas = (topic: string, extra = ''): string => `[data-testid="replica"][data-topic="${topic}"]${extra}`;

async function createTopic(name: string, partitions: number, replicationFactor = 3): Promise<void> {
  await page.getByRole('button', { name: '+ New topic' }).click();
  const form = page.getByTestId('create-topic');
  await form.locator('input[name="topic-name"]').fill(name);
  await form.locator('input[name="partitions"]').fill(String(partitions));
  await form.locator('input[name="replication-factor"]').fill(String(replicationFactor));
  await page.getByTestId('create-topic-submit').click();
}

async function leaderOf(topic: string, partition: number): Promise<number> {
  const leader = page.locator(replicas(topic, `[data-partition="${partition}"][data-leader="true"]`));
  await leader.waitFor({ state: 'attached' });
  return Number(await leader.getAttribute('data-broker-id'));
}

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(), launchBrowser()]);
  page = await openWindow(browser, serve.url);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the window', () => {
  it('opens on a running 3-broker cluster with a controller', async () => {
    await expect.poll(() => page.locator('[data-testid="broker"][data-alive="true"]').count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="broker"][data-controller="true"]').count()).toBe(1);
  });

  it('creates a topic and shows 3 x partitions replica tiles with one leader each', async () => {
    await createTopic('orders', 3);
    await expect.poll(() => page.locator(replicas('orders')).count()).toBe(9);
    for (let partition = 0; partition < 3; partition++) {
      await expect.poll(() => page.locator(replicas('orders', `[data-partition="${partition}"][data-leader="true"]`)).count()).toBe(1);
    }
    await expect.poll(() => page.locator(replicas('orders', '[data-in-sync="true"]')).count()).toBe(9);
  });

  it('shows Kafka’s error for an invalid name and creates nothing', async () => {
    await createTopic('bad name!', 1, 1);
    const error = page.getByTestId('form-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('INVALID_TOPIC_EXCEPTION');
    await expect.poll(() => page.locator('[data-testid="replica"]').count()).toBe(9);
    expect(await page.locator('input[name="topic-name"]').inputValue()).toBe('bad name!');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('produces a record and finds it in the browser at the reported offset', async () => {
    await page.getByRole('button', { name: /^orders/ }).click();
    await page.getByRole('tab', { name: 'Produce' }).click();
    const form = page.getByTestId('produce');
    await form.locator('input[name="key"]').fill('customer-7');
    await form.locator('textarea[name="value"]').fill('{"order":1,"item":"coffee"}');
    await page.getByTestId('produce-submit').click();
    const result = page.getByTestId('produce-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    const match = /partition (\d+) at offset (\d+)/.exec(text);
    expect(match, text).not.toBeNull();
    produced = { partition: Number(match![1]), offset: Number(match![2]), value: '{"order":1,"item":"coffee"}' };
    await page.getByRole('tab', { name: 'Browse' }).click();
    const row = page.locator(`[data-testid="message-row"][data-partition="${produced.partition}"][data-offset="${produced.offset}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('coffee');
    expect(await row.textContent()).toContain('customer-7');
  });

  it('takes the screenshots of a cluster with a few topics', async () => {
    await createTopic('payments', 6);
    await createTopic('inventory', 4);
    await createTopic('audit-log', 2, 2);
    await expect.poll(() => page.locator(replicas('audit-log')).count()).toBe(4);
    await page.getByRole('button', { name: /^payments/ }).click();
    await page.getByRole('tab', { name: 'Produce' }).click();
    const form = page.getByTestId('produce');
    await form.locator('input[name="key"]').fill('card-{{random}}');
    await form.locator('textarea[name="value"]').fill('{"payment":{{seq}},"at":"{{time}}"}');
    await form.locator('input[name="rate"]').fill('200');
    await form.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('steady-producer').first().waitFor();
    await page.getByRole('tab', { name: 'Browse' }).click();
    await page.locator('[data-testid="message-row"]').nth(5).waitFor();
    mkdirSync(ASSETS, { recursive: true });
    await page.screenshot({ path: `${ASSETS}screenshot-map.png` });
    const light = await openWindow(browser, serve.url, { colorScheme: 'light' });
    await light.getByRole('button', { name: /^inventory/ }).click();
    await light.locator('[data-testid="broker"]').first().waitFor();
    await light.screenshot({ path: `${ASSETS}screenshot-map-light.png` });
    await light.close();
  });

  it('moves leadership when the leader’s broker stops', async () => {
    const leader = await leaderOf('orders', 0);
    await page.locator(`[data-testid="broker-stop"][data-broker-id="${leader}"]`).click();
    await page.locator(`[data-testid="broker"][data-broker-id="${leader}"][data-alive="false"]`).waitFor({ state: 'attached' });
    await expect.poll(() => leaderOf('orders', 0), { timeout: 30_000 }).not.toBe(leader);
    await expect.poll(() => page.locator(replicas('orders', `[data-broker-id="${leader}"][data-in-sync="true"]`)).count(), { timeout: 30_000 }).toBe(0);
    // A stopped broker and a hovered partition, for the README.
    const box = await page.locator('.map-stage').boundingBox();
    if (box) await page.mouse.move(box.x + 250, box.y + 60);
    await page.screenshot({ path: `${ASSETS}screenshot-broker-stopped.png` });
    await page.locator(`[data-testid="broker-start"][data-broker-id="${leader}"]`).click();
    await page.locator(`[data-testid="broker"][data-broker-id="${leader}"][data-alive="true"]`).waitFor({ state: 'attached' });
  });

  it('keeps topics and records when the host restarts on the same data', async () => {
    expect(produced).not.toBeNull();
    expect(pageProblems(page)).toEqual([]);
    await page.close();
    await serve.stop();
    serve = await startServe({ dataDir: serve.dataDir });
    page = await openWindow(browser, serve.url);
    await expect.poll(() => page.locator(replicas('orders')).count()).toBe(9);
    await expect.poll(() => page.locator(replicas('payments')).count()).toBe(18);
    await page.getByRole('button', { name: /^orders/ }).click();
    await page.getByRole('tab', { name: 'Browse' }).click();
    const row = page.locator(`[data-testid="message-row"][data-partition="${produced!.partition}"][data-offset="${produced!.offset}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('coffee');
    expect(pageProblems(page)).toEqual([]);
  });
});
