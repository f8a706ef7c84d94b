import { defineConfig } from 'vitest/config';

// `npm run test:durability`, `test:e2e` and `test:postgres` (THRESHOLD_SUITE) run their files only;
// `npm test` everything else (the PostgreSQL files skip themselves there unless
// THRESHOLD_TEST_DATABASE_URL is set).
const SUITES: Record<string, string[]> = {
  durability: ['test/durability/**/*.test.ts'],
  e2e: ['test/e2e/**/*.test.ts'],
  // Issue 13: the PostgreSQL files, and the API suites with their worlds on PostgreSQL.
  postgres: ['test/**/postgres-*.test.ts', 'test/api/**/*.test.ts'],
};
const suite = process.env.THRESHOLD_SUITE;
if (suite && !SUITES[suite]) throw new Error(`THRESHOLD_SUITE: no suite "${suite}"`);
if (suite === 'postgres' && !process.env.THRESHOLD_TEST_DATABASE_URL) {
  throw new Error(
    'npm run test:postgres needs THRESHOLD_TEST_DATABASE_URL (.ci/postgres start <dir> <port> prints one)',
  );
}

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map; Pothos and yoga load the CJS build, so
    // test imports must too, or graphql throws "Duplicate graphql modules".
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: suite ? (SUITES[suite] ?? []) : ['test/**/*.test.ts'],
    env: suite === 'postgres' ? { THRESHOLD_TEST_DIALECT: 'postgresql' } : {},
    // A world on PostgreSQL is a database copied per test, and each statement a round trip.
    ...(suite === 'postgres' ? { testTimeout: 30_000, hookTimeout: 60_000 } : {}),
    exclude: suite ? [] : ['test/durability/**', 'test/e2e/**'],
    // The default `forks` pool: better-sqlite3 is a native module.
    pool: 'forks',
  },
});
