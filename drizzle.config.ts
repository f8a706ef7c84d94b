import { defineConfig } from 'drizzle-kit';

// Only `npm run db:generate` reads this: migrations are generated from the TypeScript schema.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/sqlite-schema.ts',
  out: './drizzle',
});
