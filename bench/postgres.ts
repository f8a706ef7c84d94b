// Issue 13's measures on PostgreSQL: a throwaway server (.ci/postgres), the generated world of
// bench/world.ts built into it by a child process (bench/postgres-world.ts: this process has SQLite
// worlds open, and a process opens databases of one dialect only), then Threshold instances
// (bench/threshold-server.ts given the database's URL, each its own process with its own pool) on that
// one database: the pages of 500 on one instance, and signInToDataSource decisions per second with 1, 2
// and 3 instances, the clients spread over them — the same client loop, checks and settings as the
// SQLite figures (bench/side-by-side.ts), so the two read side by side.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import { benchAuth } from './auth.js';
import {
  graphql,
  latencies,
  median,
  percentile,
  type Response,
  type Server,
  startServer,
  stopServer,
  throughput,
} from './http.js';
import { decisionBody, pageBody } from './operations.js';
import { type Settings, statementsPerRequest } from './side-by-side.js';
import type { World } from './world.js';

/** How many instances share the database, in turn. */
export const INSTANCES = [1, 2, 3];

export interface PostgresResults {
  world: number;
  /** PostgreSQL's server_version. */
  serverVersion: string;
  /** Connections each instance keeps at most (THRESHOLD_DATABASE_POOL_SIZE). */
  poolSize: number;
  buildMs: number;
  /** signInToDataSource decisions per second, all instances together: the median over rounds. */
  signIn: { instances: number; clients: number; perSecond: number; rounds: number[] }[];
  /** Pages of 500 on one instance, keyed as the SQLite figures (`dataSourceUsers.500.p50`, …). */
  pages: { key: string; measure: string; unit: 'ms' | 'statements'; value: number; rounds?: number[] }[];
}

/** The PostgreSQL section of a run: its figures, or why it did not run. */
export type PostgresSection = PostgresResults | { skipped: string };

const root = fileURLToPath(new URL('..', import.meta.url));
const CI_POSTGRES = join(root, '.ci', 'postgres');
const text = (r: Response) => r.body.toString('utf8');

interface Running {
  url: string;
  dir: string;
}

/** `.ci/postgres start` in a new folder under the OS temp dir: its URL, or why it could not start. */
function startPostgres(port: number): Running | { skipped: string } {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-bench-pg-'));
  const started = spawnSync('bash', [CI_POSTGRES, 'start', dir, String(port)], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const url = started.stdout?.trim().split('\n').at(-1) ?? '';
  if (started.status === 0 && url.startsWith('postgres')) return { url, dir };
  let serverLog = '';
  try {
    serverLog = readFileSync(join(dir, 'server.log'), 'utf8');
  } catch {
    // no server was started
  }
  stopPostgres({ url, dir });
  const output = `${started.error?.message ?? started.stderr ?? ''}\n${serverLog}`;
  const why = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-3)
    .join(' / ');
  return { skipped: `.ci/postgres start on port ${port} failed (exit ${started.status}): ${why || 'no output'}` };
}

