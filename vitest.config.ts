import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map; Pothos and yoga load the CJS build, so
    // test imports must too, or graphql throws "Duplicate graphql modules".
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    // `npm run test:durability` (THRESHOLD_SUITE=durability) runs test/durability only; `npm test` the rest.
    include: process.env.THRESHOLD_SUITE === 'durability' ? ['test/durability/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: process.env.THRESHOLD_SUITE === 'durability' ? [] : ['test/durability/**'],
    // The default `forks` pool: better-sqlite3 is a native module.
    pool: 'forks',
  },
});
