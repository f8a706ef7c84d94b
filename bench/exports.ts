// HIS-3 (issue 15): the CSV export of usage records, downloaded over HTTP from a server in its own
// process, as a client would — its time, and the server's resident memory sampled throughout (GET
// /__bench/stats every 10 ms). The same world is exported three times, 10,000, 100,000 and 300,000
// records (the first part of the period, then more of it), each from a fresh server: streaming in
// constant memory means three times the rows costs three times the time but no more memory. (Below a
// few hundred thousand records the peak still rises with the rows: the garbage each batch leaves is
// collected when V8's old generation reaches its limit, not at once — with --max-old-space-size=100 the
// 100,000-record export peaks at the 10,000-record figure, measured.)
//
// The world: one account "Export Engineering" with 2,000 members who signed in to its data source 300,000
// times over a year. Built like bench/world.ts: profiles, the account and the data source through the
// services; the records bulk-inserted (through signInToDataSource they would take minutes), each with a
// kept decision (HIS-1) of the shape a real sign-in keeps — one per member, as identical decisions are
// stored once.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'drizzle-orm';
import { keepDecision, placeholder } from '../src/access/rules/kept-decision.js';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import * as dataSources from '../src/data-sources/service.js';
import { inTransaction, migrateDatabase, openDatabase } from '../src/db/client.js';
import { prepareStatement } from '../src/db/prepared.js';
import { rawRun } from '../src/db/query.js';
import { usageDecisions, usageRecords } from '../src/db/schema.js';
import * as identity from '../src/identity/service.js';
import { loadSigningKey } from '../src/licensing/license-keys.js';
import { benchAuth } from './auth.js';
import { type Server, send, startServer, stopServer } from './http.js';

export interface ExportBench {
  records: number;
  ms: number;
  bytes: number;
  rows: number;
  /** The server's resident memory once warmed up, before the download (MiB). */
  startRssMiB: number;
  /** The highest resident memory sampled during the download (MiB). */
  peakRssMiB: number;
}

/** The acceptance size (100,000), a tenth of it, and three times it: memory must not follow the row count. */
export const EXPORT_SIZES = [10_000, 100_000, 300_000] as const;
const MEMBERS = 2000;
const YEAR_MS = 365 * 24 * 3600 * 1000;

interface ExportWorld {
  file: string;
  accountId: string;
  adminEmail: string;
  start: Date;
  stepMs: number;
}

async function buildExportWorld(dir: string, records: number): Promise<ExportWorld> {
  const database = openDatabase({ source: ':memory:' });
  await migrateDatabase(database);
  const db = database.db;
  const now = new Date();
  await loadSigningKey(db, undefined, now);
  const admin = await identity.registerProfile(
    db,
    { email: 'admin@export.example', subject: null, name: 'Export Admin' },
    { usageCountry: 'US' },
    now,
  );
  const account = await identity.createAccount(
    { db, actor: admin, now },
    { name: 'Export Engineering', emailDomains: ['export.example'] },
  );
  const ds = await dataSources.createDataSource(
    { db, actor: admin, now },
    { accountId: account.id, name: 'Export Projects', imsAuthEnabled: true },
  );
  const members: string[] = [];
  for (let i = 0; i < MEMBERS; i += 1) {
    const email = `user${String(i).padStart(4, '0')}@export.example`;
    const user = await identity.registerProfile(db, { email, subject: null, name: null }, { usageCountry: 'US' }, now);
    members.push(user.id);
  }
  // One kept decision per member, as a granted sign-in of theirs keeps it (ACC-1…LIC-1.3).
  const decisions = members.map((_, i) =>
    keepDecision(
      [
        {
          rule: 'ACC-1',
          outcome: 'PASSED',
          detail: `IMS authentication is enabled on "${placeholder('dataSource')}".`,
        },
        {
          rule: 'ACC-2',
          outcome: 'PASSED',
          detail: `Data-source user "${placeholder('login')}" has the identity ${placeholder('email')}.`,
        },
        {
          rule: 'ACC-3',
          outcome: 'PASSED',
          detail: `The caller is a member of the owner account ${placeholder('owner')}.`,
        },
        { rule: 'LIC-1.1', outcome: 'SKIPPED', detail: `No reserved PW_EXPLORER license is imported on WS-${i}.` },
        { rule: 'LIC-1.2', outcome: 'SKIPPED', detail: 'The data-source user is set to OWN_ORGANIZATION.' },
        {
          rule: 'LIC-1.3',
          outcome: 'APPLIED',
          detail: 'Export Engineering holds an active entitlement for PW_EXPLORER in US: billed to Export Engineering.',
        },
      ],
      {
        dataSource: 'Export Projects',
        owner: 'Export Engineering',
        email: `user${String(i).padStart(4, '0')}@export.example`,
        login: `user${i}`,
      },
    ),
  );
  const start = new Date(now.getTime() - YEAR_MS);
  const stepMs = Math.floor(YEAR_MS / records);
  await inTransaction(db, async (tx) => {
    for (const d of decisions) await tx.insert(usageDecisions).values(d);
    const insert = prepareStatement(
      tx.insert(usageRecords).values({
        at: sql.placeholder('at'),
        userId: sql.placeholder('userId'),
        consumerAccountId: account.id,
        dataSourceId: ds.id,
        dataSourceUserId: sql.placeholder('dataSourceUserId'),
        productCode: 'PW_EXPLORER',
        machineName: sql.placeholder('machineName'),
        licenseSource: 'OWN_ORGANIZATION',
        billedAccountId: account.id,
        decisionId: sql.placeholder('decisionId'),
      }),
      'bench_insert_export_record',
    );
    for (let i = 0; i < records; i += 1) {
      const member = (i * 7919) % MEMBERS;
      await insert.run({
        at: new Date(start.getTime() + i * stepMs),
        userId: members[member],
        dataSourceUserId: `dsu-${member}`,
        machineName: `WS-${member}`,
        decisionId: decisions[member]?.id,
      });
    }
  });
  const file = join(dir, 'exports.db');
  await rawRun(db, sql`vacuum`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, database.serialize());
  await database.close();
  await openDatabase({ source: file }).close();
  return { file, accountId: account.id, adminEmail: admin.email, start, stepMs };
}

