// LIC-3: who pays for owner-provided sign-ins. The owner account sets itself (or nobody) directly;
// another account pays only with its consent — a request its IMS admins accept or reject, pending for
// 30 days at most, one at a time, locked behind an acknowledgement once usage exists.
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataSourceRow } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, type GqlResult, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let ds: DataSourceRow;

const DAY = 24 * 60 * 60 * 1000;
const succeeded = (r: { payload: Record<string, any> | null; result: GqlResult }) => expectSuccess(r.payload, r.result);
const REQUEST = `id status dataSourceName ownerAccount { name } requestedAccount { name }
  accessSettings { imsAuthEnabled dynamicCreationFilter externalAccess { allowExternalImsUsers externalLicensing } }
  dataSource { name } requestedAt expiresAt billingChangeAcknowledged answeredAt`;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Northwind Surveying"',
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
  });
});

const request = (as: string, accountId = cast.supplier.id, acknowledgeBillingChange?: boolean, dsId = ds.id) =>
  mutate(
    world,
    'requestLicensingOwner',
    { dataSourceId: gid('DataSource', dsId), accountId: gid('Account', accountId), acknowledgeBillingChange },
    as,
    `request { ${REQUEST} }`,
  );
const respond = (requestId: string, answer: 'ACCEPT' | 'REJECT', as: string) =>
  mutate(
    world,
    'respondToLicensingOwnerRequest',
    { requestId, answer },
    as,
    `request { status answeredAt } dataSource { name licensingOwnerAccount { name } }`,
  );
const cancel = (requestId: string, as: string) =>
  mutate(world, 'cancelLicensingOwnerRequest', { requestId }, as, 'request { status }');
const requested = async (as = 'alice@harbor.example') => {
  const r = await request(as);
  return expectSuccess(r.payload, r.result).request as Record<string, any>;
};
const licensingOwnerOf = async () =>
  (
    await world.gql(
      'query($id: ID!) { dataSource(id: $id) { licensingOwnerAccount { name } } }',
      { id: gid('DataSource', ds.id) },
      'alice@harbor.example',
    )
  ).data?.dataSource.licensingOwnerAccount;
const incoming = async (as = 'dave@northwind.example', status?: string[]) =>
  world.gql(
    `query($id: ID!, $status: [LicensingOwnerRequestStatus!]) { account(id: $id) {
      licensingOwnerRequests(status: $status) { totalCount edges { node { id status dataSourceName } } } } }`,
    { id: gid('Account', cast.supplier.id), status },
    as,
  );
const auditActions = async (accountId: string, as: string) =>
  (
    await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 5) { edges { node { action summary } } } } }',
      { id: gid('Account', accountId) },
      as,
    )
  ).data?.account.auditLog.edges.map((e: any) => e.node.action);

describe('LIC-3 setLicensingOwner: the owner account itself, or nobody', () => {
  it('LIC-3 another account cannot be set directly: CONSENT_REQUIRED, nothing written', async () => {
    const before = await world.rowCounts();
    const r = await mutate(
      world,
      'setLicensingOwner',
      { dataSourceId: gid('DataSource', ds.id), accountId: gid('Account', cast.supplier.id) },
      'alice@harbor.example',
    );
    expect(expectUserError(r.payload, 'CONSENT_REQUIRED').path).toEqual(['input', 'accountId']);
    expect(await world.rowCounts()).toEqual(before);
    expect(await licensingOwnerOf()).toBeNull();
  });

  it('LIC-3 setting the owner account while a request is pending cancels the request', async () => {
    const r = await requested();
    await world.licensingOwner(ds, cast.alice, cast.host);
    const seen = await world.gql(
      'query($id: ID!) { node(id: $id) { ... on LicensingOwnerRequest { status } } }',
      { id: r.id },
      'dave@northwind.example',
    );
    expect(seen.data?.node.status).toBe('CANCELLED');
    expectUserError((await respond(r.id, 'ACCEPT', 'dave@northwind.example')).payload, 'REQUEST_NOT_PENDING');
    expect(await licensingOwnerOf()).toEqual({ name: 'Harbor Engineering' });
    expect(await auditActions(cast.supplier.id, 'dave@northwind.example')).toContain('setLicensingOwner');
  });
});

