/**
 * Builds the Electron app's code into dist/electron: the main process (CommonJS, Electron
 * external), the sandboxed preload (one self-contained file) and the host's worker thread.
 * The renderer is built by Vite into dist/renderer.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundleWorker, NATIVE_PACKAGES } from '../core/host/bundle';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'electron');

/** Bundles main, preload and the worker. */
export async function buildElectron(): Promise<void> {
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: 'linked', logLevel: 'warning' } as const;
  await Promise.all([
    build({ ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(out, 'main.cjs'), external: ['electron', ...NATIVE_PACKAGES] }),
    build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(out, 'preload.cjs'), external: ['electron'] }),
    bundleWorker(join(out, 'host-worker.cjs')),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildElectron().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