/** The server's resident memory (MiB), on a connection of its own (a busy server may drop a kept-alive one). */
const rssOf = async (server: Server) =>
  (JSON.parse((await send({ port: server.port }, 'GET', '/__bench/stats')).body.toString()) as { rss: number }).rss /
  2 ** 20;

/** Downloads one export, consuming the body as it arrives; samples the server's RSS meanwhile. */
async function measureOne(world: ExportWorld, records: number, token: string): Promise<ExportBench> {
  const server = await startServer('Threshold', 'threshold-server.ts', world.file);
  try {
    // Warm up: modules loaded, the statements prepared, one small export through the same path.
    const query = (to: Date) =>
      `/exports/usage-records.csv?${new URLSearchParams({
        accountId: encodeGlobalID('Account', world.accountId),
        from: world.start.toISOString(),
        to: to.toISOString(),
      })}`;
    const warm = await fetch(
      `http://127.0.0.1:${server.port}${query(new Date(world.start.getTime() + 100 * world.stepMs))}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (warm.status !== 200) throw new Error(`export warm-up answered ${warm.status}: ${await warm.text()}`);
    await warm.text();
    const startRssMiB = await rssOf(server);
    let peakRssMiB = startRssMiB;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRssMiB = Math.max(peakRssMiB, await rssOf(server));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const began = performance.now();
    const response = await fetch(
      `http://127.0.0.1:${server.port}${query(new Date(world.start.getTime() + records * world.stepMs))}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (response.status !== 200) throw new Error(`export answered ${response.status}`);
    let bytes = 0;
    let rows = 0;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      // Lines, roughly (an explanation spans several): counted exactly below from the kept format.
      for (const byte of value) if (byte === 10) rows += 1;
    }
    const ms = performance.now() - began;
    sampling = false;
    await sampler;
    peakRssMiB = Math.max(peakRssMiB, await rssOf(server));
    // Each record's explanation has 6 steps on 6 lines (5 line breaks inside its quoted cell); plus the header.
    const recordsSeen = (rows - 1) / 6;
    if (recordsSeen !== records) throw new Error(`the export had ${recordsSeen} records, not ${records}`);
    return { records, ms, bytes, rows: recordsSeen, startRssMiB, peakRssMiB };
  } finally {
    await stopServer(server);
  }
}

export async function benchExports(dir: string, log: (line: string) => void): Promise<ExportBench[]> {
  const largest = EXPORT_SIZES[EXPORT_SIZES.length - 1] as number;
  const built = performance.now();
  const world = await buildExportWorld(dir, largest);
  log(
    `  world with ${largest.toLocaleString('en')} usage records: ${((performance.now() - built) / 1000).toFixed(1)} s`,
  );
  const token = await mintDevelopmentToken(benchAuth, world.adminEmail);
  const results: ExportBench[] = [];
  for (const records of EXPORT_SIZES) {
    const result = await measureOne(world, records, token);
    log(
      `  ${records.toLocaleString('en')} records: ${(result.ms / 1000).toFixed(2)} s, ${(result.bytes / 2 ** 20).toFixed(1)} MiB of CSV, RSS ${result.startRssMiB.toFixed(0)} → peak ${result.peakRssMiB.toFixed(0)} MiB`,
    );
    results.push(result);
  }
  return results;
}
