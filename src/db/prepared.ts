// Hot statements built once per database handle (issue 11). Without this, Drizzle builds each query's SQL
// and the driver compiles it again on every call — about half of a sign-in's CPU. A statement set is
// declared next to the code that uses it as plain query builders with `sql.placeholder(...)` for their
// parameters; `statements` prepares each on first use for each handle (tests open many; the reader and
// the writer of one SQLite database are two) and answers dialect-neutral, awaitable `get`/`all`/`run`.
// Drizzle's `.prepare()` does the compiling; what it lacks is a per-handle cache, which this is.
// On PostgreSQL each statement is a named prepared statement (once per connection).
// Binding: Drizzle encodes a placeholder's value for its column in insert values, but binds it as given
// in conditions — there give what the driver stores: for a timestamp, `timeParam(at)`.
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db, Reader } from './client.js';
import { currentDialect, dialectSql } from './dialect.js';

type Params = Record<string, unknown>;

/** A prepared statement: its rows, its first row, or just its effect. */
export interface Statement<Row> {
  all(params?: Params): Promise<Row[]>;
  get(params?: Params): Promise<Row | undefined>;
  run(params?: Params): Promise<void>;
}

/** What a query builder resolves to, as one row (a select's row; an insert without RETURNING: never). */
type RowOf<Q> = Q extends PromiseLike<infer Result> ? (Result extends readonly (infer Row)[] ? Row : never) : never;

export type Statements<T> = { [K in keyof T]: Statement<RowOf<T[K]>> };

/** Drizzle's SQLite prepared query, as far as this module uses it. */
interface SqlitePrepared {
  all(params?: Params): unknown;
  get(params?: Params): unknown;
  run(params?: Params): unknown;
}

/** Drizzle's PostgreSQL prepared query: a select answers its rows, a write a driver result. */
interface PostgresPrepared {
  execute(params?: Params): Promise<unknown>;
}

/**
 * One query prepared for repeated use (e.g. a bulk insert); `statements` caches across calls. On
 * PostgreSQL a prepared statement has a name, prepared once per connection and kept by it: `name` must
 * be the same for the same SQL text every time, and distinct from every other statement's.
 */
export function prepareStatement<Row>(query: unknown, name: string): Statement<Row> {
  if (currentDialect() === 'postgresql') {
    const prepared = (query as { prepare(name: string): PostgresPrepared }).prepare(name);
    const rows = async (params?: Params) => {
      const result = await prepared.execute(params);
      return (Array.isArray(result) ? result : []) as Row[];
    };
    return {
      all: rows,
      get: async (params) => (await rows(params))[0],
      run: async (params) => {
        await prepared.execute(params);
      },
    };
  }
  const prepared = (query as { prepare(): SqlitePrepared }).prepare();
  return {
    all: async (params) => prepared.all(params) as Row[],
    get: async (params) => prepared.get(params) as Row | undefined,
    run: async (params) => {
      prepared.run(params);
    },
  };
}

let sets = 0;

/**
 * `statements(build)` → `(reader) => the set built by build(db)`, prepared once per handle. `build` gives
 * query builders (not `.prepare()`d) and uses Drizzle query builders and `sql` only: one set for both
 * dialects.
 */
export function statements<T extends Record<string, PromiseLike<unknown>>>(
  build: (db: Db) => T,
): (reader: Reader) => Statements<T> {
  const built = new WeakMap<Db, Statements<T>>();
  sets += 1;
  const setNumber = sets;
  return (db) => {
    let set = built.get(db);
    if (set === undefined) {
      const queries = build(db);
      set = Object.fromEntries(
        Object.entries(queries).map(([name, query]) => [
          name,
          prepareStatement(query, `threshold_${setNumber}_${name}`),
        ]),
      ) as Statements<T>;
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
  return sql`${dialectSql({
    sqlite: () => sql`${column} in (select value from json_each(${sql.placeholder(placeholder)}))`,
    // node-postgres binds a JavaScript array as a PostgreSQL array.
    postgresql: () => sql`${column} = any(${sql.placeholder(placeholder)})`,
  })}`;
}

/** A time bound to a placeholder in a condition: SQLite stores milliseconds, PostgreSQL a timestamp. */
export const timeParam = (at: Date): number | Date => (currentDialect() === 'postgresql' ? at : at.getTime());

/** The value of an `inIdList` placeholder: a JSON array on SQLite, an array on PostgreSQL. */
export const idList = (ids: readonly (string | number)[]): string | (string | number)[] =>
  currentDialect() === 'postgresql' ? [...ids] : JSON.stringify(ids);
