/**
 * Builds the window into dist/renderer with relative asset paths, so the same files load from
 * Electron's file:// and from the browser host.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig(({ command }) => {
  // Builds are always production builds: one started from a test runner (NODE_ENV=test) would
  // otherwise bundle React's development runtime and JSX, which cost the map most of its frame rate.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: './',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
      emptyOutDir: true,
      sourcemap: true,
      chunkSizeWarningLimit: 1_000,
    },
  };
});
