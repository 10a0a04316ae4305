/**
 * Bundles the host's worker thread into one CommonJS file (esbuild, about a tenth of a
 * second), because worker threads cannot load TypeScript. The browser host bundles it at every
 * start so it never runs stale code; the Electron build bundles it next to the main process.
 * The engine's native addons stay outside the bundle: they load their platform's binary.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** Packages with native addons, loaded from node_modules at run time. */
export const NATIVE_PACKAGES = ['@mongodb-js/zstd', '@node-rs/crc32', 'lz4-napi', 'snappy'];

/** Writes the worker bundle to `outFile`. */
export async function bundleWorker(outFile: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: NATIVE_PACKAGES,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
