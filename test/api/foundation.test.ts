// The server's own guarantees: authentication, §9 visibility, §10 errors, transactions and audit,
// batching, page limits, health, GraphiQL and the HTTP security defaults.
import { desc, gt, inArray, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/client.js';
import { one, rawRun } from '../../src/db/query.js';
import { auditEntries, auditEntryAccounts, users } from '../../src/db/schema.js';
import { AppError } from '../../src/errors.js';
import { schema } from '../../src/schema.js';
import { createServer } from '../../src/server.js';
import { AUDIT_CASES, type Cast } from '../helpers/audit-cases.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, TEST_AUTH, type World } from '../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

describe('authentication', () => {
  it('no token: UNAUTHENTICATED for anything but public fields', async () => {
    expectTopLevel(await world.gql('{ viewer { email } }', {}, null), 'UNAUTHENTICATED');
  });

  it('a token signed with another secret, expired, or for another audience is UNAUTHENTICATED with the reason', async () => {
    const sign = (secret: string, audience = TEST_AUTH.audience, exp = '1h') =>
      new SignJWT({ email: 'alice@harbor.example' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(TEST_AUTH.issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const secret = new TextDecoder().decode((TEST_AUTH as { secret: Uint8Array }).secret);
    const cases: [string, RegExp][] = [
      [await sign('another-secret-another-secret-another-1'), /signature/],
      [await sign(secret, 'someone-else'), /aud/],
      [await sign(secret, TEST_AUTH.audience, '-1m'), /expired/],
      ['not-a-jwt', /not valid/],
    ];
    for (const [token, reason] of cases) {
      const result = await world.gql('{ viewer { email } }', {}, { header: `Bearer ${token}` });
      expectTopLevel(result, 'UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toMatch(reason);
    }
    const malformed = await world.gql('{ viewer { email } }', {}, { header: 'Basic abc' });
    expectTopLevel(malformed, 'UNAUTHENTICATED');
  });

  it('a token without an email claim is refused', async () => {
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TEST_AUTH.issuer)
      .setAudience(TEST_AUTH.audience)
      .setExpirationTime('1h')
      .sign((TEST_AUTH as { secret: Uint8Array }).secret);
    const result = await world.gql('{ viewer { email } }', {}, { header: `Bearer ${token}` });
    expect(result.errors?.[0]?.message).toMatch(/email/);
  });
});

describe('§9 visibility', () => {
  const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;

  it('§9 node(id) of an object the caller may not read is null, just like a missing one', async () => {
    const entitlement = await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    const hidden = [gid('User', cast.alice.id), gid('Entitlement', entitlement), gid('User', cast.dave.id)];
    for (const id of hidden) {
      const result = await world.gql(NODE, { id }, 'erin@northwind.example');
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    }
    expect((await world.gql(NODE, { id: gid('User', 'missing') }, 'erin@northwind.example')).data?.node).toBeNull();
    // …and is there for someone who may read it.
    const asAlice = await world.gql(NODE, { id: gid('Entitlement', entitlement) }, 'alice@harbor.example');
    expect(asAlice.data?.node).toEqual({ __typename: 'Entitlement', id: gid('Entitlement', entitlement) });
    const nodes = await world.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`,
      { ids: [gid('User', cast.erin.id), gid('User', cast.alice.id), gid('Account', cast.host.id)] },
      'erin@northwind.example',
    );
    expect(nodes.data?.nodes).toEqual([{ __typename: 'User' }, null, { __typename: 'Account' }]);
  });

  it("§9 an account's name is readable by anyone signed in; its members, usage and audit only by its IMS admins", async () => {
    const q = `query($id: ID!) { account(id: $id) { name members { totalCount } auditLog { totalCount } externalUsers { totalCount } } }`;
    const asDave = await world.gql(q, { id: gid('Account', cast.host.id) }, 'dave@northwind.example');
    expect(asDave.data?.account).toEqual({
      name: 'Harbor Engineering',
      members: null,
      auditLog: null,
      externalUsers: null,
    });
    expect(asDave.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    const asBob = await world.gql(q, { id: gid('Account', cast.host.id) }, 'bob@harbor.example');
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data?.account.members.totalCount).toBe(3);
  });

  it('§9 a user sees their own profile; IMS admins see their members; others see nothing', async () => {
    const q = `query($id: ID!) { user(id: $id) { email } }`;
    expect((await world.gql(q, { id: gid('User', cast.carol.id) }, 'carol@harbor.example')).data?.user).toEqual({
      email: 'carol@harbor.example',
    });
    expect((await world.gql(q, { id: gid('User', cast.carol.id) }, 'bob@harbor.example')).data?.user).toEqual({
      email: 'carol@harbor.example',
    });
    expect((await world.gql(q, { id: gid('User', cast.carol.id) }, 'dave@northwind.example')).data?.user).toBeNull();
    expect((await world.gql(q, { id: gid('User', cast.bob.id) }, 'carol@harbor.example')).data?.user).toBeNull();
  });

  it('§9 a global id of the wrong type is a clear input error', async () => {
    const result = await world.gql(
      `query($id: ID!) { account(id: $id) { name } }`,
      { id: gid('User', cast.alice.id) },
      'alice@harbor.example',
    );
    expect(result.errors?.[0]?.message).toMatch(/Account|type/i);
  });
});

describe('§10 errors, transactions and audit', () => {
  const newestEntry = async () => await one(world.db.select().from(auditEntries).orderBy(desc(auditEntries.id)));

  it('§10 every mutation of the schema has a case in the audit table (test/helpers/audit-cases.ts)', () => {
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
    expect(mutations.length).toBeGreaterThan(0);
    expect(Object.keys(AUDIT_CASES).sort()).toEqual(mutations);
  });

  it.each(Object.keys(AUDIT_CASES))(
    '§10 %s appends one audit entry, with its name as the action, to the log of each account it concerns',
    async (name) => {
      const c = AUDIT_CASES[name];
      if (!c) throw new Error(`no audit case for ${name}`);
      const input = await c.input(world, cast);
      const lastBefore = (await newestEntry())?.id ?? 0;
      const { payload, result } = await mutate(world, name, input, c.as);
      expectSuccess(payload, result);
      // Usually one entry; a mutation whose sides may not read each other's objects writes one entry
      // per side, each worded for its readers (respondToInvitation, openProject) — never two in one log.
      const added = await world.db.select().from(auditEntries).where(gt(auditEntries.id, lastBefore));
      expect(added.length).toBeGreaterThanOrEqual(1);
      expect(added.map((e) => e.action)).toEqual(added.map(() => name));
      const logsOfAdded = (
        await world.db
          .select({ accountId: auditEntryAccounts.accountId })
          .from(auditEntryAccounts)
          .where(
            inArray(
              auditEntryAccounts.entryId,
              added.map((e) => e.id),
            ),
          )
      ).map((r) => r.accountId);
      expect(new Set(logsOfAdded).size, 'one entry per log').toBe(logsOfAdded.length);
      if (added.length > 1) expect(logsOfAdded.length).toBe(added.length);
      const log = await c.log?.(world, cast);
      if (!log) {
        expect(added).toHaveLength(1);
        expect(logsOfAdded).toEqual([]);
        return;
      }
      expect(logsOfAdded).toContain(log.accountId);
      const read = await world.gql(
        `query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action at } } } } }`,
        { id: gid('Account', log.accountId) },
        log.reader,
      );
      expect(read.errors).toBeUndefined();
      expect(read.data?.account.auditLog.edges.map((e: any) => e.node)).toEqual([
        { action: name, at: world.now.toISOString() },
      ]);
    },
  );

  const FAILURES: {
    name: string;
    code: string;
    as: string;
    input: (c: Cast) => Record<string, unknown> | Promise<Record<string, unknown>>;
  }[] = [
    {
      name: 'createAccount',
      code: 'DOMAIN_TAKEN',
      as: 'frank@freelance.example',
      input: () => ({ name: 'Dup', emailDomains: ['freelance.example', 'harbor.example'] }),
    },
    {
      name: 'revokeImsRole',
      code: 'LAST_ACCOUNT_ADMIN',
      as: 'alice@harbor.example',
      input: (c) => ({ accountId: gid('Account', c.host.id), userId: gid('User', c.alice.id), role: 'ACCOUNT_ADMIN' }),
    },
    {
      name: 'addEntitlement',
      code: 'CONTRACT_ENDED',
      as: 'alice@harbor.example',
      input: (c) => ({
        accountId: gid('Account', c.host.id),
        productCode: 'PW_EXPLORER',
        country: 'US',
        contractEndDate: '2020-01-01',
      }),
    },
    {
      name: 'createDataSource',
      code: 'NAME_TAKEN',
      as: 'alice@harbor.example',
      input: async (c) => {
        await world.dataSource(c.host, c.alice, 'Harbor Projects');
        return { accountId: gid('Account', c.host.id), name: 'harbor projects' };
      },
    },
    {
      name: 'createLicenseCheckout',
      code: 'NOT_ENTITLED',
      as: 'dave@northwind.example',
      input: (c) => ({
        accountId: gid('Account', c.supplier.id),
        email: 'frank@freelance.example',
        machineName: 'FRANK-LAPTOP',
        products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
        entitlementCountry: 'DE',
      }),
    },
    {
      name: 'importLicenseFile',
      code: 'INVALID_LICENSE_FILE',
      as: 'frank@freelance.example',
      input: () => ({ file: 'not a license', machineName: 'FRANK-LAPTOP' }),
    },
  ];

  it.each(FAILURES)('§10 a failed $name ($code) appends no audit entry and writes nothing', async (f) => {
    const input = await f.input(cast);
    const before = await world.rowCounts();
    expectUserError((await mutate(world, f.name, input, f.as)).payload, f.code);
    expect(await world.rowCounts()).toEqual(before);
  });

  it('§10 audit entries are shown newest first to IMS admins, each account its own', async () => {
    const before = (await world.rowCounts()).auditEntries ?? 0;
    const ok = await mutate(
      world,
      'associateExternalUser',
      { accountId: gid('Account', cast.host.id), email: 'frank@freelance.example' },
      'alice@harbor.example',
    );
    expectSuccess(ok.payload, ok.result);
    expect((await world.rowCounts()).auditEntries).toBe(before + 1);
    const log = await world.gql(
      `query($id: ID!) { account(id: $id) { auditLog(first: 2) { totalCount edges { node { action actorEmail summary targetIds at } } } } }`,
      { id: gid('Account', cast.host.id) },
      'bob@harbor.example',
    );
    const [latest, previous] = log.data?.account.auditLog.edges ?? [];
    expect(latest.node).toMatchObject({ action: 'associateExternalUser', actorEmail: 'alice@harbor.example' });
    expect(latest.node.summary).toContain('frank@freelance.example');
    expect(latest.node.targetIds).toContain(gid('User', cast.frank.id));
    expect(latest.node.at).toBe(world.now.toISOString());
    expect(previous.node.action).toBe('addAccountMember');
    // The supplier's log does not show the host's entries.
    const supplierLog = await world.gql(
      `query($id: ID!) { account(id: $id) { auditLog { edges { node { action } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      'dave@northwind.example',
    );
    expect(supplierLog.data?.account.auditLog.edges.map((e: any) => e.node.action)).toEqual([
      'addAccountMember',
      'createAccount',
    ]);
  });

  it('§10 a failing rule or failing validation writes nothing, audit included', async () => {
    const before = await world.rowCounts();
    expectUserError(
      (
        await mutate(
          world,
          'createAccount',
          { name: 'Dup', emailDomains: ['freelance.example', 'harbor.example'] },
          'frank@freelance.example',
        )
      ).payload,
      'DOMAIN_TAKEN',
    );
    expectTopLevel(
      (
        await mutate(
          world,
          'createAccount',
          { name: 'x'.repeat(101), emailDomains: ['freelance.example'] },
          'frank@freelance.example',
        )
      ).result,
      'BAD_USER_INPUT',
    );
    expectTopLevel(
      (
        await mutate(
          world,
          'grantImsRole',
          { accountId: gid('Account', cast.host.id), userId: gid('User', cast.carol.id), role: 'ACCOUNT_ADMIN' },
          'carol@harbor.example',
        )
      ).result,
      'FORBIDDEN',
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('§10 a transaction that fails after writing leaves nothing behind', async () => {
    const before = await world.rowCounts();
    await expect(
      inTransaction(world.db, async (tx) => {
        await tx.update(users).set({ displayName: 'changed' });
        await tx
          .insert(auditEntries)
          .values({ at: world.now, actorEmail: 'x@y.example', action: 't', targetIds: [], summary: 's' });
        throw new AppError('NOT_FOUND', 'abort');
      }),
    ).rejects.toThrow(AppError);
    expect(await world.rowCounts()).toEqual(before);
    expect(
      (
        await one(
          world.db
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(users)
            .where(sql`display_name = 'changed'`),
        )
      )?.n,
    ).toBe(0);
  });

  it('§10 server faults are masked: no SQL, no stack', async () => {
    await rawRun(world.db, sql.raw('ALTER TABLE account_domains RENAME TO gone'));
    const result = await world.gql(
      `query($id: ID!) { account(id: $id) { emailDomains } }`,
      { id: gid('Account', cast.host.id) },
      'alice@harbor.example',
    );
    const text = JSON.stringify(result.errors);
    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    expect(text).not.toMatch(/account_domains|SQLITE|sqlite|at .*\.ts/);
  });

  it('§10 typed errors carry code, message and the input path', async () => {
    const { payload } = await mutate(
      world,
      'createAccount',
      { name: 'Loose', emailDomains: ['loose.example'] },
      'frank@freelance.example',
      '__typename',
    );
    expect(payload).toEqual({
      __typename: 'UserError',
      code: 'CREATOR_DOMAIN_REQUIRED',
      message: expect.stringContaining('freelance.example'),
      path: ['input', 'emailDomains'],
    });
  });
});

describe('connections and batching', () => {
  async function membersQueryCost(memberCount: number): Promise<number> {
    const w = await createWorld();
    const admin = await w.user('admin@big.example');
    const account = await w.account('Big', ['big.example'], admin);
    for (let i = 1; i < memberCount; i += 1) {
      await w.member(
        account,
        await w.user(`m${String(i).padStart(3, '0')}@big.example`),
        ...(i % 3 === 0 ? (['CONNECT_SERVICES_ADMIN'] as const) : []),
      );
    }
    w.resetSqlCount();
    const result = await w.gql(
      `query($id: ID!) { account(id: $id) { members(first: 50) { totalCount edges { node { email imsRoles homeAccount { name emailDomains } } } } } }`,
      { id: gid('Account', account.id) },
      'admin@big.example',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.account.members.edges).toHaveLength(Math.min(memberCount, 50));
    return w.sqlCount();
  }

  it('50 members with their home accounts and roles cost a constant number of SQL statements', async () => {
    const small = await membersQueryCost(5);
    const large = await membersQueryCost(60);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
  });

  async function dataSourceUsersQueryCost(userCount: number): Promise<number> {
    const w = await createWorld();
    const admin = await w.user('admin@big.example');
    const account = await w.account('Big', ['big.example'], admin);
    const ds = await w.dataSource(account, admin, 'Big PW');
    const ids: string[] = [];
    for (let i = 0; i < userCount; i += 1) ids.push((await w.dsUser(ds, admin, `u${String(i).padStart(3, '0')}`)).id);
    for (let g = 0; g < 3; g += 1)
      await w.group(
        ds,
        admin,
        `G${g}`,
        ids.filter((_id, i) => i % 3 === g || i % 2 === 0),
      );
    w.resetSqlCount();
    const result = await w.gql(
      `query($id: ID!) { dataSource(id: $id) { users(first: 50) { totalCount edges { node { id login groups(first: 2) { totalCount edges { node { id name } } } } } } } }`,
      { id: gid('DataSource', ds.id) },
      'admin@big.example',
    );
    expect(result.errors).toBeUndefined();
    const users = result.data?.dataSource.users.edges;
    expect(users).toHaveLength(Math.min(userCount, 50));
    // u000 is in G0 (0 % 3) and, being even, in every group: its groups are read, not guessed.
    expect(users[0].node.groups.totalCount).toBe(3);
    expect(users[1].node.groups.totalCount).toBe(1);
    return w.sqlCount();
  }

  it('DS-4 50 data-source users with their groups cost a constant number of SQL statements', async () => {
    const small = await dataSourceUsersQueryCost(5);
    const large = await dataSourceUsersQueryCost(60);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
  });

  it('pages: default 50, first/after cursors, totalCount; more than 500 is a validation error', async () => {
    const admin = await world.user('admin@big.example');
    const account = await world.account('Big', ['big.example'], admin);
    for (let i = 1; i < 60; i += 1)
      await world.member(account, await world.user(`m${String(i).padStart(3, '0')}@big.example`));
    const q = `query($id: ID!, $first: Int, $after: String) { account(id: $id) { members(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { email } } } } }`;
    const first = await world.gql(q, { id: gid('Account', account.id) }, 'admin@big.example');
    expect(first.data?.account.members.edges).toHaveLength(50);
    expect(first.data?.account.members.totalCount).toBe(60);
    expect(first.data?.account.members.pageInfo.hasNextPage).toBe(true);
    const second = await world.gql(
      q,
      { id: gid('Account', account.id), after: first.data?.account.members.pageInfo.endCursor },
      'admin@big.example',
    );
    expect(second.data?.account.members.edges).toHaveLength(10);
    expect(second.data?.account.members.pageInfo.hasNextPage).toBe(false);
    const tooMany = await world.gql(q, { id: gid('Account', account.id), first: 501 }, 'admin@big.example');
    expectTopLevel(tooMany, 'BAD_USER_INPUT');
    const max = await world.gql(q, { id: gid('Account', account.id), first: 500 }, 'admin@big.example');
    expect(max.errors).toBeUndefined();
  });
});

describe('HTTP server', () => {
  it('/health answers 200 with the schema version', async () => {
    const response = await world.fetch('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', schemaVersion: expect.stringMatching(/^\d{4}_/) });
  });

  it('GraphiQL is served to browsers outside production', async () => {
    const response = await world.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Threshold');
  });

  it('CSRF prevention: a simple (form-like) POST without the CSRF header is refused', async () => {
    const response = await world.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7Bviewer%7Bemail%7D%7D',
    });
    expect(response.status).toBe(403);
  });

  it('production defaults: no GraphiQL, no introspection', async () => {
    const yoga = await createServer({ db: world.db, auth: TEST_AUTH, graphiql: false, introspection: false });
    const page = await yoga.fetch(new Request('http://test/graphql', { headers: { accept: 'text/html' } }));
    expect(await page.text()).not.toContain('GraphiQL');
    const response = await yoga.fetch(
      new Request('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
      }),
    );
    const body = (await response.json()) as { errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('query depth and cost are limited (graphql-armor)', async () => {
    let selection = 'email';
    for (let i = 0; i < 4; i += 1) selection = `homeAccount { members(first: 1) { edges { node { ${selection} } } } }`;
    const result = await world.gql(`{ viewer { ${selection} } }`, {}, 'alice@harbor.example');
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
    let costly = 'email';
    for (let i = 0; i < 3; i += 1)
      costly = `homeAccount { members { edges { node { ${costly} a: email b: email c: email } } } }`;
    const expensive = await world.gql(`{ viewer { ${costly} } }`, {}, 'alice@harbor.example');
    expect(expensive.errors?.[0]?.message).toMatch(/cost/i);
  });
});
