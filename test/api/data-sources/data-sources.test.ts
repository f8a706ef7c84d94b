// DS-1…DS-5, LIC-3 (setLicensingOwner) and WA-1 / WA-1b through the API, with §9 authorization.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, inOrder, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

/** Set-up through the API: Alice (host ACCOUNT_ADMIN) creates something and we keep its id. */
async function created(mutation: string, input: Record<string, unknown>, field: string): Promise<string> {
  const { payload, result } = await mutate(world, mutation, input, 'alice@harbor.example', `${field} { id }`);
  return expectSuccess(payload, result)[field].id;
}

const DS = `dataSource { id name imsAuthEnabled dynamicCreationFilter licensingOwnerMissing licensingOwnerAccount { name } ownerAccount { name } externalAccess { allowExternalImsUsers externalLicensing } }`;

describe('DS-1 / DS-2 data sources and settings', () => {
  it('DS-1 an IMS admin creates a data source for their account; defaults per DS-2', async () => {
    const { payload, result } = await mutate(
      world,
      'createDataSource',
      { accountId: gid('Account', cast.host.id), name: 'Harbor Projects' },
      'bob@harbor.example',
      DS,
    );
    expect(expectSuccess(payload, result).dataSource).toMatchObject({
      name: 'Harbor Projects',
      imsAuthEnabled: false,
      dynamicCreationFilter: null,
      licensingOwnerMissing: true,
      licensingOwnerAccount: null,
      ownerAccount: { name: 'Harbor Engineering' },
      externalAccess: { allowExternalImsUsers: false, externalLicensing: 'DENY' },
    });
  });

  it('DS-1 who may not: a member without a role, an admin of another account, anonymous; NAME_TAKEN', async () => {
    const input = { accountId: gid('Account', cast.host.id), name: 'Harbor Projects' };
    expectTopLevel((await mutate(world, 'createDataSource', input, 'carol@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel((await mutate(world, 'createDataSource', input, 'dave@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await mutate(world, 'createDataSource', input, null)).result, 'UNAUTHENTICATED');
    await mutate(world, 'createDataSource', input, 'alice@harbor.example');
    expectUserError(
      (await mutate(world, 'createDataSource', { ...input, name: 'harbor projects' }, 'alice@harbor.example')).payload,
      'NAME_TAKEN',
    );
  });

  it('DS-2 settings change; fields left out stay; a filter can be set and removed', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const update = (input: Record<string, unknown>) =>
      mutate(
        world,
        'updateDataSourceSettings',
        { dataSourceId: gid('DataSource', ds.id), ...input },
        'alice@harbor.example',
        DS,
      );
    const first = await update({
      imsAuthEnabled: true,
      dynamicCreationFilter: 'organization = "harbor engineering" or Organization = "Northwind Surveying"',
      externalAccess: { externalLicensing: 'SUPPLY' },
    });
    expect(expectSuccess(first.payload, first.result).dataSource).toMatchObject({
      imsAuthEnabled: true,
      dynamicCreationFilter: 'organization = "harbor engineering" or Organization = "Northwind Surveying"',
      externalAccess: { allowExternalImsUsers: false, externalLicensing: 'SUPPLY' },
    });
    const second = await update({ dynamicCreationFilter: null, externalAccess: { allowExternalImsUsers: true } });
    expect(expectSuccess(second.payload, second.result).dataSource).toMatchObject({
      imsAuthEnabled: true,
      dynamicCreationFilter: null,
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
    });
  });

  it('DS-2 a filter that does not parse, or names an unknown account, is INVALID_IDENTITY_FILTER with the position; nothing changes', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const before = await world.rowCounts();
    const bad = await mutate(
      world,
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', ds.id), imsAuthEnabled: true, dynamicCreationFilter: 'Organization = Harbor' },
      'alice@harbor.example',
    );
    expect(expectUserError(bad.payload, 'INVALID_IDENTITY_FILTER')).toMatchObject({
      message: expect.stringMatching(/position 16/),
      path: ['input', 'dynamicCreationFilter'],
    });
    const unknown = await mutate(
      world,
      'createDataSource',
      { accountId: gid('Account', cast.host.id), name: 'X', dynamicCreationFilter: 'Organization = "Nobody"' },
      'alice@harbor.example',
    );
    expect(expectUserError(unknown.payload, 'INVALID_IDENTITY_FILTER').message).toMatch(
      /position 16: no account is named "Nobody"/,
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('DS-1 §9 settings: a member without a role and another account’s admin get NOT_FOUND, exactly as for a missing data source', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const update = (id: string, as: string) =>
      mutate(world, 'updateDataSourceSettings', { dataSourceId: gid('DataSource', id), imsAuthEnabled: true }, as);
    const missing = expectUserError((await update('missing', 'dave@northwind.example')).payload, 'NOT_FOUND');
    const before = await world.rowCounts();
    for (const as of ['carol@harbor.example', 'dave@northwind.example']) {
      const hidden = expectUserError((await update(ds.id, as)).payload, 'NOT_FOUND');
      expect(hidden).toEqual(missing);
      expect(hidden.message).not.toContain('Harbor Projects');
    }
    expect(await world.rowCounts()).toEqual(before);
  });

  it('§9 creating things in another account’s data source answers exactly as for a missing one', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const cases: [string, Record<string, unknown>][] = [
      ['createWorkArea', { name: 'W' }],
      ['createGroup', { name: 'G' }],
      ['createUserList', { name: 'L' }],
      ['createDataSourceUser', { login: 'x' }],
      ['updateDataSourceSettings', { imsAuthEnabled: true }],
    ];
    const before = await world.rowCounts();
    for (const [name, input] of cases) {
      const missing = await mutate(
        world,
        name,
        { ...input, dataSourceId: gid('DataSource', 'missing') },
        'dave@northwind.example',
      );
      const hidden = await mutate(
        world,
        name,
        { ...input, dataSourceId: gid('DataSource', ds.id) },
        'dave@northwind.example',
      );
      expect(hidden.result, name).toEqual(missing.result);
      expectUserError(hidden.payload, 'NOT_FOUND');
      expect(JSON.stringify(hidden.result), name).not.toContain('Harbor Projects');
    }
    expect(await world.rowCounts()).toEqual(before);
  });

  it('DS-1 a data source is readable by its owner’s IMS admins only', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const q = `query($id: ID!) { dataSource(id: $id) { name } }`;
    expect((await world.gql(q, { id: gid('DataSource', ds.id) }, 'bob@harbor.example')).data?.dataSource).toEqual({
      name: 'Harbor Projects',
    });
    expect((await world.gql(q, { id: gid('DataSource', ds.id) }, 'carol@harbor.example')).data?.dataSource).toBeNull();
    expect(
      (await world.gql(q, { id: gid('DataSource', ds.id) }, 'dave@northwind.example')).data?.dataSource,
    ).toBeNull();
    const list = await world.gql(
      `query($id: ID!) { account(id: $id) { dataSources { totalCount edges { node { name } } } } }`,
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    expect(list.data?.account.dataSources).toEqual({ totalCount: 1, edges: [{ node: { name: 'Harbor Projects' } }] });
  });
});

