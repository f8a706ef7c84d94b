// EXT-5 through the API: openProject and explainProjectAccess — who may ask (team members; readers who
// are not on the team get NOT_A_TEAM_MEMBER; anyone else the answer for a missing project), the license
// sources in order, the usage record naming the project, account.usage showing both kinds, the audit,
// and that both operations agree on the same facts.

import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/db/client.js';
import { type ProjectRow, usageRecords } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';
const FRANK = 'frank@freelance.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  project = await world.enableDeliverables(await world.project(cast.alice, 'HB-1', 'Bridge'), cast.alice);
});

const DECISION =
  'granted denialReason licenseSource billedAccount { name } user { email } project { number } steps { rule outcome detail }';

async function open(as: string, product = 'PW_EXPLORER', projectId = project.id) {
  const { payload, result } = await mutate(
    world,
    'openProject',
    { projectId: gid('Project', projectId), product },
    as,
    `decision { ${DECISION} }`,
  );
  return { payload, result };
}

/** openProject as `as`, asserting a success payload: the decision. */
async function opened(as: string, product = 'PW_EXPLORER') {
  const { payload, result } = await open(as, product);
  return expectSuccess(payload, result).decision;
}

async function explain(as: string, input: { userId?: string; product?: string; projectId?: string } = {}) {
  const result = await world.gql(
    `query($input: ExplainProjectAccessInput!) { explainProjectAccess(input: $input) { ${DECISION} } }`,
    {
      input: {
        projectId: input.projectId ?? gid('Project', project.id),
        product: input.product ?? 'PW_EXPLORER',
        ...(input.userId ? { userId: input.userId } : {}),
      },
    },
    as,
  );
  return result;
}

async function explained(as: string, input: { userId?: string; product?: string } = {}) {
  const result = await explain(as, input);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.explainProjectAccess;
}

const setProvided = async (accountIds: string[], unaffiliated: boolean) => {
  const { payload, result } = await mutate(
    world,
    'setProvidedLicenses',
    { projectId: gid('Project', project.id), accountIds: accountIds.map((id) => gid('Account', id)), unaffiliated },
    ALICE,
  );
  expectSuccess(payload, result);
};

/** EXT-2: Harbor invites Northwind (Dave), who accepts: Northwind is linked to the project through DM. */
async function linkNorthwind() {
  const invited = await mutate(
    world,
    'inviteExternalOrganization',
    {
      projectId: gid('Project', project.id),
      accountId: gid('Account', cast.supplier.id),
      pointOfContactEmail: DAVE,
    },
    ALICE,
    'invitation { id }',
  );
  const invitationId = expectSuccess(invited.payload, invited.result).invitation.id;
  const accepted = await mutate(world, 'respondToInvitation', { invitationId, accept: true }, DAVE);
  expectSuccess(accepted.payload, accepted.result);
}

const usage = async () => await world.db.select().from(usageRecords);
const stepRules = (d: { steps: { rule: string; outcome: string }[] }) => d.steps.map((s) => `${s.rule} ${s.outcome}`);

