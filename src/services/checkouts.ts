// §4 use cases: checkouts (single and bulk), check-in, restrictions, and the license tool's import.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import { inTransaction, type Reader, type Tx } from '../db/client.js';
import {
  type AccountRow,
  accounts,
  type CheckoutRestrictionRow,
  checkoutRestrictions,
  entitlements,
  type ImsRole,
  installedLicenses,
  type LicenseCheckoutRow,
  licenseCheckoutProducts,
  licenseCheckouts,
} from '../db/schema.js';
import {
  assertImportable,
  type CheckoutStatus,
  checkoutStatus,
  DEFAULT_MAX_DURATION_DAYS,
  expiredListingCutoff,
  planCheckout,
} from '../domain/checkouts.js';
import { AppError, forbidden } from '../domain/errors.js';
import { isImsAdmin, normalizeEmail } from '../domain/identity.js';
import { type LicenseContent, signLicense, verifyLicenseFile } from '../domain/license-file.js';
import { appendAudit } from './audit.js';
import { entitlementActiveAt, rolesInAccount, type ServiceContext } from './identity.js';
import type { SigningKey } from './license-keys.js';

/** LIC-5: who may create checkouts, check them in, and set restrictions. */
const CHECKOUT_ADMIN_ROLES: readonly ImsRole[] = ['ACCOUNT_ADMIN', 'CO_ADMINISTRATOR'];
export const isCheckoutAdmin = (roles: readonly ImsRole[]) => roles.some((r) => CHECKOUT_ADMIN_ROLES.includes(r));

export const MAX_BULK_ROWS = 5000;

export interface CheckoutProduct {
  product: string;
  version: string;
}

function checkoutAdminAccount(tx: Reader, ctx: ServiceContext, accountId: string): AccountRow {
  const account = tx.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
  if (!isCheckoutAdmin(rolesInAccount(tx, account.id, ctx.actor.id))) {
    throw forbidden(`only an ACCOUNT_ADMIN or CO_ADMINISTRATOR of ${account.name} manages its checkouts`);
  }
  return account;
}

function assertDistinctProducts(products: readonly CheckoutProduct[]) {
  const seen = new Set<string>();
  for (const p of products) {
    if (seen.has(p.product))
      throw new AppError('DUPLICATE_CHECKOUT', `${p.product} is listed twice`, ['input', 'products']);
    seen.add(p.product);
  }
}

interface CheckoutTerms {
  account: AccountRow;
  country: string;
  products: readonly CheckoutProduct[];
  expiresAt: Date;
}

