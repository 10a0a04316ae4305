/**
 * The connection form's fields and the rules that turn them into a ConnectionDraft: checked
 * here first (the same bounds the host's validation applies), so a typo gets a sentence next
 * to the form instead of a round trip. The password is write-only: it lives in the form's
 * fields until the connection is saved, then the fields forget it; an edited connection with a
 * stored password sends null ("keep it") when the field is left empty. Watched groups are typed
 * as ids separated by commas or new lines.
 */
import type { ConnectionDraft, ConnectionSummary, SaslMechanism } from '../../core/host/contract';

/** The SASL choice in the form: none, or one of Kafka's mechanisms. */
export type SaslChoice = 'none' | SaslMechanism;

/** What the connection form holds, as typed. */
export interface ConnectionFields {
  /** The saved connection being edited; absent for a new one. */
  id?: string;
  name: string;
  bootstrapServers: string;
  clientId: string;
  pollIntervalMs: string;
  readOnly: boolean;
  tlsEnabled: boolean;
  tlsRejectUnauthorized: boolean;
  caFile: string;
  saslMechanism: SaslChoice;
  saslUsername: string;
  saslPassword: string;
  /** Whether the saved connection has a password the host keeps (then an empty field keeps it). */
  hasStoredPassword: boolean;
  /** Consumer group ids to show even when the cluster does not list them, separated by commas or new lines. */
  watchedGroups: string;
}

/** The SASL choices with Kafka's names for them. */
export const SASL_CHOICES: { value: SaslChoice; label: string }[] = [
  { value: 'none', label: 'none' },
  { value: 'plain', label: 'PLAIN' },
  { value: 'scram-sha-256', label: 'SCRAM-SHA-256' },
  { value: 'scram-sha-512', label: 'SCRAM-SHA-512' },
];

/** The contract's default poll interval. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
const MIN_POLL_MS = 500;
const MAX_POLL_MS = 600_000;
const BOOTSTRAP_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;
/** The host's bounds on watched groups (core/host/schemas.ts): the longest group id it accepts, and a limit per connection. */
const MAX_GROUP_ID_LENGTH = 249;
const MAX_WATCHED_GROUPS = 200;

/** A new connection's fields. */
export function emptyFields(): ConnectionFields {
  return {
    name: '',
    bootstrapServers: '',
    clientId: 'brokerscope',
    pollIntervalMs: String(DEFAULT_POLL_INTERVAL_MS),
    readOnly: false,
    tlsEnabled: false,
    tlsRejectUnauthorized: true,
    caFile: '',
    saslMechanism: 'none',
    saslUsername: '',
    saslPassword: '',
    hasStoredPassword: false,
    watchedGroups: '',
  };
}

/** A saved connection's fields for editing (its password stays with the host). */
export function fieldsFromSummary(summary: ConnectionSummary): ConnectionFields {
  return {
    id: summary.id,
    name: summary.name,
    bootstrapServers: summary.bootstrapServers,
    clientId: summary.clientId,
    pollIntervalMs: String(summary.pollIntervalMs),
    readOnly: summary.readOnly,
    tlsEnabled: summary.tls.enabled,
    tlsRejectUnauthorized: summary.tls.rejectUnauthorized,
    caFile: summary.tls.caFile ?? '',
    saslMechanism: summary.sasl?.mechanism ?? 'none',
    saslUsername: summary.sasl?.username ?? '',
    saslPassword: '',
    hasStoredPassword: summary.sasl?.hasPassword ?? false,
    watchedGroups: summary.watchedGroups.join('\n'),
  };
}

