import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorker } from '../../core/host/bundle';

const dir = mkdtempSync(join(tmpdir(), 'brokerscope-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundleWorker', () => {
  it('leaves one whole bundle and its map when several hosts bundle at once', async () => {
    const out = join(dir, 'host', 'worker.cjs');
    await bundleWorker(out);
    // A host starting meanwhile reads the file whenever it likes: it must always be whole.
    const seen: boolean[] = [];
    let bundling = true;
    const reader = (async () => {
      while (bundling) {
        seen.push(readFileSync(out, 'utf8').trimEnd().endsWith('//# sourceMappingURL=worker.cjs.map'));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([bundleWorker(out), bundleWorker(out), bundleWorker(out)]);
    bundling = false;
    await reader;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
    expect(readdirSync(join(dir, 'host')).sort()).toEqual(['worker.cjs', 'worker.cjs.map']);
    expect(readFileSync(out, 'utf8').trimEnd().endsWith('//# sourceMappingURL=worker.cjs.map')).toBe(true);
    expect(() => JSON.parse(readFileSync(`${out}.map`, 'utf8'))).not.toThrow();
  });
});
