// Batch loads behind the dataloader plugin's per-request DataLoaders: one SQL statement per batch of
// keys. Results need not be ordered: loadable types pass `sort` so the plugin maps rows back to keys.
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accountDomains, accounts, associations, entitlements, type ImsRole, imsRoles, users } from '../db/schema.js';

/** SQLite binds at most 32,766 parameters per statement; DataLoader splits larger batches. */
export const loaderOptions = { maxBatchSize: 5000 };

export const loadUsers = (db: Db, ids: readonly string[]) =>
  db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]))
    .all();

export const loadAccounts = (db: Db, ids: readonly string[]) =>
  db
    .select()
    .from(accounts)
    .where(inArray(accounts.id, [...ids]))
    .all();

export const loadAssociations = (db: Db, ids: readonly string[]) =>
  db
    .select()
    .from(associations)
    .where(inArray(associations.id, [...ids]))
    .all();

export const loadEntitlements = (db: Db, ids: readonly string[]) =>
  db
    .select()
    .from(entitlements)
    .where(inArray(entitlements.id, [...ids]))
    .all();

/** Groups rows by a key, answering one (possibly empty) list per requested key, in key order. */
function groupBy<R, V>(
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
