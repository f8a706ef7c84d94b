// Batch loads behind the dataloader plugin's per-request DataLoaders: one SQL statement per batch of
// keys. Results need not be ordered: loadable types pass `sort` so the plugin maps rows back to keys.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { asc, type InferSelectModel, inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import {
  accountDomains,
  accounts,
  associations,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  entitlements,
  type ImsRole,
  imsRoles,
  licenseCheckouts,
  licensingOwnerRequests,
  userLists,
  users,
  workAreas,
} from '../db/schema.js';
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

// Named per table: passed inline as `load: loadByIds(table)`, the generic call would defeat Pothos'
// inference of the node's shape.
export const loadAccounts = loadByIds(accounts);
export const loadUsers = loadByIds(users);
export const loadAssociations = loadByIds(associations);
export const loadEntitlements = loadByIds(entitlements);
export const loadDataSources = loadByIds(dataSources);
export const loadDataSourceUsers = loadByIds(dataSourceUsers);
export const loadGroups = loadByIds(dataSourceGroups);
export const loadUserLists = loadByIds(userLists);
export const loadWorkAreas = loadByIds(workAreas);
export const loadCheckouts = loadByIds(licenseCheckouts);
export const loadLicensingOwnerRequests = loadByIds(licensingOwnerRequests);

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

/** The IMS roles each user holds (only ever in their home account: ID-4). */
export function loadRolesByUser(db: Db, userIds: readonly string[]): ImsRole[][] {
  const rows = db
    .select({ userId: imsRoles.userId, role: imsRoles.role })
    .from(imsRoles)
    .where(inArray(imsRoles.userId, [...userIds]))
    .orderBy(asc(imsRoles.role))
    .all();
  return groupBy(
    userIds,
    rows,
    (r) => r.userId,
    (r) => r.role,
  );
}

/** Each account's email domains, alphabetically. */
export function loadDomainsByAccount(db: Db, accountIds: readonly string[]): string[][] {
  const rows = db
    .select()
    .from(accountDomains)
    .where(inArray(accountDomains.accountId, [...accountIds]))
    .orderBy(asc(accountDomains.domain))
    .all();
  return groupBy(
    accountIds,
    rows,
    (r) => r.accountId,
    (r) => r.domain,
  );
}