describe('LIC-3 licensing owner', () => {
  const set = (dsId: string, accountId: string | null, as: string, acknowledgeBillingChange?: boolean) =>
    mutate(
      world,
      'setLicensingOwner',
      {
        dataSourceId: gid('DataSource', dsId),
        accountId: accountId && gid('Account', accountId),
        acknowledgeBillingChange,
      },
      as,
      DS,
    );

  it('LIC-3 an IMS admin of the owner account sets their own account; the warning goes away', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const { payload, result } = await set(ds.id, cast.host.id, 'alice@harbor.example');
    expect(expectSuccess(payload, result).dataSource).toMatchObject({
      licensingOwnerMissing: false,
      licensingOwnerAccount: { name: 'Harbor Engineering' },
    });
  });

  it('LIC-3 once usage exists, changing it needs acknowledgeBillingChange: BILLING_OWNER_LOCKED', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', { imsAuthEnabled: true });
    await world.licensingOwner(ds, cast.alice, cast.host);
    await world.dsUser(ds, cast.alice, 'alice', {
      identity: 'alice@harbor.example',
      clientLicensing: 'OWNER_PROVIDES',
    });
    const signIn = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' },
      'alice@harbor.example',
      'decision { granted }',
    );
    expect(expectSuccess(signIn.payload, signIn.result).decision.granted).toBe(true);
    const before = await world.rowCounts();
    expectUserError((await set(ds.id, null, 'alice@harbor.example')).payload, 'BILLING_OWNER_LOCKED');
    expect(await world.rowCounts()).toEqual(before);
    const ok = await set(ds.id, null, 'alice@harbor.example', true);
    expect(expectSuccess(ok.payload, ok.result).dataSource.licensingOwnerMissing).toBe(true);
  });

  it('LIC-3 setting the same owner again changes nothing and needs no acknowledgement', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    await world.licensingOwner(ds, cast.alice, cast.host);
    const audits = (await world.rowCounts()).auditEntries ?? 0;
    const again = await set(ds.id, cast.host.id, 'alice@harbor.example');
    expect(expectSuccess(again.payload, again.result).dataSource.licensingOwnerAccount).toEqual({
      name: 'Harbor Engineering',
    });
    expect((await world.rowCounts()).auditEntries).toBe(audits + 1); // §10: every mutation is audited
  });
});