/** LIC-5 / LIC-6: entitlements, restrictions and expiry, checked once for a single or bulk checkout. */
function checkoutTerms(
  tx: Reader,
  ctx: ServiceContext,
  input: {
    accountId: string;
    entitlementCountry: string;
    products: readonly CheckoutProduct[];
    expiresAt?: Date | null;
  },
): CheckoutTerms {
  const account = checkoutAdminAccount(tx, ctx, input.accountId);
  assertDistinctProducts(input.products);
  const codes = input.products.map((p) => p.product);
  const contractEnds = new Map(
    tx
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
      .all()
      .map((e) => [e.product, e.end] as const),
  );
  const restriction =
    tx
      .select()
      .from(checkoutRestrictions)
      .where(
        and(eq(checkoutRestrictions.accountId, account.id), eq(checkoutRestrictions.country, input.entitlementCountry)),
      )
      .get() ?? null;
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
export function checkoutsWithStatus(
  statuses: readonly CheckoutStatus[],
  now: Date,
  includeHistory: boolean,
): SQL | undefined {
  const filters = {
    ACTIVE: and(isNull(licenseCheckouts.checkedInAt), gt(licenseCheckouts.expiresAt, now)),
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
function activeCheckoutKeys(
  tx: Reader,
  accountId: string,
  emails: readonly string[],
  products: readonly string[],
  now: Date,
) {
  const rows = tx
    .selectDistinct({ email: licenseCheckouts.email, machine: licenseCheckouts.machineName })
    .from(licenseCheckouts)
    .innerJoin(licenseCheckoutProducts, eq(licenseCheckoutProducts.checkoutId, licenseCheckouts.id))
    .where(
      and(
        eq(licenseCheckouts.accountId, accountId),
        inArray(licenseCheckouts.email, [...new Set(emails)]),
        inArray(licenseCheckoutProducts.productCode, [...products]),
        checkoutsWithStatus(['ACTIVE'], now, false),
      ),
    )
    .all();
  return new Set(rows.map((r) => `${r.email}|${r.machine}`));
}

/** Inserts one checkout with its products and its signed license file (LIC-7). */
function issue(
  tx: Tx,
  ctx: ServiceContext,
  signing: SigningKey,
  terms: CheckoutTerms,
  email: string,
  machineName: string,
) {
  const id = randomUUID();
  const content: LicenseContent = {
    checkoutId: id,
    issuer: { accountId: terms.account.id, name: terms.account.name },
    email,
    machineName,
    products: terms.products.map((p) => ({ product: p.product, version: p.version })),
    entitlementCountry: terms.country,
    issuedAt: ctx.now.toISOString(),
    expiresAt: terms.expiresAt.toISOString(),
  };
  const checkout = tx
    .insert(licenseCheckouts)
    .values({
      id,
      accountId: terms.account.id,
      email,
      machineName,
      entitlementCountry: terms.country,
      issuedAt: ctx.now,
      expiresAt: terms.expiresAt,
      createdById: ctx.actor.id,
      licenseFile: signLicense(content, signing.privateKey),
    })
    .returning()
    .get();
  tx.insert(licenseCheckoutProducts)
    .values(terms.products.map((p) => ({ checkoutId: id, productCode: p.product, version: p.version })))
    .run();
  return checkout;
}

export interface CreateCheckoutInput {
  accountId: string;
  email: string;
  machineName: string;
  products: readonly CheckoutProduct[];
  entitlementCountry: string;
  expiresAt?: Date | null;
}

/** LIC-5 … LIC-7: reserves a license for one user on one machine and signs its license file. */
export function createLicenseCheckout(
  ctx: ServiceContext,
  signing: SigningKey,
  input: CreateCheckoutInput,
): LicenseCheckoutRow {
  const email = normalizeEmail(input.email, ['input', 'email']);
  const machineName = input.machineName.trim();
  return inTransaction(ctx.db, (tx) => {
    const terms = checkoutTerms(tx, ctx, input);
    const codes = terms.products.map((p) => p.product);
    if (activeCheckoutKeys(tx, terms.account.id, [email], codes, ctx.now).has(`${email}|${machineName}`)) {
      throw new AppError(
        'DUPLICATE_CHECKOUT',
        `${email} already has an active checkout of one of these products on ${machineName}`,
        ['input', 'products'],
      );
    }
    const checkout = issue(tx, ctx, signing, terms, email, machineName);
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'createLicenseCheckout',
      accountIds: [terms.account.id],
      targets: [{ type: 'LicenseCheckout', id: checkout.id }],
      summary: `${ctx.actor.email} checked out ${codes.join(', ')} (${terms.country}) for ${email} on ${machineName} until ${terms.expiresAt.toISOString()}`,
    });
    return checkout;
  });
}

// ---------------------------------------------------------------------------------------------
// LIC-8 bulk checkout

export interface BulkRowError {
  row: number;
  column: 'email' | 'machineName' | null;
  message: string;
}

/** LIC-8: the whole batch failed; one entry per bad row. Nothing was created. */
export class BulkCheckoutError extends AppError {
  constructor(readonly rows: BulkRowError[]) {
    super(
      'INVALID_BULK_FILE',
      `${rows.length} row(s) of the file are not valid; nothing was checked out (${rows
        .slice(0, 3)
        .map((r) => `row ${r.row}: ${r.message}`)
        .join('; ')}${rows.length > 3 ? '; …' : ''})`,
      ['input', 'csv'],
    );
    this.name = 'BulkCheckoutError';
  }
}

interface CsvRow {
  line: number;
  email: string;
  machineName: string;
}

/** Reads `email,machineName` rows (header required) with csv-parse; line numbers are the file's. */
function readBulkCsv(csv: string): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new AppError('INVALID_BULK_FILE', `the file is not valid CSV: ${(error as Error).message}`, ['input', 'csv']);
  }
  const [header, ...rows] = records;
  const columns = header?.record.map((c) => c.toLowerCase());
  if (!header || columns?.length !== 2 || columns[0] !== 'email' || columns[1] !== 'machinename') {
    throw new BulkCheckoutError([
      { row: header?.info.lines ?? 1, column: null, message: 'the header row must be "email,machineName"' },
    ]);
  }
  if (rows.length === 0)
    throw new AppError('INVALID_BULK_FILE', 'the file has no rows after its header', ['input', 'csv']);
  if (rows.length > MAX_BULK_ROWS) {
    throw new AppError('INVALID_BULK_FILE', `at most ${MAX_BULK_ROWS} rows per file (this one has ${rows.length})`, [
      'input',
      'csv',
    ]);
  }
  return rows.map((r) => ({
    line: r.info.lines,
    email: r.record[0] ?? '',
    machineName: r.record[1] ?? '',
    ...(r.record.length !== 2 ? { columnCount: r.record.length } : {}),
  }));
}

