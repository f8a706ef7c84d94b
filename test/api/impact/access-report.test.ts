// Issue 14, IMP-5: DataSource.accessReport — every identity that can sign in today, with the decision
// and who would pay; the members an identity filter admits summarized by account; filters by outcome and
// billed account; the data source's admins only; the same decisions as explainAccess; a page of 500
// costs the statements of a page of 10.
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataSourceRow } from '../../../src/db/schema.js';
import { expectTopLevel } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let projects: DataSourceRow;

const REPORT = `query($id: ID!, $first: Int, $after: String, $outcome: AccessReportOutcome, $billed: ID, $product: String) {
  node(id: $id) { ... on DataSource {
    accessReport(first: $first, after: $after, outcome: $outcome, billedAccountId: $billed, product: $product) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { kind people email account { name } dataSourceUser { login }
        decision { granted denialReason licenseSource billedAccount { name } steps { rule outcome } } } }
    } } } }`;

async function report(as: string, variables: Record<string, unknown> = {}) {
  return await world.gql(REPORT, { id: gid('DataSource', projects.id), ...variables }, as);
}

const lines = (result: Awaited<ReturnType<typeof report>>) =>
  (result.data?.node?.accessReport?.edges ?? []).map((e: any) => e.node);

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  projects = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Northwind Surveying"',
    externalAccess: { allowExternalImsUsers: true },
  });
  await world.dsUser(projects, cast.alice, 'carol', { identity: 'carol@harbor.example' });
  await world.dsUser(projects, cast.alice, 'frank', { identity: 'frank@freelance.example' });
  // An identity with no registered profile cannot sign in: not a line of the report.
  await world.dsUser(projects, cast.alice, 'ghost', { identity: 'ghost@harbor.example' });
  // A manual user without an identity signs in with a password, not an identity: not listed either.
  await world.dsUser(projects, cast.alice, 'legacy');
});

