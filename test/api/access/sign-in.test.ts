// ACC-1…ACC-3, LIC-1, LIC-2, LIC-4 through the API: signInToDataSource records, explainAccess never
// writes, both agree; usage aggregation and billable users; authorization; statement counts.

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { quarterOf } from '../../../src/access/rules/usage.js';
import { inTransaction } from '../../../src/db/client.js';
import type { DataSourceRow } from '../../../src/db/schema.js';
import {
  dataSourceUsers,
  installedLicenses,
  licenseCheckoutProducts,
  licenseCheckouts,
  usageRecords,
} from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, inOrder, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let projects: DataSourceRow; // Harbor-owned, IMS on, external users allowed, SUPPLY, licensing owner Harbor
let archive: DataSourceRow; // Harbor-owned, IMS on, external users NOT allowed, DENY

const DECISION = `granted denialReason external willCreateDataSourceUser licenseSource grantsLicensingThroughAssociation
  billedAccount { name } dataSourceUser { login created } user { email } steps { rule outcome detail }`;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  projects = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Harbor Engineering"',
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
  });
  await world.licensingOwner(projects, cast.alice, cast.host);
  archive = await world.dataSource(cast.host, cast.alice, 'Harbor Archive', { imsAuthEnabled: true });
  await world.licensingOwner(archive, cast.alice, cast.host);
});

const signIn = (ds: DataSourceRow, as: string | null, machineName = 'WS-1', product?: string) =>
  mutate(
    world,
    'signInToDataSource',
    { dataSourceId: gid('DataSource', ds.id), machineName, ...(product ? { product } : {}) },
    as,
    `decision { ${DECISION} }`,
  );

