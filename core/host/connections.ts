/**
 * The saved connections to external clusters, kept in one JSON file in the app's data folder
 * by the process that serves the window (never the window itself). Passwords go through a
 * SecretBox: the desktop app's encrypts with the system's keychain (Electron's safeStorage);
 * without one, the password is kept as it is and only the file's permissions (readable by
 * this user alone) protect it, which every summary says (`secretsEncrypted: false`).
 * Passwords leave the store only resolved for the cluster host (`ResolvedConnection`).
 * Every write replaces the file atomically (a temporary file, then a rename), so a crash
 * never leaves half a file; a file that cannot be read is reported and never overwritten.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { KafkaError } from '../protocol/errors';
import type { ConnectionDraft, ConnectionSummary, ResolvedConnection, SaslMechanism } from './contract';
import { parseCommandArgs } from './schemas';

/** The embedded cluster's id in `switchCluster` and `listConnections`. */
export const EMBEDDED_ID = 'embedded';

/** Encrypts secrets for storage, or declares that it does not. */
export interface SecretBox {
  /** Whether `seal` encrypts (false: secrets are stored as they are, protected by the file's permissions). */
  readonly encrypted: boolean;
  seal(plain: string): string;
  open(sealed: string): string;
}

/** No encryption: the secret is stored as typed, in a file only this user can read (mode 0600). */
export const FILE_PERMISSIONS_BOX: SecretBox = {
  encrypted: false,
  seal: (plain) => plain,
  open: (sealed) => sealed,
};

/** A stored password: sealed by the box when `encrypted`, else as typed. */
interface StoredSecret {
  encrypted: boolean;
  value: string;
}

/** A connection as the file holds it. */
interface StoredConnection extends Omit<ConnectionDraft, 'id' | 'sasl'> {
  id: string;
  sasl: { mechanism: SaslMechanism; username: string; password: StoredSecret | null } | null;
}

/** The file's content. */
interface StoredFile {
  version: 1;
  /** The cluster shown at the last switch, restored at the next start. */
  active: string;
  connections: StoredConnection[];
}

/** Most connections kept (a limit on everything). */
const MAX_CONNECTIONS = 200;
/** Only this user may read or write the file. */
const FILE_MODE = 0o600;

export class ConnectionStore {
  private state: StoredFile | null = null;

  constructor(
    /** The JSON file, created on the first save; null keeps connections in memory only (a host without a data folder). */
    readonly file: string | null,
    private readonly box: SecretBox,
  ) {}

  /** Every connection, without secrets. */
  list(): ConnectionSummary[] {
    return this.load().connections.map((stored) => this.summary(stored));
  }

  /** The cluster chosen last (`embedded` or a connection id). */
  activeId(): string {
    const state = this.load();
    return state.active === EMBEDDED_ID || state.connections.some((c) => c.id === state.active) ? state.active : EMBEDDED_ID;
  }

  /** Remembers the cluster shown, for the next start. */
  setActive(id: string): void {
    const state = this.load();
    if (state.active !== id) this.write({ ...state, active: id });
  }

  /** Adds (no id) or updates a connection; returns its id. A null password keeps the stored one. */
  save(input: ConnectionDraft): string {
    const draft = validDraft(input);
    const state = this.load();
    const existing = draft.id === undefined ? undefined : this.find(draft.id);
    const duplicate = state.connections.find((c) => c.name.toLowerCase() === draft.name.toLowerCase() && c.id !== existing?.id);
    if (duplicate) throw invalid(`a connection named '${duplicate.name}' already exists; choose another name.`);
    if (!existing && state.connections.length >= MAX_CONNECTIONS) throw invalid(`at most ${MAX_CONNECTIONS} connections can be saved.`);
    const id = existing?.id ?? newConnectionId(state);
    const stored: StoredConnection = { ...draft, id, sasl: draft.sasl && { mechanism: draft.sasl.mechanism, username: draft.sasl.username, password: this.secretFor(draft, existing) } };
    const connections = existing ? state.connections.map((c) => (c.id === id ? stored : c)) : [...state.connections, stored];
    this.write({ ...state, connections });
    return id;
  }

