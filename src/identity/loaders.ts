// The identity area's reads for GraphQL: what authz needs to know about users (associations,
// checkout issuers, data-source identities) and audit entries' accounts, batched per request; and the
// pages of an account's members, external users, entitlements and audit log.

import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { idList, inIdList, statements } from '../db/prepared.js';
import { one } from '../db/query.js';
import {
  type AccountRow,
  accountDomains,
  accounts,
  associations,
  auditEntries,
  auditEntryAccounts,
  dataSources,
  dataSourceUsers,
  entitlements,
  type ImsRole,
  imsRoles,
  insertionOrder,
  licenseCheckouts,
  type UserRow,
  users,
} from '../db/schema.js';
import { tablePage } from '../graphql/common.js';
import type { Context } from '../graphql/context.js';
import { groupBy, groupedLoader, loadByIds, rowsByIds } from '../graphql/loaders.js';
import { type Key, keysOf, type PageArgs, sortKeysSelection, sqlPage } from '../graphql/pagination.js';
import { siblingLoader } from '../graphql/siblings.js';

// The batched reads below run on every page of users or accounts: prepared once per database.
const hot = statements((db) => ({
  associationsOf: db
    .select({ row: associations, rowid: sql<number>`${insertionOrder(associations)}`.mapWith(Number) })
    .from(associations)
    .where(inIdList(associations.userId, 'ids'))
    .orderBy(asc(associations.createdAt), asc(insertionOrder(associations))),
  checkoutIssuersOf: db
    .selectDistinct({ email: licenseCheckouts.email, accountId: licenseCheckouts.accountId })
    .from(licenseCheckouts)
    .where(inIdList(licenseCheckouts.email, 'ids')),
  dataSourceOwnersOf: db
    .selectDistinct({ email: dataSourceUsers.identity, accountId: dataSources.ownerAccountId })
    .from(dataSourceUsers)
    .innerJoin(dataSources, eq(dataSources.id, dataSourceUsers.dataSourceId))
    .where(inIdList(dataSourceUsers.identity, 'ids')),
  auditEntryAccountsOf: db.select().from(auditEntryAccounts).where(inIdList(auditEntryAccounts.entryId, 'ids')),
  rolesOf: db
    .select({ userId: imsRoles.userId, role: imsRoles.role })
    .from(imsRoles)
    .where(inIdList(imsRoles.userId, 'ids'))
    .orderBy(asc(imsRoles.role)),
  domainsOf: db
    .select()
    .from(accountDomains)
    .where(inIdList(accountDomains.accountId, 'ids'))
    .orderBy(asc(accountDomains.domain)),
}));

// ---------------------------------------------------------------------------------------------
// Read rules (§9)

/** Each user's associations (ID-5), oldest first, batched per request. */
export const associationsByUser = groupedLoader(
  async (db, userIds) => await hot(db).associationsOf.all({ ids: idList(userIds) }),
  (r) => r.row.userId,
  (r) => ({ ...r.row, sortKey: [r.row.createdAt.getTime(), r.rowid] as Key[] }),
);

/** The accounts that issued a license checkout to each email (LIC-5), batched per request. */
export const checkoutIssuersByEmail = groupedLoader(
  async (db, emails) => await hot(db).checkoutIssuersOf.all({ ids: idList(emails) }),
  (r) => r.email,
  (r) => r.accountId,
);

/** The owner accounts of the data sources that have a user signing in as each email (DS-3). */
export const dataSourceOwnersByIdentity = groupedLoader(
  async (db, emails) => await hot(db).dataSourceOwnersOf.all({ ids: idList(emails) }),
  (r) => r.email ?? '',
  (r) => r.accountId,
);

/** The accounts in whose audit log each entry shows (§10), batched per request. */
export const accountsByAuditEntry = groupedLoader(
  async (db, entryIds) => await hot(db).auditEntryAccountsOf.all({ ids: idList(entryIds.map(Number)) }),
  (r) => String(r.entryId),
  (r) => r.accountId,
);

// ---------------------------------------------------------------------------------------------
// An account's lists (§9: read by its IMS admins), paged by keyset

/** ID-3: the account's members, by email. */
export const membersPage = async (db: Db, args: PageArgs, accountId: string) =>
  await tablePage(db, args, users, eq(users.homeAccountId, accountId), [{ key: users.email }]);

