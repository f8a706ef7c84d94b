// Issue 11's measures on one generated world: Threshold (bench/threshold-server.ts) and the raw-SQL floor
// (bench/floor-server.ts), each in its own process on its own copy of the world, measured interleaved —
// round 1 Threshold then floor, round 2 floor then Threshold, … — and reported as the median over rounds.
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import { benchAuth } from './auth.js';
import { bulkWithPolls, warmUpBulk } from './bulk-latency.js';
import {
  graphql,
  latencies,
  median,
  percentile,
  type Response,
  type Server,
  startServer,
  stats,
  stopServer,
  throughput,
} from './http.js';
import { decisionBody, pageBody } from './operations.js';
import { buildBundle, timeStartup } from './startup.js';
import { copyWorld, type World } from './world.js';

export interface Settings {
  rounds: number;
  /** Timed requests per round for pages of 50 and of 500 (after a few untimed ones). */
  pageRuns: { 50: number; 500: number };
  clients: number[];
  warmupMs: number;
  durationMs: number;
  bulkRows: number;
  pollEveryMs: number;
  memoryPages: number;
}

/** One figure of both servers; `lowerIsBetter` says how the ratio reads (Threshold's cost over the floor's). */
export interface Figure {
  world: number;
  key: string;
  measure: string;
  unit: 'ms' | '/s' | 'MiB' | 'statements';
  threshold: number;
  floor: number | null;
  /** How many times the floor's performance Threshold's is (>1: Threshold is slower / uses more). */
  ratio: number | null;
  /** Every round's value, for latest.json. */
  rounds?: { threshold: number[]; floor: number[] };
}

/** A floor that answers other bytes than Threshold is wrong: the run stops (bench/run.ts exits 1). */
export class FloorMismatch extends Error {}

const text = (r: Response) => r.body.toString('utf8');

/** Same status and bytes from both servers, or FloorMismatch naming where they part. */
function assertSameBytes(what: string, a: Response, b: Response) {
  const x = text(a);
  const y = text(b);
  if (a.status === 200 && b.status === 200 && x === y && !x.includes('"errors"')) return;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i += 1;
  throw new FloorMismatch(
    `${what}: Threshold (${a.status}) and the floor (${b.status}) answer different bytes at ${i}:\n` +
      `  Threshold: …${x.slice(Math.max(0, i - 60), i + 120)}\n  floor:     …${y.slice(Math.max(0, i - 60), i + 120)}`,
  );
}

/** Alternates the order of the two servers from round to round. */
async function interleaved<T>(
  rounds: number,
  servers: [Server, Server],
  run: (server: Server, round: number) => Promise<T>,
): Promise<[T[], T[]]> {
  const results: [T[], T[]] = [[], []];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) results[i as 0 | 1].push(await run(servers[i as 0 | 1], round));
  }
  return results;
}

/** Statements per request, counted by each server over `n` sequential requests. */
export async function statementsPerRequest(server: Server, body: string, token: string, n = 5): Promise<number> {
  const before = await stats(server);
  for (let i = 0; i < n; i += 1) await graphql(server, body, token);
  return ((await stats(server)).statements - before.statements) / n;
}

const ratioOf = (unit: Figure['unit'], threshold: number, floor: number | null) =>
  floor === null || floor === 0 ? null : unit === '/s' ? floor / threshold : threshold / floor;

function figure(
  world: number,
  key: string,
  measure: string,
  unit: Figure['unit'],
  rounds: [number[], number[]] | null,
  values?: { threshold: number; floor: number | null },
): Figure {
  const threshold = values?.threshold ?? median(rounds?.[0] ?? []);
  const floor = values ? values.floor : median(rounds?.[1] ?? []);
  return {
    world,
    key,
    measure,
    unit,
    threshold,
    floor,
    ratio: ratioOf(unit, threshold, floor),
    ...(rounds ? { rounds: { threshold: rounds[0], floor: rounds[1] } } : {}),
  };
}