describe('DS-3 data-source users', () => {
  const USER = 'user { id login email identity clientLicensing created }';

  it('DS-3 a MANUAL user with optional email and identity (lower-cased) and client licensing', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const { payload, result } = await mutate(
      world,
      'createDataSourceUser',
      {
        dataSourceId: gid('DataSource', ds.id),
        login: 'dnorth',
        identity: 'Dave@Northwind.example',
        clientLicensing: 'OWNER_PROVIDES',
      },
      'alice@harbor.example',
      USER,
    );
    expect(expectSuccess(payload, result).user).toMatchObject({
      login: 'dnorth',
      email: null,
      identity: 'dave@northwind.example',
      clientLicensing: 'OWNER_PROVIDES',
      created: 'MANUAL',
    });
  });

  it('DS-3 logins and identities are unique per data source: LOGIN_TAKEN, IDENTITY_TAKEN', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    await world.dsUser(ds, cast.alice, 'dnorth', { identity: 'dave@northwind.example' });
    const create = (input: Record<string, unknown>) =>
      mutate(
        world,
        'createDataSourceUser',
        { dataSourceId: gid('DataSource', ds.id), ...input },
        'alice@harbor.example',
      );
    expectUserError((await create({ login: 'DNorth' })).payload, 'LOGIN_TAKEN');
    expectUserError((await create({ login: 'other', identity: 'dave@northwind.example' })).payload, 'IDENTITY_TAKEN');
    const elsewhere = await world.dataSource(cast.host, cast.alice, 'Archive');
    expect((await world.dsUser(elsewhere, cast.alice, 'dnorth', { identity: 'dave@northwind.example' })).login).toBe(
      'dnorth',
    );
  });

  it('DS-3 update: fields left out stay; email null removes it; who may not', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const u = await world.dsUser(ds, cast.alice, 'carol', {
      email: 'carol@harbor.example',
      identity: 'carol@harbor.example',
    });
    const upd = await mutate(
      world,
      'updateDataSourceUser',
      { userId: gid('DataSourceUser', u.id), email: null, clientLicensing: 'OWNER_PROVIDES' },
      'bob@harbor.example',
      USER,
    );
    expect(expectSuccess(upd.payload, upd.result).user).toMatchObject({
      login: 'carol',
      email: null,
      identity: 'carol@harbor.example',
      clientLicensing: 'OWNER_PROVIDES',
    });
    expectUserError(
      (
        await mutate(
          world,
          'updateDataSourceUser',
          { userId: gid('DataSourceUser', u.id), login: 'x' },
          'dave@northwind.example',
        )
      ).payload,
      'NOT_FOUND',
    );
    expectUserError(
      (
        await mutate(
          world,
          'updateDataSourceUser',
          { userId: gid('DataSourceUser', u.id), login: 'x' },
          'carol@harbor.example',
        )
      ).payload,
      'NOT_FOUND',
    );
  });

  it('DS-3 a user sees their own data-source user through node(id); others cannot', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const u = await world.dsUser(ds, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    const q = `query($id: ID!) { node(id: $id) { ... on DataSourceUser { login } } }`;
    expect((await world.gql(q, { id: gid('DataSourceUser', u.id) }, 'erin@northwind.example')).data?.node).toEqual({
      login: 'erin',
    });
    expect((await world.gql(q, { id: gid('DataSourceUser', u.id) }, 'dave@northwind.example')).data?.node).toBeNull();
  });
});

