// §4 use cases: checkouts (single and bulk), check-in, restrictions, and the license tool's import.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pipeline, Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse';
import { and, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/service.js';
import { assertAuthorized, loadSubject } from '../authz/authorize.js';
import { inTransaction, type Reader, type Tx } from '../db/client.js';
import {
  type AccountRow,
  accounts,
  type CheckoutRestrictionRow,
  checkoutRestrictions,
  entitlements,
  installedLicenses,
  type LicenseCheckoutRow,
  licenseCheckoutProducts,
  licenseCheckouts,
} from '../db/schema.js';
import { AppError } from '../errors.js';
import { normalizeEmail } from '../identity/rules.js';
import { entitlementActiveAt, type ServiceContext } from '../identity/service.js';
import type { SigningKey } from './license-keys.js';
import {
  assertImportable,
  type CheckoutStatus,
  checkoutStatus,
  DEFAULT_MAX_DURATION_DAYS,
  expiredListingCutoff,
  planCheckout,
} from './rules/checkouts.js';
import { type LicenseContent, signLicense, signLicenseOffThread, verifyLicenseFile } from './rules/license-file.js';

export const MAX_BULK_ROWS = 5000;

export interface CheckoutProduct {
  product: string;
  version: string;
}

function checkoutAdminAccount(tx: Reader, ctx: ServiceContext, accountId: string): AccountRow {
  const account = tx.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
  assertAuthorized(loadSubject(tx, ctx.actor), { action: 'checkout.issue', accountId: account.id });
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

/** LIC-7: what a checkout's license file says. */
function licenseContent(
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
interface SignedCheckout {
  id: string;
  email: string;
  machineName: string;
  licenseFile: string;
}

/**
 * Inserts signed checkouts with their products through two prepared statements (one SQL text each,
 * whatever the count: building a 5,000-row statement costs more than running one 5,000 times), in
 * id order (index locality), and returns the rows in the order given. The rows are built here rather
 * than read back with RETURNING, which more than doubles the cost of a bulk insert on SQLite; the
 * LicenseCheckoutRow type makes the compiler flag any column added later.
 */
function insertCheckouts(
  tx: Tx,
  ctx: ServiceContext,
  terms: CheckoutTerms,
  signed: readonly SignedCheckout[],
): LicenseCheckoutRow[] {
  const insertCheckout = tx
    .insert(licenseCheckouts)
    .values({
      id: sql.placeholder('id'),
      accountId: terms.account.id,
      email: sql.placeholder('email'),
      machineName: sql.placeholder('machineName'),
      entitlementCountry: terms.country,
      issuedAt: ctx.now,
      expiresAt: terms.expiresAt,
      createdById: ctx.actor.id,
      licenseFile: sql.placeholder('licenseFile'),
    })
    .prepare();
  const insertProduct = tx
    .insert(licenseCheckoutProducts)
    .values({
      checkoutId: sql.placeholder('checkoutId'),
      productCode: sql.placeholder('productCode'),
      version: sql.placeholder('version'),
    })
    .prepare();
  for (const c of [...signed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    insertCheckout.run({ ...c });
    for (const p of terms.products) insertProduct.run({ checkoutId: c.id, productCode: p.product, version: p.version });
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
    const id = randomUUID();
    const licenseFile = signLicense(licenseContent(ctx, terms, id, email, machineName), signing.privateKey);
    const [checkout] = insertCheckouts(tx, ctx, terms, [{ id, email, machineName, licenseFile }]);
    if (!checkout) throw new Error('the checkout was not inserted');
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

// The CPU work of a bulk checkout (parsing, row checks, up to 5,000 signatures: about a second) is
// prepared before the write transaction, in slices that give the event loop a turn (setImmediate)
// every few milliseconds, with the signatures themselves on libuv's thread pool. A worker thread was
// the alternative; slicing was chosen because it needs no second module entry point (a worker would
// have to load TypeScript on its own under tsx and vitest), no copying of 5,000 rows and files
// between threads, and no pool to manage, while keeping every pause to a few milliseconds. The
// facts that depend on the database are checked before signing (to fail fast) and again inside the
// one short write transaction (set-based queries), so a concurrent change cannot slip in between.

/** The longest stretch of bulk preparation between two turns of the event loop. */
const SLICE_MS = 4;
/** Characters handed to csv-parse per turn of the event loop. */
const CSV_SLICE_CHARS = 4096;
/** Signatures in flight on the thread pool at once (leaves room for other users of the pool). */
const SIGNATURES_IN_FLIGHT = 32;
/** Rows per duplicate-checkout query while preparing (one query for all of them at commit). */
const ROWS_PER_DUPLICATE_QUERY = 250;
/** Signing again because the terms changed during preparation: at most this many times. */
const MAX_SIGNING_ATTEMPTS = 3;

/**
 * Calls `each` for every item, giving the event loop a turn whenever SLICE_MS have passed.
 * Hand-written (a dozen lines) because the libraries that map with concurrency limits (p-map and
 * kin) bound promises in flight, not time spent on the thread.
 */
async function inSlices<T>(items: readonly T[], each: (item: T) => void): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    each(item);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/** Items released to whoever awaits them a slice per turn of the event loop (callers that complete
 *  each item as it settles, such as graphql-js for a list of promises, then do so in slices too). */
export function releaseInTurns<T>(items: readonly T[], perTurn = 200): Promise<T>[] {
  const released: Promise<T>[] = [];
  let turn: Promise<void> = Promise.resolve();
  for (const slice of chunksOf(items, perTurn)) {
    turn = turn.then(() => nextTurn());
    const ready = turn;
    for (const item of slice) released.push(ready.then(() => item));
  }
  return released;
}

/** The file in pieces, one per turn of the event loop (never splitting a UTF-16 surrogate pair). */
async function* slicesOf(text: string): AsyncGenerator<string> {
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + CSV_SLICE_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(at, end);
    at = end;
    await nextTurn();
  }
}

interface CsvRow {
  line: number;
  email: string;
  machineName: string;
  columnCount?: number;
}

/** Reads `email,machineName` rows (header required) with csv-parse; line numbers are the file's. */
async function readBulkCsv(csv: string): Promise<CsvRow[]> {
  const records: { record: string[]; info: { lines: number } }[] = [];
  try {
    // pipeline (not pipe) so a parse error also ends the source.
    const parser = pipeline(
      Readable.from(slicesOf(csv)),
      parseCsv({ info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }),
      () => {},
    );
    for await (const record of parser) records.push(record);
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

interface BulkRow {
  line: number;
  email: string;
  machineName: string;
}

/** LIC-8: the rows that are well-formed and distinct, and one error per other row. */
async function checkBulkRows(rows: readonly CsvRow[]): Promise<{ valid: BulkRow[]; errors: BulkRowError[] }> {
  const errors: BulkRowError[] = [];
  const valid: BulkRow[] = [];
  const firstLine = new Map<string, number>();
  await inSlices(rows, (row) => {
    if (row.columnCount !== undefined) {
      errors.push({
        row: row.line,
        column: null,
        message: `expected 2 columns (email,machineName), found ${row.columnCount}`,
      });
      return;
    }
    let email: string;
    try {
      email = normalizeEmail(row.email);
    } catch {
      errors.push({ row: row.line, column: 'email', message: `"${row.email}" is not a valid email address` });
      return;
    }
    if (row.machineName === '') {
      errors.push({ row: row.line, column: 'machineName', message: 'the machine name is empty' });
      return;
    }
    if (row.machineName.length > 255) {
      errors.push({ row: row.line, column: 'machineName', message: 'the machine name is longer than 255 characters' });
      return;
    }
    const key = `${email}|${row.machineName}`;
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      errors.push({ row: row.line, column: null, message: `duplicates row ${seen}` });
      return;
    }
    firstLine.set(key, row.line);
    valid.push({ email, machineName: row.machineName, line: row.line });
  });
  return { valid, errors };
}

/** LIC-6 for a batch: one error per row that already has an active checkout (one set-based query). */
function activeDuplicates(tx: Reader, ctx: ServiceContext, terms: CheckoutTerms, rows: readonly BulkRow[]) {
  const active = activeCheckoutKeys(
    tx,
    terms.account.id,
    rows.map((r) => r.email),
    terms.products.map((p) => p.product),
    ctx.now,
  );
  return rows
    .filter((r) => active.has(`${r.email}|${r.machineName}`))
    .map(
      (r): BulkRowError => ({
        row: r.line,
        column: null,
        message: `${r.email} already has an active checkout of one of these products on ${r.machineName}`,
      }),
    );
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}

/** LIC-7 for every row: signatures on the thread pool, a bounded number at a time. */
async function signBulk(
  ctx: ServiceContext,
  signing: SigningKey,
  terms: CheckoutTerms,
  rows: readonly BulkRow[],
): Promise<SignedCheckout[]> {
  const signed: SignedCheckout[] = [];
  for (const batch of chunksOf(rows, SIGNATURES_IN_FLIGHT)) {
    const files = await Promise.all(
      batch.map((r) => {
        const id = randomUUID();
        const file = signLicenseOffThread(licenseContent(ctx, terms, id, r.email, r.machineName), signing.privateKey);
        return file.then((licenseFile) => ({ id, email: r.email, machineName: r.machineName, licenseFile }));
      }),
    );
    signed.push(...files);
  }
  return signed;
}

export interface BulkCheckoutInput extends Omit<CreateCheckoutInput, 'email' | 'machineName'> {
  csv: string;
}

/** A bulk checkout checked and signed, not yet written. */
export interface PreparedBulkCheckout {
  input: BulkCheckoutInput;
  rows: BulkRow[];
  /** The terms the files were signed with. */
  terms: CheckoutTerms;
  signed: SignedCheckout[];
}

/**
 * LIC-8, outside any transaction and yielding the event loop: reads the file, checks the account's
 * terms and every row (any bad row: BulkCheckoutError with one error per bad row), and signs every
 * license file.
 */
export async function prepareBulkCheckout(
  ctx: ServiceContext,
  signing: SigningKey,
  input: BulkCheckoutInput,
): Promise<PreparedBulkCheckout> {
  const csvRows = await readBulkCsv(input.csv);
  const terms = checkoutTerms(ctx.db, ctx, input);
  const { valid, errors } = await checkBulkRows(csvRows);
  // The same query as at commit, a slice of rows per turn of the event loop.
  for (const slice of chunksOf(valid, ROWS_PER_DUPLICATE_QUERY)) {
    errors.push(...activeDuplicates(ctx.db, ctx, terms, slice));
    await nextTurn();
  }
  if (errors.length > 0) throw new BulkCheckoutError(errors.sort((a, b) => a.row - b.row));
  return { input, rows: valid, terms, signed: await signBulk(ctx, signing, terms, valid) };
}

/** The license files name the account and the expiry: they stay right while these do. */
const signedTermsHold = (now: CheckoutTerms, signed: CheckoutTerms) =>
  now.account.id === signed.account.id &&
  now.account.name === signed.account.name &&
  now.expiresAt.getTime() === signed.expiresAt.getTime();

/**
 * LIC-8, one short transaction: re-checks what may have changed since preparing (the admin's role,
 * entitlements and restrictions through the terms, active duplicates), then inserts every checkout
 * or none. Returns null, writing nothing, when the terms changed so that the signed files are stale.
 */
export function commitBulkCheckout(ctx: ServiceContext, prepared: PreparedBulkCheckout): LicenseCheckoutRow[] | null {
  return inTransaction(ctx.db, (tx) => {
    const terms = checkoutTerms(tx, ctx, prepared.input);
    if (!signedTermsHold(terms, prepared.terms)) return null;
    const duplicates = activeDuplicates(tx, ctx, terms, prepared.rows);
    if (duplicates.length > 0) throw new BulkCheckoutError(duplicates);
    const created = insertCheckouts(tx, ctx, terms, prepared.signed);
    appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'createBulkLicenseCheckout',
      accountIds: [terms.account.id],
      targets: [{ type: 'Account', id: terms.account.id }],
      summary: `${ctx.actor.email} checked out ${terms.products.map((p) => p.product).join(', ')} (${terms.country}) for ${created.length} user/machine pair(s) until ${terms.expiresAt.toISOString()}`,
    });
    return created;
  });
}

/** LIC-8: validates every row first; any bad row fails the whole batch (one error per row). */
export async function createBulkLicenseCheckout(
  ctx: ServiceContext,
  signing: SigningKey,
  input: BulkCheckoutInput,
): Promise<LicenseCheckoutRow[]> {
  let prepared = await prepareBulkCheckout(ctx, signing, input);
  for (let attempt = 1; ; attempt += 1) {
    const created = commitBulkCheckout(ctx, prepared);
    if (created) return created;
    if (attempt === MAX_SIGNING_ATTEMPTS) {
      throw new Error(`the checkout terms changed ${attempt} times while the bulk checkout was being signed`);
    }
    const terms = checkoutTerms(ctx.db, ctx, input);
    prepared = { ...prepared, terms, signed: await signBulk(ctx, signing, terms, prepared.rows) };
  }
}

// ---------------------------------------------------------------------------------------------
// LIC-9 check-in

export function checkInLicense(ctx: ServiceContext, input: { checkoutId: string }): LicenseCheckoutRow {
  return inTransaction(ctx.db, (tx) => {
    const checkout = tx.select().from(licenseCheckouts).where(eq(licenseCheckouts.id, input.checkoutId)).get();
    const notFound = () => new AppError('NOT_FOUND', 'no such checkout', ['input', 'checkoutId']);
    if (!checkout) throw notFound();
    assertAuthorized(
      loadSubject(tx, ctx.actor),
      { action: 'checkout.checkIn', accountId: checkout.accountId, email: checkout.email },
      notFound,
    );
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
      summary: `${ctx.actor.email} checked in the license of ${checkout.email} on ${checkout.machineName}${checkout.email === ctx.actor.email ? ' (from the license tool)' : ''}`,
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
