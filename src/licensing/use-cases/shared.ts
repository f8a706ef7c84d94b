// What the checkout use cases share: who may issue (authz), the terms of a checkout (LIC-5, LIC-6),
// the status filter of LIC-9, the license content (LIC-7) and the insert.
import { and, eq, gt, inArray, isNotNull, isNull, lte, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
import { dialectSql } from '../../db/dialect.js';
import { idList, prepareStatement, statements } from '../../db/prepared.js';
import { one } from '../../db/query.js';
import {
  type AccountRow,
  checkoutRestrictions,
  entitlements,
  insertionOrder,
  type LicenseCheckoutRow,
  licenseCheckoutProducts,
  licenseCheckouts,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accountById, entitlementActiveAt } from '../../identity/service.js';
import type { ServiceContext } from '../../service-context.js';
import { type CheckoutStatus, expiredListingCutoff, planCheckout } from '../rules/checkouts.js';
import type { LicenseContent } from '../rules/license-file.js';

export const MAX_BULK_ROWS = 5000;

export interface CheckoutProduct {
  product: string;
  version: string;
}

export async function checkoutAdminAccount(tx: Reader, ctx: ServiceContext, accountId: string): Promise<AccountRow> {
  const account = await accountById(tx, accountId);
  assertAuthorized(await loadSubject(tx, ctx.actor), { action: 'checkout.issue', accountId: account.id });
  return account;
}

export function assertDistinctProducts(products: readonly CheckoutProduct[]) {
  const seen = new Set<string>();
  for (const p of products) {
    if (seen.has(p.product))
      throw new AppError('DUPLICATE_CHECKOUT', `${p.product} is listed twice`, ['input', 'products']);
    seen.add(p.product);
  }
}

export interface CheckoutTerms {
  account: AccountRow;
  country: string;
  products: readonly CheckoutProduct[];
  expiresAt: Date;
}

/** LIC-5 / LIC-6: entitlements, restrictions and expiry, checked once for a single or bulk checkout. */
export async function checkoutTerms(
  tx: Reader,
  ctx: ServiceContext,
  input: {
    accountId: string;
    entitlementCountry: string;
    products: readonly CheckoutProduct[];
    expiresAt?: Date | null;
  },
): Promise<CheckoutTerms> {
  const account = await checkoutAdminAccount(tx, ctx, input.accountId);
  assertDistinctProducts(input.products);
  const codes = input.products.map((p) => p.product);
  const contractEnds = new Map(
    (
      await tx
        .select({ product: entitlements.productCode, end: entitlements.contractEndDate })
        .from(entitlements)
        .where(
          and(
            eq(entitlements.accountId, account.id),
            eq(entitlements.country, input.entitlementCountry),
            inArray(entitlements.productCode, codes),
            entitlementActiveAt(ctx.now),
          ),
        )
    ).map((e) => [e.product, e.end] as const),
  );
  const restriction =
    (await one(
      tx
        .select()
        .from(checkoutRestrictions)
        .where(
          and(
            eq(checkoutRestrictions.accountId, account.id),
            eq(checkoutRestrictions.country, input.entitlementCountry),
          ),
        ),
    )) ?? null;
  const { expiresAt } = planCheckout({
    now: ctx.now,
    country: input.entitlementCountry,
    products: codes,
    contractEnds,
    restriction,
    expiresAt: input.expiresAt ?? null,
  });
  return { account, country: input.entitlementCountry, products: input.products, expiresAt };
}

/** LIC-9 in SQL (the query form of checkoutStatus): checkouts with one of these statuses at `now`;
 *  without includeHistory, expired ones only up to 90 days after their expiry. */
/**
 * LIC-6 ACTIVE in SQL: not checked in and not yet expired at `now` — a Date, or the placeholder of a
 * prepared statement (bound to the instant's milliseconds, prepared.ts).
 */
export function activeCheckoutAt(now: Date | Placeholder): SQL | undefined {
  return and(isNull(licenseCheckouts.checkedInAt), gt(licenseCheckouts.expiresAt, now));
}

export function checkoutsWithStatus(
  statuses: readonly CheckoutStatus[],
  now: Date,
  includeHistory: boolean,
): SQL | undefined {
  const filters = {
    ACTIVE: activeCheckoutAt(now),
    CHECKED_IN: isNotNull(licenseCheckouts.checkedInAt),
    EXPIRED: and(
      isNull(licenseCheckouts.checkedInAt),
      lte(licenseCheckouts.expiresAt, now),
      includeHistory ? undefined : gt(licenseCheckouts.expiresAt, expiredListingCutoff(now)),
    ),
  };
  return or(...statuses.map((status) => filters[status]));
}

/** LIC-6: "email|machine" of every active checkout of the account that shares one of these products. */
/** The newest checkout's place in insertion order (0 when there is none). */
export async function newestCheckout(db: Reader): Promise<number> {
  return (
    (
      await one(
        db
          .select({ n: sql<number | null>`max(${insertionOrder(licenseCheckouts)})`.mapWith(Number) })
          .from(licenseCheckouts),
      )
    )?.n ?? 0
  );
}

export async function activeCheckoutKeys(
  tx: Reader,
  accountId: string,
  emails: readonly string[] | null,
  products: readonly string[],
  now: Date,
  createdAfter?: number,
) {
  const rows = await tx
    .selectDistinct({ email: licenseCheckouts.email, machine: licenseCheckouts.machineName })
    .from(licenseCheckouts)
    .innerJoin(licenseCheckoutProducts, eq(licenseCheckoutProducts.checkoutId, licenseCheckouts.id))
    .where(
      and(
        eq(licenseCheckouts.accountId, accountId),
        emails === null ? undefined : inArray(licenseCheckouts.email, [...new Set(emails)]),
        createdAfter === undefined ? undefined : gt(insertionOrder(licenseCheckouts), createdAfter),
        inArray(licenseCheckoutProducts.productCode, [...products]),
        checkoutsWithStatus(['ACTIVE'], now, false),
      ),
    );
  return new Set(rows.map((r) => `${r.email}|${r.machine}`));
}

/** LIC-7: what a checkout's license file says. */
export function licenseContent(
  ctx: ServiceContext,
  terms: CheckoutTerms,
  id: string,
  email: string,
  machineName: string,
): LicenseContent {
  return {
    checkoutId: id,
    issuer: { accountId: terms.account.id, name: terms.account.name },
    email,
    machineName,
    products: terms.products.map((p) => ({ product: p.product, version: p.version })),
    entitlementCountry: terms.country,
    issuedAt: ctx.now.toISOString(),
    expiresAt: terms.expiresAt.toISOString(),
  };
}

/** A checkout whose license file is already signed, ready to be inserted. */
export interface SignedCheckout {
  id: string;
  email: string;
  machineName: string;
  licenseFile: string;
}

/**
 * A checkout's products for a whole batch of checkouts: one statement per product, ids as one JSON list.
 * Drizzle lists the table's columns in their declared order (checkout, product, version): the select
 * gives them in that order (a test pins each product's version).
 */
const productsOfCheckouts = statements((db) => ({
  insert: db.insert(licenseCheckoutProducts).select(
    sql`${dialectSql({
      sqlite: () =>
        sql`select value, ${sql.placeholder('productCode')}, ${sql.placeholder('version')} from json_each(${sql.placeholder('checkoutIds')})`,
      postgresql: () =>
        sql`select unnest(${sql.placeholder('checkoutIds')}::text[]), ${sql.placeholder('productCode')}, ${sql.placeholder('version')}`,
    })}`,
  ),
}));

/**
 * Inserts signed checkouts through one prepared statement (one SQL text whatever the count: building a
 * 5,000-row statement costs more than running one 5,000 times), in id order (index locality), then
 * their products with one statement per product for all of them (5,000 runs of a product insert were a
 * third of a bulk checkout's write transaction), and returns the rows in the order given. The rows are
 * built here rather than read back with RETURNING, which more than doubles the cost of a bulk insert on
 * SQLite; the LicenseCheckoutRow type makes the compiler flag any column added later.
 */
export async function insertCheckouts(
  tx: Tx,
  ctx: ServiceContext,
  terms: CheckoutTerms,
  signed: readonly SignedCheckout[],
): Promise<LicenseCheckoutRow[]> {
  const insertCheckout = prepareStatement(
    tx.insert(licenseCheckouts).values({
      id: sql.placeholder('id'),
      accountId: terms.account.id,
      email: sql.placeholder('email'),
      machineName: sql.placeholder('machineName'),
      entitlementCountry: terms.country,
      issuedAt: ctx.now,
      expiresAt: terms.expiresAt,
      createdById: ctx.actor.id,
      licenseFile: sql.placeholder('licenseFile'),
    }),
    'threshold_insert_checkout',
  );
  const ordered = [...signed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const c of ordered) await insertCheckout.run({ ...c });
  const checkoutIds = idList(ordered.map((c) => c.id));
  for (const p of terms.products) {
    await productsOfCheckouts(tx).insert.run({ checkoutIds, productCode: p.product, version: p.version });
  }
  return signed.map(
    (c): LicenseCheckoutRow => ({
      id: c.id,
      accountId: terms.account.id,
      email: c.email,
      machineName: c.machineName,
      entitlementCountry: terms.country,
      issuedAt: ctx.now,
      expiresAt: terms.expiresAt,
      createdById: ctx.actor.id,
      checkedInAt: null,
      checkedInById: null,
      licenseFile: c.licenseFile,
    }),
  );
}
