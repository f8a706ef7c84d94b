// ID-6: a country code is one country in any case — "us" and "US" everywhere (profiles, entitlements,
// sign-in's entitlement match, checkout restrictions and checkouts).

import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/db/client.js';
import { one, rawRun } from '../../../src/db/query.js';
import { users } from '../../../src/db/schema.js';
import { expectSuccess, expectUserError, mutate } from '../../helpers/ops.js';
import { WORLDS_ON_POSTGRES } from '../../helpers/postgres.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

describe('ID-6 country codes in any case', () => {
  it('ID-6 a profile registered with "us" has usage country US', async () => {
    const ok = await mutate(
      world,
      'registerProfile',
      { usageCountry: 'us' },
      'gina@harbor.example',
      'user { usageCountry }',
    );
    expect(expectSuccess(ok.payload, ok.result).user.usageCountry).toBe('US');
    const updated = await mutate(
      world,
      'updateProfile',
      { usageCountry: 'fr' },
      'gina@harbor.example',
      'user { usageCountry }',
    );
    expect(expectSuccess(updated.payload, updated.result).user.usageCountry).toBe('FR');
  });

  it('ID-6 "us" and "US" are one entitlement: the second is DUPLICATE_ENTITLEMENT', async () => {
    const input = {
      accountId: gid('Account', cast.host.id),
      productCode: 'PW_EXPLORER',
      contractEndDate: '2027-12-31',
    };
    const first = await mutate(
      world,
      'addEntitlement',
      { ...input, country: 'us' },
      'alice@harbor.example',
      'entitlement { country }',
    );
    expect(expectSuccess(first.payload, first.result).entitlement.country).toBe('US');
    const before = await world.rowCounts();
    expectUserError(
      (await mutate(world, 'addEntitlement', { ...input, country: 'US' }, 'alice@harbor.example')).payload,
      'DUPLICATE_ENTITLEMENT',
    );
    expectUserError(
      (await mutate(world, 'addEntitlement', { ...input, country: 'uS' }, 'alice@harbor.example')).payload,
      'DUPLICATE_ENTITLEMENT',
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('ID-6 a user whose usage country was given as "us" is licensed by a US entitlement (LIC-1.3)', async () => {
    await mutate(world, 'registerProfile', { usageCountry: 'us' }, 'gina@harbor.example');
    const gina = await one(world.db.select().from(users).where(eq(users.email, 'gina@harbor.example')));
    if (!gina) throw new Error('gina did not register');
    expect(gina.usageCountry).toBe('US');
    await world.member(cast.host, gina);
    await mutate(
      world,
      'addEntitlement',
      {
        accountId: gid('Account', cast.host.id),
        productCode: 'PW_EXPLORER',
        country: 'US',
        contractEndDate: '2027-12-31',
      },
      'alice@harbor.example',
    );
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', { imsAuthEnabled: true });
    await world.dsUser(ds, cast.alice, 'gina', { identity: 'gina@harbor.example', email: 'gina@harbor.example' });
    const signIn = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' },
      'gina@harbor.example',
      'decision { granted denialReason licenseSource }',
    );
    expect(expectSuccess(signIn.payload, signIn.result).decision).toEqual({
      granted: true,
      denialReason: null,
      licenseSource: 'OWN_ORGANIZATION',
    });
  });

  it('ID-6 a restriction set on "de" stops a checkout in "DE" (LIC-6)', async () => {
    const accountId = gid('Account', cast.host.id);
    await mutate(
      world,
      'addEntitlement',
      { accountId, productCode: 'PW_EXPLORER', country: 'DE', contractEndDate: '2027-12-31' },
      'alice@harbor.example',
    );
    const restricted = await mutate(
      world,
      'setCheckoutRestrictions',
      { accountId, country: 'de', checkoutsEnabled: false },
      'alice@harbor.example',
    );
    expectSuccess(restricted.payload, restricted.result);
    const checkout = await mutate(
      world,
      'createLicenseCheckout',
      {
        accountId,
        email: 'carol@harbor.example',
        machineName: 'WS-1',
        products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
        entitlementCountry: 'DE',
      },
      'alice@harbor.example',
    );
    expectUserError(checkout.payload, 'CHECKOUTS_DISABLED');
  });
});

// Migration 0003 is an SQLite migration (PostgreSQL's tables began with normalized codes).
describe.skipIf(WORLDS_ON_POSTGRES)('ID-6 rows stored before normalization', () => {
  it('ID-6 migration 0003 upper-cases stored countries and keeps the newest of two rows that become one', async () => {
    const { readFileSync } = await import('node:fs');
    const { sql } = await import('drizzle-orm');
    const { entitlements } = await import('../../../src/db/schema.js');
    const row = (id: string, country: string, contractEndDate: string) => ({
      id,
      accountId: cast.host.id,
      productCode: 'PW_EXPLORER',
      country,
      contractEndDate,
      createdAt: world.now,
    });
    await inTransaction(world.db, async (tx) => {
      await tx.insert(entitlements).values(row('e-old', 'US', '2027-01-31'));
    });
    await inTransaction(world.db, async (tx) => {
      await tx.insert(entitlements).values(row('e-new', 'us', '2027-12-31'));
    });
    await inTransaction(world.db, async (tx) => {
      await tx.insert(entitlements).values(row('e-de', 'de', '2027-06-30'));
    });
    await inTransaction(world.db, async (tx) => {
      await tx.update(users).set({ usageCountry: 'fr' }).where(eq(users.id, cast.carol.id));
    });
    const migration = readFileSync(
      new URL('../../../drizzle/0003_normalize_country_codes.sql', import.meta.url),
      'utf8',
    );
    for (const statement of migration.split('--> statement-breakpoint')) await rawRun(world.db, sql.raw(statement));
    const stored = await world.db.select().from(entitlements);
    expect(stored.map((e) => [e.id, e.country]).sort()).toEqual([
      ['e-de', 'DE'],
      ['e-new', 'US'],
    ]);
    expect((await one(world.db.select().from(users).where(eq(users.id, cast.carol.id))))?.usageCountry).toBe('FR');
  });
});
