// Issue 12, concurrency: two server processes on one database file, many clients sending conflicting
// mutations to both at once. Every answer is a success or a typed refusal (never a server fault, never
// a raw SQLITE_BUSY), and the invariants hold: an account keeps an ACCOUNT_ADMIN (ID-4), a role is held
// once, one active checkout per user, machine and product (LIC-6).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, gql, type Running, startServer, tokenFor } from '../helpers/processes.js';

const stops: (() => void)[] = [];
let dataDir = '';
let servers: Running[] = [];
const tokens: Record<string, string> = {};
let harbor = '';
const users: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'threshold-concurrency-'));
  // The first loads the demo world into the new file; the second opens the same file.
  servers = [await startServer(dataDir, (stop) => stops.push(stop))];
  servers.push(await startServer(dataDir, (stop) => stops.push(stop)));
  for (const name of ['alice', 'bob', 'carol']) tokens[name] = await tokenFor(`${name}@harbor-eng.example`);
  const me = await gql(
    servers[0] as Running,
    tokens.alice as string,
    '{ viewer { homeAccount { id members(first: 50) { edges { node { id email } } } } } }',
  );
  harbor = me.data?.viewer.homeAccount.id;
  for (const edge of me.data?.viewer.homeAccount.members.edges ?? [])
    users[edge.node.email.split('@')[0]] = edge.node.id;
}, 120_000);

afterAll(() => {
  for (const stop of stops) stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Request `i` goes to server `i % 2`. */
const on = (i: number) => servers[i % 2] as Running;

/**
 * A success or a typed refusal — a UserError in the payload, or a top-level FORBIDDEN (the caller lost
 * the role to a concurrent revoke) — never a fault, never a raw SQLITE_BUSY. Returns the typename or code.
 */
function expectAnswered(answer: Answer, field: string): string {
  expect(answer.status, JSON.stringify(answer)).toBe(200);
  expect(JSON.stringify(answer)).not.toMatch(/SQLITE_BUSY|database is locked|INTERNAL_SERVER_ERROR/i);
  if (answer.errors) {
    expect(answer.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    return 'FORBIDDEN';
  }
  const payload = answer.data?.[field] as { __typename: string; code?: string };
  return payload.__typename === 'UserError' ? (payload.code ?? 'UserError') : payload.__typename;
}

const ROLE = `mutation($input: ImsRoleInput!) { grant: grantImsRole(input: $input) { __typename ... on UserError { code } } }`;
const REVOKE = `mutation($input: ImsRoleInput!) { revoke: revokeImsRole(input: $input) { __typename ... on UserError { code } } }`;

function inDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'threshold.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The Harbor users holding ACCOUNT_ADMIN now (`alice`, `bob`, …). */
const harborAdmins = () =>
  inDatabase((db) =>
    (
      db
        .prepare(
          `select u.email from ims_roles r join users u on u.id = r.user_id join accounts a on a.id = r.account_id
           where a.name = 'Harbor Engineering' and r.role = 'ACCOUNT_ADMIN' order by u.email`,
        )
        .all() as { email: string }[]
    ).map((r) => r.email.split('@')[0] ?? ''),
  );
const adminsOfHarbor = () => harborAdmins().length;

describe('two processes, one database file, conflicting clients', { timeout: 120_000 }, () => {
  it('ID-4 grants and revokes of one role race: each answered, the role held at most once', async () => {
    const input = { accountId: harbor, userId: users.carol, role: 'CO_ADMINISTRATOR' };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gql(on(i), tokens.alice as string, i % 2 === 0 ? ROLE : REVOKE, { input }).then((a) =>
          expectAnswered(a, i % 2 === 0 ? 'grant' : 'revoke'),
        ),
      ),
    );
    expect(answers.length).toBe(40);
    const held = inDatabase(
      (db) =>
        (
          db
            .prepare(`select count(*) as n from ims_roles where user_id = ? and role = 'CO_ADMINISTRATOR'`)
            .get(users.carol) as { n: number }
        ).n,
    );
    expect(held).toBeLessThanOrEqual(1);
  });

  it('ID-4 two ACCOUNT_ADMINs each giving the role up at once, on two processes: one always remains', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round += 1) {
      // Both admins again: granted by whichever of the two is one now.
      const [granter] = harborAdmins();
      for (const who of ['alice', 'bob']) {
        await gql(servers[0] as Running, tokens[granter ?? ''] as string, ROLE, {
          input: { accountId: harbor, userId: users[who], role: 'ACCOUNT_ADMIN' },
        });
      }
      expect(adminsOfHarbor()).toBe(2);
      const [first, second] = await Promise.all([
        gql(servers[0] as Running, tokens.alice as string, REVOKE, {
          input: { accountId: harbor, userId: users.alice, role: 'ACCOUNT_ADMIN' },
        }),
        gql(servers[1] as Running, tokens.bob as string, REVOKE, {
          input: { accountId: harbor, userId: users.bob, role: 'ACCOUNT_ADMIN' },
        }),
      ]);
      outcomes.add(expectAnswered(first, 'revoke'));
      outcomes.add(expectAnswered(second, 'revoke'));
      expect(adminsOfHarbor()).toBeGreaterThanOrEqual(1);
    }
    // One gives the role up each round; the other is then the last one and is refused.
    expect([...outcomes].sort()).toEqual(['LAST_ACCOUNT_ADMIN', 'RevokeImsRoleSuccess']);
  });

  it('LIC-6 the same checkout asked twenty times at once on two processes: exactly one is issued', async () => {
    const input = {
      accountId: harbor,
      email: 'race@crew.example',
      machineName: 'RACE-PC',
      products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
      entitlementCountry: 'US',
    };
    const CHECKOUT = `mutation($input: CreateLicenseCheckoutInput!) { checkout: createLicenseCheckout(input: $input) {
      __typename ... on UserError { code } } }`;
    // Whoever of the Harbor admins holds ACCOUNT_ADMIN after the race above issues them.
    const issuer = tokens[harborAdmins()[0] ?? ''] as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gql(on(i), issuer, CHECKOUT, { input }).then((a) => expectAnswered(a, 'checkout')),
      ),
    );
    expect(answers.filter((a) => a === 'CreateLicenseCheckoutSuccess')).toHaveLength(1);
    expect(answers.filter((a) => a !== 'CreateLicenseCheckoutSuccess')).toEqual(
      Array.from({ length: 19 }, () => 'DUPLICATE_CHECKOUT'),
    );
    const active = inDatabase(
      (db) =>
        (
          db
            .prepare(
              `select count(*) as n from license_checkouts where email = 'race@crew.example' and machine_name = 'RACE-PC' and checked_in_at is null`,
            )
            .get() as { n: number }
        ).n,
    );
    expect(active).toBe(1);
  });
});
