// HIS-7 (issue 15) through the API: `subscription auditEvents(accountId, after)` over server-sent events
// delivers each audit entry of the account after its transaction commits — also one committed by another
// process on the same database — and, resumed with the cursor of the last event received, every later one
// exactly once. Who may: the account's IMS admins.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { mintDevelopmentToken } from '../../src/auth/tokens.js';
import { type Database_, migrateDatabase, openDatabase } from '../../src/db/client.js';
import { openPostgresDatabase } from '../../src/db/postgres.js';
import * as identity from '../../src/identity/service.js';
import { createServer } from '../../src/server.js';
import { expectSuccess, mutate } from '../helpers/ops.js';
import { freshDatabase, WORLDS_ON_POSTGRES } from '../helpers/postgres.js';
import { subscribe } from '../helpers/sse.js';
import { createWorld, gid, hostAndSupplier, TEST_AUTH } from '../helpers/world.js';

const FEED = `subscription($accountId: ID!, $after: String) {
  auditEvents(accountId: $accountId, after: $after) { cursor entry { action actorEmail summary } }
}`;
const FAST = { pollMs: 20, gapWaitMs: 1000 };

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('HIS-7 the live audit feed', () => {
  it('HIS-7 an IMS admin receives each entry of the account once it is committed, and only the account’s', async () => {
    const world = await createWorld();
    const cast = await hostAndSupplier(world);
    const yoga = await world.server({ auditFeed: FAST });
    const stream = await subscribe(
      (r) => yoga.fetch(r),
      'http://test/graphql',
      FEED,
      { accountId: gid('Account', cast.host.id) },
      await world.token('alice@harbor.example'),
    );
    expect(stream.status).toBe(200);
    // Another account's entry first (not Harbor's), then one of Harbor's by Bob.
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    const added = await mutate(
      world,
      'addEntitlement',
      {
        accountId: gid('Account', cast.host.id),
        productCode: 'MICROSTATION',
        country: 'US',
        contractEndDate: '2027-12-31',
      },
      'bob@harbor.example',
    );
    expectSuccess(added.payload, added.result);
    const event = await stream.next();
    expect(event?.errors).toBeUndefined();
    expect(event?.data.auditEvents.entry).toMatchObject({ action: 'addEntitlement', actorEmail: 'bob@harbor.example' });
    expect(event?.data.auditEvents.entry.summary).toContain('MICROSTATION');
    // A refused mutation writes nothing, so nothing arrives.
    const refused = await mutate(
      world,
      'addEntitlement',
      {
        accountId: gid('Account', cast.host.id),
        productCode: 'MICROSTATION',
        country: 'US',
        contractEndDate: '2027-12-31',
      },
      'bob@harbor.example',
    );
    expect(refused.payload?.__typename).toBe('UserError');
    await expect(stream.next(300)).rejects.toThrow(/no event/);
    await stream.close();
  });

  it('HIS-7 who may subscribe: the account’s IMS admins; others are refused before any event', async () => {
    const world = await createWorld();
    const cast = await hostAndSupplier(world);
    const yoga = await world.server({ auditFeed: FAST });
    const open = async (as: string | null, variables: Record<string, unknown> = {}) =>
      await subscribe(
        (r) => yoga.fetch(r),
        'http://test/graphql',
        FEED,
        { accountId: gid('Account', cast.host.id), ...variables },
        as ? await world.token(as) : null,
      );
    for (const [as, code] of [
      ['carol@harbor.example', 'FORBIDDEN'],
      ['dave@northwind.example', 'FORBIDDEN'],
      ['ghost@harbor.example', 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const stream = await open(as);
      const first = await stream.next();
      expect(first?.errors?.[0]?.extensions?.code, as ?? 'anonymous').toBe(code);
      expect(first?.data?.auditEvents ?? null).toBeNull();
      await stream.close();
    }
    const bad = await open('bob@harbor.example', { after: 'not-a-cursor' });
    expect((await bad.next())?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await bad.close();
  });

  it('HIS-7 losing the role while listening ends the stream with FORBIDDEN', async () => {
    const world = await createWorld();
    const cast = await hostAndSupplier(world);
    const yoga = await world.server({ auditFeed: FAST });
    const stream = await subscribe(
      (r) => yoga.fetch(r),
      'http://test/graphql',
      FEED,
      { accountId: gid('Account', cast.host.id) },
      await world.token('bob@harbor.example'),
    );
    const revoked = await mutate(
      world,
      'revokeImsRole',
      { accountId: gid('Account', cast.host.id), userId: gid('User', cast.bob.id), role: 'CO_ADMINISTRATOR' },
      'alice@harbor.example',
    );
    expectSuccess(revoked.payload, revoked.result);
    // The revocation's own entry may arrive first; then the stream ends refused.
    let event = await stream.next();
    if (event?.data?.auditEvents) event = await stream.next();
    expect(event?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await stream.close();
  });

  it('HIS-7 an entry committed by another process arrives; after a reconnect the cursor resumes without loss or duplicate', async () => {
    // The suite's database: a SQLite file, or (npm run test:postgres) a PostgreSQL database of its own.
    let file: string;
    let database: Database_;
    let dropPostgres: (() => Promise<void>) | null = null;
    if (WORLDS_ON_POSTGRES) {
      const fresh = await freshDatabase();
      file = fresh.url;
      dropPostgres = fresh.drop;
      database = openPostgresDatabase(fresh.url, { max: 3 });
    } else {
      const folder = mkdtempSync(join(tmpdir(), 'threshold-feed-'));
      folders.push(folder);
      file = join(folder, 'feed.db');
      database = openDatabase({ source: file });
    }
    await migrateDatabase(database);
    const now = new Date();
    const alice = await identity.registerProfile(
      database.db,
      { email: 'alice@harbor.example', subject: null, name: 'Alice' },
      { usageCountry: 'US' },
      now,
    );
    const host = await identity.createAccount(
      { db: database.db, actor: alice, now },
      { name: 'Harbor Engineering', emailDomains: ['harbor.example'] },
    );
    const yoga = await createServer({
      db: database.db,
      auth: TEST_AUTH,
      graphiql: false,
      introspection: false,
      auditFeed: FAST,
    });
    const token = await mintDevelopmentToken(TEST_AUTH, 'alice@harbor.example');
    const writer = async (...products: string[]) =>
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/helpers/feed-writer.ts', file, 'alice@harbor.example', host.id, ...products],
        { cwd: process.cwd(), timeout: 60_000 },
      );
    const open = async (after?: string) =>
      await subscribe(
        (r) => yoga.fetch(r),
        'http://test/graphql',
        FEED,
        { accountId: gid('Account', host.id), ...(after ? { after } : {}) },
        token,
      );
    try {
      const first = await open();
      await writer('PRODUCT_A');
      const a = await first.next(20_000);
      expect(a?.data.auditEvents.entry).toMatchObject({ action: 'addEntitlement', actorEmail: 'alice@harbor.example' });
      expect(a?.data.auditEvents.entry.summary).toContain('PRODUCT_A');
      // The client drops the connection; meanwhile two more entries are committed elsewhere.
      await first.close();
      await writer('PRODUCT_B', 'PRODUCT_C');
      const resumed = await open(a?.data.auditEvents.cursor);
      const b = await resumed.next(20_000);
      const c = await resumed.next(20_000);
      expect([b, c].map((e) => e?.data.auditEvents.entry.summary)).toEqual([
        expect.stringContaining('PRODUCT_B'),
        expect.stringContaining('PRODUCT_C'),
      ]);
      // Nothing twice: no further event (PRODUCT_A is not repeated).
      await expect(resumed.next(300)).rejects.toThrow(/no event/);
      await resumed.close();
      // Resuming from B's cursor gives C again — and only C.
      const fromB = await open(b?.data.auditEvents.cursor);
      expect((await fromB.next(20_000))?.data.auditEvents.entry.summary).toContain('PRODUCT_C');
      await expect(fromB.next(300)).rejects.toThrow(/no event/);
      await fromB.close();
    } finally {
      // Let the closed streams' tails see the end before the database goes away.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await database.close();
      await dropPostgres?.();
    }
  }, 90_000);
});
