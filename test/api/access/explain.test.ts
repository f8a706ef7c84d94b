// ACC-2 in explanations: a data-source user is created only by a granted sign-in, so an explanation
// promises one (willCreateDataSourceUser, and the ACC-2 step's text) only when access is granted.
import { beforeEach, describe, expect, it } from 'vitest';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

const EXPLAIN = `query($input: ExplainAccessInput!) { explainAccess(input: $input) {
  granted denialReason willCreateDataSourceUser dataSourceUser { id } steps { rule outcome detail } } }`;

describe('ACC-2 explainAccess promises a dynamic user only when granted', () => {
  const setUp = async (externalAccess: { allowExternalImsUsers: boolean; externalLicensing: 'SUPPLY' | 'DENY' }) => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Northwind Surveying"',
      externalAccess,
    });
    await world.licensingOwner(ds, cast.alice, cast.host);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    return ds;
  };
  const explain = async (dsId: string) => {
    const result = await world.gql(
      EXPLAIN,
      { input: { dataSourceId: gid('DataSource', dsId), machineName: 'WS-1' } },
      'erin@northwind.example',
    );
    expect(result.errors).toBeUndefined();
    return result.data?.explainAccess;
  };
  const acc2 = (decision: { steps: { rule: string; detail: string }[] }) =>
    decision.steps.find((s) => s.rule === 'ACC-2')?.detail ?? '';

  it('ACC-2 granted: a user will be created, and the step says so', async () => {
    const decision = await explain((await setUp({ allowExternalImsUsers: true, externalLicensing: 'SUPPLY' })).id);
    expect(decision).toMatchObject({ granted: true, willCreateDataSourceUser: true, dataSourceUser: null });
    expect(acc2(decision)).toMatch(/created at sign-in/);
  });

  it('ACC-2 refused later (EXTERNAL_ACCESS_NOT_ALLOWED): no user will be created, and the step says none is', async () => {
    const decision = await explain((await setUp({ allowExternalImsUsers: false, externalLicensing: 'SUPPLY' })).id);
    expect(decision).toMatchObject({
      granted: false,
      denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED',
      willCreateDataSourceUser: false,
      dataSourceUser: null,
    });
    expect(acc2(decision)).not.toMatch(/created at sign-in/);
    expect(acc2(decision)).toMatch(/no data-source user is created/);
  });

  it('ACC-2 refused later (NO_LICENSE): no user will be created', async () => {
    const decision = await explain((await setUp({ allowExternalImsUsers: true, externalLicensing: 'DENY' })).id);
    expect(decision).toMatchObject({ granted: false, denialReason: 'NO_LICENSE', willCreateDataSourceUser: false });
    expect(acc2(decision)).not.toMatch(/created at sign-in/);
  });
});

describe('§9 nothing nested in an explanation leaks', () => {
  const DETAIL = `query($input: ExplainAccessInput!) { explainAccess(input: $input) {
    granted user { email } dataSource { name dynamicCreationFilter licensingOwnerAccount { name } }
    dataSourceUser { login dataSource { name } } } }`;

  const setUp = async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Harbor Engineering"',
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
    });
    await world.licensingOwner(ds, cast.alice, cast.host);
    return ds;
  };
  const explain = (dsId: string, as: string, userId?: string) =>
    world.gql(DETAIL, { input: { dataSourceId: gid('DataSource', dsId), machineName: 'WS-1', userId } }, as);

  it('§9 a user explaining their own access sees no data source they cannot read, nested or not', async () => {
    const ds = await setUp();
    await world.dsUser(ds, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    const result = await explain(ds.id, 'erin@northwind.example');
    expect(result.errors).toBeUndefined();
    expect(result.data?.explainAccess).toEqual({
      granted: true,
      user: { email: 'erin@northwind.example' },
      dataSource: null,
      dataSourceUser: { login: 'erin', dataSource: null },
    });
    // Its admins see it all.
    const asAdmin = await explain(ds.id, 'bob@harbor.example', gid('User', cast.erin.id));
    expect(asAdmin.data?.explainAccess.dataSource).toEqual({
      name: 'Harbor Projects',
      dynamicCreationFilter: 'Organization = "Harbor Engineering"',
      licensingOwnerAccount: { name: 'Harbor Engineering' },
    });
    expect(asAdmin.data?.explainAccess.dataSourceUser.dataSource).toEqual({ name: 'Harbor Projects' });
  });

  it('§9 an IMS admin explains for users they may read (members, associated, users of their data source), and for nobody else', async () => {
    const ds = await setUp();
    // frank: no relation with the host at all → reads as missing, nothing about him leaks.
    const stranger = await explain(ds.id, 'alice@harbor.example', gid('User', cast.frank.id));
    expect(stranger.errors).toBeUndefined();
    expect(stranger.data?.explainAccess).toBeNull();
    expect(JSON.stringify(stranger)).not.toContain('frank');
    // A member of the owner account.
    expect((await explain(ds.id, 'alice@harbor.example', gid('User', cast.carol.id))).data?.explainAccess.user).toEqual(
      {
        email: 'carol@harbor.example',
      },
    );
    // Once frank is a user of the data source (his identity), or associated, he may be explained.
    await world.dsUser(ds, cast.alice, 'frank', { identity: 'frank@freelance.example' });
    expect((await explain(ds.id, 'alice@harbor.example', gid('User', cast.frank.id))).data?.explainAccess.user).toEqual(
      {
        email: 'frank@freelance.example',
      },
    );
    await world.associate(cast.host, cast.dave, cast.alice);
    expect((await explain(ds.id, 'alice@harbor.example', gid('User', cast.dave.id))).data?.explainAccess.user).toEqual({
      email: 'dave@northwind.example',
    });
  });

  it('§9 DataSourceUser.dataSource is null for the user who signs in as it', async () => {
    const ds = await setUp();
    const dsUser = await world.dsUser(ds, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    const q = 'query($id: ID!) { node(id: $id) { ... on DataSourceUser { login dataSource { name } } } }';
    const own = await world.gql(q, { id: gid('DataSourceUser', dsUser.id) }, 'erin@northwind.example');
    expect(own.data?.node).toEqual({ login: 'erin', dataSource: null });
  });
});