export interface BulkCheckoutInput extends Omit<CreateCheckoutInput, 'email' | 'machineName'> {
  csv: string;
}

/** LIC-8: validates every row first; any bad row fails the whole batch (one error per row). */
export function createBulkLicenseCheckout(
  ctx: ServiceContext,
  signing: SigningKey,
  input: BulkCheckoutInput,
): LicenseCheckoutRow[] {
  const rows = readBulkCsv(input.csv);
  return inTransaction(ctx.db, (tx) => {
    const terms = checkoutTerms(tx, ctx, input);
    const codes = terms.products.map((p) => p.product);
    const errors: BulkRowError[] = [];
    const valid: { email: string; machineName: string; line: number }[] = [];
    const firstLine = new Map<string, number>();
    for (const row of rows) {
      if ('columnCount' in row) {
        errors.push({
          row: row.line,
          column: null,
          message: `expected 2 columns (email,machineName), found ${row.columnCount}`,
        });
        continue;
      }
      let email: string;
      try {
        email = normalizeEmail(row.email);
      } catch {
        errors.push({ row: row.line, column: 'email', message: `"${row.email}" is not a valid email address` });
        continue;
      }
      if (row.machineName === '') {
        errors.push({ row: row.line, column: 'machineName', message: 'the machine name is empty' });
        continue;
      }
      if (row.machineName.length > 255) {
        errors.push({
          row: row.line,
          column: 'machineName',
          message: 'the machine name is longer than 255 characters',
        });
        continue;
      }
      const key = `${email}|${row.machineName}`;
      const seen = firstLine.get(key);
      if (seen !== undefined) {
        errors.push({ row: row.line, column: null, message: `duplicates row ${seen}` });
        continue;
      }
      firstLine.set(key, row.line);
      valid.push({ email, machineName: row.machineName, line: row.line });
    }
    const active = activeCheckoutKeys(
      tx,
      terms.account.id,
      valid.map((v) => v.email),
      codes,
      ctx.now,
    );
    for (const v of valid) {
      if (active.has(`${v.email}|${v.machineName}`)) {
        errors.push({
          row: v.line,
          column: null,
          message: `${v.email} already has an active checkout of one of these products on ${v.machineName}`,
        });
      }
    }
    if (errors.length > 0) throw new BulkCheckoutError(errors.sort((a, b) => a.row - b.row));
    const created = valid.map((v) => issue(tx, ctx, signing, terms, v.email, v.machineName));
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'createBulkLicenseCheckout',
      accountIds: [terms.account.id],
      targets: [{ type: 'Account', id: terms.account.id }],
      summary: `${ctx.actor.email} checked out ${codes.join(', ')} (${terms.country}) for ${created.length} user/machine pair(s) until ${terms.expiresAt.toISOString()}`,
    });
    return created;
  });
}

// ---------------------------------------------------------------------------------------------
// LIC-9 check-in

/** Who may see a checkout: the issuing account's IMS admins and the user it was issued to. */
export function canSeeCheckout(
  tx: Reader,
  actor: { id: string; email: string },
  checkout: LicenseCheckoutRow,
): boolean {
  return checkout.email === actor.email || isImsAdmin(rolesInAccount(tx, checkout.accountId, actor.id));
}

