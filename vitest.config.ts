import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM without an exports map; Pothos and yoga load the CJS build, so
    // test imports must too, or graphql throws "Duplicate graphql modules".
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The default `forks` pool: better-sqlite3 is a native module.
    pool: 'forks',
  },
});
