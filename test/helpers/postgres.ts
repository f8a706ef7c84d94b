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
