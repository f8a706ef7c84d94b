// npm run bench (issue 11): Threshold measured side by side with a raw-SQL floor on a generated world
// of 20,000 users and the same world scaled down to 2,000, then issue 9's Deliverables Management
// measures; and issue 13's on PostgreSQL (bench/postgres.ts: sign-ins with 1, 2 and 3 instances on one
// database, the pages of 500), skipped with the reason when no throwaway PostgreSQL server can be started.
// Prints the table, writes bench/results/latest.json and docs/benchmarks.md.
// Targets are reported, never asserted: the exit code is non-zero only when the run cannot complete
// (including a floor that answers other bytes than Threshold: its figures would mean nothing).
//
//   npm run bench                      full run (about 11 minutes on 2 cores, 3 of them on PostgreSQL)
//   npm run bench -- --quick           2,000-user world only, fewer rounds; writes bench/results/quick.json
//   npm run bench -- --note "<text>"   a sentence for docs/benchmarks.md (e.g. "quiet machine")
//   npm run bench -- --postgres-port <port>   where the throwaway PostgreSQL server listens (55433)
//   npm run bench -- --only exports    issue 15's CSV export measure alone (prints it; writes nothing)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchDeliverables } from './deliverables.js';
import { benchExports } from './exports.js';
import { measurePostgres } from './postgres.js';
import { benchmarksMarkdown, printReport, type Run } from './report.js';
import { type Figure, FloorMismatch, measureWorld, type Settings } from './side-by-side.js';
import { buildWorld } from './world.js';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    note: { type: 'string' },
    'postgres-port': { type: 'string', default: '55433' },
    only: { type: 'string' },
  },
});
const quick = options.quick ?? false;

const settings: Settings = quick
  ? {
      rounds: 2,
      pageRuns: { 50: 20, 500: 6 },
      clients: [1, 8, 32],
      warmupMs: 300,
      durationMs: 1000,
      bulkRows: 5000,
      pollEveryMs: 5,
      memoryPages: 200,
    }
  : {
      rounds: 3,
      pageRuns: { 50: 40, 500: 15 },
      clients: [1, 8, 32],
      warmupMs: 500,
      durationMs: 2000,
      bulkRows: 5000,
      pollEveryMs: 5,
      memoryPages: 1000,
    };
const WORLDS = quick ? [2000] : [20_000, 2000];
const DELIVERABLES_USERS = quick ? 2000 : 10_000;

const root = new URL('..', import.meta.url);
const started = performance.now();
const log = (line: string) => console.log(line);
const workDir = mkdtempSync(join(tmpdir(), 'threshold-bench-'));

async function main(): Promise<Run> {
  const figures: Figure[] = [];
  const worlds: Run['worlds'] = [];
  for (const users of WORLDS) {
    log(`World of ${users.toLocaleString('en')} users (in ${workDir})`);
    const world = await buildWorld(users, workDir, log);
    worlds.push({
      users,
      buildMs: world.buildMs,
      dataSourceUsers: world.dataSourceUsers,
      groups: world.groups,
      usageRecords: world.usageRecords,
    });
    figures.push(...(await measureWorld(world, settings, workDir, log)));
  }
  const postgres = await measurePostgres(WORLDS[0] ?? 0, settings, Number(options['postgres-port']), log);
  log(`Deliverables Management, ${DELIVERABLES_USERS.toLocaleString('en')} users`);
  const deliverables = await benchDeliverables(DELIVERABLES_USERS);
  log('CSV export of usage records (HIS-3)');
  const exports = await benchExports(workDir, log);
  return {
    date: new Date().toISOString().slice(0, 10),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    note: options.note ?? null,
    targetWorld: WORLDS[0] ?? 0,
    worlds,
    figures,
    postgres,
    deliverables: { users: DELIVERABLES_USERS, results: deliverables },
    exports,
    durationMs: performance.now() - started,
  };
}

/** The whole run: the report printed, bench/results/*.json and (full runs) docs/benchmarks.md written. */
async function fullRun(): Promise<void> {
  const run = await main();
  printReport(run);
  const results = new URL('bench/results/', root);
  mkdirSync(results, { recursive: true });
  const json = new URL(quick ? 'quick.json' : 'latest.json', results);
  writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
  log(`\nWrote bench/results/${quick ? 'quick.json' : 'latest.json'}`);
  if (!quick) {
    writeFileSync(new URL('docs/benchmarks.md', root), benchmarksMarkdown(run));
    log('Wrote docs/benchmarks.md');
  }
}

try {
  if (options.only === 'exports') {
    log('CSV export of usage records (HIS-3)');
    console.log(JSON.stringify(await benchExports(workDir, log), null, 2));
  } else if (options.only !== undefined) {
    throw new Error(`--only ${options.only}: the only measure run alone is "exports"`);
  } else {
    await fullRun();
  }
} catch (error) {
  console.error(
    error instanceof FloorMismatch
      ? `The floor is wrong (it must answer Threshold's bytes):\n${error.message}`
      : `The benchmark could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
// Every server child has been stopped; exit even if a keep-alive socket lingers.
process.exit();