async function explain(ds: DataSourceRow, as: string, extra: Record<string, unknown> = {}) {
  const result = await world.gql(
    `query($input: ExplainAccessInput!) { explainAccess(input: $input) { ${DECISION} } }`,
    { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1', ...extra } },
    as,
  );
  return { decision: result.data?.explainAccess, result };
}

const usageCount = async () => (await world.db.select().from(usageRecords)).length;

describe('signInToDataSource and explainAccess', () => {
  it('ACC-2 / LIC-1.3 an internal user matched by the identity filter gets a DYNAMIC data-source user at sign-in, billed to their own organization', async () => {
    const explained = await explain(projects, 'carol@harbor.example');
    expect(explained.decision).toMatchObject({
      granted: true,
      willCreateDataSourceUser: true,
      dataSourceUser: null,
      external: false,
    });
    const { payload, result } = await signIn(projects, 'carol@harbor.example');
    const decision = expectSuccess(payload, result).decision;
    expect(decision).toMatchObject({
      granted: true,
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Harbor Engineering' },
      dataSourceUser: { login: 'carol@harbor.example', created: 'DYNAMIC' },
      willCreateDataSourceUser: false,
    });
    expect(
      await world.db.select().from(dataSourceUsers).where(eq(dataSourceUsers.identity, 'carol@harbor.example')),
    ).toHaveLength(1);
    // A second sign-in reuses it.
    await signIn(projects, 'carol@harbor.example');
    expect(
      await world.db.select().from(dataSourceUsers).where(eq(dataSourceUsers.identity, 'carol@harbor.example')),
    ).toHaveLength(1);
  });

  it('ACC-2 a dynamic user whose email is already a manual login gets the first free login (email#2)', async () => {
    await world.dsUser(projects, cast.alice, 'carol@harbor.example'); // a manual account without identity
    const { payload, result } = await signIn(projects, 'carol@harbor.example');
    expect(expectSuccess(payload, result).decision.dataSourceUser).toEqual({
      login: 'carol@harbor.example#2',
      created: 'DYNAMIC',
    });
  });

  it('LIC-1.2 an external user on a SUPPLY data source is billed to the licensing owner (seed: owner supplies)', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const { payload, result } = await signIn(projects, 'dave@northwind.example');
    expect(expectSuccess(payload, result).decision).toMatchObject({
      granted: true,
      external: true,
      licenseSource: 'DATASOURCE_OWNER',
      billedAccount: { name: 'Harbor Engineering' },
    });
  });

  it('LIC-1.2 / LIC-1.3 with DENY the external user pays with their own organization, and OWNER_PROVIDES is shown as ignored (seed: owner denies)', async () => {
    await world.associate(cast.host, cast.erin, cast.alice);
    await world.dsUser(archive, cast.alice, 'erin', {
      identity: 'erin@northwind.example',
      clientLicensing: 'OWNER_PROVIDES',
    });
    const { payload, result } = await signIn(archive, 'erin@northwind.example');
    const decision = expectSuccess(payload, result).decision;
    expect(decision).toMatchObject({
      granted: true,
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Northwind Surveying' },
    });
    expect(decision.steps.find((s: any) => s.rule === 'LIC-1.2')).toMatchObject({ outcome: 'IGNORED' });
    expect(decision.steps.find((s: any) => s.rule === 'ACC-3').detail).toMatch(/associated/);
  });

  it('LIC-1.4 / ID-5 an association grants licensing: an unaffiliated freelancer on the supplier’s data source is billed to the host', async () => {
    await world.associate(cast.host, cast.frank, cast.alice);
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field Data', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true },
    });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR'); // Frank uses licenses in France
    const { payload, result } = await signIn(field, 'frank@freelance.example');
    const decision = expectSuccess(payload, result).decision;
    expect(decision).toMatchObject({
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Harbor Engineering' },
      grantsLicensingThroughAssociation: true,
    });
    expect(decision.steps.find((s: any) => s.outcome === 'APPLIED').detail).toMatch(/ID-5/);
  });

  it('LIC-1.4 the oldest association pays first, even when two were made in the same instant', async () => {
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field Data', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true },
    });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    const gina = await world.user('gina@gauge.example');
    const gauge = await world.account('Gauge Labs', ['gauge.example'], gina);
    await world.entitlement(gauge, gina, 'PW_EXPLORER', 'FR');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    await world.associate(gauge, cast.frank, gina);
    await world.associate(cast.host, cast.frank, cast.alice);
    expect((await explain(field, 'frank@freelance.example')).decision).toMatchObject({
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Gauge Labs' },
    });
  });

  it('LIC-1.1 a reserved license imported on the machine bills its issuer; another machine, check-in or expiry falls back at once', async () => {
    await world.dsUser(archive, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    await world.associate(cast.host, cast.erin, cast.alice);
    const third = await world.account('Gauge Labs', ['gauge.example'], await world.user('gina@gauge.example'));
    const checkoutId = randomUUID();
    await inTransaction(world.db, async (tx) => {
      await tx.insert(licenseCheckouts).values({
        id: checkoutId,
        accountId: third.id,
        email: 'erin@northwind.example',
        machineName: 'WS-1',
        entitlementCountry: 'DE',
        issuedAt: world.now,
        expiresAt: new Date(world.now.getTime() + 86_400_000),
        createdById: cast.alice.id,
      });
    });
    await inTransaction(world.db, async (tx) => {
      await tx
        .insert(licenseCheckoutProducts)
        .values({ checkoutId, productCode: 'PW_EXPLORER', version: '10.0.3.280' });
    });
    await inTransaction(world.db, async (tx) => {
      await tx
        .insert(installedLicenses)
        .values({ id: randomUUID(), userId: cast.erin.id, checkoutId, machineName: 'WS-1', importedAt: world.now });
    });

    expect((await explain(archive, 'erin@northwind.example')).decision).toMatchObject({
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: { name: 'Gauge Labs' },
    });
    expect((await explain(archive, 'erin@northwind.example', { machineName: 'WS-2' })).decision).toMatchObject({
      licenseSource: 'OWN_ORGANIZATION',
    });
    expect(
      (await explain(archive, 'erin@northwind.example', { product: 'MICROSTATION' })).decision.licenseSource,
    ).not.toBe('RESERVED_CHECKOUT');
    await inTransaction(world.db, async (tx) => {
      await tx.update(licenseCheckouts).set({ checkedInAt: world.now }).where(eq(licenseCheckouts.id, checkoutId));
    });
    expect((await explain(archive, 'erin@northwind.example')).decision).toMatchObject({
      licenseSource: 'OWN_ORGANIZATION',
    });
    await inTransaction(world.db, async (tx) => {
      await tx
        .update(licenseCheckouts)
        .set({ checkedInAt: null, expiresAt: world.now })
        .where(eq(licenseCheckouts.id, checkoutId));
    });
    expect((await explain(archive, 'erin@northwind.example')).decision).toMatchObject({
      licenseSource: 'OWN_ORGANIZATION',
    });
  });

  it('LIC-1.1 several reserved checkouts on the machine: the oldest one’s issuer pays, whatever the order of ids and imports', async () => {
    await world.dsUser(archive, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    await world.associate(cast.host, cast.erin, cast.alice);
    const gauge = await world.account('Gauge Labs', ['gauge.example'], await world.user('gina@gauge.example'));
    const kite = await world.account('Kite Works', ['kite.example'], await world.user('kai@kite.example'));
    const reserve = async (id: string, accountId: string, issuedDaysAgo: number) => {
      await inTransaction(world.db, async (tx) => {
        await tx.insert(licenseCheckouts).values({
          id,
          accountId,
          email: 'erin@northwind.example',
          machineName: 'WS-1',
          entitlementCountry: 'DE',
          issuedAt: new Date(world.now.getTime() - issuedDaysAgo * 86_400_000),
          expiresAt: new Date(world.now.getTime() + 30 * 86_400_000),
          createdById: cast.alice.id,
        });
      });
      await inTransaction(world.db, async (tx) => {
        await tx
          .insert(licenseCheckoutProducts)
          .values({ checkoutId: id, productCode: 'PW_EXPLORER', version: '1.0.0.0' });
      });
      await inTransaction(world.db, async (tx) => {
        await tx.insert(installedLicenses).values({
          id: `installed-${id}`,
          userId: cast.erin.id,
          checkoutId: id,
          machineName: 'WS-1',
          importedAt: world.now,
        });
      });
    };
    // The newer checkout comes first by id, by insertion and by import; the older one must still win.
    await reserve('a-newer', kite.id, 1);
    await reserve('z-older', gauge.id, 2);
    const decision = (await signIn(archive, 'erin@northwind.example')).payload?.decision;
    expect(decision).toMatchObject({ licenseSource: 'RESERVED_CHECKOUT', billedAccount: { name: 'Gauge Labs' } });
    expect(await world.db.select({ checkoutId: usageRecords.checkoutId }).from(usageRecords)).toEqual([
      { checkoutId: 'z-older' },
    ]);
  });

  it('ACC-2 a sign-in refused for a later reason leaves no DYNAMIC data-source user behind; a granted one creates it', async () => {
    const logins = async (ds: DataSourceRow) => {
      const r = await world.gql(
        `query($id: ID!) { dataSource(id: $id) { users { edges { node { login created } } } } }`,
        { id: gid('DataSource', ds.id) },
        'alice@harbor.example',
      );
      expect(r.errors).toBeUndefined();
      return r.data?.dataSource.users.edges.map((e: any) => `${e.node.login}:${e.node.created}`);
    };
    // NO_LICENSE: Harbor holds no MICROSTATION entitlement.
    const noLicense = (await signIn(projects, 'carol@harbor.example', 'WS-1', 'MICROSTATION')).payload?.decision;
    expect(noLicense).toMatchObject({ granted: false, denialReason: 'NO_LICENSE', dataSourceUser: null });
    expect(await logins(projects)).toEqual([]);
    // EXTERNAL_ACCESS_NOT_ALLOWED: the filter names Northwind, but external users are not allowed.
    const closed = await world.dataSource(cast.host, cast.alice, 'Closed', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Northwind Surveying"',
    });
    const external = (await signIn(closed, 'dave@northwind.example')).payload?.decision;
    expect(external).toMatchObject({
      granted: false,
      denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED',
      dataSourceUser: null,
    });
    expect(await logins(closed)).toEqual([]);
    // LICENSING_OWNER_NOT_SET: the owner would supply the license but none is set.
    const unowned = await world.dataSource(cast.host, cast.alice, 'Unowned', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Northwind Surveying"',
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
    });
    const ownerless = (await signIn(unowned, 'dave@northwind.example')).payload?.decision;
    expect(ownerless).toMatchObject({ granted: false, denialReason: 'LICENSING_OWNER_NOT_SET', dataSourceUser: null });
    expect(await logins(unowned)).toEqual([]);
    // granted: created
    expect((await signIn(projects, 'carol@harbor.example')).payload?.decision.granted).toBe(true);
    expect(await logins(projects)).toEqual(['carol@harbor.example:DYNAMIC']);
  });

  it('LIC-1.3 an entitlement of the own organization in another country than the user’s usage country does not license them', async () => {
    await world.entitlement(cast.host, cast.alice, 'MICROSTATION', 'DE'); // Carol uses licenses in the US
    await world.dsUser(archive, cast.alice, 'carol', { identity: 'carol@harbor.example' });
    const refused = (await signIn(archive, 'carol@harbor.example', 'WS-1', 'MICROSTATION')).payload?.decision;
    expect(refused).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(refused.steps.find((s: any) => s.rule === 'LIC-1.3')).toMatchObject({ outcome: 'SKIPPED' });
    await world.entitlement(cast.host, cast.alice, 'MICROSTATION', 'US');
    expect((await signIn(archive, 'carol@harbor.example', 'WS-1', 'MICROSTATION')).payload?.decision).toMatchObject({
      granted: true,
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Harbor Engineering' },
    });
  });

  it('LIC-1.4 an associated account’s entitlement in another country than the user’s usage country does not license them', async () => {
    await world.associate(cast.host, cast.frank, cast.alice);
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field Data', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true },
    });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    // Harbor's PW_EXPLORER is in the US; Frank uses licenses in France.
    const refused = (await signIn(field, 'frank@freelance.example')).payload?.decision;
    expect(refused).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(refused.steps.find((s: any) => s.rule === 'LIC-1.4')).toMatchObject({ outcome: 'SKIPPED' });
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    expect((await signIn(field, 'frank@freelance.example')).payload?.decision).toMatchObject({
      granted: true,
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Harbor Engineering' },
    });
  });

  it('each denial reason comes back in the decision, with no usage record', async () => {
    const off = await world.dataSource(cast.host, cast.alice, 'Off');
    expect((await signIn(off, 'alice@harbor.example')).payload?.decision.denialReason).toBe('IMS_AUTH_DISABLED');
    expect((await signIn(archive, 'carol@harbor.example')).payload?.decision.denialReason).toBe(
      'NO_DATASOURCE_ACCOUNT',
    );
    await world.dsUser(archive, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    expect((await signIn(archive, 'dave@northwind.example')).payload?.decision.denialReason).toBe(
      'EXTERNAL_ACCESS_NOT_ALLOWED',
    );
    const unowned = await world.dataSource(cast.host, cast.alice, 'Unowned', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
    });
    await world.dsUser(unowned, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    expect((await signIn(unowned, 'dave@northwind.example')).payload?.decision.denialReason).toBe(
      'LICENSING_OWNER_NOT_SET',
    );
    await world.dsUser(archive, cast.alice, 'carol', { identity: 'carol@harbor.example' });
    expect((await signIn(archive, 'carol@harbor.example', 'WS-1', 'MICROSTATION')).payload?.decision.denialReason).toBe(
      'NO_LICENSE',
    );
    expect(await usageCount()).toBe(0);
  });

  it('LIC-2 a granted sign-in appends exactly one usage record; a denied one none (but is audited)', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const audits = (await world.rowCounts()).auditEntries ?? 0;
    await signIn(projects, 'dave@northwind.example', 'WS-9');
    const records = await world.db.select().from(usageRecords);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      userId: cast.dave.id,
      consumerAccountId: cast.supplier.id,
      dataSourceId: projects.id,
      productCode: 'PW_EXPLORER',
      machineName: 'WS-9',
      licenseSource: 'DATASOURCE_OWNER',
      billedAccountId: cast.host.id,
    });
    await signIn(archive, 'dave@northwind.example');
    expect(await usageCount()).toBe(1);
    expect((await world.rowCounts()).auditEntries).toBe(audits + 2);
  });

  it('explainAccess never writes, and says the same as a sign-in would', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const before = await world.rowCounts();
    const explained = await explain(projects, 'dave@northwind.example');
    await explain(projects, 'carol@harbor.example');
    expect(await world.rowCounts()).toEqual(before);
    const signed = await signIn(projects, 'dave@northwind.example');
    expect(signed.payload?.decision).toEqual(explained.decision);
  });

  it('explainAccess for another user: IMS admins of the owner account only', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const forDave = await explain(projects, 'bob@harbor.example', { userId: gid('User', cast.dave.id) });
    expect(forDave.decision).toMatchObject({
      user: { email: 'dave@northwind.example' },
      licenseSource: 'DATASOURCE_OWNER',
    });
    // §9: who may not read the data source cannot tell it from a missing one (null, no error).
    for (const [as, userId] of [
      ['carol@harbor.example', cast.dave.id],
      ['dave@northwind.example', cast.alice.id],
    ] as const) {
      const hidden = await explain(projects, as, { userId: gid('User', userId) });
      expect(hidden.result.errors).toBeUndefined();
      expect(hidden.decision).toBeNull();
    }
    expect((await explain(projects, 'bob@harbor.example', { userId: gid('User', 'nobody') })).decision).toBeNull();
  });

  it('sign-in: anonymous is UNAUTHENTICATED; an unknown data source is NOT_FOUND; bad input is refused at the edge', async () => {
    expectTopLevel((await signIn(projects, null)).result, 'UNAUTHENTICATED');
    const missing = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', 'nope'), machineName: 'WS-1' },
      'carol@harbor.example',
    );
    expectUserError(missing.payload, 'NOT_FOUND');
    expectTopLevel((await signIn(projects, 'carol@harbor.example', '  ')).result, 'BAD_USER_INPUT');
    expectTopLevel((await signIn(projects, 'carol@harbor.example', 'WS-1', 'pw-explorer')).result, 'BAD_USER_INPUT');
    expect(await usageCount()).toBe(0);
  });
});

