/**
 * Electron's main process: opens the embedded cluster in a worker thread it owns (data in the
 * app's user-data folder, kept between launches), puts the saved connections in front of it
 * (`<userData>/connections.json`, passwords encrypted by safeStorage where the system allows),
 * then one hardened window on the built renderer, wired through the IPC router. Quitting
 * closes the clusters cleanly.
 *
 *   electron dist/electron/main.cjs [--brokers N] [--data DIR]
 */
import { app, BrowserWindow, ipcMain, nativeTheme, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkerHost } from '../core/host/worker-host';
import { ConnectedHost } from '../core/host/connected-host';
import { ConnectionStore } from '../core/host/connections';
import type { HostConnection } from '../core/host/host';
import { safeStorageBox } from './secret-box';
import { routeIpc } from './ipc-router';
import { guardSession, guardWebContents, isAppUrl, windowOptions } from './security';
import { parseAppArguments } from './arguments';

/** Files next to this bundle: the preload, the host worker, and the renderer one folder up. */
const here = __dirname;
const rendererDir = join(here, '..', 'renderer');
const rendererRoot = pathToFileURL(rendererDir + '/').href;

let host: ConnectedHost | null = null;
let quitting = false;

async function openWindow(windowHost: HostConnection): Promise<void> {
  const window = new BrowserWindow(windowOptions(join(here, 'preload.cjs'), nativeTheme.shouldUseDarkColors));
  const unroute = routeIpc({
    ipcMain,
    host: windowHost,
    window: { id: window.webContents.id, isDestroyed: () => window.isDestroyed(), send: (channel, update) => window.webContents.send(channel, update) },
    trustedUrl: (url) => isAppUrl(url, rendererRoot),
  });
  window.on('closed', unroute);
  window.once('ready-to-show', () => window.show());
  await window.loadFile(join(rendererDir, 'index.html'));
}

async function main(): Promise<void> {
  const options = parseAppArguments(process.argv.slice(app.isPackaged ? 1 : 2), join(app.getPath('userData'), 'cluster'));
  if ('error' in options) {
    console.error(options.error);
    app.exit(2);
    return;
  }
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  await app.whenReady();
  guardSession(session.defaultSession);
  const box = safeStorageBox(safeStorage, process.platform);
  if (!box.encrypted) console.error('No system keychain is available: passwords of saved connections are kept in a file only this user can read, not encrypted.');
  const store = new ConnectionStore(join(app.getPath('userData'), 'connections.json'), box);
  const workerHost = await WorkerHost.start(join(here, 'host-worker.cjs'), { brokers: options.brokers, dataDir: options.dataDir, seed: Date.now() >>> 0 });
  host = new ConnectedHost(workerHost, store, (line) => console.error(line));
  await openWindow(host);
  // The window opens on the embedded cluster; the one shown last follows once it is reachable.
  void host.restoreActive();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && host) void openWindow(host);
  });
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  if (quitting || !host) return;
  // Close the cluster cleanly (clean-shutdown markers) before the process ends.
  event.preventDefault();
  quitting = true;
  void host.close().finally(() => app.quit());
});

main().catch((error: unknown) => {
  console.error(`Brokerscope could not start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
