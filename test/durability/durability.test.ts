// Issue 12, durability (`npm run test:durability`, run by .ci/run, not by `npm test`): the server is
// killed with SIGKILL during a write load and during a 5,000-row bulk checkout. After each kill the
// database file passes `PRAGMA integrity_check`, every write the server acknowledged is there, a bulk
// batch is all or nothing, and the server starts again on the file and is ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mintDevelopmentToken } from '../../src/auth/tokens.js';
import { type AuthConfig, DEV_AUDIENCE, DEV_ISSUER } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'durability-test-secret-of-at-least-32-characters';
const AUTH: AuthConfig = {
  kind: 'hs256',
  secret: new TextEncoder().encode(SECRET),
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
};
const ADMIN = 'alice@harbor-eng.example';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const task of cleanup.splice(0)) task();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Running {
  child: ChildProcess;
  url: string;
}

/** `npm start`'s command on `dataDir` (demo world on a new database); resolves once it listens. */
async function start(dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      THRESHOLD_DATA_DIR: dataDir,
      THRESHOLD_DEMO: '1',
      THRESHOLD_JWT_SECRET: SECRET,
      THRESHOLD_LOG_LEVEL: 'silent',
      THRESHOLD_BULK_CHECKOUT_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Threshold is listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before listening: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function killHard(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGKILL');
  await exited;
}

async function gql(running: Running, token: string, query: string, variables?: unknown) {
  const response = await fetch(`${running.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

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
  const token = await mintDevelopmentToken(AUTH, ADMIN, undefined, '1h');
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
    const seen: string[] = [];
    for (const [attempt, share] of [0.5, 0.85, 0.92, 0.97, 1.0].entries()) {
      const sent = bulk(attempt + 1).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, whole * share));
      await killHard(running);
      const answer = await sent;
      const after = inspect(dataDir);
      expect(after.integrity).toBe('ok');
      const batch = after.checkouts.filter((c) => c.email.startsWith(`bulk${attempt + 1}-`)).length;
      expect([0, 5000]).toContain(batch);
      // Acknowledged means stored.
      if (answer?.data?.createBulkLicenseCheckout?.count === 5000) expect(batch).toBe(5000);
      expect(after.products).toBe(after.checkouts.length);
      seen.push(`${Math.round(whole * share)} ms: ${batch}`);
      running = await start(dataDir);
    }
    await killHard(running);
    console.log(`a whole bulk checkout: ${Math.round(whole)} ms; after kill -9 at ${seen.join(', ')} checkouts`);
  });
});
