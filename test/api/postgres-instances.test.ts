// Issue 13, several instances: three server processes on one PostgreSQL database (each `npm start`'s
// command with THRESHOLD_DATABASE_URL), many clients sending conflicting mutations across them at once.
// Every answer is a success or a typed refusal — never a server fault, never a database error — and
// the invariants hold: an account keeps an ACCOUNT_ADMIN (ID-4), a role is held once, one active
// checkout per user, machine and product (LIC-6), concurrent additions are all kept (no lost update),
// and a revocation made through one instance holds on the very next request to any other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';
import { type Answer, gql, type Running, startServer, tokenFor } from '../helpers/processes.js';

const INSTANCES = 3;
const stops: (() => void)[] = [];
let dataDir = '';
let database: TestDatabase;
let servers: Running[] = [];
const tokens: Record<string, string> = {};
let harbor = '';
const users: Record<string, string> = {};

beforeAll(async () => {
  database = await freshDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'threshold-instances-'));
  // All three start at once on the new database: one migrates and loads the demo world (advisory
  // locks), the others wait for it.
  servers = await Promise.all(
    Array.from({ length: INSTANCES }, () =>
      startServer(dataDir, (stop) => stops.push(stop), { THRESHOLD_DATABASE_URL: database.url }),
    ),
  );
  for (const name of ['alice', 'bob', 'carol']) tokens[name] = await tokenFor(`${name}@harbor-eng.example`);
  const me = await gql(
    servers[0] as Running,
    tokens.alice as string,
    '{ viewer { homeAccount { id members(first: 50) { edges { node { id email } } } } } }',
  );
  harbor = me.data?.viewer.homeAccount.id;
  for (const edge of me.data?.viewer.homeAccount.members.edges ?? [])
    users[edge.node.email.split('@')[0]] = edge.node.id;
}, 180_000);