describe('IMP-5 who can get in', () => {
  it('IMP-5 data-source users one by one (by email), then the filter’s admitted members summarized by account and outcome', async () => {
    const result = await report('alice@harbor.example');
    expect(result.errors).toBeUndefined();
    expect(result.data?.node.accessReport.totalCount).toBe(3);
    expect(lines(result)).toEqual([
      expect.objectContaining({
        kind: 'DATA_SOURCE_USER',
        people: 1,
        email: 'carol@harbor.example',
        dataSourceUser: { login: 'carol' },
        account: null,
        decision: expect.objectContaining({
          granted: true,
          licenseSource: 'OWN_ORGANIZATION',
          billedAccount: { name: 'Harbor Engineering' },
        }),
      }),
      expect.objectContaining({
        kind: 'DATA_SOURCE_USER',
        email: 'frank@freelance.example',
        decision: expect.objectContaining({ granted: false, denialReason: 'NO_LICENSE', billedAccount: null }),
      }),
      // Dave and Erin (Northwind, DE) have no data-source user: ACC-2 would create one at sign-in.
      expect.objectContaining({
        kind: 'ADMITTED_BY_FILTER',
        people: 2,
        email: null,
        dataSourceUser: null,
        account: { name: 'Northwind Surveying' },
        decision: expect.objectContaining({
          granted: true,
          licenseSource: 'OWN_ORGANIZATION',
          billedAccount: { name: 'Northwind Surveying' },
        }),
      }),
    ]);
  });

  it('IMP-5 a member with a data-source user is listed as that user, not again in the summary; members apart by outcome', async () => {
    await world.dsUser(projects, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    // A Northwind member in the US: Northwind holds no entitlement there.
    await world.member(cast.supplier, await world.user('uma@northwind.example', 'US'));
    const entries = lines(await report('alice@harbor.example'));
    expect(entries.map((e: any) => [e.kind, e.email ?? e.account.name, e.people, e.decision.granted])).toEqual([
      ['DATA_SOURCE_USER', 'carol@harbor.example', 1, true],
      ['DATA_SOURCE_USER', 'erin@northwind.example', 1, true],
      ['DATA_SOURCE_USER', 'frank@freelance.example', 1, false],
      ['ADMITTED_BY_FILTER', 'Northwind Surveying', 1, true],
      ['ADMITTED_BY_FILTER', 'Northwind Surveying', 1, false],
    ]);
  });

  it('IMP-5 a summary names no one the admin may not read: no email, no user, steps speak of "a member of" the account', async () => {
    const summary = lines(await report('alice@harbor.example')).find((e: any) => e.kind === 'ADMITTED_BY_FILTER');
    expect(summary.email).toBeNull();
    const full = await world.gql(
      `query($id: ID!) { node(id: $id) { ... on DataSource { accessReport { edges { node { kind user { email } decision { steps { detail } } } } } } } }`,
      { id: gid('DataSource', projects.id) },
      'alice@harbor.example',
    );
    const node = full.data?.node.accessReport.edges.find((e: any) => e.node.kind === 'ADMITTED_BY_FILTER').node;
    expect(node.user).toBeNull();
    const text = JSON.stringify(node.decision.steps);
    expect(text).not.toContain('northwind.example');
    expect(text).toContain('a member of Northwind Surveying');
  });

  it('IMP-5 filters: outcome, billed account (the two together), and the product decided for', async () => {
    const granted = lines(await report('alice@harbor.example', { outcome: 'GRANTED' }));
    expect(granted.map((e: any) => e.email ?? e.account.name)).toEqual(['carol@harbor.example', 'Northwind Surveying']);
    const denied = lines(await report('alice@harbor.example', { outcome: 'DENIED' }));
    expect(denied.map((e: any) => e.email)).toEqual(['frank@freelance.example']);
    const billedToNorthwind = await report('alice@harbor.example', { billed: gid('Account', cast.supplier.id) });
    expect(lines(billedToNorthwind).map((e: any) => e.account?.name)).toEqual(['Northwind Surveying']);
    expect(billedToNorthwind.data?.node.accessReport.totalCount).toBe(1);
    expect(
      lines(await report('alice@harbor.example', { billed: gid('Account', cast.supplier.id), outcome: 'DENIED' })),
    ).toEqual([]);
    // Nobody holds MICROSTATION: everyone is denied NO_LICENSE for it.
    const microstation = lines(await report('alice@harbor.example', { product: 'MICROSTATION' }));
    expect(microstation.map((e: any) => [e.email ?? e.account.name, e.decision.denialReason])).toEqual([
      ['carol@harbor.example', 'NO_LICENSE'],
      ['frank@freelance.example', 'NO_LICENSE'],
      ['Northwind Surveying', 'NO_LICENSE'],
    ]);
    expectTopLevel(await report('alice@harbor.example', { product: 'not a product' }), 'BAD_USER_INPUT');
  });

  it('IMP-5 pages with keyset cursors over the whole report (filters applied first)', async () => {
    const first = await report('alice@harbor.example', { first: 2 });
    expect(lines(first).map((e: any) => e.email)).toEqual(['carol@harbor.example', 'frank@freelance.example']);
    expect(first.data?.node.accessReport.pageInfo.hasNextPage).toBe(true);
    const next = await report('alice@harbor.example', {
      first: 2,
      after: first.data?.node.accessReport.pageInfo.endCursor,
    });
    expect(lines(next).map((e: any) => e.kind)).toEqual(['ADMITTED_BY_FILTER']);
    expect(next.data?.node.accessReport.pageInfo.hasNextPage).toBe(false);
  });

  it('IMP-5 each decision is explainAccess’s for that person (granted, reason, source, billed account, steps)', async () => {
    const people = lines(await report('alice@harbor.example')).filter((e: any) => e.kind === 'DATA_SOURCE_USER');
    expect(people).toHaveLength(2);
    for (const entry of people) {
      const user = (await world.gql(`query { viewer { id } }`, {}, entry.email)).data?.viewer;
      const explained = await world.gql(
        `query($input: ExplainAccessInput!) { explainAccess(input: $input) {
          granted denialReason licenseSource billedAccount { name } steps { rule outcome } } }`,
        { input: { dataSourceId: gid('DataSource', projects.id), machineName: 'WS-1', userId: user?.id } },
        'alice@harbor.example',
      );
      expect(entry.decision, entry.email).toEqual(explained.data?.explainAccess);
    }
  });

  it('IMP-5 who may: the data source’s admins; its licensing owner’s admins, members and strangers get FORBIDDEN', async () => {
    expect((await report('bob@harbor.example')).errors).toBeUndefined(); // CO_ADMINISTRATOR of the owner
    await world.licensingOwner(projects, cast.alice, cast.supplier);
    // Dave administers the licensing owner: he reads the data source, not who can get in.
    const licensingOwnerAdmin = await report('dave@northwind.example');
    expectTopLevel(licensingOwnerAdmin, 'FORBIDDEN');
    expect(licensingOwnerAdmin.data?.node.accessReport).toBeNull();
    // Carol (a member without a role) and Frank may not even read the data source: null, as a missing one.
    for (const who of ['carol@harbor.example', 'frank@freelance.example']) {
      expect((await report(who)).data?.node, who).toBeNull();
    }
    expectTopLevel(await world.gql(REPORT, { id: gid('DataSource', projects.id) }, null), 'UNAUTHENTICATED');
  });
});

describe('IMP-5 cost', () => {
  it('IMP-5 a page of 500 costs the statements of a page of 10', async () => {
    for (let i = 0; i < 520; i += 1) {
      const user = await world.user(`p${String(i).padStart(3, '0')}@harbor.example`);
      await world.member(cast.host, user);
      await world.dsUser(projects, cast.alice, `p${i}`, { identity: user.email });
    }
    const statementsOf = async (first: number) => {
      await report('alice@harbor.example', { first }); // tokens and statements prepared
      world.resetSqlCount();
      const result = await report('alice@harbor.example', { first });
      expect(lines(result)).toHaveLength(first);
      return world.sqlCount();
    };
    expect(await statementsOf(500)).toBe(await statementsOf(10));
  }, 60_000);
});