  /** Removes a connection (and its secret). */
  remove(id: string): void {
    const state = this.load();
    this.find(id);
    this.write({ ...state, active: state.active === id ? EMBEDDED_ID : state.active, connections: state.connections.filter((c) => c.id !== id) });
  }

  /** A saved connection with its password, for the cluster host. */
  resolve(id: string): ResolvedConnection {
    return this.resolveStored(this.find(id));
  }

  /** A draft (for testing it before saving) with its password: the typed one, or the saved connection's when null. */
  resolveDraft(input: ConnectionDraft): ResolvedConnection {
    const draft = validDraft(input);
    const existing = draft.id === undefined ? undefined : this.find(draft.id);
    const stored: StoredConnection = {
      ...draft,
      id: existing?.id ?? 'draft',
      sasl: draft.sasl && { mechanism: draft.sasl.mechanism, username: draft.sasl.username, password: this.secretFor(draft, existing) },
    };
    return this.resolveStored(stored);
  }

  private resolveStored(stored: StoredConnection): ResolvedConnection {
    const { sasl, ...rest } = stored;
    if (!sasl) return { ...rest, sasl: null };
    if (!sasl.password) throw invalid(`the connection '${stored.name}' uses SASL but has no password; enter it and save.`);
    return { ...rest, sasl: { mechanism: sasl.mechanism, username: sasl.username, password: this.openSecret(stored.name, sasl.password) } };
  }

  /** The secret to store for a draft: the typed password sealed, or the existing one kept. */
  private secretFor(draft: ConnectionDraft, existing: StoredConnection | undefined): StoredSecret | null {
    const typed = draft.sasl?.password ?? null;
    if (typed !== null) return this.box.encrypted ? { encrypted: true, value: this.box.seal(typed) } : { encrypted: false, value: typed };
    const kept = existing?.sasl?.password ?? null;
    if (kept === null) throw invalid(`SASL needs a password for '${draft.name}'.`);
    return kept;
  }

  private openSecret(name: string, secret: StoredSecret): string {
    if (!secret.encrypted) return secret.value;
    if (!this.box.encrypted) throw invalid(`the password of '${name}' was encrypted with the system's keychain, which is not available now; enter the password again and save.`);
    try {
      return this.box.open(secret.value);
    } catch (error) {
      throw invalid(`the password of '${name}' could not be decrypted (${error instanceof Error ? error.message : String(error)}); enter it again and save.`);
    }
  }

  private summary(stored: StoredConnection): ConnectionSummary {
    const { sasl, ...rest } = stored;
    const password = sasl?.password ?? null;
    return {
      ...rest,
      sasl: sasl && { mechanism: sasl.mechanism, username: sasl.username, hasPassword: password !== null },
      // With no password stored, the flag says how one would be stored.
      secretsEncrypted: password?.encrypted ?? this.box.encrypted,
    };
  }

  private find(id: string): StoredConnection {
    const found = this.load().connections.find((c) => c.id === id);
    if (!found) throw invalid(`there is no saved connection '${id}'.`);
    return found;
  }

