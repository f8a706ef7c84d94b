// API.md connections: keyset cursors (a row added or removed between two page requests neither repeats
// nor skips a row), first/after and last/before, pageInfo, bad cursors as BAD_USER_INPUT — for lists
// paged in SQL and lists paged in memory (nested lists, expansions) alike.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectTopLevel, mutate, nodes } from '../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, inOrder, type World } from '../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

const MEMBERS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { account(id: $id) {
  members(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { email } } } } }`;

const members = async (args: Record<string, unknown>) => {
  const r = await world.gql(MEMBERS, { id: gid('Account', cast.host.id), ...args }, 'alice@harbor.example');
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data?.account.members;
};
const emails = (connection: any) => nodes(connection).map((n: any) => n.email);

describe('API.md keyset cursors (SQL lists)', () => {
  it('a member added before the cursor between two page requests does not repeat a row on the next page', async () => {
    // alice, bob, carol by email
    const page1 = await members({ first: 2 });
    expect(emails(page1)).toEqual(['alice@harbor.example', 'bob@harbor.example']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    await world.member(cast.host, await world.user('aaron@harbor.example'));
    const page2 = await members({ first: 2, after: page1.pageInfo.endCursor });
    expect(emails(page2)).toEqual(['carol@harbor.example']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page2.totalCount).toBe(4);
  });

  it('a member removed between two page requests does not make the next page skip a row', async () => {
    await world.member(cast.host, await world.user('dora@harbor.example'));
    const page1 = await members({ first: 2 });
    expect(emails(page1)).toEqual(['alice@harbor.example', 'bob@harbor.example']);
    await mutate(
      world,
      'removeAccountMember',
      { accountId: gid('Account', cast.host.id), userId: gid('User', cast.bob.id) },
      'alice@harbor.example',
    );
    const page2 = await members({ first: 2, after: page1.pageInfo.endCursor });
    expect(emails(page2)).toEqual(['carol@harbor.example', 'dora@harbor.example']);
  });

  it('last/before pages backwards; each edge cursor resumes right after its row', async () => {
    await world.member(cast.host, await world.user('dora@harbor.example'));
    const tail = await members({ last: 2 });
    expect(emails(tail)).toEqual(['carol@harbor.example', 'dora@harbor.example']);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await members({ last: 5, before: tail.pageInfo.startCursor });
    expect(emails(before)).toEqual(['alice@harbor.example', 'bob@harbor.example']);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const all = await members({ first: 10 });
    const fromBob = await members({ first: 10, after: all.edges[1].cursor });
    expect(emails(fromBob)).toEqual(['carol@harbor.example', 'dora@harbor.example']);
  });

  it('a cursor that is not one of ours, or of another list, is BAD_USER_INPUT', async () => {
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    await mutate(
      world,
      'createLicenseCheckout',
      {
        accountId: gid('Account', cast.host.id),
        email: 'carol@harbor.example',
        machineName: 'WS-1',
        products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
        entitlementCountry: 'US',
      },
      'alice@harbor.example',
    );
    const checkouts = (await world.gql(
      'query($id: ID!) { account(id: $id) { checkouts { pageInfo { endCursor } } } }',
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    )) as any;
    expect(checkouts.errors).toBeUndefined();
    const bad = [
      'garbage',
      Buffer.from('arrayconnection:3').toString('base64'),
      Buffer.from('k1:{"not":"keys"}').toString('base64url'),
      Buffer.from('k1:[1,2,3]').toString('base64url'),
      Buffer.from('k1:[1]').toString('base64url'),
      Buffer.from('k1:["alice@harbor.example"]').toString('base64url'),
      checkouts.data?.account.checkouts.pageInfo.endCursor ?? Buffer.from('k1:["x",1]').toString('base64url'),
    ];
    for (const after of bad) {
      const r = await world.gql(MEMBERS, { id: gid('Account', cast.host.id), first: 2, after }, 'alice@harbor.example');
      expectTopLevel(r, 'BAD_USER_INPUT');
      const back = await world.gql(
        MEMBERS,
        { id: gid('Account', cast.host.id), last: 2, before: after },
        'alice@harbor.example',
      );
      expectTopLevel(back, 'BAD_USER_INPUT');
    }
  });
});

describe('API.md keyset cursors (lists paged in memory)', () => {
  it('a group member added before the cursor does not repeat a row; a bad cursor is BAD_USER_INPUT', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
    const [ben, cat, dan] = await inOrder(
      ['ben', 'cat', 'dan'],
      async (login) => await world.dsUser(ds, cast.alice, login),
    );
    const created = await mutate(
      world,
      'createGroup',
      {
        dataSourceId: gid('DataSource', ds.id),
        name: 'G',
        userIds: [ben, cat, dan].map((u) => gid('DataSourceUser', u?.id ?? '')),
      },
      'alice@harbor.example',
      'group { id }',
    );
    const groupId = created.payload?.group.id;
    const page = (after?: string) =>
      world.gql(
        `query($id: ID!, $after: String) { node(id: $id) { ... on DataSourceGroup {
          members(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { login } } } } } }`,
        { id: groupId, after },
        'alice@harbor.example',
      );
    const first = (await page()).data?.node.members;
    expect(nodes(first).map((u: any) => u.login)).toEqual(['ben', 'cat']);
    const ann = await world.dsUser(ds, cast.alice, 'ann');
    await mutate(
      world,
      'setGroupMembers',
      { groupId, userIds: [ann, ben, cat, dan].map((u) => gid('DataSourceUser', u?.id ?? '')) },
      'alice@harbor.example',
    );
    const second = (await page(first.pageInfo.endCursor)).data?.node.members;
    expect(nodes(second).map((u: any) => u.login)).toEqual(['dan']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.totalCount).toBe(4);
    expectTopLevel(await page('garbage'), 'BAD_USER_INPUT');
  });
});

describe('API.md cursors belong to their list', () => {
  it('a cursor of one list is refused by another (BAD_USER_INPUT), in SQL and in memory', async () => {
    const log = await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 1) { pageInfo { endCursor } } } }',
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    const auditCursor = log.data?.account.auditLog.pageInfo.endCursor;
    expect(auditCursor).toBeTruthy();
    expectTopLevel(
      await world.gql(
        MEMBERS,
        { id: gid('Account', cast.host.id), first: 2, after: auditCursor },
        'alice@harbor.example',
      ),
      'BAD_USER_INPUT',
    );
    const forged = Buffer.from('k1:["x"]').toString('base64url');
    const r = await world.gql(
      'query($id: ID!, $after: String) { account(id: $id) { auditLog(first: 1, after: $after) { totalCount } } }',
      { id: gid('Account', cast.host.id), after: forged },
      'alice@harbor.example',
    );
    expectTopLevel(r, 'BAD_USER_INPUT');
  });
});
