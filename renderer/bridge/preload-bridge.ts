/**
 * The Electron bridge: the preload's narrow API object on `window.brokerscope`.
 */
import type { CommandArgs, CommandName, CommandResult, HostBridge, HostUpdate, PreloadApi } from '../../core/host/contract';

export class PreloadBridge implements HostBridge {
  constructor(private readonly api: PreloadApi) {}

  call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const method = this.api[name] as (args: CommandArgs<N>) => Promise<CommandResult<N>>;
    return method(args);
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    return this.api.onUpdate(listener);
  }

  requestSnapshot(): void {
    this.api.requestSnapshot();
  }
}

/** The preload's API object, when running inside Electron. */
export function preloadApi(): PreloadApi | null {
  return (globalThis as { brokerscope?: PreloadApi }).brokerscope ?? null;
}
