/**
 * Starts the browser host: makes sure the window is built, bundles and starts the host's
 * worker, puts the saved connections in front of it, and serves both on 127.0.0.1. Used by
 * `npm run serve` and by the UI benchmark. Without a system keychain to use, passwords of
 * saved connections are kept in a file only this user can read (the window is told so).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundleWorker } from '../bundle';
import { WorkerHost } from '../worker-host';
import { ConnectedHost } from '../connected-host';
import { ConnectionStore, FILE_PERMISSIONS_BOX, connectionsFileBeside } from '../connections';
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
  /** The worker running the clusters. */
  host: WorkerHost;
  /** What the window talks to: the connection commands, and everything else passed to the worker. */
  connected: ConnectedHost;
  /** The saved connections' file, or null when they are kept in memory (no data folder). */
  connectionsFile: string | null;
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
export async function startBrowserHost(options: WorkerOptions & { httpPort?: number; log?: (line: string) => void; connectionsFile?: string | null }): Promise<BrowserHost> {
  const { httpPort, log, connectionsFile: chosenFile, ...workerOptions } = options;
  await ensureRendererBuilt(log);
  const workerFile = join(ROOT, 'dist', 'host', 'worker.cjs');
  await bundleWorker(workerFile);
  const connectionsFile = chosenFile !== undefined ? chosenFile : workerOptions.dataDir ? connectionsFileBeside(workerOptions.dataDir) : null;
  const host = await WorkerHost.start(workerFile, workerOptions);
  const connected = new ConnectedHost(host, new ConnectionStore(connectionsFile, FILE_PERMISSIONS_BOX), log);
  let server: ServeHandle;
  try {
    server = await startServer({ host: connected, staticDir: RENDERER_DIST, port: httpPort });
  } catch (error) {
    await host.close();
    throw error;
  }
  // The window opens on the embedded cluster; the one shown last follows once it is reachable.
  void connected.restoreActive();
  return {
    url: server.url,
    server,
    host,
    connected,
    connectionsFile,
    close: async () => {
      await server.close();
      await connected.close();
    },
  };
}