export function checkInLicense(ctx: ServiceContext, input: { checkoutId: string }): LicenseCheckoutRow {
  return inTransaction(ctx.db, (tx) => {
    const checkout = tx.select().from(licenseCheckouts).where(eq(licenseCheckouts.id, input.checkoutId)).get();
    if (!checkout || !canSeeCheckout(tx, ctx.actor, checkout)) {
      throw new AppError('NOT_FOUND', 'no such checkout', ['input', 'checkoutId']);
    }
    const ownUser = checkout.email === ctx.actor.email;
    if (!ownUser && !isCheckoutAdmin(rolesInAccount(tx, checkout.accountId, ctx.actor.id))) {
      throw forbidden(
        'only an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the issuing account, or the user, checks a license in',
      );
    }
    const status = checkoutStatus(checkout, ctx.now);
    if (status === 'CHECKED_IN')
      throw new AppError('CHECKED_IN', 'this checkout is already checked in', ['input', 'checkoutId']);
    if (status === 'EXPIRED')
      throw new AppError('EXPIRED', 'this checkout has already expired', ['input', 'checkoutId']);
    const updated = tx
      .update(licenseCheckouts)
      .set({ checkedInAt: ctx.now, checkedInById: ctx.actor.id })
      .where(eq(licenseCheckouts.id, checkout.id))
      .returning()
      .get();
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'checkInLicense',
      accountIds: [checkout.accountId],
      targets: [{ type: 'LicenseCheckout', id: checkout.id }],
      summary: `${ctx.actor.email} checked in the license of ${checkout.email} on ${checkout.machineName}${ownUser ? ' (from the license tool)' : ''}`,
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// LIC-6 restrictions

export interface RestrictionInput {
  accountId: string;
  country: string;
  checkoutsEnabled?: boolean | null;
  maxDurationDays?: number | null;
  /** undefined: unchanged; null: all products. */
  products?: readonly string[] | null;
}

export function setCheckoutRestrictions(ctx: ServiceContext, input: RestrictionInput): CheckoutRestrictionRow {
  return inTransaction(ctx.db, (tx) => {
    const account = checkoutAdminAccount(tx, ctx, input.accountId);
    const current = tx
      .select()
      .from(checkoutRestrictions)
      .where(and(eq(checkoutRestrictions.accountId, account.id), eq(checkoutRestrictions.country, input.country)))
      .get();
    const values = {
      accountId: account.id,
      country: input.country,
      checkoutsEnabled: input.checkoutsEnabled ?? current?.checkoutsEnabled ?? true,
      maxDurationDays: input.maxDurationDays ?? current?.maxDurationDays ?? DEFAULT_MAX_DURATION_DAYS,
      products:
        input.products === undefined
          ? (current?.products ?? null)
          : input.products === null
            ? null
            : [...new Set(input.products)],
      updatedAt: ctx.now,
    };
    const row = tx
      .insert(checkoutRestrictions)
      .values(values)
      .onConflictDoUpdate({ target: [checkoutRestrictions.accountId, checkoutRestrictions.country], set: values })
      .returning()
      .get();
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'setCheckoutRestrictions',
      accountIds: [account.id],
      targets: [{ type: 'Account', id: account.id }],
      summary: `${ctx.actor.email} set checkout restrictions for ${input.country}: checkouts ${row.checkoutsEnabled ? 'enabled' : 'disabled'}, at most ${row.maxDurationDays} days, ${row.products ? `for ${row.products.join(', ')}` : 'for all products'}`,
    });
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// LIC-10 license tool import

/**
 * LIC-10: the user the file was issued to imports it on a machine. The file must verify and name the
 * caller and that machine, and its checkout must be neither expired nor checked in. Importing the
 * same file again on the same machine is harmless (the existing import is returned).
 */
export function importLicenseFile(
  ctx: ServiceContext,
  signing: SigningKey,
  input: { file: string; machineName: string },
) {
  const verified = verifyLicenseFile(input.file, signing.publicKey);
  if (!verified.ok) throw new AppError(verified.code, verified.reason, ['input', 'file']);
  const license = verified.license;
  return inTransaction(ctx.db, (tx) => {
    const checkout =
      tx.select().from(licenseCheckouts).where(eq(licenseCheckouts.id, license.checkoutId)).get() ?? null;
    assertImportable(license, checkout, { email: ctx.actor.email, machineName: input.machineName, now: ctx.now });
    const where = and(
      eq(installedLicenses.userId, ctx.actor.id),
      eq(installedLicenses.checkoutId, license.checkoutId),
      eq(installedLicenses.machineName, input.machineName),
    );
    const existing = tx.select().from(installedLicenses).where(where).get();
    const installed =
      existing ??
      tx
        .insert(installedLicenses)
        .values({
          id: randomUUID(),
          userId: ctx.actor.id,
          checkoutId: license.checkoutId,
          machineName: input.machineName,
          importedAt: ctx.now,
        })
        .returning()
        .get();
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'importLicenseFile',
      accountIds: [license.issuer.accountId],
      targets: [
        { type: 'LicenseCheckout', id: license.checkoutId },
        { type: 'InstalledLicense', id: installed.id },
      ],
      summary: `${ctx.actor.email} imported the reserved ${license.products.map((p) => p.product).join(', ')} license of ${license.issuer.name} on ${input.machineName}${existing ? ' again (already installed)' : ''}`,
    });
    // assertImportable has established that the checkout exists.
    return { ...installed, checkout: checkout as LicenseCheckoutRow };
  });
}
