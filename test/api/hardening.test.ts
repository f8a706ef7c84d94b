// §9 and the HTTP surface under attack: query cost priced per request (never cached with a document's
// validation), bounded list arguments, token lifetimes, malformed ids and cursors, and response order.
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS } from '../../src/auth/tokens.js';
import { loadConfig, PRODUCTION_TOKEN_MAX_LIFETIME_SECONDS } from '../../src/config.js';
import { createServer } from '../../src/server.js';
import { expectTopLevel } from '../helpers/ops.js';
import {
  createWorld,
  type GqlResult,
  gid,
  hostAndSupplier,
  TEST_AUTH,
  type World,
  withoutForeignKeys,
} from '../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

const secret = (TEST_AUTH as { secret: Uint8Array }).secret;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token for alice with exactly these time claims (undefined leaves a claim out). */
function token(claims: { iat?: number; exp?: number }) {
  const jwt = new SignJWT({ email: 'alice@harbor.example' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(TEST_AUTH.issuer)
    .setAudience(TEST_AUTH.audience);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(secret);
}

describe('§9 query cost is priced with each request’s own variables', () => {
  // Both pages use $n: at n = 500 the nested pages multiply far past the limit; at n = 1 it is cheap.
  const NESTED = `query Nested($id: ID!, $n: Int) { account(id: $id) { members(first: $n) { edges { node {
    homeAccount { auditLog(first: $n) { edges { node { summary } } } } } } } } }`;

  it('§9 the same text is refused at n = 500 after it ran at n = 1', async () => {
    const id = gid('Account', cast.host.id);
    const small = await world.gql(NESTED, { id, n: 1 }, 'alice@harbor.example');
    expect(small.errors).toBeUndefined();
    expect(small.data?.account.members.edges).toHaveLength(1);
    expectTopLevel(await world.gql(NESTED, { id, n: 500 }, 'alice@harbor.example'), 'QUERY_TOO_COMPLEX');
  });

  it('§9 a variable left out (its default applies) and the same variable sent as null are priced apart', async () => {
    // $n defaults to 1: cheap. Sent as null, every page falls back to the default page size: refused.
    const WITH_DEFAULT = `query Defaulted($id: ID!, $n: Int = 1) { account(id: $id) { members(first: $n) { edges { node {
      homeAccount { members(first: $n) { edges { node { homeAccount { auditLog(first: $n) { edges { node {
      summary } } } } } } } } } } } } }`;
    const id = gid('Account', cast.host.id);
    expect((await world.gql(WITH_DEFAULT, { id }, 'alice@harbor.example')).errors).toBeUndefined();
    expectTopLevel(await world.gql(WITH_DEFAULT, { id, n: null }, 'alice@harbor.example'), 'QUERY_TOO_COMPLEX');
  });

  it('§9 the same text runs at n = 1 after it was refused at n = 500', async () => {
    const id = gid('Account', cast.host.id);
    expectTopLevel(await world.gql(NESTED, { id, n: 500 }, 'alice@harbor.example'), 'QUERY_TOO_COMPLEX');
    const small = await world.gql(NESTED, { id, n: 1 }, 'alice@harbor.example');
    expect(small.errors).toBeUndefined();
    expect(small.data?.account.members.edges).toHaveLength(1);
  });

  it("§9 one caller's bad variables do not decide the answer for the next caller of the same text", async () => {
    const q = 'query AccountName($id: ID!) { account(id: $id) { name } }';
    const bad = await world.gql(q, { id: { not: 'an id' } }, null);
    expect(bad.errors?.length).toBeGreaterThan(0);
    const good = await world.gql(q, { id: gid('Account', cast.host.id) }, 'dave@northwind.example');
    expect(good.errors).toBeUndefined();
    expect(good.data?.account.name).toBe('Harbor Engineering');
    expect(JSON.stringify(good)).not.toContain('an id');
  });
});

describe('§9 tokens', () => {
  const viewer = (jwt: string) => world.gql('{ viewer { email } }', {}, { header: `Bearer ${jwt}` });

  it('§9 a token without exp is refused', async () => {
    const result = await viewer(await token({ iat: nowSeconds() }));
    expectTopLevel(result, 'UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/"exp"/);
  });

  it('§9 a token issued in the future is refused beyond a minute of skew, accepted within it', async () => {
    const exp = nowSeconds() + 3600;
    const future = await viewer(await token({ iat: nowSeconds() + CLOCK_SKEW_SECONDS + 60, exp }));
    expectTopLevel(future, 'UNAUTHENTICATED');
    expect(future.errors?.[0]?.message).toMatch(/future/);
    const aYearAhead = await viewer(await token({ iat: nowSeconds() + 365 * 86400, exp: nowSeconds() + 400 * 86400 }));
    expectTopLevel(aYearAhead, 'UNAUTHENTICATED');
    const withinSkew = await viewer(await token({ iat: nowSeconds() + 30, exp }));
    expect(withinSkew.errors).toBeUndefined();
    expect(withinSkew.data?.viewer.email).toBe('alice@harbor.example');
  });

  it('§9 with a maximum lifetime, a token valid for longer (from now) is refused; up to it is accepted', async () => {
    const server = await createServer({
      db: world.db,
      auth: { ...TEST_AUTH, maxLifetimeSeconds: 3600 },
      graphiql: false,
      introspection: false,
    });
    const ask = async (jwt: string) =>
      (await (
        await server.fetch('http://test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
          body: JSON.stringify({ query: '{ viewer { email } }' }),
        })
      ).json()) as GqlResult;
    const tooLong = await ask(await token({ iat: nowSeconds(), exp: nowSeconds() + 3600 + CLOCK_SKEW_SECONDS + 120 }));
    expectTopLevel(tooLong, 'UNAUTHENTICATED');
    expect(tooLong.errors?.[0]?.message).toMatch(/longer than/);
    // A back-dated iat does not stretch it: the lifetime counts from now.
    const backdated = await ask(await token({ iat: nowSeconds() - 7200, exp: nowSeconds() + 7200 }));
    expectTopLevel(backdated, 'UNAUTHENTICATED');
    const ok = await ask(await token({ iat: nowSeconds(), exp: nowSeconds() + 3600 }));
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.viewer.email).toBe('alice@harbor.example');
  });

  it('§9 production has a maximum token lifetime by default; THRESHOLD_TOKEN_MAX_LIFETIME sets it', () => {
    const base = { THRESHOLD_DATABASE: ':memory:', THRESHOLD_DATA_DIR: '/nonexistent-not-used' };
    const prod = loadConfig({ ...base, NODE_ENV: 'production', THRESHOLD_JWT_SECRET: 'x'.repeat(40) });
    expect(prod.auth.maxLifetimeSeconds).toBe(PRODUCTION_TOKEN_MAX_LIFETIME_SECONDS);
    const set = loadConfig({
      ...base,
      NODE_ENV: 'production',
      THRESHOLD_JWT_SECRET: 'x'.repeat(40),
      THRESHOLD_TOKEN_MAX_LIFETIME: '3600',
    });
    expect(set.auth.maxLifetimeSeconds).toBe(3600);
    expect(() =>
      loadConfig({ ...base, THRESHOLD_TOKEN_MAX_LIFETIME: '10', THRESHOLD_JWT_SECRET: 'x'.repeat(40) }),
    ).toThrow(/THRESHOLD_TOKEN_MAX_LIFETIME/);
  });
});

describe('§9 ids, cursors and list sizes', () => {
  const NODE = 'query($id: ID!) { node(id: $id) { __typename id } }';
  const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }';

  it('§9 node(id) with a malformed id, or one of an unknown type, is null without an error', async () => {
    const malformed = [
      'bogus',
      Buffer.from('foo:bar').toString('base64'),
      '',
      '::',
      Buffer.from('User').toString('base64'),
    ];
    for (const id of malformed) {
      const result = await world.gql(NODE, { id }, 'alice@harbor.example');
      expect(result.errors, id).toBeUndefined();
      expect(result.data?.node, id).toBeNull();
    }
    const mixed = await world.gql(NODES, { ids: ['bogus', gid('Account', cast.host.id)] }, 'alice@harbor.example');
    expect(mixed.errors).toBeUndefined();
    expect(mixed.data?.nodes).toEqual([null, { __typename: 'Account' }]);
  });

  it('§9 nodes(ids) takes at most 500 ids: 500 is answered, 501 is BAD_USER_INPUT before any work', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => gid('User', `missing-${i}`));
    const atLimit = await world.gql(NODES, { ids: ids(500) }, 'alice@harbor.example');
    expect(atLimit.errors).toBeUndefined();
    expect(atLimit.data?.nodes).toHaveLength(500);
    world.resetSqlCount();
    const over = await world.gql(NODES, { ids: ids(501) }, 'alice@harbor.example');
    expectTopLevel(over, 'BAD_USER_INPUT');
    expect(over.data?.nodes ?? null).toBeNull();
    const huge = await world.gql(NODES, { ids: ids(100_000) }, 'alice@harbor.example');
    expectTopLevel(huge, 'BAD_USER_INPUT');
    expect(JSON.stringify(huge).length).toBeLessThan(2000);
  });

  it('§9 a malformed global id given to a typed argument answers BAD_USER_INPUT', async () => {
    for (const id of ['bogus', Buffer.from('foo:bar').toString('base64'), gid('User', cast.alice.id)]) {
      const result = await world.gql('query($id: ID!) { account(id: $id) { name } }', { id }, 'alice@harbor.example');
      expectTopLevel(result, 'BAD_USER_INPUT');
    }
  });
});

