/**
 * The end-to-end harness: starts `npm run serve` as a person would (its own process, a
 * temporary data directory), reads `UI_URL=` from its output, and drives Debian's Chromium
 * through playwright-core. Everything waits on conditions, never on fixed sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where Debian (and most Linux distributions) put Chromium. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH).');
  return found;
}

/** Headless Chromium with the flags these machines need (playwright gives every launch a fresh temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A running `npm run serve`. */
export interface ServeProcess {
  url: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `npm run serve` on a data directory (a new temporary one by default). */
export function startServe(options: { dataDir?: string; brokers?: number; args?: string[] } = {}): Promise<ServeProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'brokerscope-e2e-'));
  const args = ['--import', 'tsx', join(ROOT, 'core/host/serve/main.ts'), '--data', dataDir, '--brokers', String(options.brokers ?? 3), ...(options.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = /^UI_URL=(\S+)$/m.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (output = (output + more.toString()).slice(-100_000)));
        resolve({
          url: match[1],
          dataDir,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm run serve exited (${code}) before printing UI_URL:\n${output.slice(-4000)}`)));
  });
}

/** Opens the window at a size people use and waits until the cluster is drawn. */
export async function openWindow(browser: Browser, url: string, options: { colorScheme?: 'dark' | 'light' } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'dark' });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(url);
  await page.locator('[data-testid="broker"][data-alive="true"]').first().waitFor();
  return page;
}

/** Console errors and uncaught exceptions the page reported. */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}
