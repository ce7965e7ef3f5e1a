import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.data/**'],
    // PGlite boots a WASM Postgres per suite; two cores do not like many at once.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    allowOnly: false,
    // A test skipped for want of a service or binary is named at the end of the run.
    reporters: ['default', './tests/support/missingRequirementsReporter.ts'],
  },
});
