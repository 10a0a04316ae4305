/**
 * Templated keys and values for "send N" and the steady producer: `{{seq}}` (the record's
 * number in this run, from 0), `{{uuid}}`, `{{time}}` (ISO-8601), `{{timestamp}}` (ms since the
 * epoch) and `{{random}}` (0 to 999,999). Unknown placeholders stay as typed, so a value that
 * happens to contain braces is sent unchanged.
 */
import type { Random } from '../time/random';

/** What a template is expanded with. */
export interface TemplateContext {
  seq: number;
  now: number;
  random: Random;
}

const PLACEHOLDER = /\{\{\s*(seq|uuid|time|timestamp|random)\s*\}\}/g;

/** Whether a text contains any placeholder (so plain text skips the work). */
export function hasPlaceholders(text: string | null): boolean {
  if (text === null) return false;
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(text);
}

/** Expands the placeholders of one template for one record. */
export function expandTemplate(template: string, context: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    switch (name) {
      case 'seq':
        return String(context.seq);
      case 'uuid':
        return context.random.uuid();
      case 'time':
        return new Date(context.now).toISOString();
      case 'timestamp':
        return String(context.now);
      default:
        return String(context.random.nextInt(1_000_000));
    }
  });
}
