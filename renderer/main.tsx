/**
 * The window's entry: picks the bridge (Electron's preload API, or the browser host's
 * WebSocket), creates the store, feeds it the host's updates, and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { HostBridge } from '../core/host/contract';
import { PreloadBridge, preloadApi } from './bridge/preload-bridge';
import { SocketBridge } from './bridge/socket-bridge';
import { createAppStore, installStore } from './store/store';
import { App } from './views/App';
import './styles.css';

const api = preloadApi();
const store = createAppStore(null);
installStore(store);
let bridge: HostBridge;
if (api) {
  bridge = new PreloadBridge(api);
  store.setState({ connection: 'open' });
} else {
  bridge = new SocketBridge(window.location, (connection) => store.setState({ connection }));
}
store.setState({ bridge });
bridge.onUpdate((update) => store.getState().applyHostUpdate(update));
if (api) bridge.requestSnapshot();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
