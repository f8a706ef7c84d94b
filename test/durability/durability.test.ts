// Issue 12, durability (`npm run test:durability`, run by .ci/run, not by `npm test`): the server is
// killed with SIGKILL during a write load and during a 5,000-row bulk checkout. After each kill the
// database file passes `PRAGMA integrity_check`, every write the server acknowledged is there, a bulk
// batch is all or nothing, and the server starts again on the file and is ready.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { gql, killHard, startServer, tokenFor } from '../helpers/processes.js';

const ADMIN = 'alice@harbor-eng.example';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const task of cleanup.splice(0)) task();
});
const start = (dataDir: string) => startServer(dataDir, (stop) => cleanup.push(stop));

const CHECKOUT = `mutation($input: CreateLicenseCheckoutInput!) { createLicenseCheckout(input: $input) {
  __typename ... on CreateLicenseCheckoutSuccess { checkout { id } } } }`;
const BULK = `mutation($input: CreateBulkLicenseCheckoutInput!) { createBulkLicenseCheckout(input: $input) {
  __typename ... on CreateBulkLicenseCheckoutSuccess { count } } }`;
const PRODUCTS = [{ product: 'PW_EXPLORER', version: '10.0.3.280' }];

/** The file as SQLite sees it after the crash: integrity, and what a query finds. */
function inspect(dataDir: string) {
  const db = new Database(join(dataDir, 'threshold.db'));
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const checkouts = db.prepare('select id, email from license_checkouts').all() as { id: string; email: string }[];
    const products = db.prepare('select count(*) as n from license_checkout_products').get() as { n: number };
    return { integrity, checkouts, products: products.n };
  } finally {
    db.close();
  }
}

async function setUp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-durability-'));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const running = await start(dataDir);
  const token = await tokenFor(ADMIN);
  const account = (await gql(running, token, '{ viewer { homeAccount { id } } }')).data?.viewer.homeAccount
    .id as string;
  return { dataDir, running, token, account };
}

describe('durability: kill -9', { timeout: 120_000 }, () => {
  it('during a write load: the file is intact and every acknowledged checkout is there', async () => {
    const { dataDir, running, token, account } = await setUp();
    const acknowledged: string[] = [];
    let stop = false;
    const client = async (n: number) => {
      for (let i = 0; !stop; i += 1) {
        const input = {
          accountId: account,
          email: `load${n}-${i}@crew.example`,
          machineName: `PC-${n}-${i}`,
          products: PRODUCTS,
          entitlementCountry: 'US',
        };
        try {
          const answer = await gql(running, token, CHECKOUT, { input });
          const id = answer.data?.createLicenseCheckout?.checkout?.id as string | undefined;
          if (id) acknowledged.push(Buffer.from(id, 'base64').toString('utf8').split(':')[1] ?? '');
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, n) => client(n));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await killHard(running);
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(20);
    const after = inspect(dataDir);
    expect(after.integrity).toBe('ok');
    const stored = new Set(after.checkouts.map((c) => c.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // Every stored checkout has its product (one transaction each).
    expect(after.products).toBe(after.checkouts.length);
    // And the server starts again on the file.
    const again = await start(dataDir);
    expect((await fetch(`${again.url}/ready`)).status).toBe(200);
    await killHard(again);
  });

  it('during 5,000-row bulk checkouts: each batch is all or nothing', async () => {
    const { dataDir, running: first, token, account } = await setUp();
    let running = first;
    const bulk = (attempt: number) => {
      const rows = Array.from({ length: 5000 }, (_, i) => `bulk${attempt}-${i}@crew.example,PC-${i}`);
      return gql(running, token, BULK, {
        input: {
          accountId: account,
          csv: ['email,machineName', ...rows].join('\n'),
          products: PRODUCTS,
          entitlementCountry: 'US',
        },
      });
    };
    // One batch undisturbed: how long a whole bulk checkout takes here; the kills aim at its last part,
    // where the one write transaction runs (parsing, checks and signing come first).
    const started = performance.now();
    expect((await bulk(0)).data?.createBulkLicenseCheckout?.count).toBe(5000);
    const whole = performance.now() - started;
    // Aim at the commit: a kill that found nothing stored aims later next time, one that found the batch
    // stored aims earlier; once both were seen, bisect between them, closing in on the moment of the
    // write (a kill inside it must find nothing, a batch split over two transactions would show half).
    const seen: string[] = [];
    const outcomes = new Set<number>();
    let before = 0; // the latest kill that found nothing
    let after = Number.POSITIVE_INFINITY; // the earliest kill that found the batch
    let delay = whole * 0.9;
    for (let attempt = 1; attempt <= 12 && after - before > 6; attempt += 1) {
      const sent = bulk(attempt).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await killHard(running);
      const answer = await sent;
      const stored = inspect(dataDir);
      expect(stored.integrity).toBe('ok');
      const batch = stored.checkouts.filter((c) => c.email.startsWith(`bulk${attempt}-`)).length;
      expect([0, 5000], `kills at ${[...seen, `${Math.round(delay)} ms: ${batch}`].join(', ')}`).toContain(batch);
      // Acknowledged means stored.
      if (answer?.data?.createBulkLicenseCheckout?.count === 5000) expect(batch).toBe(5000);
      expect(stored.products).toBe(stored.checkouts.length);
      seen.push(`${Math.round(delay)} ms: ${batch}`);
      outcomes.add(batch);
      if (batch === 0) before = Math.max(before, delay);
      else after = Math.min(after, delay);
      delay = Number.isFinite(after) && before > 0 ? (before + after) / 2 : batch === 0 ? delay * 1.12 : delay * 0.95;
      running = await start(dataDir);
    }
    expect([...outcomes].sort(), `kills at ${seen.join(', ')}`).toEqual([0, 5000]);
    await killHard(running);
    console.log(`a whole bulk checkout: ${Math.round(whole)} ms; after kill -9 at ${seen.join(', ')} checkouts`);
  });
});