describe('DS-4 / DS-5 groups, user lists and deletion', () => {
  async function setup() {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const users = await inOrder(['ann', 'ben', 'cat', 'dan'], async (l) => await world.dsUser(ds, cast.alice, l));
    return { ds, users };
  }

  it('DS-4 groups contain users; lists nest users, groups and lists — cycles allowed — and expand once', async () => {
    const { ds, users } = await setup();
    const [ann, ben, cat, dan] = users.map((u) => gid('DataSourceUser', u.id));
    const g = await mutate(
      world,
      'createGroup',
      { dataSourceId: gid('DataSource', ds.id), name: 'Structural', userIds: [ann, ben] },
      'alice@harbor.example',
      'group { id name members { edges { node { login } } } }',
    );
    const group = expectSuccess(g.payload, g.result).group;
    expect(nodes(group.members).map((m: any) => m.login)).toEqual(['ann', 'ben']);
    const l1 = await mutate(
      world,
      'createUserList',
      { dataSourceId: gid('DataSource', ds.id), name: 'Bridge Team', members: [group.id, cat] },
      'alice@harbor.example',
      'list { id }',
    );
    const outer = expectSuccess(l1.payload, l1.result).list.id;
    const l2 = await mutate(
      world,
      'createUserList',
      { dataSourceId: gid('DataSource', ds.id), name: 'Reviewers', members: [dan, outer] },
      'alice@harbor.example',
      'list { id }',
    );
    const inner = expectSuccess(l2.payload, l2.result).list.id;
    // close the cycle: Bridge Team ⊃ Reviewers ⊃ Bridge Team, and Bridge Team ⊃ itself
    const cyc = await mutate(
      world,
      'setUserListMembers',
      { listId: outer, members: [group.id, cat, inner, outer] },
      'alice@harbor.example',
      'list { members { edges { node { __typename } } } expandedUsers { edges { node { login } } } }',
    );
    const list = expectSuccess(cyc.payload, cyc.result).list;
    expect(nodes(list.members).map((m: any) => m.__typename)).toEqual([
      'DataSourceGroup',
      'DataSourceUser',
      'UserList',
      'UserList',
    ]);
    expect(nodes(list.expandedUsers).map((u: any) => u.login)).toEqual(['ann', 'ben', 'cat', 'dan']);
  });

  it('DS-4 members must belong to the same data source; names are unique; *Everyone is reserved', async () => {
    const { ds } = await setup();
    const other = await world.dataSource(cast.host, cast.alice, 'Archive');
    const stranger = await world.dsUser(other, cast.alice, 'zed');
    const create = (name: string, userIds: string[] = []) =>
      mutate(world, 'createGroup', { dataSourceId: gid('DataSource', ds.id), name, userIds }, 'alice@harbor.example');
    expectUserError((await create('G', [gid('DataSourceUser', stranger.id)])).payload, 'NOT_FOUND');
    await create('Structural');
    expectUserError((await create('structural')).payload, 'NAME_TAKEN');
    expectUserError((await create('*Everyone')).payload, 'NAME_TAKEN');
    const wrongType = await mutate(
      world,
      'createUserList',
      { dataSourceId: gid('DataSource', ds.id), name: 'L', members: [gid('Account', cast.host.id)] },
      'alice@harbor.example',
    );
    expectTopLevel(wrongType.result, 'BAD_USER_INPUT');
  });

  it('DS-4 *Everyone is every user of the data source and cannot be edited or deleted', async () => {
    const { ds } = await setup();
    const q = await world.gql(
      `query($id: ID!) { dataSource(id: $id) { everyone { id name } users { totalCount } } }`,
      { id: gid('DataSource', ds.id) },
      'alice@harbor.example',
    );
    expect(q.data?.dataSource.everyone).toEqual({ id: gid('EveryoneGroup', ds.id), name: '*Everyone' });
    const edit = await mutate(
      world,
      'setGroupMembers',
      { groupId: gid('EveryoneGroup', ds.id), userIds: [] },
      'alice@harbor.example',
    );
    expect(edit.result.errors?.[0]?.message).toMatch(/DataSourceGroup|type/);
    const del = await mutate(world, 'deleteGroup', { groupId: gid('EveryoneGroup', ds.id) }, 'alice@harbor.example');
    expect(del.result.errors?.[0]?.message).toMatch(/DataSourceGroup|type/);
  });

  it('DS-5 deleting a referenced user, group or list is IN_USE (naming the references) unless force; force removes the references', async () => {
    const { ds, users } = await setup();
    const [ann] = users;
    const area = await created(
      'createWorkArea',
      { dataSourceId: gid('DataSource', ds.id), name: 'Bridge 12' },
      'workArea',
    );
    const g = await created(
      'createGroup',
      { dataSourceId: gid('DataSource', ds.id), name: 'G', userIds: [gid('DataSourceUser', ann?.id ?? '')] },
      'group',
    );
    const l = await created(
      'createUserList',
      { dataSourceId: gid('DataSource', ds.id), name: 'L', members: [g] },
      'list',
    );
    await mutate(
      world,
      'setWorkAreaParticipant',
      { workAreaId: area, principalId: l, role: 'TEAM_MEMBER' },
      'alice@harbor.example',
    );

    const before = await world.rowCounts();
    const inUse = await mutate(world, 'deleteGroup', { groupId: g }, 'alice@harbor.example');
    expect(expectUserError(inUse.payload, 'IN_USE').message).toMatch(/member of user list "L"/);
    expectUserError((await mutate(world, 'deleteUserList', { listId: l }, 'alice@harbor.example')).payload, 'IN_USE');
    expect(
      expectUserError(
        (
          await mutate(
            world,
            'deleteDataSourceUser',
            { userId: gid('DataSourceUser', ann?.id ?? '') },
            'alice@harbor.example',
          )
        ).payload,
        'IN_USE',
      ).message,
    ).toMatch(/member of group "G"/);
    expect(await world.rowCounts()).toEqual(before);

    const forced = await mutate(
      world,
      'deleteUserList',
      { listId: l, force: true },
      'alice@harbor.example',
      'deletedListId',
    );
    expect(expectSuccess(forced.payload, forced.result).deletedListId).toBe(l);
    const after = await world.gql(
      `query($id: ID!) { workArea(id: $id) { participants { edges { node { role } } } } }`,
      { id: area },
      'alice@harbor.example',
    );
    expect(nodes(after.data?.workArea.participants)).toEqual([]);
    const unreferenced = await mutate(
      world,
      'deleteDataSourceUser',
      { userId: gid('DataSourceUser', users[3]?.id ?? '') },
      'alice@harbor.example',
      'deletedUserId',
    );
    expectSuccess(unreferenced.payload, unreferenced.result);
  });

  it('DS-5 who may not delete: NOT_FOUND for anyone who does not administer the data source', async () => {
    const { users } = await setup();
    const id = gid('DataSourceUser', users[0]?.id ?? '');
    expectUserError(
      (await mutate(world, 'deleteDataSourceUser', { userId: id }, 'carol@harbor.example')).payload,
      'NOT_FOUND',
    );
    expectUserError(
      (await mutate(world, 'deleteDataSourceUser', { userId: id }, 'dave@northwind.example')).payload,
      'NOT_FOUND',
    );
    expectTopLevel((await mutate(world, 'deleteDataSourceUser', { userId: id }, null)).result, 'UNAUTHENTICATED');
  });
});