describe('EXT-5 who may open a project', () => {
  it('EXT-5 a team member opens it: granted, billed, one usage record naming the project', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    const decision = await opened(CAROL);
    expect(decision).toMatchObject({
      granted: true,
      denialReason: null,
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Harbor Engineering' },
      user: { email: CAROL },
      project: { number: 'HB-1' },
    });
    expect(stepRules(decision)).toEqual(['EXT-5 PASSED', 'EXT-4 SKIPPED', 'LIC-1.3 APPLIED']);
    expect(await usage()).toEqual([
      expect.objectContaining({
        userId: cast.carol.id,
        consumerAccountId: cast.host.id,
        projectId: project.id,
        dataSourceId: null,
        dataSourceUserId: null,
        machineName: null,
        productCode: 'PW_EXPLORER',
        licenseSource: 'OWN_ORGANIZATION',
        billedAccountId: cast.host.id,
        checkoutId: null,
      }),
    ]);
  });

  it("EXT-5 an IMS admin of the project's account who is not on the team: NOT_A_TEAM_MEMBER, nothing recorded", async () => {
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    const decision = await opened(BOB);
    expect(decision).toMatchObject({ granted: false, denialReason: 'NOT_A_TEAM_MEMBER', billedAccount: null });
    expect(stepRules(decision)).toEqual(['EXT-5 FAILED']);
    expect((await explained(BOB))?.denialReason).toBe('NOT_A_TEAM_MEMBER');
    expect(await usage()).toEqual([]);
  });

  it('EXT-5 a member of a linked project reads the inviting project but is not on its team: NOT_A_TEAM_MEMBER', async () => {
    await linkNorthwind();
    const decision = await opened(DAVE);
    expect(decision).toMatchObject({ granted: false, denialReason: 'NOT_A_TEAM_MEMBER' });
    expect((await explained(DAVE))?.denialReason).toBe('NOT_A_TEAM_MEMBER');
  });

  it('EXT-5 one who may not read the project gets the answer for a missing one: NOT_FOUND / null, nothing written', async () => {
    const before = await world.rowCounts();
    expectUserError((await open(ERIN)).payload, 'NOT_FOUND');
    expect((await explain(ERIN)).data?.explainProjectAccess).toBeNull();
    expect((await explain(ERIN)).errors).toBeUndefined();
    const missing = gid('Project', 'no-such-project');
    const { payload } = await mutate(world, 'openProject', { projectId: missing, product: 'PW_EXPLORER' }, ALICE);
    const notFound = expectUserError(payload, 'NOT_FOUND');
    expect(notFound.path).toEqual(['input', 'projectId']);
    expect((await explain(ALICE, { projectId: missing })).data?.explainProjectAccess).toBeNull();
    expect(await world.rowCounts()).toEqual(before);
  });

  it('EXT-5 a token without a profile may do neither', async () => {
    expectTopLevel((await open('nobody@harbor.example')).result, 'FORBIDDEN');
    expectTopLevel(await explain('nobody@harbor.example'), 'FORBIDDEN');
  });

  it('EXT-5 a product code that is not one is refused before anything is decided or written', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    const before = await world.rowCounts();
    expectTopLevel((await open(CAROL, 'not a product')).result, 'BAD_USER_INPUT');
    expectTopLevel(await explain(CAROL, { product: 'x' }), 'BAD_USER_INPUT');
    expect(await world.rowCounts()).toEqual(before);
  });
});

