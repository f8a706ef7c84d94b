// Issue 13: PostgreSQL — a connection pool and the migrations of drizzle/postgresql/, applied under an
// advisory lock so that instances starting together migrate once: the first takes the lock and
// migrates, the others wait for it and then find nothing left to apply.
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { packagePath } from '../paths.js';
import { newestShippedMigration } from './client.js';

export const POSTGRES_MIGRATIONS_FOLDER = packagePath('drizzle', 'postgresql');

/** The session-level advisory lock every instance takes to migrate (any fixed 64-bit key). */
export const MIGRATION_LOCK_KEY = '32765938070219876'; // the bytes of "thrshld"

export interface PostgresOptions {
  /** Connections per instance (THRESHOLD_DATABASE_POOL_SIZE; pg's default is 10). */
  max?: number;
}

export function openPostgres(url: string, options: PostgresOptions = {}): pg.Pool {
  return new pg.Pool({ connectionString: url, ...(options.max ? { max: options.max } : {}) });
}

/** Applies pending migrations; concurrent callers on any instance wait for one another. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: POSTGRES_MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Whether a shipped migration is newer than the newest applied one (drizzle's own bookkeeping). */
export async function postgresMigrationPending(pool: pg.Pool): Promise<boolean> {
  const newest = newestShippedMigration(POSTGRES_MIGRATIONS_FOLDER);
  const table = await pool.query<{ present: boolean }>(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table.rows[0]?.present) return true; // a new database
  const applied = await pool.query<{ last: string | null }>(
    'select max(created_at) as last from drizzle.__drizzle_migrations',
  );
  return Number(applied.rows[0]?.last ?? 0) < newest;
}
