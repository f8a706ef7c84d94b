// The licensing area's reads for GraphQL: users by email (a checkout's user) and the order of installed
// licenses.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import { installedLicenses, type LicenseCheckoutRow, users } from '../db/schema.js';
import type { Context } from '../graphql/context.js';
import { loaderOptions } from '../graphql/loaders.js';

/** Registered users by email, batched per request (a page of checkouts costs one statement). */
export const userIdByEmail = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (emails: readonly string[]) => {
      const rows = ctx.db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, [...emails]))
        .all();
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