  /** The file's content; read once, and again after a failed read (the person may have fixed the file). */
  private load(): StoredFile {
    if (this.state) return this.state;
    if (this.file === null) return (this.state = emptyFile());
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.state = emptyFile());
      throw storageError(this.file, `could not be read (${(error as Error).message})`);
    }
    this.state = parseStoredFile(text, this.file);
    return this.state;
  }

  /** Replaces the file atomically, then the state in memory (a failed write changes neither). */
  private write(next: StoredFile): void {
    if (this.file === null) {
      this.state = next;
      return;
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    let created = false;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const fd = openSync(temporary, 'w', FILE_MODE);
      created = true;
      try {
        writeSync(fd, `${JSON.stringify(next, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.file);
    } catch (error) {
      // Only our own half-written file is removed; whatever else is in the way stays.
      if (created) rmSync(temporary, { force: true });
      throw storageError(this.file, `could not be written (${(error as Error).message}); nothing was changed`);
    }
    this.state = next;
  }
}

function emptyFile(): StoredFile {
  return { version: 1, active: EMBEDDED_ID, connections: [] };
}

/** Where the browser host keeps its connections: next to its data folder (`<data>.connections.json`), so wiping the cluster's data keeps them. */
export function connectionsFileBeside(dataDir: string): string {
  return `${resolve(dataDir)}.connections.json`;
}

/** The file's text as connections, or a sentence naming the file and what is wrong with it. */
function parseStoredFile(text: string, file: string): StoredFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw storageError(file, `is not valid JSON (${(error as Error).message}); fix or remove it`);
  }
  const data = raw as Partial<StoredFile> | null;
  if (!data || data.version !== 1 || typeof data.active !== 'string' || !Array.isArray(data.connections)) {
    throw storageError(file, 'is not a Brokerscope connections file (version 1); fix or remove it');
  }
  const connections = data.connections.map(withCurrentFields);
  for (const [index, connection] of connections.entries()) {
    const problem = storedConnectionProblem(connection);
    if (problem) throw storageError(file, `has a bad connection at position ${index + 1} (${problem}); fix or remove it`);
  }
  return { ...data, connections } as StoredFile;
}

/**
 * A stored connection with the fields added since version 1 was first written, at their
 * defaults: files saved by older releases lack `watchedGroups` (none watched). The file is
 * rewritten with them at the next save.
 */
function withCurrentFields(value: unknown): unknown {
  if (!value || typeof value !== 'object' || 'watchedGroups' in value) return value;
  return { ...value, watchedGroups: [] };
}

/** What is wrong with a stored connection, or null: the draft's own rules, plus an id and a well-formed secret. */
function storedConnectionProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object') return 'not an object';
  const { id, sasl, ...rest } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100 || id === EMBEDDED_ID) return 'its id is missing or not allowed';
  const saslObject = sasl as Record<string, unknown> | null | undefined;
  const secret = saslObject?.password as Partial<StoredSecret> | null | undefined;
  if (secret !== null && secret !== undefined && (typeof secret.encrypted !== 'boolean' || typeof secret.value !== 'string')) return 'its password entry is malformed';
  const asDraft = { ...rest, id, sasl: saslObject ? { ...saslObject, password: null } : sasl };
  const parsed = parseCommandArgs('saveConnection', { connection: asDraft });
  return parsed.ok ? null : parsed.error.message.replace(/^INVALID_REQUEST: saveConnection was called with bad arguments /, '');
}

/** The draft checked against the contract's rules (callers may pass anything). */
function validDraft(input: ConnectionDraft): ConnectionDraft {
  const parsed = parseCommandArgs<'saveConnection'>('saveConnection', { connection: input });
  if (!parsed.ok) throw new KafkaError(parsed.error.name, parsed.error.message.replace(/^INVALID_REQUEST: /, ''));
  const draft = parsed.args.connection;
  if (draft.id === EMBEDDED_ID) throw invalid(`'${EMBEDDED_ID}' names the embedded cluster, not a connection.`);
  return draft;
}

function newConnectionId(state: StoredFile): string {
  for (;;) {
    const id = `conn-${randomBytes(6).toString('hex')}`;
    if (!state.connections.some((c) => c.id === id)) return id;
  }
}

function invalid(sentence: string): KafkaError {
  return new KafkaError('INVALID_REQUEST', sentence);
}

function storageError(file: string, what: string): KafkaError {
  return new KafkaError('KAFKA_STORAGE_ERROR', `the connections file ${file} ${what}.`);
}
