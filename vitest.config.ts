import { defineConfig } from 'vitest/config';
import { sharedCodeAliases } from './electron.vite.config.js';

export default defineConfig({
  // Tests import renderer modules, which reach the shared code through the renderer's aliases.
  resolve: { alias: sharedCodeAliases },
  test: {
    include: ['test/core/**/*.test.ts'],
    environment: 'node',
    // Training tests are real tf.js runs; give them room on a 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
