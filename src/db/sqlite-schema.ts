// The model as SQLite tables: every area's tables, the one description of the model (drizzle-kit reads
// this for SQLite; src/db/postgres-schema.ts derives the PostgreSQL tables from it). Services import the
// tables through src/db/schema.ts, which answers each dialect's own.
export * from '../access/tables.js';
export * from '../audit/tables.js';
export * from '../data-sources/tables.js';
export * from '../deliverables/tables.js';
export * from '../identity/tables.js';
export * from '../licensing/tables.js';
export * from '../organizations/tables.js';
export * from '../projects/tables.js';
