// LIC-8 under load: how long does a 5,000-row bulk checkout take, and how long do small queries wait
// while it runs? The server (Threshold or the floor, bench/http.ts startServer) runs in its own process
// behind a real HTTP server on loopback; this process sends the bulk request and, meanwhile,
// `{ viewer { id } }` every few milliseconds. The bulk response is only drained (not parsed) until the
// polling stops, so this process's own work does not delay the polls it is timing.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { graphql, type Response, type Server } from './http.js';
import { bulkBody, VIEWER } from './operations.js';

export interface BulkLatencyResult {
  rows: number;
  /** The worst latency of a small query sent while the bulk request was in flight. */
  worstSmallQueryMs: number;
  smallQueries: number;
  bulkMs: number;
}

const smallQueryBody = JSON.stringify({ query: VIEWER });

async function smallQuery(server: Server, token: string) {
  const response = await graphql(server, smallQueryBody, token);
  const json = JSON.parse(response.body.toString('utf8')) as { data?: { viewer?: unknown } };
  if (!json.data?.viewer) throw new Error(`${server.name}: viewer query failed: ${response.body.toString('utf8')}`);
}

function checkBulk(server: Server, response: Response, rows: number) {
  const json = JSON.parse(response.body.toString('utf8')) as {
    data?: { createBulkLicenseCheckout?: { count?: number } };
  };
  if (json.data?.createBulkLicenseCheckout?.count !== rows) {
    throw new Error(`${server.name}: bulk checkout failed: ${response.body.toString('utf8').slice(0, 500)}`);
  }
}

/** Warm-up (JIT, connections): small queries and a smaller batch. */
export async function warmUpBulk(server: Server, token: string, accountId: string, prefix: string): Promise<void> {
  for (let i = 0; i < 50; i += 1) await smallQuery(server, token);
  checkBulk(server, await graphql(server, bulkBody(accountId, prefix, 500), token), 500);
}

/** One bulk checkout of `rows` new pairs (`prefix` keeps them new, LIC-6) with small queries polled. */
export async function bulkWithPolls(
  server: Server,
  token: string,
  accountId: string,
  prefix: string,
  rows: number,
  pollEveryMs: number,
): Promise<BulkLatencyResult> {
  const body = bulkBody(accountId, prefix, rows);
  let bulkDone = false;
  const latencies: number[] = [];
  const poller = (async () => {
    while (!bulkDone) {
      const start = performance.now();
      await smallQuery(server, token);
      latencies.push(performance.now() - start);
      await sleep(pollEveryMs);
    }
  })();
  await sleep(20);
  const start = performance.now();
  const response = await graphql(server, body, token);
  const bulkMs = performance.now() - start;
  bulkDone = true;
  await poller;
  checkBulk(server, response, rows);
  return { rows, worstSmallQueryMs: Math.max(...latencies), smallQueries: latencies.length, bulkMs };
}