export async function measureWorld(
  world: World,
  settings: Settings,
  workDir: string,
  log: (line: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const n = world.users;
  const adminToken = await mintDevelopmentToken(benchAuth, world.admin.email);
  const callerToken = await mintDevelopmentToken(benchAuth, world.caller.email);
  const dataSourceId = encodeGlobalID('DataSource', world.dataSourceId);
  const accountId = encodeGlobalID('Account', world.bigAccountId);
  const start = () =>
    Promise.all([
      startServer('Threshold', './threshold-server.ts', copyWorld(world, 'threshold')),
      startServer('floor', './floor-server.ts', copyWorld(world, 'floor')),
    ]);
  let servers = await start();
  try {
    // Pages: byte-equality first, then statements per request, then latency rounds.
    for (const [kind, label] of [
      ['dataSourceUsers', 'data-source users + groups'],
      ['accountMembers', 'account members + IMS roles + home account'],
      ['accessReport', 'access report (IMP-5: who can get in, who pays)'],
    ] as const) {
      const counts: Record<number, [number, number]> = {};
      for (const size of [50, 500] as const) {
        const body = pageBody(kind, kind === 'accountMembers' ? accountId : dataSourceId, size);
        const [a, b] = [await graphql(servers[0], body, adminToken), await graphql(servers[1], body, adminToken)];
        assertSameBytes(`${label}, page of ${size}`, a, b);
        const bytes = a.body.length;
        counts[size] = [
          await statementsPerRequest(servers[0], body, adminToken),
          await statementsPerRequest(servers[1], body, adminToken),
        ];
        const check = (r: Response) => {
          if (r.status !== 200 || r.body.length !== bytes)
            throw new Error(`${label}: unexpected answer ${text(r).slice(0, 300)}`);
        };
        const runs = settings.pageRuns[size];
        const timed = await interleaved(settings.rounds, servers, (server) =>
          latencies(server, body, adminToken, runs, Math.ceil(runs / 5), check),
        );
        const stat = (p: number): [number[], number[]] => [
          timed[0].map((t) => percentile(t, p)),
          timed[1].map((t) => percentile(t, p)),
        ];
        figures.push(figure(n, `${kind}.${size}.p50`, `${label}, page of ${size}, p50`, 'ms', stat(50)));
        figures.push(figure(n, `${kind}.${size}.p95`, `${label}, page of ${size}, p95`, 'ms', stat(95)));
        log(
          `  ${label}, page of ${size}: p50 ${figures.at(-2)?.threshold.toFixed(1)} ms vs ${figures.at(-2)?.floor?.toFixed(1)} ms`,
        );
      }
      for (const size of [50, 500] as const) {
        const [t, f] = counts[size] ?? [Number.NaN, Number.NaN];
        figures.push(
          figure(
            n,
            `${kind}.${size}.statements`,
            `${label}, page of ${size}, SQL statements per request`,
            'statements',
            null,
            {
              threshold: t,
              floor: f,
            },
          ),
        );
      }
    }

    // Decisions per second at 1, 8 and 32 concurrent clients.
    for (const [kind, label] of [
      ['signIn', 'signInToDataSource'],
      ['explain', 'explainAccess'],
    ] as const) {
      const body = decisionBody(kind, dataSourceId);
      const [a, b] = [await graphql(servers[0], body, callerToken), await graphql(servers[1], body, callerToken)];
      assertSameBytes(label, a, b);
      if (!text(a).includes('"granted":true')) throw new Error(`${label} was not granted: ${text(a).slice(0, 300)}`);
      figures.push(
        figure(n, `${kind}.statements`, `${label}, SQL statements per request`, 'statements', null, {
          threshold: await statementsPerRequest(servers[0], body, callerToken),
          floor: await statementsPerRequest(servers[1], body, callerToken),
        }),
      );
      const check = (r: Response) => {
        if (r.status !== 200 || !r.body.includes('"granted":true'))
          throw new Error(`${label}: ${text(r).slice(0, 300)}`);
      };
      for (const clients of settings.clients) {
        const rates = await interleaved(settings.rounds, servers, (server) =>
          throughput(server, body, callerToken, clients, settings.warmupMs, settings.durationMs, check),
        );
        figures.push(
          figure(
            n,
            `${kind}.c${clients}`,
            `${label} decisions per second, ${clients} concurrent client${clients > 1 ? 's' : ''}`,
            '/s',
            rates,
          ),
        );
        log(
          `  ${label}, ${clients} client${clients > 1 ? 's' : ''}: ${figures.at(-1)?.threshold.toFixed(0)}/s vs ${figures.at(-1)?.floor?.toFixed(0)}/s`,
        );
      }
    }

    // Bulk checkout of 5,000 rows, with { viewer { id } } every 5 ms during it.
    for (const server of servers) await warmUpBulk(server, adminToken, accountId, `warm-${server.name}-`);
    const bulk = await interleaved(settings.rounds, servers, (server, round) =>
      bulkWithPolls(server, adminToken, accountId, `r${round}-`, settings.bulkRows, settings.pollEveryMs),
    );
    const rows = settings.bulkRows.toLocaleString('en');
    figures.push(
      figure(n, 'bulk.ms', `createBulkLicenseCheckout of ${rows} rows`, 'ms', [
        bulk[0].map((b) => b.bulkMs),
        bulk[1].map((b) => b.bulkMs),
      ]),
    );
    figures.push(
      figure(
        n,
        'bulk.worstSmallQuery',
        `worst { viewer { id } } latency during it (every ${settings.pollEveryMs} ms)`,
        'ms',
        [bulk[0].map((b) => b.worstSmallQueryMs), bulk[1].map((b) => b.worstSmallQueryMs)],
      ),
    );
    // The worst of all rounds, not the median: the target is that no request waits longer.
    const worst = figures.at(-1);
    if (worst) {
      worst.threshold = Math.max(...bulk[0].map((b) => b.worstSmallQueryMs));
      worst.floor = Math.max(...bulk[1].map((b) => b.worstSmallQueryMs));
      worst.ratio = ratioOf('ms', worst.threshold, worst.floor);
      worst.measure = `worst { viewer { id } } latency during it, every ${settings.pollEveryMs} ms (worst of all rounds)`;
    }
    log(`  bulk of ${rows}: ${figures.at(-2)?.threshold.toFixed(0)} ms vs ${figures.at(-2)?.floor?.toFixed(0)} ms`);
  } finally {
    await Promise.all(servers.map(stopServer));
  }

  // Startup on an existing database (the world's file, copied), after one untimed start of each (tsx's
  // cache): the bundle `npm run serve` runs (the target), `npm start`'s tsx for reference, the floor.
  await buildBundle();
  const startupFile = copyWorld(world, 'startup');
  const floorFile = copyWorld(world, 'startup-floor');
  const dataDir = join(workDir, 'data');
  await timeStartup('threshold', startupFile, dataDir);
  await timeStartup('threshold-tsx', startupFile, dataDir);
  await timeStartup('floor', floorFile, dataDir);
  const starts: [number[], number[]] = [[], []];
  const startsTsx: [number[], number[]] = [[], []];
  const health: [number[], number[]] = [[], []];
  for (let round = 0; round < settings.rounds; round += 1) {
    const t = await timeStartup('threshold', startupFile, dataDir);
    const tsx = await timeStartup('threshold-tsx', startupFile, dataDir);
    const f = await timeStartup('floor', floorFile, dataDir);
    starts[0].push(t.firstQueryMs);
    starts[1].push(f.firstQueryMs);
    startsTsx[0].push(tsx.firstQueryMs);
    startsTsx[1].push(f.firstQueryMs);
    health[0].push(t.healthMs);
    health[1].push(f.healthMs);
  }
  figures.push(
    figure(n, 'startup.health', 'startup (npm run serve) on an existing database to /health 200', 'ms', health),
  );
  figures.push(
    figure(
      n,
      'startup.firstQuery',
      'startup (npm run serve) on an existing database to a first GraphQL answer',
      'ms',
      starts,
    ),
  );
  log(`  startup: ${figures.at(-1)?.threshold.toFixed(0)} ms to a first GraphQL answer`);
  figures.push(
    figure(
      n,
      'startup.firstQuery.tsx',
      'startup (npm start: tsx compiles src/) on an existing database to a first GraphQL answer',
      'ms',
      startsTsx,
    ),
  );

  // Resident memory after `memoryPages` pages of 500 (both lists in turn), on fresh processes.
  servers = await start();
  try {
    const bodies = [pageBody('dataSourceUsers', dataSourceId, 500), pageBody('accountMembers', accountId, 500)];
    const before = await Promise.all(servers.map(stats));
    await Promise.all(
      servers.map(async (server) => {
        for (let i = 0; i < settings.memoryPages; i += 1) {
          const r = await graphql(server, bodies[i % 2] ?? '', adminToken);
          if (r.status !== 200) throw new Error(`${server.name}: ${text(r).slice(0, 300)}`);
        }
      }),
    );
    const after = await Promise.all(servers.map(stats));
    const mib = (s: { rss: number } | undefined) => (s?.rss ?? Number.NaN) / 2 ** 20;
    figures.push(
      figure(n, 'rss.start', 'resident memory after start', 'MiB', null, {
        threshold: mib(before[0]),
        floor: mib(before[1]),
      }),
    );
    figures.push(
      figure(
        n,
        'rss.pages',
        `resident memory after ${settings.memoryPages.toLocaleString('en')} pages of 500`,
        'MiB',
        null,
        {
          threshold: mib(after[0]),
          floor: mib(after[1]),
        },
      ),
    );
    log(`  RSS: ${figures.at(-1)?.threshold.toFixed(0)} MiB vs ${figures.at(-1)?.floor?.toFixed(0)} MiB`);
  } finally {
    await Promise.all(servers.map(stopServer));
  }
  return figures;
}
