/**
 * Builds the preload's API object from an ipcRenderer-like object (tested without Electron).
 * Each method sends only its command's name and arguments on the one command channel.
 */
import { COMMAND_NAMES, IPC_CHANNELS, type CommandName, type HostUpdate, type PreloadApi } from '../core/host/contract';

/** The part of ipcRenderer the API uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, update: HostUpdate) => void): void;
  removeListener(channel: string, listener: (event: unknown, update: HostUpdate) => void): void;
}

/** The object exposed as `window.brokerscope`. */
export function buildPreloadApi(ipc: IpcRendererLike): PreloadApi {
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name: CommandName) => [name, (args: unknown) => ipc.invoke(IPC_CHANNELS.command, name, args)]),
  ) as Omit<PreloadApi, 'onUpdate' | 'requestSnapshot'>;
  return Object.freeze({
    ...commands,
    onUpdate(listener: (update: HostUpdate) => void): () => void {
      // The event object stays here: the page sees only the update.
      const forward = (_event: unknown, update: HostUpdate): void => listener(update);
      ipc.on(IPC_CHANNELS.update, forward);
      return () => ipc.removeListener(IPC_CHANNELS.update, forward);
    },
    requestSnapshot(): void {
      ipc.send(IPC_CHANNELS.resync);
    },
  }) as PreloadApi;
}
