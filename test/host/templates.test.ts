/**
 * Templates expand per record and reproducibly from a seed; text without placeholders stays as typed.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../core/time/random';
import { expandTemplate, hasPlaceholders } from '../../core/host/templates';

describe('templates', () => {
  it('expands every placeholder', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const text = expandTemplate('{"n":{{seq}},"at":"{{time}}","ms":{{timestamp}},"id":"{{ uuid }}","r":{{random}}}', { seq: 7, now, random: new Random(1) });
    const parsed = JSON.parse(text);
    expect(parsed.n).toBe(7);
    expect(parsed.at).toBe('2026-01-02T03:04:05.006Z');
    expect(parsed.ms).toBe(now);
    expect(parsed.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parsed.r).toBeGreaterThanOrEqual(0);
    expect(parsed.r).toBeLessThan(1_000_000);
  });

  it('repeats from the same seed', () => {
    const a = expandTemplate('{{uuid}} {{random}}', { seq: 0, now: 0, random: new Random(9) });
    const b = expandTemplate('{{uuid}} {{random}}', { seq: 0, now: 0, random: new Random(9) });
    expect(a).toBe(b);
  });

  it('leaves other braces alone', () => {
    expect(hasPlaceholders('{"a":{"b":1}}')).toBe(false);
    expect(hasPlaceholders(null)).toBe(false);
    expect(expandTemplate('{{name}} {{seq}}', { seq: 1, now: 0, random: new Random(1) })).toBe('{{name}} 1');
  });
});
