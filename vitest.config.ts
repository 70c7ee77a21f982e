import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Backends and the simulator run on a fake clock; nothing here should need long timeouts.
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
