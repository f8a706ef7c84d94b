// Hot statements built once per database (issue 11). Without this, Drizzle builds each query's SQL and
// better-sqlite3 compiles it again on every call — about half of a sign-in's CPU. A statement set is
// declared next to the code that uses it, with `sql.placeholder(...)` for its parameters, and built on
// first use for each database (tests open many); a transaction runs on the same handle (client.ts).
// Drizzle's `.prepare()` does the compiling; what it lacks is a per-database cache, which this is.
// Binding: Drizzle encodes a placeholder's value for its column in insert values, but binds it as given
// in conditions — there give what the driver stores (a timestamp's milliseconds, `at.getTime()`).
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db, Reader } from './client.js';

/**
 * `statements(build)` → `(reader) => the set built by build(db)`, built once per database. Keep the set
 * dialect-neutral in shape (Drizzle query builders and `sql` only): a PostgreSQL dialect will follow.
 */
export function statements<T>(build: (db: Db) => T): (reader: Reader) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let set = built.get(db);
    if (set === undefined) {
      set = build(db);
      built.set(db, set);
    }
    return set;
  };
}

/**
 * `column IN (the ids)` with the ids as one parameter — a JSON array — so the statement is the same for
 * any number of ids and can be prepared once (a plain `inArray` binds one parameter per id). Bind the
 * placeholder with `idList(ids)`.
 */
export function inIdList(column: SQLWrapper, placeholder: string): SQL {
  return sql`${column} in (select value from json_each(${sql.placeholder(placeholder)}))`;
}

export const idList = (ids: readonly (string | number)[]): string => JSON.stringify(ids);
