import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map; Pothos and yoga load the CJS build, so
    // test imports must too, or graphql throws "Duplicate graphql modules".
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    // `npm run test:durability` and `npm run test:e2e` (THRESHOLD_SUITE) run their folder only; `npm test`
    // everything else.
    include: process.env.THRESHOLD_SUITE ? [`test/${process.env.THRESHOLD_SUITE}/**/*.test.ts`] : ['test/**/*.test.ts'],
    exclude: process.env.THRESHOLD_SUITE ? [] : ['test/durability/**', 'test/e2e/**'],
    // The default `forks` pool: better-sqlite3 is a native module.
    pool: 'forks',
  },
});
