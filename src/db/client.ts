// The only module that touches the better-sqlite3 API (ARCHITECTURE: scale-out door).
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'drizzle-orm/logger';
import { packagePath } from '../paths.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/**
 * The handle a service writes through inside `inTransaction`. On SQLite it is the writer connection's
 * handle, reached only through `inTransaction` (one transaction at a time, see there).
 */
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
  /** The handle requests read through (on SQLite the reader connection; writes go through `inTransaction`). */
  db: Db;
  close(): void;
  /** The bytes of the whole database (tests copy a migrated template this way). */
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
/** The transaction the current async call chain is inside, if any (a nested `inTransaction` joins it). */
const currentTransaction = new AsyncLocalStorage<{ connections: SqliteConnections; tx: Tx }>();

function configure(connection: Database.Database): void {
  // WAL lets readers proceed during a write; NORMAL sync is durable across application crashes and
  // loses at most the last transactions on a power cut — the usual trade-off for WAL.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
}

export function openDatabase({ source, logger }: OpenOptions): Database_ {
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
    close: () => {
      reader.close();
      writer.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
    serialize: () => writer.serialize(),
  };
}

function sqliteConnections(db: Db): SqliteConnections {
  const connections = connectionsOf.get(db);
  if (!connections) throw new Error('a database handle not opened by openDatabase');
  return connections;
}

/**
 * Applies pending drizzle-kit migrations. Foreign keys are switched off on the connection first:
 * a table rebuild's own `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction, and
 * `DROP TABLE` would otherwise cascade into child tables. Integrity is checked before they go back on.
 */
export function migrateDatabase(handle: Database_): void {
  const db = sqliteConnections(handle.db).writerDb;
  // Issue 11 (startup): nothing to apply, nothing to check — the whole-database foreign-key check
  // grows with the data (70 ms at 20,000 users) and only a migration can have broken a key.
  if (!migrationPending(db)) return;
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

/** Whether a shipped migration is newer than the newest applied one (drizzle's own bookkeeping). */
export function migrationPending(db: Db): boolean {
  const newest = newestShippedMigration(MIGRATIONS_FOLDER);
  try {
    const applied = db.get<{ last: number | null }>(sql`select max(created_at) as last from __drizzle_migrations`);
    return (applied?.last ?? 0) < newest;
  } catch {
    return true; // no bookkeeping table yet: a new database
  }
}

const shipped = new Map<string, { idx: number; tag: string; when: number }[]>();

/** The migrations of this build in a drizzle-kit folder, read once per process (/ready asks on every probe). */
function shippedMigrations(folder: string): { idx: number; tag: string; when: number }[] {
  let entries = shipped.get(folder);
  if (!entries) {
    entries = (
      JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
        entries: { idx: number; tag: string; when: number }[];
      }
    ).entries;
    shipped.set(folder, entries);
  }
  return entries;
}

/** The newest migration of a folder by time, as drizzle's migrators compare them (whatever the journal's order). */
export function newestShippedMigration(folder: string): number {
  return Math.max(0, ...shippedMigrations(folder).map((m) => m.when));
}

/** The tag of the newest migration shipped with this build (reported by /health and /ready). */
export function schemaVersion(): string {
  return shippedMigrations(MIGRATIONS_FOLDER).at(-1)?.tag ?? 'none';
}

/**
 * Every mutation runs in exactly one of these: `work` gets the transaction's handle and awaits its
 * statements; a throw rolls everything back. On SQLite the writer connection runs one transaction at a
 * time (the lock), and IMMEDIATE takes the database's write lock up front, so two writers — in this
 * process or another — cannot both read-then-write stale state. A call from inside a transaction joins it.
 *
 * Not Drizzle's `db.transaction`: on better-sqlite3 it refuses an async callback, and it builds a
 * transaction object with a query builder for every table (3 % of a sign-in's CPU, issue 11).
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const active = currentTransaction.getStore();
  if (active && (active.tx === db || connectionsOf.get(db) === active.connections)) return work(active.tx);
  const connections = sqliteConnections(db);
  return connections.lock.runExclusive(() =>
    currentTransaction.run({ connections, tx: connections.writerDb }, async () => {
      const { writer } = connections;
      writer.exec('BEGIN IMMEDIATE');
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
 * Runs `work` on the writer outside a transaction, holding the lock — maintenance that cannot run in
 * a transaction (VACUUM, `PRAGMA foreign_keys`) or that tests use to break the database on purpose.
 * Inside a transaction it runs there.
 */
export async function onWriter<T>(db: Db, work: (writer: Db) => T | Promise<T>): Promise<T> {
  const active = currentTransaction.getStore();
  if (active && (active.tx === db || connectionsOf.get(db) === active.connections)) return work(active.tx);
  const connections = sqliteConnections(db);
  return connections.lock.runExclusive(async () => work(connections.writerDb));
}

/** A trivial query through Drizzle (`/ready`): throws when the database cannot answer. */
export function pingDatabase(db: Db): void {
  db.get(sql`select 1`);
}