/** The watched group ids typed in the form: split on commas and new lines, trimmed, blanks dropped. */
export function parseWatchedGroups(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** What is wrong with the watched groups typed, or null. */
function watchedGroupsProblem(text: string): string | null {
  const ids = parseWatchedGroups(text);
  if (ids.length > MAX_WATCHED_GROUPS) return `INVALID_REQUEST: at most ${MAX_WATCHED_GROUPS} groups can be watched; ${ids.length} are listed.`;
  const long = ids.find((id) => id.length > MAX_GROUP_ID_LENGTH);
  if (long) return `INVALID_REQUEST: the group id “${long.slice(0, 40)}…” is longer than ${MAX_GROUP_ID_LENGTH} characters.`;
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return `INVALID_REQUEST: the group “${repeated}” is listed twice among the watched groups.`;
  return null;
}

/** Why the fields cannot make a connection (INVALID_REQUEST and a sentence), or null when they can. */
export function fieldsProblem(fields: ConnectionFields): string | null {
  const name = fields.name.trim();
  if (name === '') return 'INVALID_REQUEST: give the connection a name, e.g. “staging”.';
  if (name.length > 100) return 'INVALID_REQUEST: the name is longer than 100 characters.';
  const servers = fields.bootstrapServers.split(',').map((entry) => entry.trim());
  if (fields.bootstrapServers.trim() === '') return 'INVALID_REQUEST: list at least one bootstrap server as host:port, e.g. kafka-1.example.com:9092.';
  for (const entry of servers) {
    const match = BOOTSTRAP_ENTRY.exec(entry);
    if (!match || Number(match[2]) > 65_535) return `INVALID_REQUEST: “${entry}” is not host:port; separate servers with commas, e.g. kafka-1:9092,kafka-2:9092.`;
  }
  if (fields.clientId.trim() === '') return 'INVALID_REQUEST: the client id cannot be empty (brokers log it with every request).';
  const poll = Number(fields.pollIntervalMs);
  if (!Number.isInteger(poll) || poll < MIN_POLL_MS || poll > MAX_POLL_MS) return `INVALID_REQUEST: the poll interval must be a whole number of ms from ${MIN_POLL_MS} to ${MAX_POLL_MS.toLocaleString('en-US')}.`;
  if (fields.saslMechanism !== 'none') {
    if (fields.saslUsername.trim() === '') return 'INVALID_REQUEST: SASL needs a username.';
    if (fields.saslPassword === '' && !fields.hasStoredPassword) return 'INVALID_REQUEST: SASL needs a password.';
  }
  return watchedGroupsProblem(fields.watchedGroups);
}

/** The draft the host receives, or the problem with the fields. */
export function buildDraft(fields: ConnectionFields): ConnectionDraft | string {
  const problem = fieldsProblem(fields);
  if (problem) return problem;
  const caFile = fields.caFile.trim();
  return {
    ...(fields.id ? { id: fields.id } : {}),
    name: fields.name.trim(),
    bootstrapServers: fields.bootstrapServers.split(',').map((entry) => entry.trim()).join(','),
    clientId: fields.clientId.trim(),
    tls: { enabled: fields.tlsEnabled, caFile: fields.tlsEnabled && caFile !== '' ? caFile : null, rejectUnauthorized: fields.tlsRejectUnauthorized },
    sasl:
      fields.saslMechanism === 'none'
        ? null
        : {
            mechanism: fields.saslMechanism,
            username: fields.saslUsername.trim(),
            // Empty with a stored password: null tells the host to keep the one it has.
            password: fields.saslPassword === '' && fields.hasStoredPassword ? null : fields.saslPassword,
          },
    readOnly: fields.readOnly,
    pollIntervalMs: Number(fields.pollIntervalMs),
    watchedGroups: parseWatchedGroups(fields.watchedGroups),
  };
}

/** The fields once the host saved them: the id is known, and the typed password is forgotten. */
export function fieldsAfterSave(fields: ConnectionFields, id: string): ConnectionFields {
  const hasPassword = fields.saslMechanism !== 'none' && (fields.saslPassword !== '' || fields.hasStoredPassword);
  return { ...fields, id, saslPassword: '', hasStoredPassword: hasPassword };
}

/** The password field's placeholder: what leaving it empty means. */
export function passwordPlaceholder(fields: ConnectionFields): string {
  return fields.hasStoredPassword ? 'leave empty to keep the saved password' : 'required for SASL';
}
