/**
 * Whether the desktop window can start on this machine, and if not, the one sentence that
 * says why and what to do instead.
 */

/** The facts the decision needs. */
export interface LaunchFacts {
  platform: string;
  env: Record<string, string | undefined>;
  /** Electron's binary is on disk. */
  binaryPresent: boolean;
}

/** The sentence for a machine without a display. */
export const NO_DISPLAY =
  'Brokerscope’s desktop window needs a display and this machine has none (no DISPLAY or WAYLAND_DISPLAY): run `npm run serve` to open Brokerscope in your browser instead.';

/** The sentence when Electron's binary is missing and could not be fetched. */
export const NO_BINARY =
  'Electron’s binary is not installed and could not be downloaded (it needs network access to its release host): run `npm run serve` to open Brokerscope in your browser instead.';

/** The sentence when Electron was there but did not start. */
export function electronFailed(code: number | null, signal: string | null): string {
  return `Electron could not start on this machine (${signal ? `signal ${signal}` : `exit code ${code}`}): run \`npm run serve\` to open Brokerscope in your browser instead.`;
}

/** What stands in the way of launching, before trying: a sentence, 'download' (fetch the binary first), or null. */
export function launchProblem(facts: LaunchFacts): string | 'download' | null {
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) return NO_DISPLAY;
  if (!facts.binaryPresent) return 'download';
  return null;
}
