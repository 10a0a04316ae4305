/**
 * Starts the browser host: makes sure the window is built, bundles and starts the host's
 * worker, and serves both on 127.0.0.1. Used by `npm run serve` and by the UI benchmark.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundleWorker } from '../bundle';
import { WorkerHost } from '../worker-host';
import type { WorkerOptions } from '../worker-protocol';
import { startServer, type ServeHandle } from './server';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where Vite writes the built window. */
export const RENDERER_DIST = join(ROOT, 'dist', 'renderer');

/** A running browser host: the server and the host behind it. */
export interface BrowserHost {
  url: string;
  server: ServeHandle;
  host: WorkerHost;
  close(): Promise<void>;
}

/** Builds the window with Vite (when it was never built: `npm run build` rebuilds it). */
export async function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (existsSync(join(RENDERER_DIST, 'index.html'))) return;
  log('Building the window once (npm run build rebuilds it)...');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** Starts everything; the host keeps its data in `options.dataDir`. */
export async function startBrowserHost(options: WorkerOptions & { httpPort?: number; log?: (line: string) => void }): Promise<BrowserHost> {
  const { httpPort, log, ...workerOptions } = options;
  await ensureRendererBuilt(log);
  const workerFile = join(ROOT, 'dist', 'host', 'worker.cjs');
  await bundleWorker(workerFile);
  const host = await WorkerHost.start(workerFile, workerOptions);
  let server: ServeHandle;
  try {
    server = await startServer({ host, staticDir: RENDERER_DIST, port: httpPort });
  } catch (error) {
    await host.close();
    throw error;
  }
  return {
    url: server.url,
    server,
    host,
    close: async () => {
      await server.close();
      await host.close();
    },
  };
}
