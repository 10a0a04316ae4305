/**
 * Remote Kafka clients as the window shows them, in real Chromium against `npm run serve
 * -- --kafka-port 0`: a kafkajs consumer group's members appear in the ownership view with
 * their client ids and assignor, connected clients are listed in the header, and an in-app
 * member joins a kcat (librdkafka) group whose assignor it speaks, while a kafkajs group's
 * own assignor is refused with Kafka's INCONSISTENT_GROUP_PROTOCOL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWindow, pageProblems, startServe, type ServeProcess } from './harness';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let bootstrap: string;
const consumers: Consumer[] = [];
const children: ChildProcess[] = [];

const owned = (group: string): string => `[data-testid="ownership"][data-group="${group}"]`;

/** Partitions owned per member client id, as the ownership view draws them. */
async function ownershipByMember(group: string): Promise<Record<string, number>> {
  const links = await page.locator(owned(group)).evaluateAll((items) => items.map((item) => item.getAttribute('data-member') ?? ''));
  const counts: Record<string, number> = {};
  for (const member of links) counts[member] = (counts[member] ?? 0) + 1;
  return counts;
}

async function openGroup(group: string): Promise<void> {
  await page.locator(`[data-testid="group"][data-group="${group}"]`).first().click();
  await page.locator(owned(group)).first().waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe({ args: ['--kafka-port', '0'] }), launchBrowser()]);
  bootstrap = /^KAFKA_BOOTSTRAP=(\S+)$/m.exec(serve.output())![1];
  page = await openWindow(browser, serve.url);
  const admin = new Kafka({ clientId: 'e2e-admin', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4, replicationFactor: 3 }], waitForLeaders: true });
  await admin.disconnect();
});

afterAll(async () => {
  await Promise.allSettled(consumers.map((consumer) => consumer.disconnect()));
  for (const child of children) child.kill('SIGKILL');
  await browser?.close();
  await serve?.stop();
});

describe('remote consumer groups', () => {
  it('draws a kafkajs group’s members and their partitions beside the header’s client list', async () => {
    for (const clientId of ['remote-a', 'remote-b']) {
      const consumer = new Kafka({ clientId, brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).consumer({ groupId: 'remote-readers', sessionTimeout: 10_000, heartbeatInterval: 1_000 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      consumers.push(consumer);
    }
    await page.locator('[data-testid="group"][data-group="remote-readers"][data-state="Stable"]').waitFor({ timeout: 60_000 });
    await openGroup('remote-readers');
    await expect.poll(() => ownershipByMember('remote-readers'), { timeout: 60_000 }).toEqual({ 'remote-a': 2, 'remote-b': 2 });
    const members = await page.locator('[data-testid="member"][data-group="remote-readers"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-member')));
    expect(members.sort()).toEqual(['remote-a', 'remote-b']);
    // kafkajs names its round-robin assignor its own way; the panel shows it as the group agreed it.
    await expect.poll(() => page.getByText('RoundRobinAssigner').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="kafka-client"][data-client-id="remote-a"]').count()).toBeGreaterThan(0);
  });

  it('refuses an in-app member for a group whose assignor it does not speak', async () => {
    await page.getByTestId('member-add').click();
    await expect.poll(() => page.getByText(/INCONSISTENT_GROUP_PROTOCOL/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await ownershipByMember('remote-readers')).toEqual({ 'remote-a': 2, 'remote-b': 2 });
  });

  it('mixes an in-app member into a kcat group that uses the range assignor', async () => {
    const kcat = spawn('kcat', ['-b', bootstrap, '-G', 'mixed-readers', '-X', 'client.id=kcat-reader', '-X', 'partition.assignment.strategy=range', '-X', 'auto.offset.reset=earliest', '-q', 'orders'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(kcat);
    await page.locator('[data-testid="group"][data-group="mixed-readers"][data-state="Stable"]').waitFor({ timeout: 60_000 });
    await openGroup('mixed-readers');
    await expect.poll(() => ownershipByMember('mixed-readers'), { timeout: 60_000 }).toEqual({ 'kcat-reader': 4 });
    await page.getByTestId('member-add').click();
    await expect
      .poll(
        async () => {
          const counts = await ownershipByMember('mixed-readers');
          return Object.keys(counts).length === 2 && counts['kcat-reader'] === 2 ? Object.values(counts).sort() : counts;
        },
        { timeout: 60_000 },
      )
      .toEqual([2, 2]);
    expect(await page.getByText('range').count()).toBeGreaterThan(0);
    expect(pageProblems(page)).toEqual([]);
  });
});