afterAll(async () => {
  for (const stop of stops) stop();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

/** Request `i` goes to instance `i % 3`. */
const on = (i: number) => servers[i % INSTANCES] as Running;

/**
 * A success or a typed refusal — a UserError in the payload, a top-level FORBIDDEN (the caller lost the
 * role to a concurrent revoke) or SERVICE_BUSY (retries exhausted; nothing written) — never a fault or
 * a database error. Returns the typename or code.
 */
function expectAnswered(answer: Answer, field: string): string {
  expect(answer.status, JSON.stringify(answer)).toBe(200);
  expect(JSON.stringify(answer)).not.toMatch(
    /INTERNAL_SERVER_ERROR|Failed query|violates|deadlock|could not serialize|duplicate key/i,
  );
  if (answer.errors) {
    const codes = answer.errors.map((e) => e.extensions?.code);
    expect(codes.length).toBe(1);
    expect(['FORBIDDEN', 'SERVICE_BUSY']).toContain(codes[0]);
    return codes[0] as string;
  }
  const payload = answer.data?.[field] as { __typename: string; code?: string };
  return payload.__typename === 'UserError' ? (payload.code ?? 'UserError') : payload.__typename;
}

async function count(query: string, params: unknown[] = []): Promise<number> {
  const result = await database.pool.query<{ n: string }>(query, params);
  return Number(result.rows[0]?.n ?? 0);
}

const harborAdmins = async () =>
  (
    await database.pool.query<{ email: string }>(
      `select u.email from ims_roles r join users u on u.id = r.user_id join accounts a on a.id = r.account_id
       where a.name = 'Harbor Engineering' and r.role = 'ACCOUNT_ADMIN' order by u.email`,
    )
  ).rows.map((r) => r.email.split('@')[0] ?? '');

const ROLE = `mutation($input: ImsRoleInput!) { grant: grantImsRole(input: $input) { __typename ... on UserError { code } } }`;
const REVOKE = `mutation($input: ImsRoleInput!) { revoke: revokeImsRole(input: $input) { __typename ... on UserError { code } } }`;

describe.skipIf(!TEST_DATABASE_URL)(
  'three instances, one PostgreSQL database, conflicting clients',
  {
    timeout: 180_000,
  },
  () => {
    it('the instances share one database: what one writes, the others read at once', async () => {
      const ids = await Promise.all(
        servers.map(async (s) => (await gql(s, tokens.alice as string, '{ viewer { homeAccount { id } } }')).data),
      );
      expect(ids.map((d) => d?.viewer.homeAccount.id)).toEqual([harbor, harbor, harbor]);
      expect(await count(`select count(*) as n from accounts where name = 'Harbor Engineering'`)).toBe(1);
    });

    it('ID-4 grants and revokes of one role race across three instances: each answered, the role held at most once', async () => {
      const input = { accountId: harbor, userId: users.carol, role: 'CO_ADMINISTRATOR' };
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          gql(on(i), tokens.alice as string, i % 2 === 0 ? ROLE : REVOKE, { input }).then((a) =>
            expectAnswered(a, i % 2 === 0 ? 'grant' : 'revoke'),
          ),
        ),
      );
      expect(answers.length).toBe(60);
      expect(
        await count(`select count(*) as n from ims_roles where user_id = $1 and role = 'CO_ADMINISTRATOR'`, [
          users.carol,
        ]),
      ).toBeLessThanOrEqual(1);
    });

    it('ID-4 two ACCOUNT_ADMINs each giving the role up at once, on two instances: one always remains', async () => {
      const outcomes = new Set<string>();
      for (let round = 0; round < 8; round += 1) {
        const [granter] = await harborAdmins();
        for (const who of ['alice', 'bob']) {
          await gql(servers[0] as Running, tokens[granter ?? ''] as string, ROLE, {
            input: { accountId: harbor, userId: users[who], role: 'ACCOUNT_ADMIN' },
          });
        }
        expect(await harborAdmins()).toEqual(['alice', 'bob']);
        const [first, second] = await Promise.all([
          gql(on(round), tokens.alice as string, REVOKE, {
            input: { accountId: harbor, userId: users.alice, role: 'ACCOUNT_ADMIN' },
          }),
          gql(on(round + 1), tokens.bob as string, REVOKE, {
            input: { accountId: harbor, userId: users.bob, role: 'ACCOUNT_ADMIN' },
          }),
        ]);
        outcomes.add(expectAnswered(first, 'revoke'));
        outcomes.add(expectAnswered(second, 'revoke'));
        expect((await harborAdmins()).length).toBeGreaterThanOrEqual(1);
      }
      expect(outcomes).toContain('RevokeImsRoleSuccess');
      expect(outcomes).toContain('LAST_ACCOUNT_ADMIN');
    });

    it('LIC-6 the same checkout asked thirty times at once across three instances: exactly one is issued', async () => {
      const input = {
        accountId: harbor,
        email: 'race@crew.example',
        machineName: 'RACE-PC',
        products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
        entitlementCountry: 'US',
      };
      const CHECKOUT = `mutation($input: CreateLicenseCheckoutInput!) { checkout: createLicenseCheckout(input: $input) {
      __typename ... on UserError { code } } }`;
      const issuer = tokens[(await harborAdmins())[0] ?? ''] as string;
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          gql(on(i), issuer, CHECKOUT, { input }).then((a) => expectAnswered(a, 'checkout')),
        ),
      );
      expect(answers.filter((a) => a === 'CreateLicenseCheckoutSuccess')).toHaveLength(1);
      for (const refused of answers.filter((a) => a !== 'CreateLicenseCheckoutSuccess')) {
        expect(['DUPLICATE_CHECKOUT', 'SERVICE_BUSY']).toContain(refused);
      }
      expect(
        await count(
          `select count(*) as n from license_checkouts where email = 'race@crew.example' and machine_name = 'RACE-PC' and checked_in_at is null`,
        ),
      ).toBe(1);
    });

    it('no lost update: twelve members added to one account at once across three instances are all kept', async () => {
      const admin = tokens[(await harborAdmins())[0] ?? ''] as string;
      const emails = Array.from({ length: 12 }, (_, i) => `joiner${i}@harbor-eng.example`);
      // Each registers their own profile first (any instance).
      await Promise.all(
        emails.map(async (email, i) =>
          expectAnswered(
            await gql(
              on(i),
              await tokenFor(email),
              `mutation { registerProfile(input: { usageCountry: "US" }) { __typename ... on UserError { code } } }`,
            ),
            'registerProfile',
          ),
        ),
      );
      const auditsBefore = await count(`select count(*) as n from audit_entries where action = 'addAccountMember'`);
      const answers = await Promise.all(
        emails.map(async (email, i) =>
          expectAnswered(
            await gql(
              on(i),
              admin,
              `mutation($input: AddAccountMemberInput!) { add: addAccountMember(input: $input) { __typename ... on UserError { code } } }`,
              { input: { accountId: harbor, email } },
            ),
            'add',
          ),
        ),
      );
      const added = answers.filter((a) => a === 'AddAccountMemberSuccess').length;
      expect(answers.filter((a) => a !== 'AddAccountMemberSuccess' && a !== 'SERVICE_BUSY')).toEqual([]);
      // Every addition answered as a success is there, each with its audit entry.
      expect(
        await count(
          `select count(*) as n from users u join accounts a on a.id = u.home_account_id
         where a.name = 'Harbor Engineering' and u.email like 'joiner%'`,
        ),
      ).toBe(added);
      expect(added).toBeGreaterThanOrEqual(10);
      expect(await count(`select count(*) as n from audit_entries where action = 'addAccountMember'`)).toBe(
        auditsBefore + added,
      );
    });

    it('§9 a revocation made through one instance holds on the very next request to each other instance', async () => {
      const admin = tokens[(await harborAdmins())[0] ?? ''] as string;
      const input = { accountId: harbor, userId: users.carol, role: 'CO_ADMINISTRATOR' };
      const MEMBERS = `query($id: ID!) { account(id: $id) { members(first: 1) { totalCount } } }`;
      for (let via = 0; via < INSTANCES; via += 1) {
        expectAnswered(await gql(servers[via] as Running, admin, ROLE, { input }), 'grant');
        for (const other of servers) {
          const allowed = await gql(other, tokens.carol as string, MEMBERS, { id: harbor });
          expect(allowed.data?.account.members.totalCount, JSON.stringify(allowed)).toBeGreaterThan(0);
        }
        expect(expectAnswered(await gql(servers[via] as Running, admin, REVOKE, { input }), 'revoke')).toBe(
          'RevokeImsRoleSuccess',
        );
        for (const [i, other] of servers.entries()) {
          if (i === via) continue;
          const refused = await gql(other, tokens.carol as string, MEMBERS, { id: harbor });
          expect(refused.data?.account?.members ?? null, `instance ${i} after a revoke on ${via}`).toBeNull();
          expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
      }
    });
  },
);
