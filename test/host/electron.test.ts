/**
 * The Electron main process's logic, without Electron: the IPC router validates every
 * command (the connection commands too) and answers only the app's own window; the preload
 * exposes one method per command and never the IPC object; the window is hardened; the
 * launcher explains what it cannot do; passwords are encrypted by safeStorage only where it
 * truly encrypts.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, IPC_CHANNELS, type CommandName, type CommandResult, type HostUpdate } from '../../core/host/contract';
import type { HostConnection } from '../../core/host/host';
import { routeIpc, type IpcEventLike } from '../../electron/ipc-router';
import { buildPreloadApi } from '../../electron/preload-api';
import { CONTENT_SECURITY_POLICY, guardWebContents, isAppUrl, windowOptions } from '../../electron/security';
import { launchProblem, NO_DISPLAY } from '../../electron/launch-check';
import { parseAppArguments } from '../../electron/arguments';
import { safeStorageBox, type SafeStorageLike } from '../../electron/secret-box';

function fakeHost(): HostConnection & { calls: [string, unknown][]; emit(update: HostUpdate): void } {
  const listeners = new Set<(update: HostUpdate) => void>();
  const calls: [string, unknown][] = [];
  return {
    calls,
    emit: (update) => listeners.forEach((l) => l(update)),
    execute: async <N extends CommandName>(name: N, args: unknown) => {
      calls.push([name, args]);
      return { ok: true, value: null } as unknown as CommandResult<N>;
    },
    snapshot: async () => ({ type: 'snapshot', seq: 4, cluster: {} as never, producers: [], rates: { recordsInPerSecond: 0, bytesInPerSecond: 0 }, recentEvents: [] }),
    onUpdate: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => undefined,
  };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  const listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
  return {
    handlers,
    listeners,
    handle: (channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>) => void handlers.set(channel, listener),
    on: (channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) => void listeners.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
    removeAllListeners: (channel: string) => void listeners.delete(channel),
  };
}

const APP = 'file:///opt/brokerscope/dist/renderer/';
const fromApp: IpcEventLike = { sender: { id: 1 }, senderFrame: { url: `${APP}index.html` } };

describe('IPC router', () => {
  it('validates arguments and forwards good commands', async () => {
    const host = fakeHost();
    const ipcMain = fakeIpcMain();
    const sent: HostUpdate[] = [];
    const unroute = routeIpc({ ipcMain, host, window: { id: 1, isDestroyed: () => false, send: (_c, u) => sent.push(u) }, trustedUrl: (url) => isAppUrl(url, APP) });
    const invoke = ipcMain.handlers.get(IPC_CHANNELS.command)!;
    const bad = (await invoke(fromApp, 'stopBroker', { brokerId: -5 })) as CommandResult<'stopBroker'>;
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.name).toBe('INVALID_REQUEST');
    expect(host.calls).toEqual([]);
    expect(await invoke(fromApp, 'stopBroker', { brokerId: 2 })).toEqual({ ok: true, value: null });
    expect(host.calls).toEqual([['stopBroker', { brokerId: 2 }]]);
    unroute();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('validates and forwards the connection commands like any other', async () => {
    const host = fakeHost();
    const ipcMain = fakeIpcMain();
    routeIpc({ ipcMain, host, window: { id: 1, isDestroyed: () => false, send: () => undefined }, trustedUrl: (url) => isAppUrl(url, APP) });
    const invoke = ipcMain.handlers.get(IPC_CHANNELS.command)!;
    const bad = (await invoke(fromApp, 'saveConnection', { connection: { name: 'x', bootstrapServers: 'no port' } })) as CommandResult<'saveConnection'>;
    expect(!bad.ok && bad.error.name).toBe('INVALID_REQUEST');
    await invoke(fromApp, 'switchCluster', { id: 'conn-1' });
    await invoke(fromApp, 'listConnections', {});
    expect(host.calls).toEqual([
      ['switchCluster', { id: 'conn-1' }],
      ['listConnections', {}],
    ]);
  });

  it('answers only the app’s own window', async () => {
    const host = fakeHost();
    const ipcMain = fakeIpcMain();
    routeIpc({ ipcMain, host, window: { id: 1, isDestroyed: () => false, send: () => undefined }, trustedUrl: (url) => isAppUrl(url, APP) });
    const invoke = ipcMain.handlers.get(IPC_CHANNELS.command)!;
    const foreign = (await invoke({ sender: { id: 1 }, senderFrame: { url: 'https://evil.example/' } }, 'addBroker', {})) as CommandResult<'addBroker'>;
    expect(!foreign.ok && foreign.error.name).toBe('CLUSTER_AUTHORIZATION_FAILED');
    const otherWindow = (await invoke({ sender: { id: 9 }, senderFrame: { url: `${APP}index.html` } }, 'addBroker', {})) as CommandResult<'addBroker'>;
    expect(otherWindow.ok).toBe(false);
    expect(host.calls).toEqual([]);
  });

  it('forwards updates and answers a resync with a snapshot', async () => {
    const host = fakeHost();
    const ipcMain = fakeIpcMain();
    const sent: HostUpdate[] = [];
    routeIpc({ ipcMain, host, window: { id: 1, isDestroyed: () => false, send: (_c, u) => sent.push(u) }, trustedUrl: (url) => isAppUrl(url, APP) });
    host.emit({ type: 'delta', seq: 5 } as HostUpdate);
    ipcMain.listeners.get(IPC_CHANNELS.resync)!(fromApp);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((u) => [u.type, u.seq])).toEqual([
      ['delta', 5],
      ['snapshot', 4],
    ]);
  });
});

describe('preload API', () => {
  it('has one method per command plus onUpdate and requestSnapshot, and no IPC object', async () => {
    const invoked: unknown[][] = [];
    const subscribed = new Set<unknown>();
    const api = buildPreloadApi({
      invoke: async (...args) => (invoked.push(args), { ok: true, value: null }),
      send: (...args) => invoked.push(args),
      on: (_channel, listener) => subscribed.add(listener),
      removeListener: (_channel, listener) => subscribed.delete(listener),
    });
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'onUpdate', 'requestSnapshot'].sort());
    await api.startBroker({ brokerId: 3 });
    api.requestSnapshot();
    expect(invoked).toEqual([[IPC_CHANNELS.command, 'startBroker', { brokerId: 3 }], [IPC_CHANNELS.resync]]);
    const unsubscribe = api.onUpdate(() => undefined);
    expect(subscribed.size).toBe(1);
    unsubscribe();
    expect(subscribed.size).toBe(0);
    expect(Object.isFrozen(api)).toBe(true);
  });
});

describe('secret box', () => {
  function fakeSafeStorage(available: boolean, backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>): SafeStorageLike {
    return {
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (plain) => Buffer.from(`enc(${plain})`).reverse(),
      decryptString: (sealed) => Buffer.from(sealed).reverse().toString().replace(/^enc\((.*)\)$/, '$1'),
    };
  }

  it('encrypts with safeStorage where the system keychain is there', () => {
    const box = safeStorageBox(fakeSafeStorage(true, 'gnome_libsecret'), 'linux');
    expect(box.encrypted).toBe(true);
    const sealed = box.seal('hunter2');
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2');
    expect(safeStorageBox(fakeSafeStorage(true, 'unknown'), 'darwin').encrypted).toBe(true);
  });

  it('says secrets are not encrypted without a keychain, or with Linux’s fixed-key basic_text', () => {
    expect(safeStorageBox(fakeSafeStorage(false, 'unknown'), 'win32').encrypted).toBe(false);
    expect(safeStorageBox(fakeSafeStorage(true, 'basic_text'), 'linux').encrypted).toBe(false);
  });
});

describe('window security', () => {
  it('isolates, sandboxes and keeps Node out of the page', () => {
    const prefs = windowOptions('/app/preload.cjs', true).webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('blocks navigation and new windows', () => {
    const prevented: string[] = [];
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    guardWebContents({
      on: (event: string, listener: (e: { preventDefault(): void }, url?: string) => void) => listener({ preventDefault: () => prevented.push(event) }, 'https://evil.example'),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (openHandler = handler),
    } as never);
    expect(prevented.sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('trusts only pages inside the app folder', () => {
    expect(isAppUrl(`${APP}index.html`, APP)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', APP)).toBe(false);
    expect(isAppUrl('http://127.0.0.1/', APP)).toBe(false);
  });
});

describe('launcher and arguments', () => {
  it('says in one sentence what to do without a display', () => {
    expect(launchProblem({ platform: 'linux', env: {}, binaryPresent: true })).toBe(NO_DISPLAY);
    expect(NO_DISPLAY).toContain('npm run serve');
    expect(launchProblem({ platform: 'linux', env: { DISPLAY: ':0' }, binaryPresent: false })).toBe('download');
    expect(launchProblem({ platform: 'darwin', env: {}, binaryPresent: true })).toBeNull();
  });

  it('parses --brokers and --data', () => {
    expect(parseAppArguments(['--brokers', '5', '--data', '/d'], '/default')).toEqual({ brokers: 5, dataDir: '/d' });
    expect(parseAppArguments([], '/default')).toEqual({ brokers: 3, dataDir: '/default' });
    expect(parseAppArguments(['--brokers', 'many'], '/default')).toHaveProperty('error');
  });
});