describe('EXT-5 license sources, first match wins', () => {
  beforeEach(async () => {
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
  });

  it("EXT-5 PROJECT_PROVIDED: the project provides for the member's account and its account is entitled in their country", async () => {
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    expect((await explained(ERIN))?.licenseSource).toBe('OWN_ORGANIZATION');
    await setProvided([cast.supplier.id], false);
    const decision = await opened(ERIN);
    expect(decision).toMatchObject({
      licenseSource: 'PROJECT_PROVIDED',
      billedAccount: { name: 'Harbor Engineering' },
    });
    expect(stepRules(decision)).toEqual(['EXT-5 PASSED', 'EXT-4 APPLIED']);
    expect(await usage()).toEqual([
      expect.objectContaining({
        projectId: project.id,
        consumerAccountId: cast.supplier.id,
        licenseSource: 'PROJECT_PROVIDED',
        billedAccountId: cast.host.id,
      }),
    ]);
  });

  it("EXT-5 PROJECT_PROVIDED needs the project account's entitlement in the member's usage country and for the product", async () => {
    await setProvided([cast.supplier.id], false);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    await world.entitlement(cast.host, cast.alice, 'PW_DESIGN', 'DE');
    const decision = await opened(ERIN);
    expect(decision).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(decision.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
    expect(decision.steps[1].detail).toContain('Harbor Engineering holds no active entitlement for PW_EXPLORER in DE');
    expect((await opened(ERIN, 'PW_DESIGN')).licenseSource).toBe('PROJECT_PROVIDED');
    expect((await usage()).map((u) => u.productCode)).toEqual(['PW_DESIGN']);
  });

  it('EXT-5 an entitlement counts through the last day of its contract, not the day after', async () => {
    await setProvided([cast.supplier.id], false);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE', '2026-06-15');
    expect((await opened(ERIN)).licenseSource).toBe('PROJECT_PROVIDED');
    world.setNow(new Date('2026-06-16T00:00:00.000Z'));
    expect(await opened(ERIN)).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
  });

  it('EXT-5 an unaffiliated member: PROJECT_PROVIDED only with the UNAFFILIATED flag; then associations (LIC-1.4)', async () => {
    await world.teamMember(project, cast.alice, cast.frank, 'TEAM_MEMBER');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    await setProvided([cast.supplier.id], false);
    expect(await opened(FRANK)).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    await setProvided([], true);
    expect(await opened(FRANK)).toMatchObject({
      licenseSource: 'PROJECT_PROVIDED',
      billedAccount: { name: 'Harbor Engineering' },
    });
    // Without the flag, an association of Frank's with an entitled account pays (LIC-1.4).
    await setProvided([], false);
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'FR');
    await world.associate(cast.supplier, cast.frank, cast.dave);
    const decision = await opened(FRANK);
    expect(decision).toMatchObject({
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Northwind Surveying' },
    });
    expect(stepRules(decision)).toEqual(['EXT-5 PASSED', 'EXT-4 SKIPPED', 'LIC-1.3 SKIPPED', 'LIC-1.4 APPLIED']);
    // The flag is for users without a home account: it does not cover Erin.
    await setProvided([], true);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    expect(await opened(ERIN)).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
  });

  it('EXT-5 members of an organization linked through DM bring their own license, even when it is listed', async () => {
    await linkNorthwind();
    await setProvided([cast.supplier.id], false);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    const denied = await opened(ERIN);
    expect(denied).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(denied.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
    expect(denied.steps[1].detail).toContain('linked to project HB-1 through Deliverables Management');
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    expect(await opened(ERIN)).toMatchObject({
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Northwind Surveying' },
    });
  });
});

describe("EXT-5 the facts are this project's", () => {
  it("EXT-5 another project's team, provided licenses or link do not count for this one", async () => {
    const other = await world.enableDeliverables(await world.project(cast.alice, 'HB-2'), cast.alice);
    await world.teamMember(other, cast.alice, cast.erin, 'TEAM_MEMBER');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    // Erin is on HB-2's team only: HB-1 is not hers to open (and she may not even read it).
    expectUserError((await open(ERIN)).payload, 'NOT_FOUND');
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    // HB-2 provides for Northwind; HB-1 does not.
    const { payload, result } = await mutate(
      world,
      'setProvidedLicenses',
      { projectId: gid('Project', other.id), accountIds: [gid('Account', cast.supplier.id)], unaffiliated: true },
      ALICE,
    );
    expectSuccess(payload, result);
    expect(await opened(ERIN)).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    // HB-1 provides for Northwind, which is linked to HB-2 only: HB-1 pays.
    await setProvided([cast.supplier.id], false);
    const invited = await mutate(
      world,
      'inviteExternalOrganization',
      { projectId: gid('Project', other.id), accountId: gid('Account', cast.supplier.id), pointOfContactEmail: DAVE },
      ALICE,
      'invitation { id }',
    );
    const invitationId = expectSuccess(invited.payload, invited.result).invitation.id;
    const accepted = await mutate(world, 'respondToInvitation', { invitationId, accept: true }, DAVE);
    expectSuccess(accepted.payload, accepted.result);
    expect((await opened(ERIN)).licenseSource).toBe('PROJECT_PROVIDED');
  });
});

describe('EXT-5 account.usage shows both kinds', () => {
  it('EXT-5 sign-ins and project opens are totalled apart; billable users count a user once across both', async () => {
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW', { imsAuthEnabled: true });
    await world.dsUser(ds, cast.alice, 'carol', { identity: CAROL });
    const signIn = await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1', product: 'PW_EXPLORER' },
      CAROL,
      'decision { granted }',
    );
    expect(expectSuccess(signIn.payload, signIn.result).decision.granted).toBe(true);
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    await setProvided([cast.supplier.id], false);
    expect((await opened(CAROL)).granted).toBe(true);
    expect((await opened(ERIN)).licenseSource).toBe('PROJECT_PROVIDED');
    const report = await world.gql(
      `query($id: ID!) { account(id: $id) { usage(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") {
        totals { kind product licenseSource consumerAccount { name } signIns users }
        billableUsers { product quarter users } } } }`,
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data?.account.usage).toEqual({
      totals: [
        {
          kind: 'DATA_SOURCE_SIGN_IN',
          product: 'PW_EXPLORER',
          licenseSource: 'OWN_ORGANIZATION',
          consumerAccount: { name: 'Harbor Engineering' },
          signIns: 1,
          users: 1,
        },
        {
          kind: 'PROJECT_OPEN',
          product: 'PW_EXPLORER',
          licenseSource: 'OWN_ORGANIZATION',
          consumerAccount: { name: 'Harbor Engineering' },
          signIns: 1,
          users: 1,
        },
        {
          kind: 'PROJECT_OPEN',
          product: 'PW_EXPLORER',
          licenseSource: 'PROJECT_PROVIDED',
          consumerAccount: { name: 'Northwind Surveying' },
          signIns: 1,
          users: 1,
        },
      ],
      // LIC-4: Carol signed in and opened the project: charged once.
      billableUsers: [{ product: 'PW_EXPLORER', quarter: '2026-Q2', users: 2 }],
    });
  });
});

