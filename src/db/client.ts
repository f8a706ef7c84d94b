// Opening a database and running transactions on it, for both dialects (issue 13): the embedded SQLite
// default (better-sqlite3; the only module that touches its API) and PostgreSQL (src/db/postgres.ts).
// Services see one `Db` type — Drizzle's SQLite database, whose query builders have the same shape on
// PostgreSQL — and never a driver: they await builders (src/db/query.ts), run prepared statements
// (src/db/prepared.ts) and write inside `inTransaction`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'drizzle-orm/logger';
import { ServiceBusy } from '../errors.js';
import { packagePath } from '../paths.js';
import { useDialect } from './dialect.js';
import { newestShippedMigration, shippedMigrations } from './journal.js';
import {
  migratePostgres,
  openPostgresDatabase,
  postgresMigrationPending,
  postgresOf,
  postgresTransaction,
  STARTUP_LOCK_KEY,
  withAdvisoryLock,
} from './postgres.js';
import * as schema from './sqlite-schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/** The handle a service writes through inside `inTransaction` (the same type as the database's). */
export type Tx = Db;
/** Reads accept either the database or an open transaction. */
export type Reader = Db | Tx;

export const MIGRATIONS_FOLDER = packagePath('drizzle');

export interface OpenOptions {
  /** A file path, `:memory:`, or the bytes of a serialized database (tests). */
  source: string | Buffer;
  logger?: Logger;
}

export interface Database_ {
  /** The handle requests read through (writes go through `inTransaction`). */
  db: Db;
  close(): Promise<void>;
  /** The bytes of the whole database (SQLite only: tests copy a migrated template this way). */
  serialize(): Buffer;
}

/**
 * An SQLite database is two connections to one file: a reader, which every read outside a transaction
 * uses and which sees committed data only (WAL), and a writer, which only `inTransaction` uses, one
 * transaction at a time behind an in-process lock. A transaction's body is async — it awaits its
 * statements — so without the lock another request's statements could run inside it across an `await`,
 * and without the second connection a read could see a transaction's uncommitted writes.
 */
interface SqliteConnections {
  reader: Database.Database;
  writer: Database.Database;
  writerDb: Db;
  /** One transaction at a time on the writer (async-mutex: a FIFO lock for async work). */
  lock: Mutex;
}

const connectionsOf = new WeakMap<Db, SqliteConnections>();

/**
 * The transaction the current async call chain is inside, if any, by the database it belongs to (the
 * SQLite connections or the PostgreSQL pool): a nested `inTransaction` on the same database joins it.
 */
const currentTransaction = new AsyncLocalStorage<{ database: object; tx: Tx }>();

/** The database a handle belongs to (its reader, its writer or a transaction of it). */
function databaseOf(db: Db): object | undefined {
  return connectionsOf.get(db) ?? postgresOf(db);
}

/** The open transaction on `db`'s database in this call chain, if any. */
function joinable(db: Db): Tx | undefined {
  const active = currentTransaction.getStore();
  if (!active) return undefined;
  return active.tx === db || databaseOf(db) === active.database ? active.tx : undefined;
}

function configure(connection: Database.Database): void {
  // WAL lets readers proceed during a write; NORMAL sync is durable across application crashes and
  // loses at most the last transactions on a power cut — the usual trade-off for WAL.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
}

