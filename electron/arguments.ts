/**
 * The app's command-line options: `--brokers N` (for a new cluster) and `--data DIR`.
 */

/** Parsed options, or the sentence saying what is wrong. */
export function parseAppArguments(argv: string[], defaultDataDir: string): { brokers: number; dataDir: string } | { error: string } {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const rawBrokers = value('brokers');
  const brokers = rawBrokers === undefined ? 3 : Number(rawBrokers);
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 64) return { error: `--brokers must be a whole number from 1 to 64, not "${rawBrokers}".` };
  const dataDir = value('data') ?? defaultDataDir;
  if (dataDir.trim() === '') return { error: '--data needs a folder.' };
  return { brokers, dataDir };
}