describe('EXT-5 the audit of openProject', () => {
  it("EXT-5 every attempt shows in the project's account's log; a refusal records no usage", async () => {
    const decision = await opened(BOB);
    expect(decision.granted).toBe(false);
    const log = await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action summary targetIds } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(nodes(log.data?.account.auditLog)).toEqual([
      {
        action: 'openProject',
        summary: `${BOB} was refused opening project HB-1 "Bridge": NOT_A_TEAM_MEMBER`,
        targetIds: [gid('Project', project.id)],
      },
    ]);
    expect(await usage()).toEqual([]);
  });

  it("EXT-5 a granted opening billed to another account shows in that account's log without the project's name", async () => {
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    expect((await opened(ERIN)).billedAccount).toEqual({ name: 'Northwind Surveying' });
    const entries = async (accountId: string, reader: string) =>
      nodes(
        (
          await world.gql(
            'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action summary } } } } }',
            { id: gid('Account', accountId) },
            reader,
          )
        ).data?.account.auditLog,
      );
    expect(await entries(cast.host.id, ALICE)).toEqual([
      {
        action: 'openProject',
        summary: `${ERIN} opened project HB-1 "Bridge" with PW_EXPLORER: OWN_ORGANIZATION, billed to Northwind Surveying`,
      },
    ]);
    const supplierSide = await entries(cast.supplier.id, DAVE);
    expect(supplierSide).toEqual([
      {
        action: 'openProject',
        summary: `${ERIN} opened a project of Harbor Engineering with PW_EXPLORER: OWN_ORGANIZATION, billed to Northwind Surveying`,
      },
    ]);
    expect(JSON.stringify(supplierSide)).not.toContain('HB-1');
    expect(JSON.stringify(supplierSide)).not.toContain('Bridge');
  });
});

describe('EXT-5 openProject and explainProjectAccess agree', () => {
  it('EXT-5 for every persona and setting, explain answers what openProject decides; only a granted opening writes usage', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'TEAM_MEMBER');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    await world.entitlement(cast.supplier, cast.dave, 'PW_DESIGN', 'DE');
    const settings: [string[], boolean][] = [
      [[], false],
      [[cast.supplier.id], false],
      [[], true],
    ];
    const outcomes = new Set<string>();
    for (const [accounts, unaffiliated] of settings) {
      await setProvided(accounts, unaffiliated);
      for (const who of [ALICE, BOB, CAROL, ERIN, FRANK]) {
        for (const product of ['PW_EXPLORER', 'PW_DESIGN']) {
          const before = await world.rowCounts();
          const explainedDecision = await explained(who, { product });
          expect(await world.rowCounts(), 'explain writes nothing').toEqual(before);
          const usageBefore = (await usage()).length;
          const decision = await opened(who, product);
          expect(decision, `${who} ${product}`).toEqual(explainedDecision);
          expect((await usage()).length).toBe(usageBefore + (decision.granted ? 1 : 0));
          outcomes.add(decision.licenseSource ?? decision.denialReason);
        }
      }
    }
    // The cases cover every outcome.
    expect([...outcomes].sort()).toEqual(['NOT_A_TEAM_MEMBER', 'NO_LICENSE', 'OWN_ORGANIZATION', 'PROJECT_PROVIDED']);
  });
});

