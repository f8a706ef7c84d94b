// LIC-8 under load: how long do small queries wait while a 5,000-row bulk checkout runs?
// The server runs in a child process (bench/bulk-server.ts) behind a real HTTP server on loopback;
// this process sends the bulk request and, meanwhile, `{ viewer { id } }` every few milliseconds.
// The bulk response is only drained (not parsed) until the polling stops, so this process's own
// work does not delay the polls it is timing.
import { type ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import { benchAuth } from './auth.js';

export interface BulkLatencyResult {
  rows: number;
  /** The worst latency of a small query sent while the bulk request was in flight. */
  worstSmallQueryMs: number;
  smallQueries: number;
  bulkMs: number;
}

interface Started {
  child: ChildProcess;
  url: string;
  accountId: string;
  email: string;
}

async function startServer(): Promise<Started> {
  const script = fileURLToPath(new URL('./bulk-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (!child.stdout) throw new Error('the bench server has no stdout');
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const { port, accountId, email } = JSON.parse(line) as { port: number; accountId: string; email: string };
    return { child, url: `http://127.0.0.1:${port}/graphql`, accountId, email };
  }
  throw new Error('the bench server exited before listening');
}

const BULK = `mutation($input: CreateBulkLicenseCheckoutInput!) { createBulkLicenseCheckout(input: $input) {
  __typename ... on CreateBulkLicenseCheckoutSuccess { count checkouts { id email machineName licenseFile } }
  ... on Error { code message } } }`;

export async function benchBulkLatency(rows: number, pollEveryMs: number): Promise<BulkLatencyResult> {
  const server = await startServer();
  try {
    const token = await mintDevelopmentToken(benchAuth, server.email);
    const post = (body: unknown) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const smallQuery = async () => {
      const json = (await (await post({ query: '{ viewer { id } }' })).json()) as { data?: { viewer?: unknown } };
      if (!json.data?.viewer) throw new Error(`viewer query failed: ${JSON.stringify(json)}`);
    };
    const bulk = async (prefix: string, n: number) => {
      const csv = ['email,machineName', ...Array.from({ length: n }, (_, i) => `${prefix}${i}@crew.example,PC-${i}`)];
      const response = await post({
        query: BULK,
        variables: {
          input: {
            accountId: server.accountId,
            csv: csv.join('\n'),
            products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
            entitlementCountry: 'DE',
          },
        },
      });
      return response.arrayBuffer();
    };
    const checkBulk = (bytes: ArrayBuffer, n: number) => {
      const json = JSON.parse(new TextDecoder().decode(bytes)) as {
        data?: { createBulkLicenseCheckout?: { count?: number } };
      };
      if (json.data?.createBulkLicenseCheckout?.count !== n) {
        throw new Error(`bulk checkout failed: ${JSON.stringify(json).slice(0, 500)}`);
      }
    };

    // Warm-up (JIT, connections): small queries and a smaller batch.
    for (let i = 0; i < 50; i += 1) await smallQuery();
    checkBulk(await bulk('warm', 500), 500);

    let bulkDone = false;
    const latencies: number[] = [];
    const poller = (async () => {
      while (!bulkDone) {
        const start = performance.now();
        await smallQuery();
        latencies.push(performance.now() - start);
        await sleep(pollEveryMs);
      }
    })();
    await sleep(20);
    const start = performance.now();
    const bytes = await bulk('user', rows);
    const bulkMs = performance.now() - start;
    bulkDone = true;
    await poller;
    checkBulk(bytes, rows);
    return { rows, worstSmallQueryMs: Math.max(...latencies), smallQueries: latencies.length, bulkMs };
  } finally {
    server.child.kill('SIGTERM');
  }
}
