// The only module that touches the better-sqlite3 API (ARCHITECTURE: scale-out door).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'drizzle-orm/logger';
import { packagePath } from '../paths.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/**
 * The handle a service writes through inside `inTransaction`: the database itself — one synchronous
 * connection, so every statement between BEGIN and COMMIT is the transaction's (see inTransaction).
 */
export type Tx = Db;
/** Reads accept either the database or an open transaction (the same handle on SQLite). */
export type Reader = Db | Tx;

export const MIGRATIONS_FOLDER = packagePath('drizzle');

export interface OpenOptions {
  /** A file path, `:memory:`, or the bytes of a serialized database (tests). */
  source: string | Buffer;
  logger?: Logger;
}

export interface Database_ {
  db: Db;
  close(): void;
  /** The bytes of the whole database (tests copy a migrated template this way). */
  serialize(): Buffer;
}

/** better-sqlite3's transaction function of each database's connection (built once by openDatabase). */
const transactionOf = new WeakMap<Db, { immediate: (work: () => unknown) => unknown }>();

export function openDatabase({ source, logger }: OpenOptions): Database_ {
  const sqlite = new Database(source);
  // WAL lets readers proceed during a write; NORMAL sync is durable across application crashes and
  // loses at most the last transactions on a power cut — the usual trade-off for WAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema, logger });
  transactionOf.set(
    db,
    sqlite.transaction((run: () => unknown) => run()),
  );
  return { db, close: () => sqlite.close(), serialize: () => sqlite.serialize() };
}

/**
 * Applies pending drizzle-kit migrations. Foreign keys are switched off on the connection first:
 * a table rebuild's own `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction, and
 * `DROP TABLE` would otherwise cascade into child tables. Integrity is checked before they go back on.
 */
export function migrateDatabase(handle: Database_): void {
  const { db } = handle;
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
 * Every mutation runs in exactly one of these. better-sqlite3 is synchronous: `work` must not be
 * async (better-sqlite3 refuses a callback that returns a promise). IMMEDIATE takes the write lock up
 * front so two writers cannot both read-then-write stale state; a throw rolls everything back.
 *
 * It is better-sqlite3's own `transaction().immediate`, with the database itself as `tx`: Drizzle's
 * `db.transaction` does the same BEGIN IMMEDIATE … COMMIT but first builds a transaction object with a
 * query builder for every table — 3 % of a sign-in's CPU (issue 11). Nothing here needs that object
 * (no `tx.rollback()`: a use case throws instead).
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => T): T {
  const transaction = transactionOf.get(db);
  if (!transaction) throw new Error('inTransaction: a database not opened by openDatabase');
  return transaction.immediate(() => work(db)) as T;
}

/** A trivial query through Drizzle (`/ready`): throws when the database cannot answer. */
export function pingDatabase(db: Db): void {
  db.get(sql`select 1`);
}