describe('WA-1 / WA-1b work areas', () => {
  const NAMED = `workArea { participants { edges { node { kind role principal { __typename ... on DataSourceUser { login } ... on DataSourceGroup { name } ... on UserList { name } ... on EveryoneGroup { name } } } } }
    namedUsers { edges { node { user { login } effectiveRole individual via { edges { node { kind role } } } } } } }`;

  it('WA-1 participants are users, groups, lists or *Everyone with a role; a principal appears once (setting again changes the role)', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const [ann, ben] = await inOrder(['ann', 'ben'], async (l) => await world.dsUser(ds, cast.alice, l));
    const area = await created(
      'createWorkArea',
      { dataSourceId: gid('DataSource', ds.id), name: 'Bridge 12' },
      'workArea',
    );
    const g = await created(
      'createGroup',
      {
        dataSourceId: gid('DataSource', ds.id),
        name: 'Structural',
        userIds: [gid('DataSourceUser', ann?.id ?? ''), gid('DataSourceUser', ben?.id ?? '')],
      },
      'group',
    );
    const set = (principalId: string, role: string) =>
      mutate(world, 'setWorkAreaParticipant', { workAreaId: area, principalId, role }, 'alice@harbor.example', NAMED);
    await set(g, 'LEADER');
    await set(gid('EveryoneGroup', ds.id), 'OBSERVER');
    await set(gid('DataSourceUser', ann?.id ?? ''), 'TEAM_MEMBER');
    const last = await set(gid('DataSourceUser', ann?.id ?? ''), 'NO_ACCESS');
    const wa = expectSuccess(last.payload, last.result).workArea;
    expect(nodes(wa.participants).map((p: any) => `${p.kind}:${p.role}`)).toEqual([
      'GROUP:LEADER',
      'EVERYONE:OBSERVER',
      'USER:NO_ACCESS',
    ]);
    expect(nodes(wa.participants)[1].principal).toEqual({ __typename: 'EveryoneGroup', name: '*Everyone' });
    // WA-1b: ann's individual NO_ACCESS wins over the group and *Everyone
    expect(nodes(wa.namedUsers).find((n: any) => n.user.login === 'ann')).toMatchObject({
      effectiveRole: 'NO_ACCESS',
      individual: true,
    });
    expect(nodes(wa.namedUsers).find((n: any) => n.user.login === 'ben')).toMatchObject({
      effectiveRole: 'LEADER',
      individual: false,
      via: {
        edges: [{ node: { kind: 'GROUP', role: 'LEADER' } }, { node: { kind: 'EVERYONE', role: 'OBSERVER' } }],
      },
    });
  });

  it('WA-1 removing a participant; NOT_A_PARTICIPANT; principals of another data source are NOT_FOUND', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const other = await world.dataSource(cast.host, cast.alice, 'Archive');
    const stranger = await world.dsUser(other, cast.alice, 'zed');
    const ann = await world.dsUser(ds, cast.alice, 'ann');
    const area = await created(
      'createWorkArea',
      { dataSourceId: gid('DataSource', ds.id), name: 'Bridge 12' },
      'workArea',
    );
    expectUserError(
      (
        await mutate(
          world,
          'setWorkAreaParticipant',
          { workAreaId: area, principalId: gid('DataSourceUser', stranger.id), role: 'LEADER' },
          'alice@harbor.example',
        )
      ).payload,
      'NOT_FOUND',
    );
    expectUserError(
      (
        await mutate(
          world,
          'setWorkAreaParticipant',
          { workAreaId: area, principalId: gid('EveryoneGroup', other.id), role: 'LEADER' },
          'alice@harbor.example',
        )
      ).payload,
      'NOT_FOUND',
    );
    expectUserError(
      (
        await mutate(
          world,
          'removeWorkAreaParticipant',
          { workAreaId: area, principalId: gid('DataSourceUser', ann.id) },
          'alice@harbor.example',
        )
      ).payload,
      'NOT_A_PARTICIPANT',
    );
    await mutate(
      world,
      'setWorkAreaParticipant',
      { workAreaId: area, principalId: gid('DataSourceUser', ann.id), role: 'LEADER' },
      'alice@harbor.example',
    );
    const removed = await mutate(
      world,
      'removeWorkAreaParticipant',
      { workAreaId: area, principalId: gid('DataSourceUser', ann.id) },
      'alice@harbor.example',
      'workArea { participants { edges { node { role } } } }',
    );
    expect(nodes(expectSuccess(removed.payload, removed.result).workArea.participants)).toEqual([]);
  });

  it('WA-1 who may not: work areas are administered by the owner’s IMS admins only', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    expectUserError(
      (
        await mutate(
          world,
          'createWorkArea',
          { dataSourceId: gid('DataSource', ds.id), name: 'W' },
          'carol@harbor.example',
        )
      ).payload,
      'NOT_FOUND',
    );
    const area = await created('createWorkArea', { dataSourceId: gid('DataSource', ds.id), name: 'W' }, 'workArea');
    expectUserError(
      (
        await mutate(
          world,
          'setWorkAreaParticipant',
          { workAreaId: area, principalId: gid('EveryoneGroup', ds.id), role: 'LEADER' },
          'dave@northwind.example',
        )
      ).payload,
      'NOT_FOUND',
    );
    expect(
      (await world.gql(`query($id: ID!) { workArea(id: $id) { name } }`, { id: area }, 'carol@harbor.example')).data
        ?.workArea,
    ).toBeNull();
    expectUserError(
      (
        await mutate(
          world,
          'createWorkArea',
          { dataSourceId: gid('DataSource', ds.id), name: 'w' },
          'alice@harbor.example',
        )
      ).payload,
      'NAME_TAKEN',
    );
  });
});
