// Issue 14, IMP-6: Account.licenseExposure — every path by which someone outside the account can
// consume its licensing, with the people behind it and their billable use over the last 90 days; its
// IMS admins only.
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/db/client.js';
import { installedLicenses, licenseCheckoutProducts, licenseCheckouts } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

const EXPOSURE = `query($id: ID!) { node(id: $id) { ... on Account { licenseExposure(first: 100) {
  totalCount
  edges { node { kind detail dataSource { name } project { number } checkout { machineName } peopleCount
    people { email user { email } billableUse { product uses } } } }
} } } }`;

async function exposure(as: string | null) {
  return await world.gql(EXPOSURE, { id: gid('Account', cast.host.id) }, as);
}
const lines = (r: Awaited<ReturnType<typeof exposure>>) =>
  (r.data?.node?.licenseExposure?.edges ?? []).map((e: any) => e.node);

const signIn = (as: string, dataSourceId: string, machineName = 'WS-1') =>
  world.gql(
    `mutation($input: SignInToDataSourceInput!) { signInToDataSource(input: $input) {
      ... on SignInToDataSourceSuccess { decision { granted licenseSource billedAccount { name } } } } }`,
    { input: { dataSourceId: gid('DataSource', dataSourceId), machineName } },
    as,
  );

/** A reserved checkout of PW_EXPLORER issued by Harbor, imported on WS-9 (rows as the use cases write them). */
async function reserve(id: string, email: string, userId: string | null) {
  await inTransaction(world.db, async (tx) => {
    await tx.insert(licenseCheckouts).values({
      id,
      accountId: cast.host.id,
      email,
      machineName: 'WS-9',
      entitlementCountry: 'US',
      issuedAt: world.now,
      expiresAt: new Date(world.now.getTime() + 30 * 86_400_000),
      createdById: cast.alice.id,
    });
    await tx
      .insert(licenseCheckoutProducts)
      .values({ checkoutId: id, productCode: 'PW_EXPLORER', version: '10.0.0.1' });
    if (userId) {
      await tx
        .insert(installedLicenses)
        .values({ id: `i-${id}`, userId, checkoutId: id, machineName: 'WS-9', importedAt: world.now });
    }
  });
}

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
});