/** ID-5: the account's external users, oldest association first (the order LIC-1.4 bills them in). */
export const externalUsersPage = async (db: Db, args: PageArgs, accountId: string) =>
  await tablePage(db, args, associations, eq(associations.accountId, accountId), [
    { key: associations.createdAt },
    { key: insertionOrder(associations) },
  ]);

/** ID-6: the account's entitlements, by product code then country. */
export const entitlementsPage = async (db: Db, args: PageArgs, accountId: string) =>
  await tablePage(db, args, entitlements, eq(entitlements.accountId, accountId), [
    { key: entitlements.productCode },
    { key: entitlements.country },
  ]);

const newestFirst = [{ key: auditEntryAccounts.entryId, desc: true }];

/** §10: every entry that concerned the account, newest first. */
export async function auditLogPage(db: Db, args: PageArgs, accountId: string) {
  const mine = eq(auditEntryAccounts.accountId, accountId);
  return await sqlPage(args, newestFirst, {
    count: async () => (await one(db.select({ n: count() }).from(auditEntryAccounts).where(mine)))?.n ?? 0,
    fetch: async (seek, orderBy, limit) =>
      (
        await db
          .select({ entry: auditEntries, ...sortKeysSelection(newestFirst) })
          .from(auditEntryAccounts)
          .innerJoin(auditEntries, eq(auditEntries.id, auditEntryAccounts.entryId))
          .where(and(mine, seek))
          .orderBy(...orderBy)
          .limit(limit)
      ).map((r) => ({ node: r.entry, keys: keysOf(r, newestFirst) })),
  });
}

// Named per table: passed inline as `load: loadByIds(table)`, the generic call would defeat Pothos'
// inference of the node's shape.
const accountsByIds = loadByIds(accounts);
/** Accounts by id (the Account loader); each also answers `homeAccountOf` for its members later on. */
export const loadAccounts = async (ids: string[], ctx: Context) => {
  const rows = await accountsByIds(ids, ctx);
  for (const account of rows) homeAccountOf.prime(ctx, account.id, account);
  return rows;
};
export const loadUsers = loadByIds(users);
export const loadAssociations = loadByIds(associations);
export const loadEntitlements = loadByIds(entitlements);

/** Audit entries by id (their global ids carry the integer id as text; anything else matches none). */
export const loadAuditEntries = async (ids: string[], ctx: { db: Db }) =>
  await ctx.db
    .select()
    .from(auditEntries)
    .where(
      inArray(
        auditEntries.id,
        ids.map((id) => Number(id)).filter((n) => Number.isSafeInteger(n)),
      ),
    );

/** The IMS roles each user holds (only ever in their home account: ID-4). */
export async function loadRolesByUser(db: Db, userIds: readonly string[]): Promise<ImsRole[][]> {
  const rows = await hot(db).rolesOf.all({ ids: idList(userIds) });
  return groupBy(
    userIds,
    rows,
    (r) => r.userId,
    (r) => r.role,
  );
}

const pairs = <K, V>(keys: readonly K[], values: readonly V[]) => keys.map((k, i) => [k, values[i] as V] as const);

/** A user's IMS roles in their home account, read with those of the user's siblings (a page). */
export const rolesOfUser = siblingLoader<UserRow, string, ImsRole[]>({
  key: (u) => u.id,
  fetch: async (db, ids) => pairs(ids, await loadRolesByUser(db, ids)),
  none: () => [],
});

const accountRows = rowsByIds(accounts);

/** A user's home account, read with those of the user's siblings (a page of members: one row). */
export const homeAccountOf = siblingLoader<UserRow, string, AccountRow | null>({
  key: (u) => u.homeAccountId,
  fetch: async (db, ids) => (await accountRows(db, ids)).map((a) => [a.id, a] as const),
  none: () => null,
});

/** An account's email domains, read with those of the account's siblings. */
export const domainsOfAccount = siblingLoader<AccountRow, string, string[]>({
  key: (a) => a.id,
  fetch: async (db, ids) => pairs(ids, await loadDomainsByAccount(db, ids)),
  none: () => [],
});

/** Each account's email domains, alphabetically. */
export async function loadDomainsByAccount(db: Db, accountIds: readonly string[]): Promise<string[][]> {
  const rows = await hot(db).domainsOf.all({ ids: idList(accountIds) });
  return groupBy(
    accountIds,
    rows,
    (r) => r.accountId,
    (r) => r.domain,
  );
}
