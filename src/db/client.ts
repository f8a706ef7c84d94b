// The only module that touches the better-sqlite3 API (ARCHITECTURE: scale-out door).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Logger } from 'drizzle-orm/logger';
import { registerTransaction } from './prepared.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/** The handle a service writes through inside `inTransaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Reads accept either the database or an open transaction. */
export type Reader = Db | Tx;

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

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

export function openDatabase({ source, logger }: OpenOptions): Database_ {
  const sqlite = new Database(source);
  // WAL lets readers proceed during a write; NORMAL sync is durable across application crashes and
  // loses at most the last transactions on a power cut — the usual trade-off for WAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema, logger });
  return { db, close: () => sqlite.close(), serialize: () => sqlite.serialize() };
}

/**
 * Applies pending drizzle-kit migrations. Foreign keys are switched off on the connection first:
 * a table rebuild's own `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction, and
 * `DROP TABLE` would otherwise cascade into child tables. Integrity is checked before they go back on.
 */
export function migrateDatabase(handle: Database_): void {
  const { db } = handle;
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

/** The tag of the newest migration shipped with this build (reported by /health). */
export function schemaVersion(): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const last = journal.entries.at(-1);
  return last ? last.tag : 'none';
}

/**
 * Every mutation runs in exactly one of these. better-sqlite3 is synchronous: `work` must not be
 * async (an async callback would commit before its awaits). IMMEDIATE takes the write lock up front
 * so two writers cannot both read-then-write stale state.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => T): T {
  return db.transaction(
    (tx) => {
      // Prepared statements (prepared.ts) are the database's; this lets them be found from `tx`.
      registerTransaction(tx, db);
      return work(tx);
    },
    { behavior: 'immediate' },
  );
}

/** A trivial query through Drizzle (`/health`): throws when the database cannot answer. */
export function pingDatabase(db: Db): void {
  db.get(sql`select 1`);
}
