// HIS-4 / HIS-5 / HIS-6 (issue 15) through the API: external access that expires — associations (ID-5)
// and data-source users of external people (ACC-2) — with the injected clock; an account's default; the
// review of every external person an account lets in; confirming and revoking many at once.

import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/db/client.js';
import { type DataSourceRow, dataSourceUsers, usageRecords } from '../../../src/db/schema.js';
import { expectSuccess, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, DEFAULT_NOW, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let closed: DataSourceRow; // Harbor's; no external IMS users: only an association with Harbor lets externals in
let open: DataSourceRow; // Harbor's; filter names Harbor and Northwind; external users allowed, DENY
let theirs: DataSourceRow; // Northwind's; external users allowed, DENY: LIC-1.4 may bill Harbor there

const ALICE = 'alice@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';
const FRANK = 'frank@freelance.example';
const DAY = 86_400_000;
const at = (ms: number) => new Date(DEFAULT_NOW.getTime() + ms);

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  closed = await world.dataSource(cast.host, cast.alice, 'Harbor Closed', {
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: false, externalLicensing: 'DENY' },
  });
  open = await world.dataSource(cast.host, cast.alice, 'Harbor Open', {
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Harbor Engineering" OR Organization = "Northwind Surveying"',
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  theirs = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field', {
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  await world.dsUser(theirs, cast.dave, 'frank', { identity: FRANK });
});

/** Sets a data-source user's expiry directly (as confirm or revoke would). */
async function expireDataSourceUser(where: ReturnType<typeof eq>, expiresAt: Date | null) {
  await inTransaction(world.db, async (tx) => {
    await tx.update(dataSourceUsers).set({ expiresAt }).where(where);
  });
}

const DECISION = 'granted denialReason licenseSource billedAccount { name } steps { rule outcome detail }';

