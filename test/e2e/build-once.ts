/**
 * Builds the window once before the end-to-end tests, so they test the code as it is now
 * (the browser host serves dist/renderer and builds it only when missing).
 */
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

export default async function buildOnce(): Promise<void> {
  // The window's build is a production build (its config says so); the tests keep their NODE_ENV.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
