// Dialect-neutral reads and writes (issue 13). Services never call a driver's own `.get()`, `.all()` or
// `.run()` (better-sqlite3 only): they `await` a query builder (Drizzle's builders are thenable on both
// drivers) or use these.
import { type SQL, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { onWriter, type Reader } from './client.js';
import { postgresOf } from './postgres.js';

/** The first row of a query, or undefined — what better-sqlite3's `.get()` answers, on any dialect. */
export async function one<T>(query: PromiseLike<T[]>): Promise<T | undefined> {
  return (await query)[0];
}

/** A raw statement's rows (migrations, maintenance and tests; services use the query builder). */
export async function rawAll<T = unknown>(db: Reader, query: SQL | string): Promise<T[]> {
  if (postgresOf(db)) {
    const statement = typeof query === 'string' ? sql.raw(query) : query;
    return (await (db as unknown as NodePgDatabase).execute(statement)).rows as T[];
  }
  return db.all<T>(query);
}

/** A raw statement's first row. */
export async function rawGet<T = unknown>(db: Reader, query: SQL | string): Promise<T | undefined> {
  return (await rawAll<T>(db, query))[0];
}

/** A raw statement run for its effect, on the writer (maintenance and tests; see `onWriter`). */
export async function rawRun(db: Reader, query: SQL | string): Promise<void> {
  await onWriter(db, async (writer) => {
    if (postgresOf(writer)) await rawAll(writer, query);
    else writer.run(query);
  });
}

/**
 * The row a write returned (`insert … returning`, or an update of a row known to exist): what
 * better-sqlite3's `.get()` typed as present. A missing row is a bug, thrown as such.
 */
export async function only<T>(query: PromiseLike<T[]>): Promise<T> {
  const row = (await query)[0];
  if (row === undefined) throw new Error('a write returned no row');
  return row;
}

/**
 * SQLite binds at most 32,766 parameters, and an `in (…)` list binds one per value: a set of any size is
 * read `IN_CHUNK` values at a time (a fixed number of statements per chunk), duplicates removed.
 */
export const IN_CHUNK = 5_000;

export async function readIn<T>(values: Iterable<string>, read: (some: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await read(unique.slice(i, i + IN_CHUNK))));
  return out;
}
