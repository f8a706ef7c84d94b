// HIS-1 / HIS-2 (issue 15) through the API: every usage record keeps the decision that produced it and
// explains itself as explainAccess (or explainProjectAccess) did at that moment, whatever changed since;
// the explanation follows §9 for its reader now (the data source's names, the login, the project, and
// LIC-3's unnamed people); account.usage drills down from a total or a person to the records, and
// reports per consuming user. Who may: the billed account's IMS admins only (as LIC-4).

import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { type DataSourceRow, type ProjectRow, usageDecisions, usageRecords } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, mutate, nodes } from '../../helpers/ops.js';
import { FRANK, signedIn, usageWorld } from '../../helpers/usage-world.js';
import { gid, type hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let projects: DataSourceRow; // Harbor-owned; filter names Harbor and Northwind; external users allowed, DENY
let supplied: DataSourceRow; // Harbor-owned; external users allowed, SUPPLY, licensing owner Northwind

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2027-01-01T00:00:00.000Z';

const STEPS = 'steps { rule outcome detail }';

beforeEach(async () => {
  ({ world, cast, projects, supplied } = await usageWorld());
});

async function signIn(ds: DataSourceRow, as: string, machineName = 'WS-1') {
  return await signedIn(world, ds, as, machineName, `granted licenseSource ${STEPS}`);
}

async function explainAccess(ds: DataSourceRow, as: string, userId?: string) {
  const result = await world.gql(
    `query($input: ExplainAccessInput!) { explainAccess(input: $input) { ${STEPS} } }`,
    { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1', ...(userId ? { userId } : {}) } },
    as,
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.explainAccess.steps;
}

const RECORD = `at kind product machineName licenseSource billedAccount { name } consumerAccount { name }
  personHidden email user { email } usedIn dataSource { name } dataSourceUser { login } project { number }
  explanation { rule outcome detail }`;

/** account(accountId).usage(from, to) { <selection> } as `as`: the raw result. */
const VARIABLE_TYPES: Record<string, string> = { filter: 'UsageRecordFilter', first: 'Int', after: 'String' };

async function usageQuery(as: string, accountId: string, selection: string, variables: Record<string, unknown> = {}) {
  const declared = Object.keys(VARIABLE_TYPES)
    .filter((name) => name in variables)
    .map((name) => `, $${name}: ${VARIABLE_TYPES[name]}`)
    .join('');
  return await world.gql(
    `query($id: ID!, $from: DateTime!, $to: DateTime!${declared}) {
      account(id: $id) { usage(from: $from, to: $to) { ${selection} } } }`,
    { id: gid('Account', accountId), from: FROM, to: TO, ...variables },
    as,
  );
}

async function usageOf(as: string, accountId: string, selection: string, variables: Record<string, unknown> = {}) {
  const result = await usageQuery(as, accountId, selection, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data?.account.usage;
}

async function recordsOf(as: string, accountId: string, filter?: Record<string, unknown>) {
  return nodes(
    (
      await usageOf(
        as,
        accountId,
        `records(filter: $filter, first: $first) { totalCount edges { node { ${RECORD} } } }`,
        {
          filter,
          first: 500,
        },
      )
    ).records,
  );
}

describe('HIS-1 a usage record keeps the decision that produced it', () => {
  it('HIS-1 the explanation is what explainAccess said at that moment, for the same reader', async () => {
    // Carol (Harbor) signs in to Harbor's own data source: billed to Harbor; Alice reads both.
    const before = await explainAccess(projects, ALICE, gid('User', cast.carol.id));
    const granted = await signIn(projects, CAROL);
    expect(granted.licenseSource).toBe('OWN_ORGANIZATION');
    const [record] = await recordsOf(ALICE, cast.host.id);
    expect(record.explanation).toEqual(before);
    // …and Dave (Northwind) reading his own account's bill: he may not read Harbor's data source, so
    // its names are the labels his own explainAccess showed him.
    const daves = await explainAccess(projects, DAVE);
    await signIn(projects, DAVE);
    const [daveRecord] = await recordsOf(DAVE, cast.supplier.id);
    expect(daveRecord.explanation).toEqual(daves);
    expect(JSON.stringify(daveRecord.explanation)).not.toContain('Harbor Projects');
    expect(JSON.stringify(daveRecord.explanation)).toContain('this data source');
  });

  it('HIS-1 later changes do not rewrite it: a data-source user since created, an entitlement since ended', async () => {
    const explained = await explainAccess(projects, ALICE, gid('User', cast.carol.id));
    await signIn(projects, CAROL);
    const kept = (await recordsOf(ALICE, cast.host.id))[0].explanation;
    expect(kept).toEqual(explained);
    // Since then Carol's data-source user exists (the sign-in created it), and Harbor's entitlement has
    // ended (contract end 2027-12-31): explainAccess now says otherwise; the record still says what it said.
    world.setNow(new Date('2028-01-10T00:00:00.000Z'));
    const now = await explainAccess(projects, ALICE, gid('User', cast.carol.id));
    expect(now).not.toEqual(kept);
    expect(now.find((s: { rule: string }) => s.rule === 'LIC-1.3')).toMatchObject({ outcome: 'SKIPPED' });
    expect(now.find((s: { rule: string }) => s.rule === 'ACC-2').detail).toContain('has the identity');
    const again = (await recordsOf(ALICE, cast.host.id))[0].explanation;
    expect(again).toEqual(kept);
    expect(again.find((s: { rule: string }) => s.rule === 'ACC-2').detail).toContain('is created at sign-in');
    expect(again.find((s: { rule: string }) => s.rule === 'LIC-1.3')).toMatchObject({ outcome: 'APPLIED' });
  });

  it('HIS-1 identical decisions are stored once; different ones each', async () => {
    // The first sign-in creates Carol's data-source user (ACC-2 says so); the next two find it: the same
    // decision twice. WS-2 names another machine in its LIC-1.1 step: a third.
    await signIn(projects, CAROL);
    await signIn(projects, CAROL);
    await signIn(projects, CAROL);
    await signIn(projects, CAROL, 'WS-2');
    const decisions = async () => (await world.db.select({ n: count() }).from(usageDecisions))[0]?.n;
    const records = async () => (await world.db.select({ n: count() }).from(usageRecords))[0]?.n;
    expect(await records()).toBe(4);
    expect(await decisions()).toBe(3);
    const explained = await recordsOf(ALICE, cast.host.id);
    expect(explained.map((r) => r.machineName)).toEqual(['WS-1', 'WS-1', 'WS-1', 'WS-2']);
    expect(explained[1].explanation).toEqual(explained[2].explanation);
    expect(explained[0].explanation).not.toEqual(explained[1].explanation);
    expect(JSON.stringify(explained[3].explanation)).toContain('WS-2');
  });

  it('HIS-1 the opening of a project keeps its decision too, with the project hidden from readers who may not read it', async () => {
    const project: ProjectRow = await world.enableDeliverables(
      await world.project(cast.alice, 'HB-1', 'Bridge'),
      cast.alice,
    );
    await world.teamMember(project, cast.alice, cast.dave, 'TEAM_MEMBER');
    const granted = await mutate(
      world,
      'grantImsRole',
      { accountId: gid('Account', cast.supplier.id), userId: gid('User', cast.erin.id), role: 'ACCOUNT_ADMIN' },
      DAVE,
    );
    expectSuccess(granted.payload, granted.result);
    const explained = await world.gql(
      `query($input: ExplainProjectAccessInput!) { explainProjectAccess(input: $input) { ${STEPS} } }`,
      { input: { projectId: gid('Project', project.id), product: 'PW_EXPLORER' } },
      DAVE,
    );
    const opened = await mutate(
      world,
      'openProject',
      { projectId: gid('Project', project.id), product: 'PW_EXPLORER' },
      DAVE,
      'decision { licenseSource }',
    );
    expect(expectSuccess(opened.payload, opened.result).decision.licenseSource).toBe('OWN_ORGANIZATION');
    // Dave is on the team and reads the project: his bill explains it as explainProjectAccess did.
    const [daves] = await recordsOf(DAVE, cast.supplier.id);
    expect(daves).toMatchObject({ kind: 'PROJECT_OPEN', machineName: null, usedIn: 'project HB-1 "Bridge"' });
    expect(daves.project).toEqual({ number: 'HB-1' });
    expect(daves.explanation).toEqual(explained.data?.explainProjectAccess.steps);
    // Erin, Northwind's other admin, is not on the team: the same record names neither number nor name.
    const [erins] = await recordsOf(ERIN, cast.supplier.id);
    expect(erins).toMatchObject({ project: null, usedIn: 'a project of Harbor Engineering', email: DAVE });
    const text = JSON.stringify(erins.explanation);
    expect(text).not.toContain('HB-1');
    expect(text).not.toContain('Bridge');
    expect(text).toContain('(hidden)');
    expect(erins.explanation.map((s: { rule: string }) => s.rule)).toEqual(
      daves.explanation.map((s: { rule: string }) => s.rule),
    );
  });
});

describe('HIS-1 §9: the explanation follows what its reader may read now', () => {
  it('LIC-3 a licensing owner that does not own the data source: the person is counted, not named', async () => {
    const granted = await signIn(supplied, FRANK);
    expect(granted.licenseSource).toBe('DATASOURCE_OWNER');
    const [record] = await recordsOf(DAVE, cast.supplier.id);
    expect(record).toMatchObject({
      personHidden: true,
      email: null,
      user: null,
      dataSourceUser: null,
      dataSource: { name: 'Harbor Supplied' },
      usedIn: '"Harbor Supplied"',
      licenseSource: 'DATASOURCE_OWNER',
      consumerAccount: null,
    });
    const text = JSON.stringify(record.explanation);
    expect(text).not.toContain(FRANK);
    expect(text).not.toContain('frank-login');
    expect(text).toContain('Harbor Supplied');
    expect(text).toContain('the user');
    // The owner's admins see the same sign-in in their data source's audit, named; the licensing owner's
    // bill never lets a filter find the person: asking for Frank's records finds none.
    const byFrank = await recordsOf(DAVE, cast.supplier.id, { userId: gid('User', cast.frank.id) });
    expect(byFrank).toEqual([]);
  });

  it('LIC-3 the person stays unnamed even when the billed account could otherwise read them (its own member)', async () => {
    // Erin is Northwind's member; on Harbor's SUPPLY data source Northwind pays as licensing owner.
    await world.dsUser(supplied, cast.alice, 'erin-login', { identity: ERIN });
    await signIn(supplied, ERIN, 'ERIN-LAPTOP');
    const [record] = await recordsOf(DAVE, cast.supplier.id);
    expect(record).toMatchObject({
      personHidden: true,
      email: null,
      user: null,
      dataSourceUser: null,
      machineName: null,
      consumerAccount: { name: 'Northwind Surveying' },
    });
    const text = JSON.stringify(record.explanation);
    for (const name of [ERIN, 'erin-login', 'ERIN-LAPTOP']) expect(text).not.toContain(name);
    expect(text).toContain('their machine');
    // Her own bill elsewhere still names her; the per-user report counts the unnamed people apart.
    await signIn(projects, ERIN);
    const byUser = await usageOf(
      DAVE,
      cast.supplier.id,
      'byUser(first: 10) { edges { node { email personHidden users uses } } }',
    );
    expect(nodes(byUser.byUser)).toEqual([
      { email: ERIN, personHidden: false, users: 1, uses: 1 },
      // Erin is named above for the product: the unnamed row does not count her again (its uses remain).
      { email: null, personHidden: true, users: 0, uses: 1 },
    ]);
  });

  it('LIC-3 when the licensing owner is the owner, its admins see the person and the login', async () => {
    await world.licensingOwner(supplied, cast.alice, cast.host);
    await signIn(supplied, FRANK);
    const [record] = await recordsOf(ALICE, cast.host.id);
    expect(record).toMatchObject({
      personHidden: false,
      email: FRANK,
      user: { email: FRANK },
      dataSourceUser: { login: 'frank-login' },
    });
    expect(JSON.stringify(record.explanation)).toContain('frank-login');
    expect(JSON.stringify(record.explanation)).toContain(FRANK);
  });

  it('§9 a reader who may no longer read the data source gets the labels, though the names were kept', async () => {
    await signIn(supplied, FRANK);
    expect(JSON.stringify((await recordsOf(DAVE, cast.supplier.id))[0].explanation)).toContain('Harbor Supplied');
    // Harbor takes licensing back: Northwind no longer reads the data source (LIC-3).
    await world.licensingOwner(supplied, cast.alice, cast.host);
    const [record] = await recordsOf(DAVE, cast.supplier.id);
    expect(record).toMatchObject({ dataSource: null, usedIn: 'a data source of Harbor Engineering' });
    const text = JSON.stringify(record.explanation);
    expect(text).not.toContain('Harbor Supplied');
    expect(text).toContain('this data source');
    expect(text).toContain('its licensing owner account');
  });

  it('§9 the login shows to whoever may read the data-source user: its own person, not the rest of the account', async () => {
    // Erin signs in to Harbor's data source with Northwind's entitlement: Northwind's bill.
    await signIn(projects, ERIN);
    const [daves] = await recordsOf(DAVE, cast.supplier.id);
    expect(daves).toMatchObject({ email: ERIN, user: { email: ERIN }, dataSource: null, dataSourceUser: null });
    expect(daves.usedIn).toBe('a data source of Harbor Engineering');
    expect(JSON.stringify(daves.explanation)).toContain(ERIN);
    // Dave's own record: he reads his own data-source user (§9: each their own), so its login shows.
    await signIn(projects, DAVE);
    const mine = (await recordsOf(DAVE, cast.supplier.id)).find((r) => r.email === DAVE);
    expect(mine).toMatchObject({ dataSource: null, dataSourceUser: { login: DAVE } });
  });
});

describe('HIS-2 drill-down and the report per consuming user', () => {
  beforeEach(async () => {
    world.setNow(new Date('2026-05-10T10:00:00.000Z'));
    await signIn(projects, DAVE);
    await signIn(projects, DAVE, 'WS-2');
    await signIn(projects, ERIN);
    await signIn(supplied, FRANK); // LIC-3: Northwind pays as licensing owner, unnamed
    world.setNow(new Date('2026-07-02T10:00:00.000Z'));
    await signIn(projects, DAVE);
    await signIn(supplied, FRANK);
    await signIn(projects, CAROL); // billed to Harbor, not Northwind
  });

  it('HIS-2 each total drills down to exactly the records it counts', async () => {
    const report = await usageOf(
      DAVE,
      cast.supplier.id,
      `totals { kind product licenseSource consumerAccount { name } signIns records(first: 500) { totalCount edges { node { email licenseSource consumerAccount { name } } } } }`,
    );
    expect(report.totals).toHaveLength(2);
    for (const total of report.totals) {
      const records = nodes(total.records);
      expect(total.records.totalCount).toBe(total.signIns);
      expect(records).toHaveLength(total.signIns);
      for (const r of records) {
        expect(r.licenseSource).toBe(total.licenseSource);
        expect(r.consumerAccount).toEqual(total.consumerAccount);
      }
    }
    const own = report.totals.find((t: { licenseSource: string }) => t.licenseSource === 'OWN_ORGANIZATION');
    expect(own.signIns).toBe(4);
    expect(nodes(own.records).map((r) => r.email)).toEqual([DAVE, DAVE, ERIN, DAVE]);
    const unaffiliated = report.totals.find((t: { licenseSource: string }) => t.licenseSource === 'DATASOURCE_OWNER');
    expect(unaffiliated).toMatchObject({ consumerAccount: null, signIns: 2 });
    expect(nodes(unaffiliated.records).map((r) => r.email)).toEqual([null, null]);
  });

  it('HIS-2 records are oldest first, paged by cursor without loss or repeat, and filtered', async () => {
    const first = await usageOf(
      DAVE,
      cast.supplier.id,
      'records(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { at email } } }',
      { first: 2, after: null },
    );
    expect(first.records.totalCount).toBe(6);
    const rest = await usageOf(
      DAVE,
      cast.supplier.id,
      'records(first: $first, after: $after) { pageInfo { hasNextPage } edges { node { at email } } }',
      { first: 10, after: first.records.pageInfo.endCursor },
    );
    const all = [...nodes(first.records), ...nodes(rest.records)];
    expect(all).toHaveLength(6);
    expect(all.map((r) => r.at)).toEqual([...all.map((r) => r.at)].sort());
    expect(rest.records.pageInfo.hasNextPage).toBe(false);
    // Each filter on its own.
    expect(await recordsOf(DAVE, cast.supplier.id, { userId: gid('User', cast.dave.id) })).toHaveLength(3);
    expect(await recordsOf(DAVE, cast.supplier.id, { licenseSource: 'DATASOURCE_OWNER' })).toHaveLength(2);
    expect(
      await recordsOf(DAVE, cast.supplier.id, { consumerAccountId: gid('Account', cast.supplier.id) }),
    ).toHaveLength(4);
    // Frank (no account) signed in twice; the other four were Northwind's members.
    expect(await recordsOf(DAVE, cast.supplier.id, { unaffiliated: true })).toHaveLength(2);
    expect(await recordsOf(DAVE, cast.supplier.id, { unaffiliated: false })).toHaveLength(4);
    const both = await usageQuery(DAVE, cast.supplier.id, 'records(filter: $filter) { totalCount }', {
      filter: { unaffiliated: true, consumerAccountId: gid('Account', cast.supplier.id) },
    });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await recordsOf(DAVE, cast.supplier.id, { kind: 'PROJECT_OPEN' })).toHaveLength(0);
    expect(await recordsOf(DAVE, cast.supplier.id, { kind: 'DATA_SOURCE_SIGN_IN' })).toHaveLength(6);
    expect(await recordsOf(DAVE, cast.supplier.id, { product: 'PW_DESIGN' })).toHaveLength(0);
    expect(await recordsOf(DAVE, cast.supplier.id, { product: 'PW_EXPLORER' })).toHaveLength(6);
  });

  it('HIS-2 records(from, to) is [from, to): a record exactly at from is in, one exactly at to is out', async () => {
    const at = '2026-07-02T10:00:00.000Z';
    const records = async (from: string, to: string) =>
      nodes(
        (await usageOf(DAVE, cast.supplier.id, 'records(first: 500) { edges { node { at } } }', { from, to })).records,
      ).length;
    expect(await records(at, TO)).toBe(2);
    expect(await records(FROM, at)).toBe(4);
    expect(await records('2026-07-02T10:00:00.001Z', TO)).toBe(0);
  });

  it('HIS-2 per consuming user: named people by email with uses and billable quarters; LIC-3 people counted by home account', async () => {
    const report = await usageOf(
      DAVE,
      cast.supplier.id,
      `byUser(first: 50) { totalCount edges { node { email user { email } personHidden consumerAccount { name } product users uses quarters firstUseAt lastUseAt records(first: 50) { totalCount } } } }`,
    );
    expect(nodes(report.byUser)).toEqual([
      {
        email: DAVE,
        user: { email: DAVE },
        personHidden: false,
        consumerAccount: { name: 'Northwind Surveying' },
        product: 'PW_EXPLORER',
        users: 1,
        uses: 3,
        quarters: ['2026-Q2', '2026-Q3'],
        firstUseAt: '2026-05-10T10:00:00.000Z',
        lastUseAt: '2026-07-02T10:00:00.000Z',
        records: { totalCount: 3 },
      },
      {
        email: ERIN,
        user: { email: ERIN },
        personHidden: false,
        consumerAccount: { name: 'Northwind Surveying' },
        product: 'PW_EXPLORER',
        users: 1,
        uses: 1,
        quarters: ['2026-Q2'],
        firstUseAt: '2026-05-10T10:00:00.000Z',
        lastUseAt: '2026-05-10T10:00:00.000Z',
        records: { totalCount: 1 },
      },
      {
        email: null,
        user: null,
        personHidden: true,
        consumerAccount: null,
        product: 'PW_EXPLORER',
        users: 1,
        uses: 2,
        quarters: ['2026-Q2', '2026-Q3'],
        firstUseAt: '2026-05-10T10:00:00.000Z',
        lastUseAt: '2026-07-02T10:00:00.000Z',
        records: { totalCount: 2 },
      },
    ]);
    // The quarters agree with LIC-4's billable users (Dave, Erin and the unnamed person in Q2; two in Q3).
    const billable = await usageOf(DAVE, cast.supplier.id, 'billableUsers { quarter users }');
    expect(billable.billableUsers).toEqual([
      { quarter: '2026-Q2', users: 3 },
      { quarter: '2026-Q3', users: 2 },
    ]);
  });

  it('HIS-2 who may read: the account’s IMS admins only', async () => {
    // Erin is a plain member of Northwind; Alice administers another account.
    for (const outsider of [ERIN, ALICE, CAROL, FRANK]) {
      const result = await usageQuery(outsider, cast.supplier.id, 'records { totalCount }');
      expectTopLevel(result, 'FORBIDDEN');
      expect(result.data?.account?.usage ?? null).toBeNull();
    }
    // Bob (Harbor co-admin) reads Harbor's, which holds only Carol's record.
    const harbor = await recordsOf(BOB, cast.host.id);
    expect(harbor.map((r) => r.email)).toEqual([CAROL]);
  });
});
