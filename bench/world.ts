// The generated world `npm run bench` measures (issue 11): built once per run into a SQLite file under
// the OS temp dir, then copied for every server that runs on it (each server writes: sign-ins append
// usage records and audit entries, bulk checkouts insert checkouts, so each gets its own copy of the
// same starting state).
//
// How it is built: through the real service functions of src/*/service.ts (profiles, accounts, members,
// IMS roles, associations, entitlements, the data source, its users and groups), so every row is one the
// server itself would have written, with its audit entries — about 40 s for 20,000 users on this 2-core
// machine (1–1.5 ms per member, 3 s for 2,000). Only the 50,000 usage records are bulk-inserted with Drizzle (one
// prepared insert in one transaction): through signInToDataSource they would take about a minute, and
// a usage record is a plain append (LIC-2) that no rule reads back during the measures.
//
// The world, for `users` = N (20,000, or 2,000 for the scaled-down one):
// - "Big Engineering" (big.example): 60 % of the users, every 20th member CO_ADMINISTRATOR, every 50th
//   CONNECT_SERVICES_ADMIN, every 200th ACCOUNT_ADMIN; entitlements PW_EXPLORER in US and DE.
// - 19 partner accounts "Partner 01"…"Partner 19" share 35 %; the other 5 % are unaffiliated.
// - Data source "Big Projects" of Big Engineering (IMS sign-in on, external IMS users allowed, external
//   licensing DENY) with N/2 data-source users (10,000 of the members and partners) plus the caller's
//   one = 10,001, in 50 groups (each user in one group, every 4th in a second one).
// - The caller (caller@partner01.example, member of Partner 01: external to the data source) has a
//   data-source user and is associated with Partner 02…06, of which only Partner 06 holds an entitlement:
//   a sign-in walks ACC-1…ACC-3, LIC-1.1…LIC-1.3 and four LIC-1.4 steps before it is billed.
// - 2.5 × N usage records (50,000 for 20,000 users) of past sign-ins to the data source.
//
// The same world is built into a PostgreSQL database by buildPostgresWorld (issue 13), in a process of its
// own (bench/postgres-world.ts: a process opens databases of one dialect only).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'drizzle-orm';
import * as dataSources from '../src/data-sources/service.js';
import { type Database_, inTransaction, migrateDatabase, openDatabase } from '../src/db/client.js';
import { openPostgresDatabase } from '../src/db/postgres.js';
import { prepareStatement } from '../src/db/prepared.js';
import { rawAll, rawRun } from '../src/db/query.js';
import { type ImsRole, usageRecords } from '../src/db/schema.js';
import * as identity from '../src/identity/service.js';
import { loadSigningKey } from '../src/licensing/license-keys.js';
import { inOrder } from '../test/helpers/in-order.js';

/** What the measures need to know about a generated world (ids are raw row ids). */
export interface World {
  users: number;
  /** The template file; servers run on copies (copyWorld). On PostgreSQL: the database's URL. */
  file: string;
  buildMs: number;
  bigAccountId: string;
  dataSourceId: string;
  admin: { id: string; email: string };
  caller: { id: string; email: string };
  dataSourceUsers: number;
  groups: number;
  usageRecords: number;
  bigMembers: number;
}

const pad = (n: number) => String(n).padStart(5, '0');

type Populated = Omit<World, 'file' | 'buildMs'>;

export async function buildWorld(users: number, dir: string, log: (line: string) => void = () => {}): Promise<World> {
  const started = performance.now();
  const database = openDatabase({ source: ':memory:' });
  await migrateDatabase(database);
  const world = await populate(database, users, started, log);
  const file = join(dir, `world-${users}.db`);
  await rawRun(database.db, sql`vacuum`);
  writeFileSync(file, database.serialize());
  await database.close();
  // Opening the file once in WAL mode (as every server does) so copies start in the same state.
  await openDatabase({ source: file }).close();
  const buildMs = performance.now() - started;
  log(`  usage records and file: ${(buildMs / 1000).toFixed(1)} s`);
  return { ...world, file, buildMs };
}

/**
 * The same world in the (new, empty) PostgreSQL database at `url`, through the same service functions;
 * then VACUUM ANALYZE, as autovacuum would do on its own soon after such a load (the planner's statistics).
 * Only in a process that opens no SQLite database (bench/postgres-world.ts).
 */
