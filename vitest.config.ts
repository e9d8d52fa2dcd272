import { defineConfig } from 'vitest/config';

// One run over every package and app; each project is named after its package.
// CASCADE_TEST_JSON makes the run also write vitest's JSON report, which .ci/run counts.
const jsonOut = process.env.CASCADE_TEST_JSON;

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', { test: { name: 'package-checks', include: ['scripts/**/*.test.ts'], testTimeout: 120_000 } }],
    reporters: jsonOut ? ['default', ['json', { outputFile: jsonOut }]] : ['default'],
  },
});
