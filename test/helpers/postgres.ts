// Issue 13: the suites that also run on PostgreSQL, when THRESHOLD_TEST_DATABASE_URL names a server
// (`.ci/run` starts a throwaway one with `.ci/postgres`). Each caller gets a database of its own on
// that server, dropped by `drop()`, so test files never see each other's tables. (A database, not a
// schema: drizzle-kit's migrations name the "public" schema in every foreign key.)
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.THRESHOLD_TEST_DATABASE_URL;

export interface TestDatabase {
  /** The URL of this database. */
  url: string;
  name: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function freshDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) throw new Error('THRESHOLD_TEST_DATABASE_URL is not set');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await onServer(`create database "${name}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    name,
    pool,
    async drop() {
      await pool.end();
      await onServer(`drop database "${name}" with (force)`);
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Worlds on PostgreSQL (`npm run test:postgres` runs the API suites with THRESHOLD_TEST_DIALECT set):
// each world gets a database of its own, copied from one migrated template per test file, and every
// database a file made is dropped after it.

/** Whether this run's worlds live on PostgreSQL (the API suites under `npm run test:postgres`). */
export const WORLDS_ON_POSTGRES = process.env.THRESHOLD_TEST_DIALECT === 'postgresql';

const made: string[] = [];
let template: Promise<string> | undefined;

function urlOf(name: string): string {
  if (!TEST_DATABASE_URL) throw new Error('THRESHOLD_TEST_DATABASE_URL is not set');
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated, empty database to copy worlds from (once per test file). */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const { migratePostgres, openPostgres } = await import('../../src/db/postgres.js');
    const name = `tpl_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    await onServer(`create database "${name}"`);
    made.push(name);
    const pool = openPostgres(urlOf(name), { max: 1 });
    try {
      await migratePostgres(pool);
    } finally {
      await pool.end();
    }
    return name;
  })();
  return template;
}

/**
 * A new database for a world: a copy of `from` (another world's database, see `snapshotDatabase`) or
 * of the migrated template. Answers its URL and name.
 */
export async function worldDatabase(from?: string): Promise<{ url: string; name: string }> {
  const source = from ?? (await migratedTemplate());
  const name = `w_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await onServer(`create database "${name}" template "${source}"`);
      break;
    } catch (error) {
      // 55006: the source is still being accessed (a terminated connection not yet gone): wait, again.
      if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
      await onServer(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${source}'`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  made.push(name);
  return { url: urlOf(name), name };
}

/**
 * A copy of a world's database as it is now, to start other worlds from. PostgreSQL copies a database
 * only while nobody is connected to it: the world's idle connections are closed first (its pool opens
 * new ones on its next query).
 */
export async function snapshotDatabase(name: string): Promise<string> {
  await onServer(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);
  return (await worldDatabase(name)).name;
}

/** Drops one world's database (its pool closed first). */
export async function dropWorldDatabase(name: string): Promise<void> {
  const at = made.indexOf(name);
  if (at >= 0) made.splice(at, 1);
  await onServer(`drop database if exists "${name}" with (force)`);
}

/** Drops every database this file made (the worlds' pools are closed first). */
export async function dropWorldDatabases(): Promise<void> {
  for (const name of made.splice(0)) await onServer(`drop database if exists "${name}" with (force)`);
  template = undefined;
}
