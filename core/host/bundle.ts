/**
 * Bundles the host's worker thread into one CommonJS file (esbuild, about a tenth of a
 * second), because worker threads cannot load TypeScript. The browser host bundles it at every
 * start so it never runs stale code; the Electron build bundles it next to the main process.
 * The engine's native addons stay outside the bundle: they load their platform's binary.
 */
import { build } from 'esbuild';
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages with native addons, loaded from node_modules at run time. */
export const NATIVE_PACKAGES = ['@mongodb-js/zstd', '@node-rs/crc32', 'lz4-napi', 'snappy'];

/**
 * Writes the worker bundle to `outFile` (and its source map beside it). Each file is written
 * under a name of this process's own, then renamed into place: two hosts starting at once (two
 * `npm run serve`) each load a whole bundle, never one the other is halfway through writing.
 */
export async function bundleWorker(outFile: string): Promise<void> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: NATIVE_PACKAGES,
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(dirname(outFile), { recursive: true });
  // The map first: a bundle in place always finds a map at least as new as itself.
  const files = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
  for (const file of files) {
    const staging = `${file.path}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(staging, file.contents);
    renameSync(staging, file.path);
  }
}
