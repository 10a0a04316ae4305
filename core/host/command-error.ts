/**
 * Errors as values: any thrown value as Kafka's error name and a sentence. Kept apart from the
 * host so the processes that only relay commands (Electron's main process, the browser host)
 * can use it without loading the engine.
 */
import { KafkaError } from '../protocol/errors';
import type { CommandError } from './contract';

/** Any thrown value as Kafka's error name and a sentence. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof KafkaError) return { name: error.name, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'UNKNOWN_SERVER_ERROR', message: `UNKNOWN_SERVER_ERROR: ${message}` };
}