describe('responses follow the GraphQL spec', () => {
  it('result fields come back in the order they were selected', async () => {
    const response = await world.fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await world.token('alice@harbor.example')}`,
      },
      body: JSON.stringify({ query: '{ viewer { homeAccount { name } email id displayName } }' }),
    });
    const text = await response.text();
    const viewer = (JSON.parse(text) as { data: { viewer: Record<string, unknown> } }).data.viewer;
    expect(Object.keys(viewer)).toEqual(['homeAccount', 'email', 'id', 'displayName']);
    expect(text.indexOf('"homeAccount"')).toBeLessThan(text.indexOf('"email"'));
  });
});

describe('the executor answers as the GraphQL spec says (issue 11: a compiled executor that did not was tried and withdrawn)', () => {
  const post = async (body: Record<string, unknown>, as: string | null = 'alice@harbor.example') => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (as) headers.authorization = `Bearer ${await world.token(as)}`;
    const response = await world.fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(body) });
    return { text: await response.clone().text(), json: (await response.json()) as GqlResult };
  };

  it('a document of several operations runs the one named, every time, and prices that one', async () => {
    const doc = `query A($n: Int) { viewer { associations(first: $n) { edges { node { account {
      auditLog(first: $n) { edges { node { summary action at } } } } } } } } }
      query B { __typename }`;
    expect((await post({ query: doc, operationName: 'A', variables: { n: 1 } })).json.errors).toBeUndefined();
    expect((await post({ query: doc, operationName: 'B', variables: { n: 500 } })).json).toEqual({
      data: { __typename: 'Query' },
    });
    expectTopLevel((await post({ query: doc, operationName: 'A', variables: { n: 500 } })).json, 'QUERY_TOO_COMPLEX');
  });

  it('fields selected through fragments come back in selection order too', async () => {
    const { text } = await post({ query: '{ viewer { ...F email } } fragment F on User { displayName id }' });
    const viewer = (JSON.parse(text) as { data: { viewer: Record<string, unknown> } }).data.viewer;
    expect(Object.keys(viewer)).toEqual(['displayName', 'id', 'email']);
    const { text: inline } = await post({
      query: 'query($id: ID!) { node(id: $id) { ... on Node { id } ... on Account { name } } }',
      variables: { id: gid('Account', cast.host.id) },
    });
    expect(Object.keys((JSON.parse(inline) as { data: { node: Record<string, unknown> } }).data.node)).toEqual([
      'id',
      'name',
    ]);
  });

  it('field errors carry their locations and path', async () => {
    const { json } = await post({ query: '{ viewer { email } account(id: "x") { name } }' }, null);
    const errors = (json.errors ?? []) as { locations?: unknown; path?: unknown }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.locations).toEqual([expect.objectContaining({ line: 1 })]);
      expect(Array.isArray(error.path)).toBe(true);
    }
    expect(errors.find((e) => JSON.stringify(e.path) === '["account"]')?.locations).toEqual([{ line: 1, column: 20 }]);
  });

  it("a variable that does not coerce says why, in the scalar's own words", async () => {
    const { json } = await post({
      query:
        'mutation($e: EmailAddress!, $a: ID!) { addAccountMember(input: { accountId: $a, email: $e }) { __typename } }',
      variables: { e: 'not-an-email', a: gid('Account', cast.host.id) },
    });
    expectTopLevel(json, 'BAD_USER_INPUT');
    expect(json.errors?.[0]?.message).toMatch(/is not a valid email address: not-an-email/);
  });

  it('a null where the schema promises a value is a server fault: masked, INTERNAL_SERVER_ERROR', async () => {
    // An association whose account row is gone (written around the foreign keys): Association.account
    // is non-null, so the answer cannot be built.
    await world.associate(cast.host, cast.frank, cast.alice);
    await withoutForeignKeys(world.db, [sql`delete from accounts where id = ${cast.host.id}`]);
    const { json } = await post(
      { query: '{ viewer { associations { edges { node { account { name } } } } } }' },
      'frank@freelance.example',
    );
    expectTopLevel(json, 'INTERNAL_SERVER_ERROR');
    expect(json.errors?.[0]?.message).toBe('Unexpected error.');
  });
});

describe('§9 nodes(ids:) is priced per id', () => {
  it('§9 500 ids each selecting a page of 500 is refused as too complex; a few ids with small pages run', async () => {
    const q = `query($ids: [ID!]!, $n: Int) { nodes(ids: $ids) { ... on Account { auditLog(first: $n) { edges { node { at action summary actorEmail targetIds } } } } } }`;
    const ids = (n: number) => Array.from({ length: n }, () => gid('Account', cast.host.id));
    expectTopLevel(await world.gql(q, { ids: ids(500), n: 500 }, 'alice@harbor.example'), 'QUERY_TOO_COMPLEX');
    const small = await world.gql(q, { ids: ids(3), n: 5 }, 'alice@harbor.example');
    expect(small.errors).toBeUndefined();
    expect(small.data?.nodes).toHaveLength(3);
  });
});

describe('§9 development tokens respect the maximum lifetime', () => {
  it('§9 npm run token mints a token the same configuration accepts (production: at most 24 h)', async () => {
    const { mintDevelopmentToken } = await import('../../src/auth/tokens.js');
    const auth = { ...TEST_AUTH, maxLifetimeSeconds: 3600 };
    const jwt = await mintDevelopmentToken(auth, 'alice@harbor.example');
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(payload.exp - payload.iat).toBe(3600);
    const server = await createServer({ db: world.db, auth, graphiql: false, introspection: false });
    const r = (await (
      await server.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
        body: JSON.stringify({ query: '{ viewer { email } }' }),
      })
    ).json()) as GqlResult;
    expect(r.data?.viewer.email).toBe('alice@harbor.example');
  });
});

describe('every top-level error carries a code', () => {
  it('bad or missing variables, bad scalars in variables, and documents over the limits answer with extensions.code', async () => {
    const account = 'query($id: ID!) { account(id: $id) { name } }';
    const cases: [string, Record<string, unknown>, string][] = [
      [account, {}, 'BAD_USER_INPUT'],
      ['query($n: Int) { viewer { associations(first: $n) { totalCount } } }', { n: 'x' }, 'BAD_USER_INPUT'],
      [
        'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }',
        { input: { usageCountry: 'zz' } },
        'BAD_USER_INPUT',
      ],
      [`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { email }`).join(' ')} }`, {}, ''],
    ];
    for (const [query, variables, code] of cases) {
      const r = await world.gql(query, variables, 'alice@harbor.example');
      expect(r.errors?.length, query).toBeGreaterThan(0);
      for (const e of r.errors ?? []) {
        expect(e.extensions?.code, `${query}: ${e.message}`).toBeTruthy();
        if (code) expect(e.extensions?.code).toBe(code);
      }
    }
  });
});

describe('text input (issue 13: PostgreSQL cannot store U+0000)', () => {
  it('a NUL character in a variable or in a literal is BAD_USER_INPUT, and nothing is written', async () => {
    const w = await createWorld();
    await hostAndSupplier(w);
    const before = await w.checksum();
    const create = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename } }';
    const inVariable = await w.gql(
      create,
      { input: { name: 'Nul\u0000 Ltd', emailDomains: ['nul.example'] } },
      'frank@freelance.example',
    );
    expect(inVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(inVariable.errors?.[0]?.message).toBe('text may not contain the NUL character (U+0000)');
    const inLiteral = await w.gql(
      'mutation { createAccount(input: { name: "Nul\\u0000 Ltd", emailDomains: ["nul.example"] }) { __typename } }',
      {},
      'frank@freelance.example',
    );
    expect(inLiteral.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await w.checksum()).toBe(before);
    // The same text without it is accepted.
    const fine = await w.gql(
      create,
      { input: { name: 'Nul Ltd', emailDomains: ['freelance.example'] } },
      'frank@freelance.example',
    );
    expect(fine.data?.createAccount.__typename).toBe('CreateAccountSuccess');
  });
});