function stopPostgres({ dir }: Running): void {
  spawnSync('bash', [CI_POSTGRES, 'stop', dir], { encoding: 'utf8', timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
}

/** The world built into the database at `url` by bench/postgres-world.ts, its progress passed to `log`. */
async function buildWorldIn(
  url: string,
  users: number,
  log: (line: string) => void,
): Promise<World & { serverVersion: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./postgres-world.ts', import.meta.url)), String(users), url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr }).on('line', log);
  let last = '';
  for await (const line of createInterface({ input: child.stdout })) last = line;
  const code = await exited;
  if (code !== 0) throw new Error(`bench/postgres-world.ts exited with ${code}`);
  return JSON.parse(last) as World & { serverVersion: string };
}

/**
 * The PostgreSQL section: skipped (with the reason) when no server can be started on `port`; a failure
 * after that fails the run, as any other measure's does. The server is stopped and its folder removed
 * in every case, also on Ctrl-C.
 */
export async function measurePostgres(
  users: number,
  settings: Settings,
  port: number,
  log: (line: string) => void,
): Promise<PostgresSection> {
  log(`PostgreSQL: a throwaway server on port ${port} (.ci/postgres)`);
  const postgres = startPostgres(port);
  if ('skipped' in postgres) {
    log(`  skipped: ${postgres.skipped}`);
    return postgres;
  }
  const interrupted = (signal: NodeJS.Signals) => {
    stopPostgres(postgres);
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    log(`World of ${users.toLocaleString('en')} users on PostgreSQL`);
    const world = await buildWorldIn(postgres.url, users, log);
    return { ...(await measureInstances(world, settings, log)), serverVersion: world.serverVersion };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    stopPostgres(postgres);
  }
}

async function measureInstances(
  world: World,
  settings: Settings,
  log: (line: string) => void,
): Promise<Omit<PostgresResults, 'serverVersion'>> {
  const poolSize = Number(process.env.THRESHOLD_DATABASE_POOL_SIZE ?? 10);
  const adminToken = await mintDevelopmentToken(benchAuth, world.admin.email);
  const callerToken = await mintDevelopmentToken(benchAuth, world.caller.email);
  const dataSourceId = encodeGlobalID('DataSource', world.dataSourceId);
  const accountId = encodeGlobalID('Account', world.bigAccountId);
  const pages: PostgresResults['pages'] = [];
  const signIn: PostgresResults['signIn'] = [];
  const servers: Server[] = [];
  const start = async () => {
    servers.push(await startServer(`PostgreSQL instance ${servers.length + 1}`, './threshold-server.ts', world.file));
  };
  try {
    await start();
    const first = servers[0] as Server;
    // Pages of 500 on one instance, as the SQLite figures: an answer first, then statements per
    // request, then `rounds` rounds of sequential requests (p50 and p95 of each, median over rounds).
    for (const [kind, label] of [
      ['dataSourceUsers', 'data-source users + groups'],
      ['accountMembers', 'account members + IMS roles + home account'],
    ] as const) {
      const body = pageBody(kind, kind === 'dataSourceUsers' ? dataSourceId : accountId, 500);
      const answer = await graphql(first, body, adminToken);
      if (answer.status !== 200 || text(answer).includes('"errors"') || !text(answer).includes('"hasNextPage":true'))
        throw new Error(`${label} on PostgreSQL: ${text(answer).slice(0, 300)}`);
      const bytes = answer.body.length;
      const statements = await statementsPerRequest(first, body, adminToken);
      const check = (r: Response) => {
        if (r.status !== 200 || r.body.length !== bytes)
          throw new Error(`${label} on PostgreSQL: unexpected answer ${text(r).slice(0, 300)}`);
      };
      const runs = settings.pageRuns[500];
      const timed: number[][] = [];
      for (let round = 0; round < settings.rounds; round += 1)
        timed.push(await latencies(first, body, adminToken, runs, Math.ceil(runs / 5), check));
      for (const p of [50, 95]) {
        const rounds = timed.map((t) => percentile(t, p));
        pages.push({
          key: `${kind}.500.p${p}`,
          measure: `${label}, page of 500, p${p}`,
          unit: 'ms',
          value: median(rounds),
          rounds,
        });
      }
      pages.push({
        key: `${kind}.500.statements`,
        measure: `${label}, page of 500, SQL statements per request`,
        unit: 'statements',
        value: statements,
      });
      log(`  ${label}, page of 500 on PostgreSQL: p50 ${pages.at(-3)?.value.toFixed(1)} ms`);
    }

    // Sign-in decisions per second with 1, 2, 3 instances: all three run from here on, and the clients of
    // a measure with n instances use the first n (client i sends to instance i mod n; the others idle).
    const body = decisionBody('signIn', dataSourceId);
    const check = (r: Response) => {
      if (r.status !== 200 || !r.body.includes('"granted":true'))
        throw new Error(`signInToDataSource on PostgreSQL: ${text(r).slice(0, 300)}`);
    };
    while (servers.length < Math.max(...INSTANCES)) await start();
    // A new instance's first answers pay for its JIT and for its connections' first prepares: a second of
    // untimed sign-ins with the most clients, over every instance.
    const most = Math.max(...settings.clients, servers.length);
    await throughput(servers, body, callerToken, most, 1000, 1, check);
    for (const clients of settings.clients) {
      const rounds = new Map<number, number[]>(INSTANCES.map((n) => [n, []]));
      for (let round = 0; round < settings.rounds; round += 1) {
        // 1, 2, 3 instances, then 3, 2, 1, …: a machine whose load drifts favours none of them.
        for (const n of round % 2 === 0 ? INSTANCES : [...INSTANCES].reverse()) {
          const { warmupMs, durationMs } = settings;
          const rate = await throughput(servers.slice(0, n), body, callerToken, clients, warmupMs, durationMs, check);
          rounds.get(n)?.push(rate);
        }
      }
      for (const instances of INSTANCES) {
        const measured = rounds.get(instances) ?? [];
        signIn.push({ instances, clients, perSecond: median(measured), rounds: measured });
      }
      log(
        `  signInToDataSource on PostgreSQL, ${clients} client${clients > 1 ? 's' : ''}: ` +
          signIn
            .slice(-INSTANCES.length)
            .map((s) => `${s.perSecond.toFixed(0)}/s with ${s.instances}`)
            .join(', '),
      );
    }
  } finally {
    await Promise.all(servers.map(stopServer));
  }
  return { world: world.users, poolSize, buildMs: world.buildMs, signIn, pages };
}