describe('§9 an explanation names only what the caller may read', () => {
  const STEPS = `query($input: ExplainAccessInput!) { explainAccess(input: $input) { granted denialReason steps { rule detail } } }`;
  const setUp = async (externalLicensing: 'SUPPLY' | 'DENY') => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Top Secret Merger', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: false, externalLicensing },
    });
    await world.licensingOwner(ds, cast.alice, cast.host);
    return ds;
  };
  const steps = async (dsId: string, as: string, userId?: string) => {
    const r = await world.gql(
      STEPS,
      { input: { dataSourceId: gid('DataSource', dsId), machineName: 'WS-1', userId } },
      as,
    );
    expect(r.errors).toBeUndefined();
    return JSON.stringify(r.data?.explainAccess.steps);
  };

  it('§9 a caller who may not read the data source gets the checks and outcomes without its name, owner or licensing owner', async () => {
    const ds = await setUp('SUPPLY');
    const asDave = await steps(ds.id, 'dave@northwind.example');
    expect(asDave).not.toContain('Top Secret Merger');
    expect(asDave).not.toContain('Harbor Engineering');
    expect(asDave).toContain('ACC-1');
    expect(asDave).toContain('ACC-2');
    // Its admins, explaining for the same user, see every name.
    await world.dsUser(ds, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const asAlice = await steps(ds.id, 'alice@harbor.example', gid('User', cast.dave.id));
    expect(asAlice).toContain('Top Secret Merger');
    expect(asAlice).toContain('Harbor Engineering');
  });

  it('§9 the billed account’s audit log does not name a data source it may not read', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Top Secret Merger', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
    });
    await world.dsUser(ds, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    const signIn = await world.gql(
      `mutation($input: SignInToDataSourceInput!) { signInToDataSource(input: $input) { ... on SignInToDataSourceSuccess { decision { granted billedAccount { name } } } } }`,
      { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' } },
      'erin@northwind.example',
    );
    expect(signIn.data?.signInToDataSource.decision).toEqual({
      granted: true,
      billedAccount: { name: 'Northwind Surveying' },
    });
    const log = async (accountId: string, as: string) =>
      JSON.stringify(
        (
          await world.gql(
            'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action summary } } } } }',
            { id: gid('Account', accountId) },
            as,
          )
        ).data?.account.auditLog,
      );
    const supplier = await log(cast.supplier.id, 'dave@northwind.example');
    expect(supplier).toContain('signInToDataSource');
    expect(supplier).not.toContain('Top Secret Merger');
    expect(supplier).toContain('a data source of Harbor Engineering');
    // One entry serves both logs: the owner's admins find the data source by its id in targetIds.
    const owner = await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { targetIds } } } } }',
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    expect(owner.data?.account.auditLog.edges[0].node.targetIds).toContain(gid('DataSource', ds.id));
  });
});
