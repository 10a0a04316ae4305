/**
 * The preload: exposes one narrow object, `window.brokerscope`, with one method per command,
 * `onUpdate` (returning its unsubscribe function) and `requestSnapshot`. Never ipcRenderer
 * itself. Runs sandboxed, so it bundles everything it needs but Electron's own module.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('brokerscope', buildPreloadApi(ipcRenderer));