describe('LIC-3 requesting another account', () => {
  it('LIC-3 a request changes nothing yet; the requested account sees what it would pay for, not the data source', async () => {
    const r = await requested();
    expect(r).toMatchObject({
      status: 'PENDING',
      dataSourceName: 'Harbor Projects',
      ownerAccount: { name: 'Harbor Engineering' },
      requestedAccount: { name: 'Northwind Surveying' },
      accessSettings: {
        imsAuthEnabled: true,
        dynamicCreationFilter: 'Organization = "Northwind Surveying"',
        externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
      },
      dataSource: { name: 'Harbor Projects' },
      billingChangeAcknowledged: false,
      answeredAt: null,
    });
    expect(new Date(r.expiresAt).getTime() - new Date(r.requestedAt).getTime()).toBe(30 * DAY);
    expect(await licensingOwnerOf()).toBeNull();
    const list = await incoming();
    expect(list.errors).toBeUndefined();
    expect(list.data?.account.licensingOwnerRequests).toEqual({
      totalCount: 1,
      edges: [{ node: { id: r.id, status: 'PENDING', dataSourceName: 'Harbor Projects' } }],
    });
    const asDave = await world.gql(
      `query($id: ID!) { node(id: $id) { ... on LicensingOwnerRequest { dataSourceName dataSource { name } } } }`,
      { id: r.id },
      'dave@northwind.example',
    );
    expect(asDave.data?.node).toEqual({ dataSourceName: 'Harbor Projects', dataSource: null });
    // Audited in both accounts' logs.
    expect((await auditActions(cast.host.id, 'alice@harbor.example'))[0]).toBe('requestLicensingOwner');
    expect((await auditActions(cast.supplier.id, 'dave@northwind.example'))[0]).toBe('requestLicensingOwner');
  });

  it('LIC-3 OWN_ACCOUNT, ALREADY_LICENSING_OWNER, REQUEST_PENDING (one pending request per data source)', async () => {
    expectUserError((await request('alice@harbor.example', cast.host.id)).payload, 'OWN_ACCOUNT');
    await requested();
    const freelance = await world.account('Freelance Collective', ['freelance.example'], cast.frank);
    const before = await world.rowCounts();
    expectUserError((await request('bob@harbor.example')).payload, 'REQUEST_PENDING');
    expectUserError((await request('bob@harbor.example', freelance.id)).payload, 'REQUEST_PENDING');
    expect(await world.rowCounts()).toEqual(before);
    // Another data source is not blocked by this one's pending request.
    const other = await world.dataSource(cast.host, cast.alice, 'Harbor Archive');
    succeeded(await request('alice@harbor.example', cast.supplier.id, undefined, other.id));
    // Once accepted, asking the same account again is ALREADY_LICENSING_OWNER.
    const pending = ((await incoming()).data?.account.licensingOwnerRequests.edges ?? []).find(
      (e: any) => e.node.dataSourceName === 'Harbor Archive',
    );
    succeeded(await respond(pending.node.id, 'ACCEPT', 'dave@northwind.example'));
    const again = await request('alice@harbor.example', cast.supplier.id, undefined, other.id);
    expectUserError(again.payload, 'ALREADY_LICENSING_OWNER');
  });

  it('LIC-3 a cancelled, rejected or expired request no longer blocks a new one', async () => {
    const first = await requested();
    succeeded(await cancel(first.id, 'bob@harbor.example'));
    const second = await requested();
    succeeded(await respond(second.id, 'REJECT', 'dave@northwind.example'));
    const third = await requested();
    world.setNow(new Date(new Date(third.requestedAt).getTime() + 30 * DAY));
    expect((await requested()).status).toBe('PENDING');
  });

  it('LIC-3 who may request: IMS admins of the owner account; anyone else gets NOT_FOUND, as for a missing data source', async () => {
    const missing = await request('dave@northwind.example', cast.supplier.id, undefined, 'missing');
    for (const as of ['carol@harbor.example', 'dave@northwind.example', 'erin@northwind.example']) {
      const r = await request(as);
      expectUserError(r.payload, 'NOT_FOUND');
      expect(r.result).toEqual(missing.result);
    }
    expectTopLevel((await request(null as unknown as string)).result, 'UNAUTHENTICATED');
    const byCsa = await world.member(cast.host, await world.user('gina@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    expect((await requested(byCsa.email)).status).toBe('PENDING');
  });
});

describe('LIC-3 answering', () => {
  it('LIC-3 accepting makes the requested account the licensing owner at once; it then pays and reads the settings, never the users', async () => {
    const r = await requested();
    await world.dsUser(ds, cast.alice, 'carol', {
      identity: 'carol@harbor.example',
      clientLicensing: 'OWNER_PROVIDES',
    });
    // A member of the requested account without an IMS role may not see it.
    expectUserError((await respond(r.id, 'ACCEPT', 'erin@northwind.example')).payload, 'NOT_FOUND');
    const ok = await respond(r.id, 'ACCEPT', 'dave@northwind.example');
    expect(expectSuccess(ok.payload, ok.result)).toMatchObject({
      request: { status: 'ACCEPTED' },
      dataSource: { name: 'Harbor Projects', licensingOwnerAccount: { name: 'Northwind Surveying' } },
    });
    expect(await licensingOwnerOf()).toEqual({ name: 'Northwind Surveying' });
    // Owner-provided sign-ins are billed to the accepting account.
    const signIn = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' },
      'carol@harbor.example',
      'decision { granted licenseSource billedAccount { name } }',
    );
    expect(expectSuccess(signIn.payload, signIn.result).decision).toEqual({
      granted: true,
      licenseSource: 'DATASOURCE_OWNER',
      billedAccount: { name: 'Northwind Surveying' },
    });
    // Its IMS admins read the data source's name, owner and access settings — never its principals.
    const asDave = await world.gql(
      `query($id: ID!) { dataSource(id: $id) { name ownerAccount { name } imsAuthEnabled externalAccess { externalLicensing }
        users { totalCount } groups { totalCount } userLists { totalCount } workAreas { totalCount } } }`,
      { id: gid('DataSource', ds.id) },
      'dave@northwind.example',
    );
    expect(asDave.data?.dataSource).toEqual({
      name: 'Harbor Projects',
      ownerAccount: { name: 'Harbor Engineering' },
      imsAuthEnabled: true,
      externalAccess: { externalLicensing: 'SUPPLY' },
      users: null,
      groups: null,
      userLists: null,
      workAreas: null,
    });
    expect(asDave.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    // …but may not administer it.
    const update = await mutate(
      world,
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', ds.id), imsAuthEnabled: false },
      'dave@northwind.example',
    );
    expectTopLevel(update.result, 'FORBIDDEN');
    expect(await auditActions(cast.host.id, 'alice@harbor.example')).toContain('respondToLicensingOwnerRequest');
    expect(await auditActions(cast.supplier.id, 'dave@northwind.example')).toContain('respondToLicensingOwnerRequest');
  });

  it('LIC-3 rejecting changes nothing; a request is answered once (REQUEST_NOT_PENDING)', async () => {
    const r = await requested();
    const rejected = await respond(r.id, 'REJECT', 'dave@northwind.example');
    expect(expectSuccess(rejected.payload, rejected.result).request.status).toBe('REJECTED');
    expect(await licensingOwnerOf()).toBeNull();
    const before = await world.rowCounts();
    expectUserError((await respond(r.id, 'ACCEPT', 'dave@northwind.example')).payload, 'REQUEST_NOT_PENDING');
    expectUserError((await cancel(r.id, 'alice@harbor.example')).payload, 'REQUEST_NOT_PENDING');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('LIC-3 the owner side cannot answer (FORBIDDEN); strangers cannot tell the request exists (NOT_FOUND)', async () => {
    const r = await requested();
    expectTopLevel((await respond(r.id, 'ACCEPT', 'alice@harbor.example')).result, 'FORBIDDEN');
    const freelance = await world.account('Freelance Collective', ['freelance.example'], cast.frank);
    expect(freelance.name).toBe('Freelance Collective');
    const missing = await respond(gid('LicensingOwnerRequest', 'missing'), 'ACCEPT', 'frank@freelance.example');
    const stranger = await respond(r.id, 'ACCEPT', 'frank@freelance.example');
    expectUserError(stranger.payload, 'NOT_FOUND');
    expect(stranger.result).toEqual(missing.result);
    expect(await licensingOwnerOf()).toBeNull();
    const node = await world.gql('query($id: ID!) { node(id: $id) { id } }', { id: r.id }, 'frank@freelance.example');
    expect(node.data?.node).toBeNull();
  });

  it('LIC-3 a request expires 30 days after it was made, exactly: answerable until then, EXPIRED from that instant', async () => {
    const r = await requested();
    const expiry = new Date(r.expiresAt).getTime();
    world.setNow(new Date(expiry - 1));
    expect(
      (await incoming('dave@northwind.example', ['PENDING'])).data?.account.licensingOwnerRequests.totalCount,
    ).toBe(1);
    world.setNow(new Date(expiry));
    const list = await incoming('dave@northwind.example', ['EXPIRED']);
    expect(list.data?.account.licensingOwnerRequests.edges.map((e: any) => e.node.status)).toEqual(['EXPIRED']);
    expect(
      (await incoming('dave@northwind.example', ['PENDING'])).data?.account.licensingOwnerRequests.totalCount,
    ).toBe(0);
    expectUserError((await respond(r.id, 'ACCEPT', 'dave@northwind.example')).payload, 'REQUEST_NOT_PENDING');
    expectUserError((await cancel(r.id, 'alice@harbor.example')).payload, 'REQUEST_NOT_PENDING');
    expect(await licensingOwnerOf()).toBeNull();
    // One millisecond earlier it could still be accepted.
    world.setNow(new Date(expiry - 1));
    succeeded(await respond(r.id, 'ACCEPT', 'dave@northwind.example'));
  });
});

describe('LIC-3 cancelling', () => {
  it('LIC-3 any IMS admin of the owner account cancels a pending request; the requested side cannot', async () => {
    const r = await requested();
    expectTopLevel((await cancel(r.id, 'dave@northwind.example')).result, 'FORBIDDEN');
    expectUserError((await cancel(r.id, 'carol@harbor.example')).payload, 'NOT_FOUND');
    const ok = await cancel(r.id, 'bob@harbor.example');
    expect(expectSuccess(ok.payload, ok.result).request.status).toBe('CANCELLED');
    expect((await auditActions(cast.supplier.id, 'dave@northwind.example'))[0]).toBe('cancelLicensingOwnerRequest');
    expect((await auditActions(cast.host.id, 'alice@harbor.example'))[0]).toBe('cancelLicensingOwnerRequest');
  });
});

describe('LIC-3 billing lock', () => {
  it('LIC-3 once usage exists, a request needs acknowledgeBillingChange (BILLING_OWNER_LOCKED); accepting needs none', async () => {
    await world.licensingOwner(ds, cast.alice, cast.host);
    await world.dsUser(ds, cast.alice, 'carol', {
      identity: 'carol@harbor.example',
      clientLicensing: 'OWNER_PROVIDES',
    });
    const signIn = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' },
      'carol@harbor.example',
      'decision { granted }',
    );
    expect(expectSuccess(signIn.payload, signIn.result).decision.granted).toBe(true);
    const before = await world.rowCounts();
    const locked = await request('alice@harbor.example');
    expect(expectUserError(locked.payload, 'BILLING_OWNER_LOCKED').path).toEqual(['input', 'acknowledgeBillingChange']);
    expect(await world.rowCounts()).toEqual(before);
    const ok = await request('alice@harbor.example', cast.supplier.id, true);
    const r = expectSuccess(ok.payload, ok.result).request;
    expect(r.billingChangeAcknowledged).toBe(true);
    const accepted = await respond(r.id, 'ACCEPT', 'dave@northwind.example');
    expect(expectSuccess(accepted.payload, accepted.result).request.status).toBe('ACCEPTED');
    expect(await licensingOwnerOf()).toEqual({ name: 'Northwind Surveying' });
  });
});

describe('LIC-3 an answered request keeps what was asked', () => {
  it('LIC-3 after answering, the request shows the data source as it was then, not as it is now', async () => {
    const r = await requested();
    succeeded(await respond(r.id, 'ACCEPT', 'dave@northwind.example'));
    await world.licensingOwner(ds, cast.alice, null);
    const renamed = await mutate(
      world,
      'updateDataSourceSettings',
      {
        dataSourceId: gid('DataSource', ds.id),
        name: 'Renamed After Removal',
        externalAccess: { externalLicensing: 'DENY' },
      },
      'alice@harbor.example',
    );
    succeeded(renamed);
    const seen = await world.gql(
      `query($id: ID!) { node(id: $id) { ... on LicensingOwnerRequest { status dataSourceName
        accessSettings { externalAccess { externalLicensing } } dataSource { name } } } }`,
      { id: r.id },
      'dave@northwind.example',
    );
    expect(seen.data?.node).toEqual({
      status: 'ACCEPTED',
      dataSourceName: 'Harbor Projects',
      accessSettings: { externalAccess: { externalLicensing: 'SUPPLY' } },
      dataSource: null,
    });
  });

  it('LIC-3 while pending, the request shows the data source as it is now', async () => {
    const r = await requested();
    await mutate(
      world,
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', ds.id), name: 'Harbor Projects 2026' },
      'alice@harbor.example',
    );
    const seen = await world.gql(
      'query($id: ID!) { node(id: $id) { ... on LicensingOwnerRequest { dataSourceName } } }',
      { id: r.id },
      'dave@northwind.example',
    );
    expect(seen.data?.node.dataSourceName).toBe('Harbor Projects 2026');
  });
});