describe('LIC-4 usage', () => {
  const USAGE = `query($id: ID!, $from: DateTime!, $to: DateTime!) { account(id: $id) { usage(from: $from, to: $to) {
    totals { product licenseSource consumerAccount { name } signIns users }
    billableUsers { product quarter users } } } }`;

  it('LIC-4 aggregates what was billed to the account by product, source and consumer account; billable users per quarter', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    await world.dsUser(projects, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    world.setNow(new Date('2026-05-10T10:00:00Z'));
    await signIn(projects, 'dave@northwind.example');
    await signIn(projects, 'dave@northwind.example', 'WS-2');
    await signIn(projects, 'erin@northwind.example');
    await signIn(projects, 'carol@harbor.example');
    world.setNow(new Date('2026-07-01T00:00:00Z'));
    await signIn(projects, 'dave@northwind.example');
    const report = await world.gql(
      USAGE,
      { id: gid('Account', cast.host.id), from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
      'alice@harbor.example',
    );
    expect(report.errors).toBeUndefined();
    expect(report.data?.account.usage.totals).toEqual([
      {
        product: 'PW_EXPLORER',
        licenseSource: 'DATASOURCE_OWNER',
        consumerAccount: { name: 'Northwind Surveying' },
        signIns: 4,
        users: 2,
      },
      {
        product: 'PW_EXPLORER',
        licenseSource: 'OWN_ORGANIZATION',
        consumerAccount: { name: 'Harbor Engineering' },
        signIns: 1,
        users: 1,
      },
    ]);
    expect(report.data?.account.usage.billableUsers).toEqual([
      { product: 'PW_EXPLORER', quarter: '2026-Q2', users: 3 },
      { product: 'PW_EXPLORER', quarter: '2026-Q3', users: 1 },
    ]);
    const narrow = await world.gql(
      USAGE,
      { id: gid('Account', cast.host.id), from: '2026-07-01T00:00:00Z', to: '2026-08-01T00:00:00Z' },
      'alice@harbor.example',
    );
    expect(narrow.data?.account.usage.billableUsers).toEqual([
      { product: 'PW_EXPLORER', quarter: '2026-Q3', users: 1 },
    ]);
  });

  it('LIC-4 the quarter in SQL agrees with the domain definition at the boundaries', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const instants = [
      '2026-03-31T23:59:59.999Z',
      '2026-04-01T00:00:00.000Z',
      '2026-12-31T23:59:59Z',
      '2027-01-01T00:00:00Z',
    ];
    for (const at of instants) {
      world.setNow(new Date(at));
      await signIn(projects, 'dave@northwind.example');
    }
    const report = await world.gql(
      USAGE,
      { id: gid('Account', cast.host.id), from: '2026-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' },
      'alice@harbor.example',
    );
    expect(report.data?.account.usage.billableUsers.map((b: any) => b.quarter)).toEqual(
      instants.map((at) => quarterOf(new Date(at))),
    );
  });

  it('LIC-4 usage(from, to) is [from, to): a sign-in exactly at from counts, one exactly at to does not', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const instants = [
      '2026-06-30T23:59:59.999Z',
      '2026-07-01T00:00:00.000Z',
      '2026-07-31T23:59:59.999Z',
      '2026-08-01T00:00:00.000Z',
    ];
    for (const at of instants) {
      world.setNow(new Date(at));
      await signIn(projects, 'dave@northwind.example');
    }
    const signIns = async (from: string, to: string) => {
      const report = await world.gql(USAGE, { id: gid('Account', cast.host.id), from, to }, 'alice@harbor.example');
      expect(report.errors).toBeUndefined();
      return report.data?.account.usage.totals.map((t: any) => t.signIns);
    };
    expect(await signIns('2026-07-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z')).toEqual([2]);
    expect(await signIns('2026-08-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z')).toEqual([1]);
    expect(await signIns('2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')).toEqual([1]);
  });

  it('LIC-4 usage is visible to the account’s IMS admins only; from must precede to', async () => {
    const vars = { id: gid('Account', cast.host.id), from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    expectTopLevel(await world.gql(USAGE, vars, 'carol@harbor.example'), 'FORBIDDEN');
    expectTopLevel(await world.gql(USAGE, vars, 'dave@northwind.example'), 'FORBIDDEN');
    expectTopLevel(
      await world.gql(USAGE, { ...vars, to: '2025-01-01T00:00:00Z' }, 'alice@harbor.example'),
      'BAD_USER_INPUT',
    );
  });
});