/** Opens an SQLite database (the embedded default). */
export function openDatabase({ source, logger }: OpenOptions): Database_ {
  useDialect('sqlite');
  // Two connections need a file: `:memory:` and serialized bytes (tests) live in a temporary one,
  // removed on close.
  let file: string;
  let temporary: string | null = null;
  if (typeof source === 'string' && source !== ':memory:') {
    file = source;
  } else {
    temporary = mkdtempSync(join(tmpdir(), 'threshold-'));
    file = join(temporary, 'threshold.sqlite');
    if (typeof source !== 'string') writeFileSync(file, source);
  }
  const writer = new Database(file);
  configure(writer);
  const reader = new Database(file);
  configure(reader);
  // Every write is a transaction through the writer; a write on the reader is a bug, refused here.
  reader.pragma('query_only = ON');
  const db = drizzle(reader, { schema, logger });
  const writerDb = drizzle(writer, { schema, logger });
  connectionsOf.set(db, { reader, writer, writerDb, lock: new Mutex() });
  return {
    db,
    close: async () => {
      if (!reader.open) return;
      reader.close();
      writer.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
    serialize: () => writer.serialize(),
  };
}

export interface DatabaseConfig {
  /** `postgres://…` (THRESHOLD_DATABASE_URL); null: SQLite at `databasePath`. */
  databaseUrl: string | null;
  databasePath: string;
  /** PostgreSQL connections per instance (THRESHOLD_DATABASE_POOL_SIZE). */
  databasePoolSize: number;
}

/** Opens the configured database — PostgreSQL when a URL is set, else SQLite — and migrates it. */
export async function openConfiguredDatabase(config: DatabaseConfig, logger?: Logger): Promise<Database_> {
  const database = config.databaseUrl
    ? openPostgresDatabase(config.databaseUrl, { max: config.databasePoolSize, ...(logger ? { logger } : {}) })
    : openDatabase({ source: config.databasePath, ...(logger ? { logger } : {}) });
  await migrateDatabase(database);
  return database;
}

function sqliteConnections(db: Db): SqliteConnections {
  const connections = connectionsOf.get(db);
  if (!connections) throw new Error('a database handle not opened by openDatabase or openPostgresDatabase');
  return connections;
}

/**
 * Applies pending drizzle-kit migrations of the database's dialect. On PostgreSQL under an advisory
 * lock (instances starting together migrate once). On SQLite foreign keys are switched off on the
 * connection first: a table rebuild's own `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's
 * transaction, and `DROP TABLE` would otherwise cascade into child tables. Integrity is checked before
 * they go back on.
 */
export async function migrateDatabase(handle: Database_): Promise<void> {
  const pool = postgresOf(handle.db);
  if (pool) return migratePostgres(pool);
  const db = sqliteConnections(handle.db).writerDb;
  // Issue 11 (startup): nothing to apply, nothing to check — the whole-database foreign-key check
  // grows with the data (70 ms at 20,000 users) and only a migration can have broken a key.
  if (!sqliteMigrationPending(db)) return;
  db.run('PRAGMA foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    const violations = db.all<{ table: string }>('PRAGMA foreign_key_check');
    if (violations.length > 0) {
      throw new Error(`migration left ${violations.length} foreign-key violation(s), first in ${violations[0]?.table}`);
    }
  } finally {
    db.run('PRAGMA foreign_keys = ON');
  }
}

function sqliteMigrationPending(db: Db): boolean {
  const newest = newestShippedMigration(MIGRATIONS_FOLDER);
  try {
    const applied = db.get<{ last: number | null }>(sql`select max(created_at) as last from __drizzle_migrations`);
    return (applied?.last ?? 0) < newest;
  } catch {
    return true; // no bookkeeping table yet: a new database
  }
}

/** Whether a shipped migration is newer than the newest applied one (drizzle's own bookkeeping). */
export async function migrationPending(db: Db): Promise<boolean> {
  const pool = postgresOf(db);
  if (pool) return postgresMigrationPending(pool);
  return sqliteMigrationPending(db);
}

/** The tag of the newest migration shipped with this build for SQLite (reported by /health and /ready). */
export function schemaVersion(): string {
  return shippedMigrations(MIGRATIONS_FOLDER).at(-1)?.tag ?? 'none';
}

/**
 * Every mutation runs in exactly one of these: `work` gets the transaction's handle and awaits its
 * statements; a throw rolls everything back. A call from inside a transaction on the same database joins
 * it. When the database stays too busy to write (another process holding SQLite's write lock past its
 * busy timeout; PostgreSQL serialization failures past the retries), nothing is written and the caller
 * gets SERVICE_BUSY, never the driver's error.
 *
 * SQLite: the writer connection runs one transaction at a time (the lock), and IMMEDIATE takes the
 * database's write lock up front, so two writers — in this process or another — cannot both
 * read-then-write stale state. Not Drizzle's `db.transaction`: on better-sqlite3 it refuses an async
 * callback, and it builds a transaction object with a query builder for every table (3 % of a
 * sign-in's CPU, issue 11).
 *
 * PostgreSQL: SERIALIZABLE, retried (src/db/postgres.ts), so every invariant a use case checks before
 * it writes holds against concurrent transactions on any instance.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const joined = joinable(db);
  if (joined) return work(joined);
  const pool = postgresOf(db);
  if (pool) {
    return postgresTransaction(db, (tx) => currentTransaction.run({ database: pool, tx }, () => work(tx)));
  }
  const connections = sqliteConnections(db);
  return connections.lock.runExclusive(() =>
    currentTransaction.run({ database: connections, tx: connections.writerDb }, async () => {
      const { writer } = connections;
      try {
        writer.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new ServiceBusy();
        throw error;
      }
      try {
        const result = await work(connections.writerDb);
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    }),
  );
}

/**
 * Runs `work` with a handle that may write, outside a transaction — maintenance that cannot run in a
 * transaction (VACUUM, `PRAGMA foreign_keys`), or tests breaking the database on purpose. On SQLite the
 * writer, holding the lock; on PostgreSQL the pool. Inside a transaction it runs there.
 */
export async function onWriter<T>(db: Db, work: (writer: Db) => T | Promise<T>): Promise<T> {
  const joined = joinable(db);
  if (joined) return work(joined);
  if (postgresOf(db)) return work(db);
  const connections = sqliteConnections(db);
  // In the transaction context too, so that what `work` calls joins the writer instead of waiting for it.
  return connections.lock.runExclusive(() =>
    currentTransaction.run({ database: connections, tx: connections.writerDb }, async () => work(connections.writerDb)),
  );
}

/**
 * Runs a start's set-up of the database (the demo world on a new one) one instance at a time: on
 * PostgreSQL under an advisory lock; SQLite has one process's server per file by design.
 */
export async function duringStartup<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const pool = postgresOf(db);
  return pool ? withAdvisoryLock(pool, STARTUP_LOCK_KEY, work) : work();
}

/** A trivial query (`/ready`): rejects when the database cannot answer. */
export async function pingDatabase(db: Db): Promise<void> {
  const pool = postgresOf(db);
  if (pool) {
    await pool.query('select 1');
    return;
  }
  db.get(sql`select 1`);
}