export async function buildPostgresWorld(
  users: number,
  url: string,
  log: (line: string) => void = () => {},
): Promise<World & { serverVersion: string }> {
  const started = performance.now();
  const database = openPostgresDatabase(url, { max: 2 });
  try {
    await migrateDatabase(database);
    const world = await populate(database, users, started, log);
    await rawRun(database.db, sql`vacuum analyze`);
    const version = await rawAll<{ server_version: string }>(database.db, sql`show server_version`);
    const buildMs = performance.now() - started;
    log(`  usage records and vacuum analyze: ${(buildMs / 1000).toFixed(1)} s`);
    return { ...world, file: url, buildMs, serverVersion: version[0]?.server_version ?? 'unknown' };
  } finally {
    await database.close();
  }
}

async function populate(
  database: Database_,
  users: number,
  started: number,
  log: (line: string) => void,
): Promise<Populated> {
  const now = new Date();
  const db = database.db;
  // LIC-7: the signing key a server would generate on first start, kept in the database.
  await loadSigningKey(db, undefined, now);
  const register = async (email: string, name: string, country = 'US') =>
    await identity.registerProfile(db, { email, subject: null, name }, { usageCountry: country }, now);

  // Accounts and their first admins.
  const bigAdmin = await register('admin@big.example', 'Big Admin');
  const big = await identity.createAccount(
    { db, actor: bigAdmin, now },
    { name: 'Big Engineering', emailDomains: ['big.example'] },
  );
  const bigCtx = { db, actor: { ...bigAdmin, homeAccountId: big.id }, now };
  const partners = await inOrder([...Array(19).keys()], async (p) => {
    const n = String(p + 1).padStart(2, '0');
    const admin = await register(`admin@partner${n}.example`, `Partner ${n} Admin`);
    const account = await identity.createAccount(
      { db, actor: admin, now },
      { name: `Partner ${n}`, emailDomains: [`partner${n}.example`] },
    );
    return { n, account, ctx: { db, actor: { ...admin, homeAccountId: account.id }, now } };
  });
  let profiles = 1 + partners.length;

  // The caller: a member of Partner 01, associated (oldest first) with Partner 02…06.
  const partner = (i: number) => partners[i] ?? (undefined as never);
  const callerEmail = 'caller@partner01.example';
  await register(callerEmail, 'Caller');
  const caller = await identity.addAccountMember(partner(0).ctx, {
    accountId: partner(0).account.id,
    email: callerEmail,
  });
  profiles += 1;
  for (let p = 1; p <= 5; p += 1) {
    await identity.associateExternalUser(partner(p).ctx, { accountId: partner(p).account.id, email: callerEmail });
  }
  await identity.addEntitlement(partner(5).ctx, {
    accountId: partner(5).account.id,
    productCode: 'PW_EXPLORER',
    country: 'US',
    contractEndDate: '2099-12-31',
  });
  for (const country of ['US', 'DE']) {
    await identity.addEntitlement(bigCtx, {
      accountId: big.id,
      productCode: 'PW_EXPLORER',
      country,
      contractEndDate: '2099-12-31',
    });
  }

  // Members: 60 % Big Engineering (with IMS roles), 35 % partners, the rest unaffiliated.
  const bigMembers = Math.round(users * 0.6) - 1;
  const partnerMembers = Math.round(users * 0.35) - partners.length - 1;
  const memberEmails: string[] = [];
  for (let i = 1; i <= bigMembers; i += 1) {
    const email = `m${pad(i)}@big.example`;
    await register(email, `Member ${pad(i)}`);
    const member = await identity.addAccountMember(bigCtx, { accountId: big.id, email });
    const roles: ImsRole[] = [];
    if (i % 20 === 0) roles.push('CO_ADMINISTRATOR');
    if (i % 50 === 0) roles.push('CONNECT_SERVICES_ADMIN');
    if (i % 200 === 0) roles.push('ACCOUNT_ADMIN');
    for (const role of roles) await identity.grantImsRole(bigCtx, { accountId: big.id, userId: member.id, role });
    memberEmails.push(email);
  }
  profiles += bigMembers;
  for (let i = 1; i <= partnerMembers; i += 1) {
    const p = partner(i % partners.length);
    const email = `p${pad(i)}@partner${p.n}.example`;
    await register(email, `Partner member ${pad(i)}`);
    await identity.addAccountMember(p.ctx, { accountId: p.account.id, email });
    memberEmails.push(email);
  }
  profiles += partnerMembers;
  for (let i = 1; profiles < users; i += 1, profiles += 1)
    await register(`u${pad(i)}@free.example`, `Freelancer ${pad(i)}`);
  log(`  ${users.toLocaleString('en')} profiles and members: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The data source, its users (half the users, from the members' emails) and 50 groups.
  const ds = await dataSources.createDataSource(bigCtx, {
    accountId: big.id,
    name: 'Big Projects',
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  const dsUserCount = Math.round(users / 2);
  const dsUsers: { id: string; userEmail: string }[] = [];
  for (let i = 0; i < dsUserCount; i += 1) {
    const email = memberEmails[i] ?? (undefined as never);
    const row = await dataSources.createDataSourceUser(bigCtx, {
      dataSourceId: ds.id,
      login: `user${pad(i + 1)}`,
      email,
      identity: email,
    });
    dsUsers.push({ id: row.id, userEmail: email });
  }
  const callerDsUser = await dataSources.createDataSourceUser(bigCtx, {
    dataSourceId: ds.id,
    login: 'caller',
    email: callerEmail,
    identity: callerEmail,
  });
  const GROUPS = 50;
  const members: string[][] = Array.from({ length: GROUPS }, () => []);
  dsUsers.forEach((u, i) => {
    members[i % GROUPS]?.push(u.id);
    if (i % 4 === 0) members[(i + 17) % GROUPS]?.push(u.id);
  });
  members[0]?.push(callerDsUser.id);
  for (let g = 0; g < GROUPS; g += 1) {
    await dataSources.createGroup(bigCtx, {
      dataSourceId: ds.id,
      name: `Group ${String(g + 1).padStart(2, '0')}`,
      userIds: members[g] ?? [],
    });
  }
  log(
    `  data source with ${(dsUserCount + 1).toLocaleString('en')} users: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // Usage records of past sign-ins (bulk: see the top of this file).
  const userIds = new Map(
    (await rawAll<{ id: string; email: string }>(db, sql`select id, email from users`)).map(
      (r) => [r.email, r.id] as const,
    ),
  );
  const records = Math.round(users * 2.5);
  const yearMs = 365 * 24 * 3600 * 1000;
  await inTransaction(db, async (tx) => {
    const insert = prepareStatement(
      tx.insert(usageRecords).values({
        at: sql.placeholder('at'),
        userId: sql.placeholder('userId'),
        consumerAccountId: big.id,
        dataSourceId: ds.id,
        dataSourceUserId: sql.placeholder('dataSourceUserId'),
        productCode: 'PW_EXPLORER',
        machineName: sql.placeholder('machineName'),
        licenseSource: 'OWN_ORGANIZATION',
        billedAccountId: big.id,
      }),
      'bench_insert_usage_record',
    );
    for (let i = 0; i < records; i += 1) {
      const u = dsUsers[(i * 7919) % dsUsers.length] ?? (undefined as never);
      await insert.run({
        at: new Date(now.getTime() - yearMs + Math.floor((i / records) * yearMs)),
        userId: userIds.get(u.userEmail),
        dataSourceUserId: u.id,
        machineName: `PC-${i % 997}`,
      });
    }
  });

  return {
    users,
    bigAccountId: big.id,
    dataSourceId: ds.id,
    admin: { id: bigAdmin.id, email: bigAdmin.email },
    caller: { id: caller.id, email: caller.email },
    dataSourceUsers: dsUserCount + 1,
    groups: GROUPS,
    usageRecords: records,
    bigMembers: bigMembers + 1,
  };
}

/** A fresh copy of the world's file for one server (its own writes stay its own). */
export function copyWorld(world: World, name: string): string {
  const copy = world.file.replace(/\.db$/, `-${name}.db`);
  copyFileSync(world.file, copy);
  return copy;
}

export const globalIds = (world: World) => ({
  dataSource: encodeGlobalID('DataSource', world.dataSourceId),
  bigAccount: encodeGlobalID('Account', world.bigAccountId),
});