async function signIn(ds: DataSourceRow, as: string) {
  const { payload, result } = await mutate(
    world,
    'signInToDataSource',
    { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' },
    as,
    `decision { ${DECISION} }`,
  );
  return expectSuccess(payload, result).decision;
}

async function associate(email: string, expiresAt?: string) {
  return await mutate(
    world,
    'associateExternalUser',
    { accountId: gid('Account', cast.host.id), email, ...(expiresAt ? { expiresAt } : {}) },
    ALICE,
    'association { id expiresAt expired }',
  );
}

async function setDays(days: number | null, as = ALICE) {
  return await mutate(
    world,
    'setExternalAccessDays',
    { accountId: gid('Account', cast.host.id), days },
    as,
    'account { externalAccessDays }',
  );
}

const his4 = (d: { steps: { rule: string; outcome: string; detail: string }[] }) =>
  d.steps.filter((s) => s.rule === 'HIS-4');

describe('HIS-4 an association that expires', () => {
  it('HIS-4 counts until its expiry, exactly: one millisecond before it lets in, at it no longer (a step says so)', async () => {
    const expiresAt = at(10 * DAY).toISOString();
    const { payload, result } = await associate(ERIN, expiresAt);
    expect(expectSuccess(payload, result).association).toMatchObject({ expiresAt, expired: false });
    await world.dsUser(closed, cast.alice, 'erin', { identity: ERIN });
    world.setNow(at(10 * DAY - 1));
    const before = await signIn(closed, ERIN);
    expect(before.granted).toBe(true);
    expect(his4(before)).toEqual([]);
    world.setNow(at(10 * DAY));
    const after = await signIn(closed, ERIN);
    expect(after).toMatchObject({ granted: false, denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED' });
    expect(his4(after)).toEqual([
      {
        rule: 'HIS-4',
        outcome: 'IGNORED',
        detail: `The caller's association with Harbor Engineering expired at ${expiresAt}: it no longer counts for sign-in (ACC-3) or licensing (LIC-1.4).`,
      },
    ]);
    // explainAccess says the same; the association is listed as expired.
    const explained = await world.gql(
      `query($input: ExplainAccessInput!) { explainAccess(input: $input) { ${DECISION} } }`,
      { input: { dataSourceId: gid('DataSource', closed.id), machineName: 'WS-1' } },
      ERIN,
    );
    expect(explained.data?.explainAccess.steps).toEqual(after.steps);
    const listed = await world.gql(
      'query($id: ID!) { account(id: $id) { externalUsers { edges { node { expiresAt expired user { email } } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(nodes(listed.data?.account.externalUsers)).toEqual([{ expiresAt, expired: true, user: { email: ERIN } }]);
  });

  it('HIS-4 an expired association no longer licenses (LIC-1.4), for sign-in and for opening a project', async () => {
    // Frank (unaffiliated, FR) is associated with Harbor, which holds PW_EXPLORER in FR; he signs in to
    // Northwind's data source, where Harbor's licensing pays (LIC-1.4).
    await associate(FRANK, at(DAY).toISOString());
    expect(await signIn(theirs, FRANK)).toMatchObject({ granted: true, licenseSource: 'ASSOCIATED_ACCOUNT' });
    const project = await world.enableDeliverables(await world.project(cast.alice, 'HB-9', 'Pier'), cast.alice);
    await world.teamMember(project, cast.alice, cast.frank, 'TEAM_MEMBER');
    const openProject = async () =>
      expectSuccess(
        ...((r) => [r.payload, r.result] as const)(
          await mutate(
            world,
            'openProject',
            { projectId: gid('Project', project.id), product: 'PW_EXPLORER' },
            FRANK,
            `decision { ${DECISION} }`,
          ),
        ),
      ).decision;
    expect(await openProject()).toMatchObject({ granted: true, licenseSource: 'ASSOCIATED_ACCOUNT' });
    world.setNow(at(DAY));
    const signedIn = await signIn(theirs, FRANK);
    expect(signedIn).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(his4(signedIn)).toHaveLength(1);
    const opened = await openProject();
    expect(opened).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(his4(opened)[0]?.detail).toContain('no longer counts for licensing (LIC-1.4)');
  });

  it('HIS-4 an explicit expiry must be later than now: now itself is refused, one millisecond later is not; nothing written', async () => {
    const counts = await world.rowCounts();
    expectUserError((await associate(ERIN, DEFAULT_NOW.toISOString())).payload, 'EXPIRY_IN_PAST');
    expectUserError((await associate(ERIN, at(-DAY).toISOString())).payload, 'EXPIRY_IN_PAST');
    expect(await world.rowCounts()).toEqual(counts);
    const { payload, result } = await associate(ERIN, at(1).toISOString());
    expect(expectSuccess(payload, result).association.expiresAt).toBe(at(1).toISOString());
  });
});

describe('HIS-4 the account’s default', () => {
  it('HIS-4 new associations last the default; an explicit expiry wins; without a default they do not expire', async () => {
    const none = expectSuccess(...((r) => [r.payload, r.result] as const)(await associate(FRANK)));
    expect(none.association.expiresAt).toBeNull();
    expectSuccess(...((r) => [r.payload, r.result] as const)(await setDays(30)));
    const defaulted = expectSuccess(...((r) => [r.payload, r.result] as const)(await associate(ERIN)));
    expect(defaulted.association.expiresAt).toBe(at(30 * DAY).toISOString());
    // The default is for new grants: Frank's association keeps no expiry.
    const listed = await world.gql(
      'query($id: ID!) { account(id: $id) { externalAccessDays externalUsers { edges { node { expiresAt user { email } } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(listed.data?.account.externalAccessDays).toBe(30);
    expect(nodes(listed.data?.account.externalUsers)).toEqual([
      { expiresAt: null, user: { email: FRANK } },
      { expiresAt: at(30 * DAY).toISOString(), user: { email: ERIN } },
    ]);
  });

  it('HIS-4 the default is 1–3650 days or none: each limit, one past each, nothing written when refused', async () => {
    for (const bad of [0, 3651, -5]) {
      const counts = await world.rowCounts();
      expectUserError((await setDays(bad)).payload, 'INVALID_EXPIRY_DAYS');
      expect(await world.rowCounts()).toEqual(counts);
    }
    for (const good of [1, 3650, null]) {
      const { payload, result } = await setDays(good);
      expect(expectSuccess(payload, result).account.externalAccessDays).toBe(good);
    }
  });

  it('HIS-4 who may set it: the account’s IMS admins; it is audited', async () => {
    for (const outsider of [CAROL, DAVE, ERIN]) {
      const { payload, result } = await setDays(5, outsider);
      expect(payload?.__typename === 'UserError' || (result.errors?.length ?? 0) > 0).toBe(true);
    }
    await setDays(5);
    const log = await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action summary } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(nodes(log.data?.account.auditLog)[0]).toMatchObject({ action: 'setExternalAccessDays' });
    expect(nodes(log.data?.account.auditLog)[0].summary).toContain('from none to 5 days');
  });

  it('HIS-4 data-source users: an external identity gets the default (manual and dynamic), a member’s never', async () => {
    await setDays(7);
    const created = await mutate(
      world,
      'createDataSourceUser',
      { dataSourceId: gid('DataSource', closed.id), login: 'dave', identity: DAVE },
      ALICE,
      'user { expiresAt }',
    );
    expect(expectSuccess(created.payload, created.result).user.expiresAt).toBe(at(7 * DAY).toISOString());
    const member = await mutate(
      world,
      'createDataSourceUser',
      { dataSourceId: gid('DataSource', closed.id), login: 'carol', identity: CAROL },
      ALICE,
      'user { expiresAt }',
    );
    expect(expectSuccess(member.payload, member.result).user.expiresAt).toBeNull();
    // An unregistered email: external outside Harbor's domains, a future member inside them.
    for (const [identity, expected] of [
      ['nobody@elsewhere.example', at(7 * DAY).toISOString()],
      ['newcomer@harbor.example', null],
    ] as const) {
      const r = await mutate(
        world,
        'createDataSourceUser',
        { dataSourceId: gid('DataSource', closed.id), login: identity, identity },
        ALICE,
        'user { expiresAt }',
      );
      expect(expectSuccess(r.payload, r.result).user.expiresAt).toBe(expected);
    }
    // ACC-2 dynamic creation: Erin (Northwind, named by the filter) gets it; Carol (Harbor) does not.
    await signIn(open, ERIN);
    await signIn(open, CAROL);
    const rows = await world.db.select().from(dataSourceUsers).where(eq(dataSourceUsers.dataSourceId, open.id));
    expect(Object.fromEntries(rows.map((r) => [r.identity, r.expiresAt?.toISOString() ?? null]))).toEqual({
      [ERIN]: at(7 * DAY).toISOString(),
      [CAROL]: null,
    });
  });

  it('HIS-4 an expired data-source user no longer admits its identity: ACCESS_EXPIRED, no user created, no usage', async () => {
    const r = await mutate(
      world,
      'createDataSourceUser',
      { dataSourceId: gid('DataSource', open.id), login: 'dnorth', identity: DAVE, expiresAt: at(DAY).toISOString() },
      ALICE,
      'user { expiresAt }',
    );
    expectSuccess(r.payload, r.result);
    world.setNow(at(DAY - 1));
    expect((await signIn(open, DAVE)).granted).toBe(true);
    world.setNow(at(DAY));
    const usageBefore = (await world.db.select().from(usageRecords)).length;
    const denied = await signIn(open, DAVE);
    expect(denied).toMatchObject({ granted: false, denialReason: 'ACCESS_EXPIRED' });
    expect(his4(denied)).toEqual([
      {
        rule: 'HIS-4',
        outcome: 'FAILED',
        detail: `Data-source user "dnorth" has the identity ${DAVE}, but its access expired at ${at(DAY).toISOString()}: it no longer admits them.`,
      },
    ]);
    // Even though the identity filter names Northwind, no second user is created for Dave.
    expect(await world.db.select().from(dataSourceUsers).where(eq(dataSourceUsers.identity, DAVE))).toHaveLength(1);
    expect(await world.db.select().from(usageRecords)).toHaveLength(usageBefore);
  });
});

describe('HIS-5 the access review', () => {
  const REVIEW = `accessReview(first: 50, filter: $filter) { totalCount edges { node {
    email user { email } homeAccount { name } expired accessEndsAt lastSignInAt lastQuarter
    billableUseLastQuarter { product uses }
    grants { kind expiresAt expired association { id } dataSource { name } dataSourceUser { login } } } } }`;

  async function review(filter?: Record<string, unknown>, as = ALICE) {
    const result = await world.gql(
      `query($id: ID!, $filter: AccessReviewFilter) { account(id: $id) { ${REVIEW} } }`,
      { id: gid('Account', cast.host.id), filter },
      as,
    );
    return result;
  }

  it('HIS-5 every external person with what lets them in, last sign-in, billable use last quarter and expiry — members left out', async () => {
    // Erin: associated (expires in 60 days) and a data-source user (no expiry). Frank: a data-source user
    // expiring in 5 days. Dave: a data-source user that has expired. Carol (a member) and an unregistered
    // email of Harbor's domain are not external; one outside it is.
    await associate(ERIN, at(60 * DAY).toISOString());
    await world.dsUser(closed, cast.alice, 'erin', { identity: ERIN });
    await world.dsUser(closed, cast.alice, 'frank', { identity: FRANK });
    await world.dsUser(closed, cast.alice, 'carol', { identity: CAROL });
    await world.dsUser(closed, cast.alice, 'newcomer', { identity: 'newcomer@harbor.example' });
    await world.dsUser(closed, cast.alice, 'stranger', { identity: 'stranger@elsewhere.example' });
    const dsu = await world.dsUser(open, cast.alice, 'dnorth', { identity: DAVE });
    await expireDataSourceUser(eq(dataSourceUsers.id, dsu.id), at(2 * DAY));
    await expireDataSourceUser(eq(dataSourceUsers.identity, FRANK), at(5 * DAY));
    await expireDataSourceUser(eq(dataSourceUsers.identity, ERIN), null);
    // Erin and Dave sign in now (2026-06-15), Erin again on 2026-07-10 (Northwind pays: their own
    // entitlement, LIC-1.3; Harbor is billed nothing for them).
    await signIn(closed, ERIN);
    await signIn(open, DAVE);
    world.setNow(new Date('2026-07-10T00:00:00.000Z'));
    await signIn(closed, ERIN); // this quarter: not in last quarter's use
    const result = await review();
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const people = nodes(result.data?.account.accessReview);
    expect(people.map((p) => p.email)).toEqual([DAVE, ERIN, FRANK, 'stranger@elsewhere.example']);
    const byEmail = Object.fromEntries(people.map((p) => [p.email, p]));
    expect(byEmail[ERIN]).toMatchObject({
      user: { email: ERIN },
      homeAccount: { name: 'Northwind Surveying' },
      expired: false,
      // One grant never expires: access does not end.
      accessEndsAt: null,
      lastSignInAt: '2026-07-10T00:00:00.000Z',
      lastQuarter: '2026-Q2',
      billableUseLastQuarter: [],
    });
    expect(
      byEmail[ERIN].grants.map((g: any) => [g.kind, g.expiresAt, g.expired, g.dataSourceUser?.login ?? null]),
    ).toEqual([
      ['ASSOCIATION', at(60 * DAY).toISOString(), false, null],
      ['DATA_SOURCE_USER', null, false, 'erin'],
    ]);
    expect(byEmail[DAVE]).toMatchObject({
      expired: true,
      accessEndsAt: at(2 * DAY).toISOString(),
      lastSignInAt: DEFAULT_NOW.toISOString(),
    });
    expect(byEmail[FRANK]).toMatchObject({
      expired: true,
      accessEndsAt: at(5 * DAY).toISOString(),
      lastSignInAt: null,
    });
    expect(byEmail['stranger@elsewhere.example']).toMatchObject({ user: null, homeAccount: null, expired: false });
    // Filters: each on its own.
    const emails = async (filter: Record<string, unknown>) =>
      nodes((await review(filter)).data?.account.accessReview).map((p) => p.email);
    expect(await emails({ expired: true })).toEqual([DAVE, FRANK]);
    expect(await emails({ expired: false })).toEqual([ERIN, 'stranger@elsewhere.example']);
    // Erin's association expires on 2026-08-14 (still counting); Dave's and Frank's grants have expired.
    expect(await emails({ expiringBefore: '2026-08-14T12:00:00.001Z' })).toEqual([ERIN]);
    expect(await emails({ expiringBefore: '2026-08-14T12:00:00.000Z' })).toEqual([]);
    expect(await emails({ expired: false, expiringBefore: '2026-09-01T00:00:00.000Z' })).toEqual([ERIN]);
  });

  it('HIS-5 billable use last quarter: what the account was billed for the person in the previous calendar quarter', async () => {
    // Frank (FR, unaffiliated) is associated with Harbor: Harbor pays his sign-ins to Northwind's data
    // source (LIC-1.4); he also signs in to Harbor's own (closed) one, which it cannot bill (DENY).
    await associate(FRANK);
    await world.dsUser(closed, cast.alice, 'frank', { identity: FRANK });
    world.setNow(new Date('2026-03-31T23:59:59.999Z')); // Q1: not last quarter seen from Q3
    expect((await signIn(theirs, FRANK)).licenseSource).toBe('ASSOCIATED_ACCOUNT');
    world.setNow(new Date('2026-04-01T00:00:00.000Z')); // Q2, its first instant
    await signIn(theirs, FRANK);
    world.setNow(new Date('2026-06-30T23:59:59.999Z')); // Q2, its last instant
    await signIn(theirs, FRANK);
    world.setNow(new Date('2026-07-01T00:00:00.000Z')); // Q3: this quarter
    await signIn(theirs, FRANK);
    const people = nodes((await review()).data?.account.accessReview);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({
      email: FRANK,
      lastQuarter: '2026-Q2',
      billableUseLastQuarter: [{ product: 'PW_EXPLORER', uses: 2 }],
      // Last sign-in to Harbor's data sources: none (his sign-ins were to Northwind's).
      lastSignInAt: null,
    });
  });

  it('HIS-5 who may read it: the account’s IMS admins only', async () => {
    await associate(ERIN);
    for (const outsider of [CAROL, DAVE, ERIN, FRANK]) {
      const result = await review(undefined, outsider);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(result.data?.account?.accessReview ?? null).toBeNull();
    }
    expect(nodes((await review(undefined, 'bob@harbor.example')).data?.account.accessReview)).toHaveLength(1);
  });
});

describe('HIS-6 confirming and revoking many at once', () => {
  async function act(
    name: 'confirmExternalAccess' | 'revokeExternalAccess',
    input: Record<string, unknown>,
    as = ALICE,
  ) {
    const { payload, result } = await mutate(
      world,
      name,
      { accountId: gid('Account', cast.host.id), ...input },
      as,
      'results { email applied changedGrants expiresAt error { code message } }',
    );
    return { payload, result };
  }

  beforeEach(async () => {
    await associate(ERIN, at(DAY).toISOString());
    await world.dsUser(closed, cast.alice, 'erin', { identity: ERIN });
    const dsu = await world.dsUser(open, cast.alice, 'dnorth', { identity: DAVE });
    await expireDataSourceUser(eq(dataSourceUsers.id, dsu.id), at(DAY));
  });

  it('HIS-6 confirm extends every grant of each person, expired ones too, with a result per person', async () => {
    world.setNow(at(2 * DAY));
    expect((await signIn(closed, ERIN)).granted).toBe(false);
    expect((await signIn(open, DAVE)).denialReason).toBe('ACCESS_EXPIRED');
    const until = at(90 * DAY).toISOString();
    const { payload, result } = await act('confirmExternalAccess', {
      emails: [ERIN, 'DAVE@northwind.example', 'nobody@nowhere.example', 'not-an-email', ERIN],
      expiresAt: until,
    });
    expect(expectSuccess(payload, result).results).toEqual([
      { email: ERIN, applied: true, changedGrants: 2, expiresAt: until, error: null },
      { email: DAVE, applied: true, changedGrants: 1, expiresAt: until, error: null },
      {
        email: 'nobody@nowhere.example',
        applied: false,
        changedGrants: 0,
        expiresAt: null,
        error: { code: 'NOT_FOUND', message: 'the account grants nobody@nowhere.example no external access' },
      },
      {
        email: 'not-an-email',
        applied: false,
        changedGrants: 0,
        expiresAt: null,
        error: expect.objectContaining({ code: 'INVALID_EMAIL' }),
      },
    ]);
    expect((await signIn(closed, ERIN)).granted).toBe(true);
    expect((await signIn(open, DAVE)).granted).toBe(true);
  });

  it('HIS-6 confirm without an expiry: the account’s default, else no expiry; a past expiry is refused whole', async () => {
    const counts = await world.rowCounts();
    const past = await act('confirmExternalAccess', { emails: [ERIN], expiresAt: DEFAULT_NOW.toISOString() });
    expectUserError(past.payload, 'EXPIRY_IN_PAST');
    expect(await world.rowCounts()).toEqual(counts);
    const plain = await act('confirmExternalAccess', { emails: [ERIN] });
    expect(expectSuccess(plain.payload, plain.result).results[0]).toMatchObject({ applied: true, expiresAt: null });
    await setDays(14);
    const defaulted = await act('confirmExternalAccess', { emails: [ERIN] });
    expect(expectSuccess(defaulted.payload, defaulted.result).results[0].expiresAt).toBe(at(14 * DAY).toISOString());
  });

  it('HIS-6 revoke removes the association and expires the data-source users now: they are let in no more', async () => {
    expect((await signIn(closed, ERIN)).granted).toBe(true);
    const { payload, result } = await act('revokeExternalAccess', { emails: [ERIN, FRANK] });
    expect(expectSuccess(payload, result).results).toEqual([
      { email: ERIN, applied: true, changedGrants: 2, expiresAt: null, error: null },
      {
        email: FRANK,
        applied: false,
        changedGrants: 0,
        expiresAt: null,
        error: { code: 'NOT_FOUND', message: `the account grants ${FRANK} no external access` },
      },
    ]);
    const log = await world.gql(
      'query($id: ID!) { account(id: $id) { auditLog(first: 1) { edges { node { action summary } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(nodes(log.data?.account.auditLog)[0]).toMatchObject({ action: 'revokeExternalAccess' });
    expect(nodes(log.data?.account.auditLog)[0].summary).toContain(`revoked the external access of ${ERIN}`);
    expect(nodes(log.data?.account.auditLog)[0].summary).toContain('1 refused');
    const denied = await signIn(closed, ERIN);
    expect(denied).toMatchObject({ granted: false, denialReason: 'ACCESS_EXPIRED' });
    const review = await world.gql(
      'query($id: ID!) { account(id: $id) { externalUsers { totalCount } accessReview(first: 10) { edges { node { email expired grants { kind expired } } } } } }',
      { id: gid('Account', cast.host.id) },
      ALICE,
    );
    expect(review.data?.account.externalUsers.totalCount).toBe(0);
    expect(nodes(review.data?.account.accessReview)).toContainEqual({
      email: ERIN,
      expired: true,
      grants: [{ kind: 'DATA_SOURCE_USER', expired: true }],
    });
  });

  it('HIS-6 who may: the account’s IMS admins; anyone else changes nothing', async () => {
    for (const outsider of [CAROL, DAVE, ERIN]) {
      const counts = await world.checksum();
      for (const name of ['confirmExternalAccess', 'revokeExternalAccess'] as const) {
        const { payload, result } = await act(name, { emails: [ERIN] }, outsider);
        expect(payload?.__typename === 'UserError' || (result.errors?.length ?? 0) > 0).toBe(true);
      }
      expect(await world.checksum()).toBe(counts);
    }
  });

  it('HIS-6 at most 500 people at once; none is refused as bad input', async () => {
    const many = Array.from({ length: 501 }, (_, i) => `p${i}@nowhere.example`);
    const { result } = await act('confirmExternalAccess', { emails: many });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const limit = await act('confirmExternalAccess', { emails: many.slice(0, 500) });
    expect(expectSuccess(limit.payload, limit.result).results).toHaveLength(500);
    const none = await act('confirmExternalAccess', { emails: [] });
    expect(none.result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