describe('batching', () => {
  it('issue 11: a sign-in reads each fact once — the data source with its accounts, the caller with their home account', async () => {
    await world.dsUser(projects, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const input = { dataSourceId: gid('DataSource', projects.id), machineName: 'WS-1' };
    const statementsOf = async (run: () => Promise<unknown>) => {
      await run(); // tokens verified and statements prepared once
      world.resetSqlCount();
      await run();
      return world.sqlCount();
    };
    const signIn = async () =>
      expect(
        (
          await mutate(
            world,
            'signInToDataSource',
            input,
            'dave@northwind.example',
            'decision { granted licenseSource }',
          )
        ).payload,
      ).toMatchObject({ decision: { granted: true, licenseSource: 'DATASOURCE_OWNER' } });
    // The viewer with their IMS roles; the data source with its owner's and licensing owner's names; the
    // caller with their home account's; their IMS roles; the identity filter's accounts; their data-source
    // user; associations; entitlements; a reserved checkout; then the kept decision (HIS-1), the usage
    // record, the audit entry and the one log it shows in; after the write, the viewer with their IMS roles
    // again (the payload reads what the mutation wrote).
    expect(await statementsOf(signIn)).toBe(14);
    const explainIt = async () =>
      expect(
        (
          await world.gql(
            `query($input: ExplainAccessInput!) { explainAccess(input: $input) { granted } }`,
            { input },
            'dave@northwind.example',
          )
        ).data,
      ).toEqual({ explainAccess: { granted: true } });
    // The same reads, the caller's home account on its own (the caller is the request's viewer), no writes.
    expect(await statementsOf(explainIt)).toBe(9);
  });

  it('a page of 200 data-source users with their groups costs a constant number of statements', async () => {
    const cost = async (n: number) => {
      const w = await createWorld();
      const c = await hostAndSupplier(w);
      const ds = await w.dataSource(c.host, c.alice, 'Big');
      const users = await inOrder(
        [...Array(n).keys()],
        async (i) => await w.dsUser(ds, c.alice, `u${String(i).padStart(4, '0')}`),
      );
      await mutate(
        w,
        'createGroup',
        {
          dataSourceId: gid('DataSource', ds.id),
          name: 'Even',
          userIds: users.filter((_, i) => i % 2 === 0).map((u) => gid('DataSourceUser', u.id)),
        },
        'alice@harbor.example',
      );
      await mutate(
        w,
        'createGroup',
        { dataSourceId: gid('DataSource', ds.id), name: 'All', userIds: users.map((u) => gid('DataSourceUser', u.id)) },
        'alice@harbor.example',
      );
      w.resetSqlCount();
      const r = await w.gql(
        `query($id: ID!) { dataSource(id: $id) { users(first: 200) { totalCount edges { node { login groups(first: 10) { totalCount edges { node { name } } } } } } } }`,
        { id: gid('DataSource', ds.id) },
        'alice@harbor.example',
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.dataSource.users.edges).toHaveLength(Math.min(n, 200));
      return w.sqlCount();
    };
    const small = await cost(10);
    expect(await cost(250)).toBe(small);
  });

  it('a work area’s expanded participants cost a constant number of statements', async () => {
    const cost = async (n: number) => {
      const w = await createWorld();
      const c = await hostAndSupplier(w);
      const ds = await w.dataSource(c.host, c.alice, 'Big');
      const users = await inOrder([...Array(n).keys()], async (i) => await w.dsUser(ds, c.alice, `u${i}`));
      const g = (
        await mutate(
          w,
          'createGroup',
          { dataSourceId: gid('DataSource', ds.id), name: 'G', userIds: users.map((u) => gid('DataSourceUser', u.id)) },
          'alice@harbor.example',
          'group { id }',
        )
      ).payload?.group.id;
      const l = (
        await mutate(
          w,
          'createUserList',
          {
            dataSourceId: gid('DataSource', ds.id),
            name: 'L',
            members: [g, ...users.slice(0, 3).map((u) => gid('DataSourceUser', u.id))],
          },
          'alice@harbor.example',
          'list { id }',
        )
      ).payload?.list.id;
      const area = (
        await mutate(
          w,
          'createWorkArea',
          { dataSourceId: gid('DataSource', ds.id), name: 'W' },
          'alice@harbor.example',
          'workArea { id }',
        )
      ).payload?.workArea.id;
      await mutate(
        w,
        'setWorkAreaParticipant',
        { workAreaId: area, principalId: l, role: 'TEAM_MEMBER' },
        'alice@harbor.example',
      );
      await mutate(
        w,
        'setWorkAreaParticipant',
        { workAreaId: area, principalId: gid('DataSourceUser', users[0]?.id ?? ''), role: 'NO_ACCESS' },
        'alice@harbor.example',
      );
      w.resetSqlCount();
      const r = await w.gql(
        `query($id: ID!) { workArea(id: $id) { participants { edges { node { role principal { __typename } } } } namedUsers(first: 500) { totalCount edges { node { user { login email } effectiveRole } } } } }`,
        { id: area },
        'alice@harbor.example',
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.workArea.namedUsers.edges).toHaveLength(n);
      expect(r.data?.workArea.namedUsers.totalCount).toBe(n);
      return w.sqlCount();
    };
    const small = await cost(5);
    expect(await cost(120)).toBe(small);
  });
});
