/**
 * The window's host in the process that serves it (Electron's main process, the browser
 * host): the connection commands are answered here, from the ConnectionStore, and every other
 * command passes unchanged to the session that runs the clusters (in the worker). Passwords are
 * resolved here and sent only to the session; nothing this host answers carries one.
 *
 * Removing the connection shown now first switches the window to the embedded cluster (a
 * snapshot follows), then removes it. Saving the connection shown now re-attaches with the new
 * settings, so a change such as read-only takes effect at once.
 */
import { toCommandError } from './command-error';
import { CONNECTION_COMMANDS, type CommandArgs, type CommandName, type CommandResult, type HostSnapshot, type HostUpdate } from './contract';
import { EMBEDDED_ID, type ConnectionStore } from './connections';
import type { HostConnection } from './host';
import { parseCommandArgs } from './schemas';
import type { SessionControl } from './session';

type ConnectionCommand = (typeof CONNECTION_COMMANDS)[number];
type ConnectionHandlers = { [N in ConnectionCommand]: (args: CommandArgs<N>) => Promise<CommandResult<N>> };

const CONNECTION_COMMAND_SET: ReadonlySet<string> = new Set(CONNECTION_COMMANDS);

export class ConnectedHost implements HostConnection {
  private activeId = EMBEDDED_ID;
  /** Connection commands run one at a time: a switch never interleaves with a save or a removal. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly handlers: ConnectionHandlers;

  constructor(
    private readonly session: SessionControl,
    private readonly store: ConnectionStore,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.handlers = {
      listConnections: async () => ({ ok: true, value: { connections: this.store.list(), active: this.activeId } }),
      saveConnection: ({ connection }) => this.save(connection),
      testConnection: async ({ connection }) => this.session.testConnection(this.store.resolveDraft(connection)),
      removeConnection: ({ id }) => this.remove(id),
      switchCluster: ({ id }) => this.switchTo(id),
    };
  }

  /** The cluster shown now: `embedded` or a connection id. */
  get active(): string {
    return this.activeId;
  }

  /**
   * Shows the cluster chosen at the last run (the embedded one meanwhile). An unreachable
   * cluster is logged and the embedded one stays; the choice is kept for the next start.
   */
  async restoreActive(): Promise<void> {
    let remembered: string;
    try {
      remembered = this.store.activeId();
    } catch (error) {
      return this.log(`Saved connections are unavailable: ${toCommandError(error).message}`);
    }
    if (remembered === EMBEDDED_ID) return;
    const result = await this.execute('switchCluster', { id: remembered });
    if (!result.ok) this.log(`The cluster shown last could not be shown again: ${result.error.message}`);
  }

  async execute<N extends CommandName>(name: N, args: unknown): Promise<CommandResult<N>> {
    const parsed = parseCommandArgs<N>(name, args);
    if (!parsed.ok) return parsed;
    if (!CONNECTION_COMMAND_SET.has(name)) return this.session.execute(name, parsed.args);
    const handler = this.handlers[name as ConnectionCommand] as (args: CommandArgs<N>) => Promise<CommandResult<N>>;
    const run = this.queue.then(() => handler(parsed.args)).catch((error: unknown): CommandResult<N> => ({ ok: false, error: toCommandError(error) }));
    this.queue = run;
    return run;
  }

  snapshot(): Promise<HostSnapshot> {
    return this.session.snapshot();
  }

  onUpdate(listener: (update: HostUpdate) => void): () => void {
    return this.session.onUpdate(listener);
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private async switchTo(id: string): Promise<CommandResult<'switchCluster'>> {
    const result = await this.session.attach(id === EMBEDDED_ID ? null : this.store.resolve(id));
    if (!result.ok) return result;
    this.activeId = id;
    this.remember(id);
    return result;
  }

  private async save(connection: CommandArgs<'saveConnection'>['connection']): Promise<CommandResult<'saveConnection'>> {
    const id = this.store.save(connection);
    if (id !== this.activeId) return { ok: true, value: { id } };
    const reattached = await this.session.attach(this.store.resolve(id));
    if (reattached.ok) return { ok: true, value: { id } };
    // The old settings must not stay in force (they may allow writes the new ones forbid).
    await this.switchTo(EMBEDDED_ID);
    const reason = reattached.error.message.replace(/^[A-Z_]+: /, '');
    return { ok: false, error: { name: reattached.error.name, message: `${reattached.error.name}: the connection was saved, but attaching with the new settings failed (${reason}), so the embedded cluster is shown.` } };
  }

  private async remove(id: string): Promise<CommandResult<'removeConnection'>> {
    if (id === this.activeId) {
      const switched = await this.switchTo(EMBEDDED_ID);
      if (!switched.ok) return switched;
    }
    this.store.remove(id);
    return { ok: true, value: null };
  }

  /** Remembering is a convenience: a failure to write it is logged, the switch stands. */
  private remember(id: string): void {
    try {
      this.store.setActive(id);
    } catch (error) {
      this.log(`The cluster shown could not be remembered: ${toCommandError(error).message}`);
    }
  }
}