describe('IMP-6 who can bill us', () => {
  it('IMP-6 an association: the external user, and their use billed through it elsewhere (ID-5, LIC-1.4)', async () => {
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true },
    });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    await world.associate(cast.host, cast.frank, cast.alice);
    expect((await signIn('frank@freelance.example', field.id)).data?.signInToDataSource.decision).toEqual({
      granted: true,
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Harbor Engineering' },
    });
    expect(lines(await exposure('alice@harbor.example'))).toEqual([
      expect.objectContaining({
        kind: 'ASSOCIATION',
        peopleCount: 1,
        people: [
          {
            email: 'frank@freelance.example',
            user: { email: 'frank@freelance.example' },
            billableUse: [{ product: 'PW_EXPLORER', uses: 1 }],
          },
        ],
      }),
    ]);
  });

  it('IMP-6 / HIS-4 an association that has expired is no path: it bills no more', async () => {
    const expiresAt = new Date(world.now.getTime() + 86_400_000);
    const associated = await mutate(
      world,
      'associateExternalUser',
      { accountId: gid('Account', cast.host.id), email: 'frank@freelance.example', expiresAt: expiresAt.toISOString() },
      'alice@harbor.example',
    );
    expectSuccess(associated.payload, associated.result);
    world.setNow(new Date(expiresAt.getTime() - 1));
    expect(lines(await exposure('alice@harbor.example')).map((l: { kind: string }) => l.kind)).toEqual(['ASSOCIATION']);
    world.setNow(expiresAt);
    expect(lines(await exposure('alice@harbor.example'))).toEqual([]);
  });

  it('IMP-6 licensing owner under SUPPLY: another account’s data source — people counted, not named (LIC-3); its own — named', async () => {
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
    });
    await world.dsUser(field, cast.dave, 'carol', { identity: 'carol@harbor.example' });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    await world.licensingOwner(field, cast.dave, cast.host);
    // Harbor's own data source, DENY, with one OWNER_PROVIDES user: exposed through that user only.
    const own = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', { imsAuthEnabled: true });
    await world.dsUser(own, cast.alice, 'bob', { identity: 'bob@harbor.example', clientLicensing: 'OWNER_PROVIDES' });
    await world.dsUser(own, cast.alice, 'carol', { identity: 'carol@harbor.example' });
    await world.licensingOwner(own, cast.alice, cast.host);
    // A data source Harbor pays for nothing on (DENY, no OWNER_PROVIDES): not a path.
    const quiet = await world.dataSource(cast.host, cast.alice, 'Harbor Archive', { imsAuthEnabled: true });
    await world.licensingOwner(quiet, cast.alice, cast.host);
    await signIn('frank@freelance.example', field.id);
    const found = lines(await exposure('alice@harbor.example'));
    expect(found.map((e: any) => [e.kind, e.dataSource?.name, e.peopleCount])).toEqual([
      ['LICENSING_OWNER', 'Harbor Projects', 1],
      ['LICENSING_OWNER', 'Northwind Field', 2],
    ]);
    expect(found[0].people).toEqual([
      { email: 'bob@harbor.example', user: { email: 'bob@harbor.example' }, billableUse: [] },
    ]);
    expect(found[1].people.map((p: any) => [p.email, p.user, p.billableUse])).toEqual([
      [null, null, []],
      [null, null, [{ product: 'PW_EXPLORER', uses: 1 }]],
    ]);
    expect(found[1].detail).toContain('SUPPLY');
  });

  it('IMP-6 outstanding reserved checkouts issued outside the account; a member’s, a checked-in or an expired one is not a path', async () => {
    await reserve('c-erin', 'erin@northwind.example', cast.erin.id);
    await reserve('c-carol', 'carol@harbor.example', cast.carol.id);
    await reserve('c-stranger', 'someone@elsewhere.example', null);
    await reserve('c-old', 'frank@freelance.example', cast.frank.id);
    await inTransaction(world.db, async (tx) => {
      const { eq } = await import('drizzle-orm');
      await tx.update(licenseCheckouts).set({ checkedInAt: world.now }).where(eq(licenseCheckouts.id, 'c-old'));
    });
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field', { imsAuthEnabled: true });
    await world.dsUser(field, cast.dave, 'erin', { identity: 'erin@northwind.example' });
    expect(
      (await signIn('erin@northwind.example', field.id, 'WS-9')).data?.signInToDataSource.decision.licenseSource,
    ).toBe('RESERVED_CHECKOUT');
    expect(
      lines(await exposure('alice@harbor.example')).map((e: any) => [
        e.kind,
        e.people[0].email,
        e.people[0].billableUse,
      ]),
    ).toEqual([
      ['RESERVED_CHECKOUT', 'erin@northwind.example', [{ product: 'PW_EXPLORER', uses: 1 }]],
      ['RESERVED_CHECKOUT', 'someone@elsewhere.example', []],
    ]);
    world.setNow(new Date(world.now.getTime() + 31 * 86_400_000));
    expect(lines(await exposure('alice@harbor.example'))).toEqual([]);
  });

  it('IMP-6 provided licenses: the covered team members (listed accounts, unaffiliated with the flag), with their openings', async () => {
    const project = await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice);
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    const set = await mutate(
      world,
      'setProvidedLicenses',
      { projectId: gid('Project', project.id), accountIds: [gid('Account', cast.supplier.id)], unaffiliated: false },
      'alice@harbor.example',
    );
    expectSuccess(set.payload, set.result);
    const found = lines(await exposure('alice@harbor.example'));
    expect(found.map((e: any) => [e.kind, e.project?.number, e.people.map((p: any) => p.email)])).toEqual([
      ['PROVIDED_LICENSES', 'P-1', ['erin@northwind.example']],
    ]);
    await mutate(
      world,
      'setProvidedLicenses',
      { projectId: gid('Project', project.id), accountIds: [], unaffiliated: true },
      'alice@harbor.example',
    );
    expect(lines(await exposure('alice@harbor.example'))[0].people.map((p: any) => p.email)).toEqual([
      'frank@freelance.example',
    ]);
  });

  it('IMP-6 who may: the account’s IMS admins; a member, another account’s admin get FORBIDDEN; anonymous UNAUTHENTICATED', async () => {
    await world.associate(cast.host, cast.frank, cast.alice);
    expect(lines(await exposure('bob@harbor.example'))).toHaveLength(1);
    for (const who of ['carol@harbor.example', 'dave@northwind.example']) {
      const r = await exposure(who);
      expectTopLevel(r, 'FORBIDDEN');
      expect(r.data?.node.licenseExposure).toBeNull();
    }
    expectTopLevel(await exposure(null), 'UNAUTHENTICATED');
  });
});
