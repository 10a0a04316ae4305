/**
 * The browser host's bridge: the contract over a WebSocket to the page's own origin, with the
 * session token from the page's address. Reconnects after a drop (the host may restart) and
 * asks for a snapshot each time it connects.
 */
import type { CommandArgs, CommandName, CommandResult, HostBridge, HostUpdate, SocketMessage, SocketRequest } from '../../core/host/contract';

/** The socket's path on the host (the contract's SOCKET_PATH; the renderer imports only types). */
const SOCKET_PATH = '/socket';
const RECONNECT_MS = 1_000;

/** Connection states the header shows. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export class SocketBridge implements HostBridge {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: CommandResult<CommandName>) => void>();
  private readonly listeners = new Set<(update: HostUpdate) => void>();
  private readonly url: string;

  constructor(
    location: Location,
    private readonly onState: (state: ConnectionState) => void,
  ) {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = `${scheme}//${location.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`;
    this.connect();
  }

  call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ ok: false, error: { name: 'NETWORK_EXCEPTION', message: 'NETWORK_EXCEPTION: not connected to the Brokerscope host; reconnecting.' } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: CommandResult<CommandName>) => void);
      this.send({ type: 'call', id, name, args });
    });
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requestSnapshot(): void {
    this.send({ type: 'resync' });
  }

  private send(request: SocketRequest): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(request));
  }

  private connect(): void {
    this.onState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => this.onState('open');
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as SocketMessage;
      if (message.type === 'update') {
        for (const listener of this.listeners) listener(message.update);
      } else {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      }
    };
    socket.onclose = () => {
      this.onState('closed');
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, error: { name: 'NETWORK_EXCEPTION', message: 'NETWORK_EXCEPTION: the connection to the Brokerscope host closed.' } });
      }
      this.pending.clear();
      setTimeout(() => this.connect(), RECONNECT_MS);
    };
  }
}
