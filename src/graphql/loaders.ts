// Batch loads behind the dataloader plugin's per-request DataLoaders: one SQL statement per batch of
// keys. Results need not be ordered: loadable types pass `sort` so the plugin maps rows back to keys.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { InferSelectModel } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import { idList, inIdList, statements } from '../db/prepared.js';
import type { Context } from './context.js';
import { markSiblings, type SiblingLoader, siblingLoader } from './siblings.js';

/** Batches of at most this many keys (one statement each). */
export const loaderOptions = { maxBatchSize: 5000 };

/** A table whose rows are addressed by a text `id` (every loadable node's table). */
type TableWithId = SQLiteTable & { id: SQLiteColumn };

/**
 * The rows with these ids, one statement (prepared once per database), marked as siblings. The cast is
 * only because Drizzle cannot infer a select's row type through a generic table parameter.
 */
export function rowsByIds<T extends TableWithId>(
  table: T,
): (db: Db, ids: readonly string[]) => Promise<InferSelectModel<T>[]> {
  const byIds = statements((db) => ({
    rows: db
      .select()
      .from(table as SQLiteTable)
      .where(inIdList(table.id, 'ids')),
  }));
  return async (db, ids) => {
    const rows = (await byIds(db).rows.all({ ids: idList(ids) })) as InferSelectModel<T>[];
    markSiblings(rows, 'batch');
    return rows;
  };
}

/** The `load` of a loadable node: the rows with these ids, one statement per batch. */
export function loadByIds<T extends TableWithId>(
  table: T,
): (ids: string[], ctx: Context) => Promise<InferSelectModel<T>[]> {
  const read = rowsByIds(table);
  return async (ids, ctx) => read(ctx.db, ids);
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
  fetch: (db: Db, keys: string[]) => Promise<readonly R[]>,
  keyOf: (row: R) => string,
  toValue: (row: R) => V,
) {
  return createContextCache(
    (ctx: Context) =>
      new DataLoader<string, V[]>(async (keys) => {
        const lists = groupBy(keys, await fetch(ctx.db, [...keys]), keyOf, toValue);
        markSiblings(lists.flat(), 'batch');
        return lists;
      }, loaderOptions),
  );
}

/**
 * The sibling-batched twin of `groupedLoader` (siblings.ts): a row's list — `fetch` reads the lists of the
 * row and of its siblings in one statement — with the rows of that batch marked as siblings in turn.
 */
export function groupedSiblingLoader<P extends object, R, V>(
  key: (row: P) => string | null,
  fetch: (db: Db, keys: string[]) => Promise<readonly R[]>,
  keyOf: (row: R) => string,
  toValue: (row: R) => V,
): SiblingLoader<P, string, V[]> {
  return siblingLoader<P, string, V[]>({
    key,
    fetch: async (db, keys) => {
      const lists = groupBy(keys, await fetch(db, keys), keyOf, toValue);
      markSiblings(lists.flat(), 'batch');
      return keys.map((k, i) => [k, lists[i] ?? []] as const);
    },
    none: () => [],
  });
}