describe('EXT-5 explaining for another user', () => {
  beforeEach(async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'TEAM_MEMBER');
    await world.associate(cast.host, cast.frank, cast.alice);
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
  });

  it("EXT-5 a Project Owner who is an IMS admin, or an IMS admin of the project's account, explains for a user they may read", async () => {
    const forFrank = await explained(ALICE, { userId: gid('User', cast.frank.id) });
    expect(forFrank).toMatchObject({
      user: { email: FRANK },
      granted: true,
      licenseSource: 'ASSOCIATED_ACCOUNT',
      billedAccount: { name: 'Harbor Engineering' },
    });
    expect((await explained(BOB, { userId: gid('User', cast.carol.id) }))?.user).toEqual({ email: CAROL });
  });

  it('EXT-5 a team member who is neither Project Owner nor IMS admin may not: FORBIDDEN', async () => {
    expectTopLevel(await explain(CAROL, { userId: gid('User', cast.frank.id) }), 'FORBIDDEN');
    // About themselves, of course.
    expect((await explained(CAROL))?.user).toEqual({ email: CAROL });
  });

  it('EXT-5 a user one may not read and who is not on the team, or no such user, answers null', async () => {
    const forErin = await explain(ALICE, { userId: gid('User', cast.erin.id) });
    expect(forErin.errors).toBeUndefined();
    expect(forErin.data?.explainProjectAccess).toBeNull();
    expect((await explain(ALICE, { userId: gid('User', 'nobody') })).data?.explainProjectAccess).toBeNull();
  });

  it("EXT-5 a member of the project's team may be explained by those who may ask, though they could not read that user", async () => {
    // Erin (Northwind) is no user Alice may read (§9), but she is on the team Alice owns.
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
    expect(await explained(ALICE, { userId: gid('User', cast.erin.id) })).toMatchObject({
      user: { email: ERIN },
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Northwind Surveying' },
    });
  });

  it('EXT-5 a Project Owner without an IMS role explains for a team member, not for a user off the team they may not read', async () => {
    const owner = await mutate(
      world,
      'assignProjectRoles',
      {
        projectId: gid('Project', project.id),
        userId: gid('User', cast.carol.id),
        roleIds: [gid('ProjectRole', `${project.id}/PROJECT_OWNER`)],
      },
      ALICE,
    );
    expectSuccess(owner.payload, owner.result);
    expect((await explained(CAROL, { userId: gid('User', cast.frank.id) }))?.user).toEqual({ email: FRANK });
    const result = await explain(CAROL, { userId: gid('User', cast.erin.id) });
    expect(result.errors).toBeUndefined();
    expect(result.data?.explainProjectAccess).toBeNull();
  });

  it('EXT-5 members of a linked project may not explain for anyone: the project reads as missing to that question', async () => {
    await linkNorthwind();
    expect((await explain(DAVE, { userId: gid('User', cast.carol.id) })).data?.explainProjectAccess).toBeNull();
  });
});

/** A write the database refused for a CHECK constraint (SQLite: "CHECK constraint failed"; PostgreSQL: "violates check constraint"). */
const refusedByCheck = (error: unknown) =>
  /check constraint/i.test(
    `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`,
  );

describe('EXT-5 usage records name exactly one thing', () => {
  it('EXT-5 the database refuses a record naming both a data source and a project, or neither', async () => {
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW');
    const base = {
      at: world.now,
      userId: cast.carol.id,
      productCode: 'PW_EXPLORER',
      licenseSource: 'OWN_ORGANIZATION' as const,
      billedAccountId: cast.host.id,
    };
    const insert = async (fields: Record<string, unknown>) =>
      await inTransaction(world.db, async (tx) => {
        await tx.insert(usageRecords).values({ ...base, ...fields });
      });
    await expect(
      insert({ dataSourceId: ds.id, dataSourceUserId: 'u', machineName: 'M', projectId: project.id }),
    ).rejects.toSatisfy(refusedByCheck);
    await expect(insert({})).rejects.toSatisfy(refusedByCheck);
    await expect(insert({ dataSourceId: ds.id, dataSourceUserId: 'u' })).rejects.toSatisfy(refusedByCheck);
    await insert({ projectId: project.id });
    await insert({ dataSourceId: ds.id, dataSourceUserId: 'u', machineName: 'M' });
    expect(await world.db.select().from(usageRecords).where(eq(usageRecords.userId, cast.carol.id))).toHaveLength(2);
  });
});
