// Batch loads behind the dataloader plugin's per-request DataLoaders: one SQL statement per batch of
// keys. Results need not be ordered: loadable types pass `sort` so the plugin maps rows back to keys.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { type InferSelectModel, inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import type { Context } from './context.js';

/** SQLite binds at most 32,766 parameters per statement; DataLoader splits larger batches. */
export const loaderOptions = { maxBatchSize: 5000 };

/** A table whose rows are addressed by a text `id` (every loadable node's table). */
type TableWithId = SQLiteTable & { id: SQLiteColumn };

/**
 * The `load` of a loadable node: the rows with these ids, one statement per batch. The cast is only
 * because Drizzle cannot infer a select's row type through a generic table parameter.
 */
export function loadByIds<T extends TableWithId>(
  table: T,
): (ids: string[], ctx: Context) => Promise<InferSelectModel<T>[]> {
  return async (ids, ctx) =>
    ctx.db
      .select()
      .from(table as SQLiteTable)
      .where(inArray(table.id, ids))
      .all() as InferSelectModel<T>[];
}

/** Groups rows by a key, answering one (possibly empty) list per requested key, in key order. */
export function groupBy<R, V>(
  keys: readonly string[],
  rows: readonly R[],
  keyOf: (r: R) => string,
  value: (r: R) => V,
): V[][] {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(value(row));
    else map.set(k, [value(row)]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * A per-request loader of lists: `fetch` reads the rows for a whole batch of keys in one statement, and
 * each key gets its own rows (possibly none), grouped by `keyOf`, each mapped by `toValue`.
 */
export function groupedLoader<R, V>(
  fetch: (db: Db, keys: string[]) => readonly R[],
  keyOf: (row: R) => string,
  toValue: (row: R) => V,
) {
  return createContextCache(
    (ctx: Context) =>
      new DataLoader<string, V[]>(
        async (keys) => groupBy(keys, fetch(ctx.db, [...keys]), keyOf, toValue),
        loaderOptions,
      ),
  );
}
