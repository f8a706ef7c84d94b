// The licensing area's reads for GraphQL: users by email (a checkout's user), an account's checkouts
// and restrictions, and a user's installed licenses.

import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, count, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { idList, inIdList, statements } from '../db/prepared.js';
import { one } from '../db/query.js';
import {
  checkoutRestrictions,
  installedLicenses,
  type LicenseCheckoutRow,
  licenseCheckoutProducts,
  licenseCheckouts,
  users,
} from '../db/schema.js';
import { tableColumnsPage } from '../graphql/common.js';
import type { Context } from '../graphql/context.js';
import { loadByIds, loaderOptions } from '../graphql/loaders.js';
import { type Key, keysOf, type PageArgs, sortKeysSelection, sqlPage } from '../graphql/pagination.js';
import { siblingLoader } from '../graphql/siblings.js';
import type { CheckoutStatus } from './rules/checkouts.js';
import { checkoutsWithStatus } from './service.js';

/** Registered users by email, batched per request (a page of checkouts costs one statement). */
export const userIdByEmail = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (emails: readonly string[]) => {
      const rows = await ctx.db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, [...emails]));
      const idByEmail = new Map(rows.map((r) => [r.email, r.id]));
      return emails.map((e) => idByEmail.get(e) ?? null);
    }, loaderOptions),
);

// ---------------------------------------------------------------------------------------------
// The license tool: installed (reserved) licenses

export type InstalledRow = typeof installedLicenses.$inferSelect & { checkout: LicenseCheckoutRow };

/** Newest import first; a machine's imports of one checkout are one row (LIC-10). */
export const installedOrder = [
  { key: installedLicenses.importedAt, desc: true },
  { key: installedLicenses.machineName },
  { key: installedLicenses.checkoutId },
];

/**
 * A checkout as GraphQL reads it: a page of checkouts leaves its license files out (about a kilobyte
 * each, and few clients select them); `licenseFileOf` reads them for the page when the field is asked for.
 */
export type CheckoutNode = Omit<LicenseCheckoutRow, 'licenseFile'> & { licenseFile?: string | null };

const { licenseFile: _leftOut, ...listedCheckoutColumns } = getTableColumns(licenseCheckouts);

/** LIC-9: the account's checkouts with these statuses, newest first (history: also expired > 90 days). */
export const checkoutsPage = async (
  db: Db,
  args: PageArgs,
  accountId: string,
  statuses: readonly CheckoutStatus[],
  includeHistory: boolean,
  now: Date,
) =>
  await tableColumnsPage<CheckoutNode>(
    db,
    args,
    licenseCheckouts,
    listedCheckoutColumns,
    and(eq(licenseCheckouts.accountId, accountId), checkoutsWithStatus(statuses, now, includeHistory)),
    [{ key: licenseCheckouts.issuedAt, desc: true }, { key: licenseCheckouts.email }, { key: licenseCheckouts.id }],
  );

const licenseFiles = statements((db) => ({
  byIds: db
    .select({ id: licenseCheckouts.id, licenseFile: licenseCheckouts.licenseFile })
    .from(licenseCheckouts)
    .where(inIdList(licenseCheckouts.id, 'ids')),
}));

/** LIC-7: a checkout's license file; for a row of a page, read with the page's others in one statement. */
export const licenseFileOf = siblingLoader<CheckoutNode, string, string | null>({
  key: (c) => c.id,
  fetch: async (db, ids) =>
    (await licenseFiles(db).byIds.all({ ids: idList(ids) })).map((r) => [r.id, r.licenseFile] as const),
  none: () => null,
});

/** LIC-6: the account's restrictions, one per entitlement country (a short list). */
export const restrictionsOf = async (db: Db, accountId: string) =>
  await db
    .select()
    .from(checkoutRestrictions)
    .where(eq(checkoutRestrictions.accountId, accountId))
    .orderBy(asc(checkoutRestrictions.country));

/** LIC-10: the user's imported licenses with their checkouts, newest import first. */
export async function installedLicensesPage(db: Db, args: PageArgs, userId: string) {
  const mine = eq(installedLicenses.userId, userId);
  return await sqlPage(args, installedOrder, {
    count: async () => (await one(db.select({ n: count() }).from(installedLicenses).where(mine)))?.n ?? 0,
    fetch: async (seek, orderBy, limit) =>
      (
        await db
          .select({ installed: installedLicenses, checkout: licenseCheckouts, ...sortKeysSelection(installedOrder) })
          .from(installedLicenses)
          .innerJoin(licenseCheckouts, eq(licenseCheckouts.id, installedLicenses.checkoutId))
          .where(and(mine, seek))
          .orderBy(...orderBy)
          .limit(limit)
      ).map((r): { node: InstalledRow; keys: Key[] } => ({
        node: { ...r.installed, checkout: r.checkout },
        keys: keysOf(r, installedOrder),
      })),
  });
}

export const loadCheckouts = loadByIds(licenseCheckouts);

/** The products of each checkout, by product code (a page of checkouts costs one statement). */
export const loadCheckoutProducts = async (checkoutIds: string[], ctx: { db: Db }) =>
  await ctx.db
    .select()
    .from(licenseCheckoutProducts)
    .where(inArray(licenseCheckoutProducts.checkoutId, checkoutIds))
    .orderBy(asc(licenseCheckoutProducts.productCode));
