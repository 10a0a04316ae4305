/**
 * `npm start`: builds the app and opens the desktop window. Where the window cannot open (no
 * display, or no Electron binary and no network to fetch it), it says so in one sentence and
 * points to `npm run serve`, instead of a stack trace.
 *
 *   npm start -- [--brokers N] [--data DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build';
import { electronFailed, launchProblem, NO_BINARY } from './launch-check';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Electron's binary path as its package records it, without triggering its download. */
function electronBinary(): { path: string | null; packageDir: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, packageDir };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return { path: existsSync(binary) ? binary : null, packageDir };
}

async function main(): Promise<void> {
  let binary = electronBinary();
  const problem = launchProblem({ platform: process.platform, env: process.env, binaryPresent: binary.path !== null });
  if (problem !== null && problem !== 'download') {
    console.error(problem);
    process.exit(1);
  }
  if (problem === 'download') {
    console.log('Fetching Electron’s binary (once)...');
    const result = spawnSync(process.execPath, [join(binary.packageDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
    binary = electronBinary();
    if (result.status !== 0 || binary.path === null) {
      console.error(NO_BINARY);
      process.exit(1);
    }
  }
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  await buildElectron();
  const child = spawn(binary.path!, [join(root, 'dist', 'electron', 'main.cjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', () => {
    console.error(electronFailed(null, null));
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) console.error(electronFailed(code, signal));
    process.exit(code ?? 1);
  });
}

main().catch((error: unknown) => {
  console.error(`Brokerscope could not be built: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
