import { defineConfig } from 'drizzle-kit';

// Issue 13: the PostgreSQL migrations, generated from the tables derived from the SQLite schema
// (src/db/postgres-schema.ts). `npm run db:generate` runs drizzle-kit with both configurations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres-schema.ts',
  out: './drizzle/postgresql',
});
