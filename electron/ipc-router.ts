/**
 * The main process's IPC router: one handler for every command (validated here, before the
 * host sees it) and a resync request, forwarding the host's updates to the window. It takes
 * Electron's objects as parameters, so it is tested without Electron.
 */
import { IPC_CHANNELS, type CommandName, type CommandResult, type HostUpdate } from '../core/host/contract';
import type { HostConnection } from '../core/host/host';
import { parseCommandArgs } from '../core/host/schemas';

/** The part of Electron's ipcMain the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): void;
}

/** The part of an IPC event the router uses: who sent it. */
export interface IpcEventLike {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

/** The window the router talks to. */
export interface WindowLike {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, update: HostUpdate): void;
}

/** Wires the host to a window; returns the function that unwires it. */
export function routeIpc(options: { ipcMain: IpcMainLike; host: HostConnection; window: WindowLike; trustedUrl: (url: string) => boolean }): () => void {
  const { ipcMain, host, window, trustedUrl } = options;
  const trusted = (event: IpcEventLike): boolean => event.sender.id === window.id && event.senderFrame !== null && trustedUrl(event.senderFrame.url);
  const send = (update: HostUpdate): void => {
    if (!window.isDestroyed()) window.send(IPC_CHANNELS.update, update);
  };
  ipcMain.handle(IPC_CHANNELS.command, async (event, name, args): Promise<CommandResult<CommandName>> => {
    if (!trusted(event)) return { ok: false, error: { name: 'CLUSTER_AUTHORIZATION_FAILED', message: 'CLUSTER_AUTHORIZATION_FAILED: only Brokerscope’s own window may drive the cluster.' } };
    const parsed = parseCommandArgs(name, args);
    if (!parsed.ok) return parsed;
    return host.execute(parsed.name, parsed.args);
  });
  ipcMain.on(IPC_CHANNELS.resync, (event) => {
    if (!trusted(event)) return;
    void host.snapshot().then(send, () => undefined);
  });
  const unsubscribe = host.onUpdate(send);
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.command);
    ipcMain.removeAllListeners(IPC_CHANNELS.resync);
  };
}
