// LIC-8: bulk checkout from a CSV, all or nothing. The CPU work (parsing, checking, 5,000 signatures)
// is prepared without holding the event loop; the write is one short transaction that re-checks.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pipeline, Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse';
import { appendAudit } from '../../audit/service.js';
import { inTransaction, type Reader } from '../../db/client.js';
import type { LicenseCheckoutRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { normalizeEmail } from '../../identity/rules.js';
import type { ServiceContext } from '../../service-context.js';
import type { SigningKey } from '../license-keys.js';
import { signLicenseOffThread } from '../rules/license-file.js';
import type { CreateCheckoutInput } from './checkout.js';
import {
  activeCheckoutKeys,
  type CheckoutTerms,
  checkoutTerms,
  insertCheckouts,
  licenseContent,
  MAX_BULK_ROWS,
  newestCheckout,
  type SignedCheckout,
} from './shared.js';

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
export const SLICE_MS = 4;

/** Characters handed to csv-parse per turn of the event loop. */
export const CSV_SLICE_CHARS = 4096;

/** Signatures in flight on the thread pool at once (leaves room for other users of the pool). */
export const SIGNATURES_IN_FLIGHT = 32;

/** Rows per duplicate-checkout query while preparing (one query for all of them at commit). */
export const ROWS_PER_DUPLICATE_QUERY = 250;

/** Signing again because the terms changed during preparation: at most this many times. */
export const MAX_SIGNING_ATTEMPTS = 3;

/**
 * Calls `each` for every item, giving the event loop a turn whenever SLICE_MS have passed.
 * Hand-written (a dozen lines) because the libraries that map with concurrency limits (p-map and
 * kin) bound promises in flight, not time spent on the thread.
 */
export async function inSlices<T>(items: readonly T[], each: (item: T) => void): Promise<void> {
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

export interface CsvRow {
  line: number;
  email: string;
  machineName: string;
  columnCount?: number;
}

/** Reads `email,machineName` rows (header required) with csv-parse; line numbers are the file's. */
export async function readBulkCsv(csv: string): Promise<CsvRow[]> {
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

export interface BulkRow {
  line: number;
  email: string;
  machineName: string;
}

/** LIC-8: the rows that are well-formed and distinct, and one error per other row. */
export async function checkBulkRows(rows: readonly CsvRow[]): Promise<{ valid: BulkRow[]; errors: BulkRowError[] }> {
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

/**
 * LIC-6 for a batch: one error per row that already has an active checkout (one set-based query). With
 * `createdAfter`, only checkouts created after that point are looked at (the commit's re-check: the
 * ones before it were checked while preparing, and check-ins or expiries only remove duplicates).
 */
export async function activeDuplicates(
  tx: Reader,
  ctx: ServiceContext,
  terms: CheckoutTerms,
  rows: readonly BulkRow[],
  createdAfter?: number,
) {
  const active = await activeCheckoutKeys(
    tx,
    terms.account.id,
    createdAfter === undefined ? rows.map((r) => r.email) : null,
    terms.products.map((p) => p.product),
    ctx.now,
    createdAfter,
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

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}

/** LIC-7 for every row: signatures on the thread pool, a bounded number at a time. */
export async function signBulk(
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
  /** The newest checkout (rowid) when the duplicate check began: the commit re-checks only later ones. */
  checkedUpTo: number;
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
  const terms = await checkoutTerms(ctx.db, ctx, input);
  const { valid, errors } = await checkBulkRows(csvRows);
  const checkedUpTo = await newestCheckout(ctx.db);
  // The same query as at commit, a slice of rows per turn of the event loop.
  for (const slice of chunksOf(valid, ROWS_PER_DUPLICATE_QUERY)) {
    errors.push(...(await activeDuplicates(ctx.db, ctx, terms, slice)));
    await nextTurn();
  }
  if (errors.length > 0) throw new BulkCheckoutError(errors.sort((a, b) => a.row - b.row));
  return { input, rows: valid, terms, signed: await signBulk(ctx, signing, terms, valid), checkedUpTo };
}

/** The license files name the account and the expiry: they stay right while these do. */
export const signedTermsHold = (now: CheckoutTerms, signed: CheckoutTerms) =>
  now.account.id === signed.account.id &&
  now.account.name === signed.account.name &&
  now.expiresAt.getTime() === signed.expiresAt.getTime();

/**
 * LIC-8, one short transaction: re-checks what may have changed since preparing (the admin's role,
 * entitlements and restrictions through the terms, active duplicates), then inserts every checkout
 * or none. Returns null, writing nothing, when the terms changed so that the signed files are stale.
 */
export async function commitBulkCheckout(
  ctx: ServiceContext,
  prepared: PreparedBulkCheckout,
): Promise<LicenseCheckoutRow[] | null> {
  return inTransaction(ctx.db, async (tx) => {
    const terms = await checkoutTerms(tx, ctx, prepared.input);
    if (!signedTermsHold(terms, prepared.terms)) return null;
    const duplicates = await activeDuplicates(tx, ctx, terms, prepared.rows, prepared.checkedUpTo);
    if (duplicates.length > 0) throw new BulkCheckoutError(duplicates);
    const created = await insertCheckouts(tx, ctx, terms, prepared.signed);
    await appendAudit(tx, {
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
    const created = await commitBulkCheckout(ctx, prepared);
    if (created) return created;
    if (attempt === MAX_SIGNING_ATTEMPTS) {
      throw new Error(`the checkout terms changed ${attempt} times while the bulk checkout was being signed`);
    }
    const terms = await checkoutTerms(ctx.db, ctx, input);
    prepared = { ...prepared, terms, signed: await signBulk(ctx, signing, terms, prepared.rows) };
  }
}
