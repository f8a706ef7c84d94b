// Issue 13: PostgreSQL — a connection pool per instance, the migrations of drizzle/postgresql/ applied
// under an advisory lock (instances starting together migrate once: the first takes the lock and
// migrates, the others wait for it and then find nothing left to apply), and transactions.
import type { Logger } from 'drizzle-orm/logger';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { ServiceBusy } from '../errors.js';
import { packagePath } from '../paths.js';
import type { Database_, Db, Tx } from './client.js';
import { useDialect } from './dialect.js';
import { newestShippedMigration } from './journal.js';

export const POSTGRES_MIGRATIONS_FOLDER = packagePath('drizzle', 'postgresql');

/** The session-level advisory lock every instance takes to migrate (any fixed 64-bit key). */
export const MIGRATION_LOCK_KEY = '32765938070219876'; // the bytes of "thrshld"

export interface PostgresOptions {
  /** Connections per instance (THRESHOLD_DATABASE_POOL_SIZE; pg's default is 10). */
  max?: number;
  /** How long an unused connection stays open (pg's default: 10 s). */
  idleTimeoutMillis?: number;
  logger?: Logger;
}

export function openPostgres(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    ...(options.max ? { max: options.max } : {}),
    ...(options.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}),
  });
  // A connection that breaks while idle (a server restart, a failover) is dropped by the pool, which
  // reports it here; without a listener Node would end the process. The next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** An open database: its pool, and a handle per pooled connection for the transactions run on it. */
interface PostgresDatabase {
  pool: pg.Pool;
  logger: Logger | undefined;
  /**
   * One Drizzle handle per connection, kept as long as the connection: statement sets are prepared per
   * handle (src/db/prepared.ts) and a connection keeps its named prepared statements, so a transaction
   * on a connection that served one before builds no SQL at all. (A handle per transaction rebuilt every
   * set each time: about a tenth of a sign-in's CPU.)
   */
  handles: WeakMap<pg.PoolClient, Tx>;
}

/** The database behind each PostgreSQL handle (the pool's and each connection's). */
const databases = new WeakMap<object, PostgresDatabase>();

/** The pool a handle belongs to, or undefined for an SQLite handle. */
export function postgresOf(db: Db): pg.Pool | undefined {
  return databases.get(db)?.pool;
}

/** Opens a PostgreSQL database: `db` reads through the pool; `inTransaction` takes a connection of it. */
export function openPostgresDatabase(url: string, options: PostgresOptions = {}): Database_ {
  useDialect('postgresql');
  const pool = openPostgres(url, options);
  const db = drizzle(pool, options.logger ? { logger: options.logger } : {}) as unknown as Db;
  databases.set(db, { pool, logger: options.logger, handles: new WeakMap() });
  let closed: Promise<void> | undefined;
  return {
    db,
    close: () => {
      closed ??= pool.end();
      return closed;
    },
    serialize: () => {
      throw new Error('serialize: an SQLite database only');
    },
  };
}

/** The advisory lock instances take while they set up a new database (demo world, signing key). */
export const STARTUP_LOCK_KEY = '32765938070219877';

/**
 * Runs `work` holding a session advisory lock: instances starting together on a new database take
 * turns, so the first loads the demo world and the others find it loaded.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
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

/** Attempts of one transaction before SERVICE_BUSY (each after a short, growing, jittered pause). */
export const TRANSACTION_ATTEMPTS = 8;

/**
 * Errors after which the whole transaction may simply run again: a serialization failure (40001), a
 * deadlock (40P01), and a unique violation (23505) — which SERIALIZABLE reports instead of 40001 when a
 * concurrent transaction inserted the same key unseen; run again, the use case sees that row and answers
 * its own typed error (e.g. PROFILE_EXISTS).
 */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

function sqlState(error: unknown): string | undefined {
  // Drizzle wraps a driver's error (DrizzleQueryError) with the original as its cause.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One transaction at SERIALIZABLE: PostgreSQL then guarantees that committed transactions have the
 * effect of running one at a time, so every check-then-write of a use case (last account admin, last
 * project owner, one active checkout per key, add-only synchronization) holds across instances without a
 * lock per invariant. The price is that a transaction may be refused at any statement or at commit; it is
 * rolled back and run again from the start (use cases have no effect outside the database), up to
 * TRANSACTION_ATTEMPTS times.
 */
export async function postgresTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const database = databases.get(db);
  if (!database) throw new Error('postgresTransaction: not a PostgreSQL handle');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transactionOnce(database, work);
    } catch (error) {
      const state = sqlState(error);
      if (state === undefined || !RETRYABLE.has(state)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new ServiceBusy();
      await pause(Math.random() * 5 * 2 ** attempt);
    }
  }
}

/**
 * BEGIN … COMMIT on one pooled connection, through that connection's own handle. Not Drizzle's
 * `db.transaction`: it wraps each transaction in a new handle, so nothing prepared for one transaction
 * could serve the next.
 */
async function transactionOnce<T>(database: PostgresDatabase, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await database.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin isolation level serializable');
    try {
      const result = await work(connectionHandle(database, client));
      await client.query('commit');
      return result;
    } catch (error) {
      // After a failed COMMIT the transaction is already over; ROLLBACK then only warns. A connection that
      // cannot even roll back is broken: the pool drops it instead of lending it again.
      await client.query('rollback').catch((failure: Error) => {
        broken = failure;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

function connectionHandle(database: PostgresDatabase, client: pg.PoolClient): Tx {
  let handle = database.handles.get(client);
  if (handle === undefined) {
    handle = drizzle(client, database.logger ? { logger: database.logger } : {}) as unknown as Tx;
    database.handles.set(client, handle);
    databases.set(handle, database);
  }
  return handle;
}
