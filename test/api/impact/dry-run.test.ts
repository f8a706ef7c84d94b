// Issue 14, IMP-1…IMP-3: `dryRun: true` on the mutations that change who gets in or who pays on a data
// source. For each: the dry run answers the normal payload, writes nothing (every table's checksum is
// unchanged), and its impact equals the difference observed when the same change is then made for
// real — decided by the service's own explainAccess for every (user, data source) of the world.
import { beforeEach, describe, expect, it } from 'vitest';
import { explainAccess } from '../../../src/access/use-cases/sign-in.js';
import type { DataSourceRow } from '../../../src/db/schema.js';
import { dataSources as dataSourcesTable, users as usersTable } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError } from '../../helpers/ops.js';
import { actingAs, createWorld, type GqlResult, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let projects: DataSourceRow;

const IMPACT = `impact {
  estimateDays
  access { kind email product dataSource { name } user { email }
    before { granted denialReason licenseSource billedAccount { name } steps { rule outcome detail } }
    after { granted denialReason licenseSource billedAccount { name } steps { rule outcome detail } } }
  billableUsers { account { name } product before after }
}`;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const INPUT_TYPES: Record<string, string> = {};

/** The mutation with `dryRun`, as a client writes it. */
async function run(
  name: string,
  input: Record<string, unknown>,
  as: string,
  selection: string,
  dryRun: boolean,
): Promise<{ payload: Record<string, any> | null; result: GqlResult }> {
  const query = `mutation Op($input: ${INPUT_TYPES[name] ?? `${capitalize(name)}Input`}!, $dryRun: Boolean) {
    ${name}(input: $input, dryRun: $dryRun) {
      __typename
      ... on Error { code message path }
      ... on ${capitalize(name)}Success { ${selection} ${dryRun ? IMPACT : ''} }
    }
  }`;
  const result = await world.gql(query, { input, dryRun }, as);
  return { payload: (result.data?.[name] as Record<string, any> | undefined) ?? null, result };
}

/** Every (user, data source) decision of the world, as the data source's admin alice asks explainAccess. */
async function decisions(): Promise<
  Map<
    string,
    { granted: boolean; licenseSource: string | null; billed: string | null; email: string; dataSource: string }
  >
> {
  const admins = {
    [cast.host.id]: await actingAs(world, cast.alice),
    [cast.supplier.id]: await actingAs(world, cast.dave),
  };
  const out = new Map();
  const everyone = await world.db.select().from(usersTable);
  for (const ds of await world.db.select().from(dataSourcesTable)) {
    // Each data source's decisions as one of its admins asks them.
    const ctx = admins[ds.ownerAccountId];
    if (!ctx) throw new Error(`no admin for ${ds.name}`);
    for (const user of everyone) {
      const { decision } = await explainAccess(ctx, {
        dataSourceId: ds.id,
        machineName: 'WS-without-reservation',
        product: 'PW_EXPLORER',
        userId: user.id,
        subjectReadable: true,
      });
      out.set(`${ds.name}|${user.email}`, {
        granted: decision.granted,
        licenseSource: decision.licenseSource,
        billed: decision.billedAccount?.name ?? null,
        email: user.email,
        dataSource: ds.name,
      });
    }
  }
  return out;
}

/** IMP-2 as observed: who gains or loses entry, or changes license source or billed account. */
function observedChanges(before: Awaited<ReturnType<typeof decisions>>, after: Awaited<ReturnType<typeof decisions>>) {
  const rows: { kind: string; email: string; dataSource: string; from: string | null; to: string | null }[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    if (!now) continue;
    const kind =
      !was.granted && now.granted
        ? 'GAINS_ENTRY'
        : was.granted && !now.granted
          ? 'LOSES_ENTRY'
          : was.granted && (was.licenseSource !== now.licenseSource || was.billed !== now.billed)
            ? 'BILLING_CHANGES'
            : null;
    if (kind) {
      rows.push({
        kind,
        email: was.email,
        dataSource: was.dataSource,
        from: was.granted ? `${was.licenseSource}:${was.billed}` : null,
        to: now.granted ? `${now.licenseSource}:${now.billed}` : null,
      });
    }
  }
  return rows.sort((a, b) => `${a.dataSource}|${a.email}`.localeCompare(`${b.dataSource}|${b.email}`));
}

const reported = (impact: any) =>
  (impact.access as any[])
    .filter((c) => c.product === 'PW_EXPLORER')
    .map((c) => ({
      kind: c.kind,
      email: c.email,
      dataSource: c.dataSource?.name ?? null,
      from: c.before.granted ? `${c.before.licenseSource}:${c.before.billedAccount?.name}` : null,
      to: c.after.granted ? `${c.after.licenseSource}:${c.after.billedAccount?.name}` : null,
    }))
    .sort((a, b) => `${a.dataSource}|${a.email}`.localeCompare(`${b.dataSource}|${b.email}`));

/**
 * IMP-1: the dry run answers like the real run and writes nothing; then the real run, and the impact
 * must equal what changed. Returns the dry run's payload (impact included).
 */
async function dryRunThenApply(
  name: string,
  input: Record<string, unknown>,
  as: string,
  selection = '__typename',
  /** What the caller may not read of the observed rows: a data source they do not administer shows as null. */
  unreadableDataSources: string[] = [],
  /** People the caller may not know: their rows show no email. */
  unnamed: string[] = [],
) {
  const before = await decisions();
  const checksum = await world.checksum();
  const dry = await run(name, input, as, selection, true);
  const dryPayload = expectSuccess(dry.payload, dry.result);
  expect(await world.checksum(), 'a dry run writes nothing').toBe(checksum);
  const real = await run(name, input, as, selection, false);
  const realPayload = expectSuccess(real.payload, real.result);
  expect(realPayload.__typename).toBe(dryPayload.__typename);
  const after = await decisions();
  const observed = observedChanges(before, after).map((row) => ({
    ...row,
    dataSource: unreadableDataSources.includes(row.dataSource) ? null : row.dataSource,
    email: unnamed.includes(row.email) ? null : row.email,
  }));
  expect(reported(dryPayload.impact)).toEqual(observed);
  return { dry: dryPayload, real: realPayload };
}

/** DS-2: Harbor Projects lets external IMS users in (and, with SUPPLY, pays for them), for real. */
async function openToExternalUsers(externalLicensing: 'SUPPLY' | 'DENY' = 'DENY') {
  const done = await run(
    'updateDataSourceSettings',
    {
      dataSourceId: gid('DataSource', projects.id),
      externalAccess: { allowExternalImsUsers: true, externalLicensing },
    },
    'alice@harbor.example',
    '__typename',
    false,
  );
  expectSuccess(done.payload, done.result);
}

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  // Harbor pays PW_EXPLORER in the US and France; Northwind in Germany.
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  projects = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', { imsAuthEnabled: true });
  await world.dsUser(projects, cast.alice, 'carol', { identity: 'carol@harbor.example' });
  await world.dsUser(projects, cast.alice, 'erin', { identity: 'erin@northwind.example' });
  await world.dsUser(projects, cast.alice, 'frank', { identity: 'frank@freelance.example' });
  await world.licensingOwner(projects, cast.alice, cast.host);
});

describe('IMP-1 dry run: the same use case, rolled back', () => {
  it('IMP-1 updateDataSourceSettings: external IMS users allowed — erin (Northwind, entitled in DE) gains entry, billed to Northwind', async () => {
    const { dry, real } = await dryRunThenApply(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), externalAccess: { allowExternalImsUsers: true } },
      'alice@harbor.example',
      'dataSource { externalAccess { allowExternalImsUsers } }',
    );
    // The payload shows the change as made, though nothing was written.
    expect(dry.dataSource).toEqual(real.dataSource);
    expect(dry.dataSource.externalAccess.allowExternalImsUsers).toBe(true);
    expect(dry.impact.access).toEqual([
      expect.objectContaining({
        kind: 'GAINS_ENTRY',
        email: 'erin@northwind.example',
        dataSource: { name: 'Harbor Projects' },
        user: { email: 'erin@northwind.example' },
        before: expect.objectContaining({ granted: false, denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED' }),
        after: expect.objectContaining({
          granted: true,
          licenseSource: 'OWN_ORGANIZATION',
          billedAccount: { name: 'Northwind Surveying' },
        }),
      }),
    ]);
    // The steps are explainAccess's: ACC-3 failed before, passed after.
    const acc3 = (side: any) => side.steps.find((s: any) => s.rule === 'ACC-3');
    expect(acc3(dry.impact.access[0].before).outcome).toBe('FAILED');
    expect(acc3(dry.impact.access[0].after).outcome).toBe('PASSED');
    expect(dry.impact.estimateDays).toBe(90);
  });

  it('IMP-1 updateDataSourceSettings: SUPPLY — external users’ bills move to the licensing owner (frank gains entry on it)', async () => {
    await openToExternalUsers();
    const { dry } = await dryRunThenApply(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), externalAccess: { externalLicensing: 'SUPPLY' } },
      'alice@harbor.example',
    );
    expect(dry.impact.access.map((c: any) => [c.kind, c.email])).toEqual([
      ['BILLING_CHANGES', 'erin@northwind.example'],
      ['GAINS_ENTRY', 'frank@freelance.example'],
    ]);
  });

  /** Northwind's own data source, open to external IMS users, where frank has a data-source user. */
  async function northwindField() {
    const field = await world.dataSource(cast.supplier, cast.dave, 'Northwind Field', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true },
    });
    await world.dsUser(field, cast.dave, 'frank', { identity: 'frank@freelance.example' });
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
    return field;
  }

  it('IMP-1 associateExternalUser: the association also brings Harbor’s licensing to frank’s sign-ins elsewhere (ID-5) — shown before it happens', async () => {
    await northwindField();
    const { dry } = await dryRunThenApply(
      'associateExternalUser',
      { accountId: gid('Account', cast.host.id), email: 'frank@freelance.example' },
      'alice@harbor.example',
      'grantsLicensing',
      ['Northwind Field'],
    );
    expect(dry.grantsLicensing).toBe(true);
    // On Harbor Projects (DENY) the association lets frank past ACC-3 but pays nothing: no change of
    // entry. On Northwind's data source — which Alice may not read — Harbor would start paying for him.
    expect(dry.impact.access).toEqual([
      expect.objectContaining({
        kind: 'GAINS_ENTRY',
        email: 'frank@freelance.example',
        dataSource: null,
        before: expect.objectContaining({ denialReason: 'NO_LICENSE' }),
        after: expect.objectContaining({
          licenseSource: 'ASSOCIATED_ACCOUNT',
          billedAccount: { name: 'Harbor Engineering' },
        }),
      }),
    ]);
  });

  it('IMP-1 removeExternalAssociation: entry and the association’s licensing go', async () => {
    await northwindField();
    const associationId = await world.associate(cast.host, cast.frank, cast.alice);
    const { dry } = await dryRunThenApply(
      'removeExternalAssociation',
      { associationId: gid('Association', associationId) },
      'alice@harbor.example',
      '__typename',
      ['Northwind Field'],
    );
    expect(dry.impact.access.map((c: any) => [c.kind, c.email])).toEqual([['LOSES_ENTRY', 'frank@freelance.example']]);
  });

  it('IMP-1 addEntitlement and removeEntitlement: members gain or lose their own organization’s license', async () => {
    await openToExternalUsers();
    const added = await dryRunThenApply(
      'addEntitlement',
      {
        accountId: gid('Account', cast.supplier.id),
        productCode: 'PW_EXPLORER',
        country: 'US',
        contractEndDate: '2027-06-30',
      },
      'dave@northwind.example',
      'entitlement { id }',
    );
    // Nobody at Northwind uses the US: nothing changes, and the dry run says so.
    expect(added.dry.impact.access).toEqual([]);
    const removed = await dryRunThenApply(
      'removeEntitlement',
      { entitlementId: added.real.entitlement.id },
      'dave@northwind.example',
    );
    expect(removed.dry.impact.access).toEqual([]);
    const de = (await world.db.select().from((await import('../../../src/db/schema.js')).entitlements)).find(
      (e) => e.accountId === cast.supplier.id && e.country === 'DE',
    );
    const lost = await dryRunThenApply(
      'removeEntitlement',
      { entitlementId: gid('Entitlement', de?.id as string) },
      'dave@northwind.example',
      '__typename',
      ['Harbor Projects'],
    );
    // Dave (Northwind's admin) may not read Harbor's data source, but the row moves his account's bill.
    expect(lost.dry.impact.access).toEqual([
      expect.objectContaining({ kind: 'LOSES_ENTRY', email: 'erin@northwind.example', dataSource: null }),
    ]);
  });

  it('IMP-1 removeAccountMember: carol leaves Harbor — now external, she loses entry', async () => {
    const { dry } = await dryRunThenApply(
      'removeAccountMember',
      { accountId: gid('Account', cast.host.id), userId: gid('User', cast.carol.id) },
      'alice@harbor.example',
    );
    expect(dry.impact.access.map((c: any) => [c.kind, c.email, c.before.licenseSource])).toEqual([
      ['LOSES_ENTRY', 'carol@harbor.example', 'OWN_ORGANIZATION'],
    ]);
  });

  it('IMP-1 updateDataSourceUser: OWNER_PROVIDES moves carol’s bill to the licensing owner; deleteDataSourceUser takes her entry', async () => {
    const carolUser = (await world.db.select().from((await import('../../../src/db/schema.js')).dataSourceUsers)).find(
      (u) => u.login === 'carol',
    );
    await world.licensingOwner(projects, cast.alice, cast.supplier);
    const changed = await dryRunThenApply(
      'updateDataSourceUser',
      { userId: gid('DataSourceUser', carolUser?.id as string), clientLicensing: 'OWNER_PROVIDES' },
      'alice@harbor.example',
    );
    expect(
      changed.dry.impact.access.map((c: any) => [c.kind, c.after.licenseSource, c.after.billedAccount?.name]),
    ).toEqual([['BILLING_CHANGES', 'DATASOURCE_OWNER', 'Northwind Surveying']]);
    const deleted = await dryRunThenApply(
      'deleteDataSourceUser',
      { userId: gid('DataSourceUser', carolUser?.id as string) },
      'alice@harbor.example',
    );
    expect(deleted.dry.impact.access.map((c: any) => [c.kind, c.email])).toEqual([
      ['LOSES_ENTRY', 'carol@harbor.example'],
    ]);
  });

  it('IMP-1 createDataSourceUser: a new data-source user with dave’s identity lets him in (once external access is allowed)', async () => {
    await openToExternalUsers();
    const { dry } = await dryRunThenApply(
      'createDataSourceUser',
      { dataSourceId: gid('DataSource', projects.id), login: 'dave', identity: 'dave@northwind.example' },
      'alice@harbor.example',
      'user { login }',
    );
    expect(dry.user).toEqual({ login: 'dave' });
    expect(dry.impact.access.map((c: any) => [c.kind, c.email])).toEqual([['GAINS_ENTRY', 'dave@northwind.example']]);
  });

  it('IMP-1 setLicensingOwner to none under SUPPLY: supplied external users lose entry (LICENSING_OWNER_NOT_SET)', async () => {
    await openToExternalUsers('SUPPLY');
    const { dry } = await dryRunThenApply(
      'setLicensingOwner',
      { dataSourceId: gid('DataSource', projects.id), accountId: null },
      'alice@harbor.example',
    );
    expect(dry.impact.access.map((c: any) => [c.kind, c.email, c.after.denialReason])).toEqual([
      ['LOSES_ENTRY', 'erin@northwind.example', 'LICENSING_OWNER_NOT_SET'],
      ['LOSES_ENTRY', 'frank@freelance.example', 'LICENSING_OWNER_NOT_SET'],
    ]);
  });

  it('IMP-1 requestLicensingOwner changes nothing until accepted; respondToLicensingOwnerRequest (accept) moves the bills', async () => {
    await openToExternalUsers('SUPPLY');
    const requested = await dryRunThenApply(
      'requestLicensingOwner',
      { dataSourceId: gid('DataSource', projects.id), accountId: gid('Account', cast.supplier.id) },
      'alice@harbor.example',
      'request { id }',
    );
    expect(requested.dry.impact.access).toEqual([]);
    const accepted = await dryRunThenApply(
      'respondToLicensingOwnerRequest',
      { requestId: requested.real.request.id, answer: 'ACCEPT' },
      'dave@northwind.example',
      '__typename',
      [],
      ['frank@freelance.example'],
    );
    // Dave administers Northwind, the new payer: the rows that move bills to it are his to see. LIC-3: the
    // licensing owner reads the data source, never its users — frank, whom Dave may not read, is not
    // named (his own member erin is), nor their logins.
    expect(accepted.dry.impact.access.map((c: any) => [c.kind, c.email, c.after.billedAccount?.name])).toEqual([
      ['BILLING_CHANGES', 'erin@northwind.example', 'Northwind Surveying'],
      ['BILLING_CHANGES', null, 'Northwind Surveying'],
    ]);
    const text = JSON.stringify(accepted.dry.impact.access);
    expect(text).not.toContain('frank');
    expect(text).toContain('(hidden)');
  });
});

describe('IMP-1 what a dry run refuses, and who may', () => {
  it('IMP-1 a rule that says no answers its typed error, exactly as without dryRun, and writes nothing', async () => {
    const checksum = await world.checksum();
    const dry = await run(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), dynamicCreationFilter: 'Organization = "Nobody"' },
      'alice@harbor.example',
      '__typename',
      true,
    );
    const real = await run(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), dynamicCreationFilter: 'Organization = "Nobody"' },
      'alice@harbor.example',
      '__typename',
      false,
    );
    expect(expectUserError(dry.payload, 'INVALID_IDENTITY_FILTER')).toEqual(real.payload);
    expect(await world.checksum()).toBe(checksum);
  });

  it('IMP-1 who may: a dry run is authorized like the change — carol (no IMS role) gets the same answer, nothing is written', async () => {
    const checksum = await world.checksum();
    const input = { dataSourceId: gid('DataSource', projects.id), imsAuthEnabled: false };
    const dry = await run('updateDataSourceSettings', input, 'carol@harbor.example', '__typename', true);
    const real = await run('updateDataSourceSettings', input, 'carol@harbor.example', '__typename', false);
    expect(dry.result).toEqual(real.result);
    expect(await world.checksum()).toBe(checksum);
    const anonymous = await world.gql(
      `mutation($input: UpdateDataSourceSettingsInput!) { updateDataSourceSettings(input: $input, dryRun: true) { __typename } }`,
      { input },
      null,
    );
    expectTopLevel(anonymous, 'UNAUTHENTICATED');
  });

  const SETTINGS = 'updateDataSourceSettings(input: $input';
  it.each([
    [
      'first',
      `mutation($input: UpdateDataSourceSettingsInput!) { a: ${SETTINGS}, dryRun: true) { __typename } b: ${SETTINGS}) { __typename } }`,
    ],
    [
      'last, through a variable',
      `mutation($input: UpdateDataSourceSettingsInput!, $dry: Boolean) { a: ${SETTINGS}) { __typename } b: ${SETTINGS}, dryRun: $dry) { __typename } }`,
    ],
    [
      'inside a fragment',
      `mutation($input: UpdateDataSourceSettingsInput!) { ...F b: ${SETTINGS}) { __typename } }
      fragment F on Mutation { a: ${SETTINGS}, dryRun: true) { __typename } }`,
    ],
    [
      'through a variable’s default, in a fragment, after a real field',
      `mutation($input: UpdateDataSourceSettingsInput!, $d: Boolean = true) { b: ${SETTINGS}) { __typename } ...F }
      fragment F on Mutation { a: ${SETTINGS}, dryRun: $d) { __typename } }`,
    ],
    [
      'alone in a fragment beside a real field in another fragment',
      `mutation($input: UpdateDataSourceSettingsInput!) { ...F ...G }
      fragment F on Mutation { a: ${SETTINGS}, dryRun: true) { __typename } }
      fragment G on Mutation { b: ${SETTINGS}) { __typename } }`,
    ],
  ])(
    'IMP-1 a dry run must be the only field of its operation (dry run %s): BAD_USER_INPUT, nothing written',
    async (_where, document) => {
      const checksum = await world.checksum();
      const both = await world.gql(
        document,
        {
          input: { dataSourceId: gid('DataSource', projects.id), imsAuthEnabled: false },
          ...(document.includes('$dry') ? { dry: true } : {}),
        },
        'alice@harbor.example',
      );
      expect(both.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(both.data ?? null).toBeNull();
      // Refused before anything runs: not even the field without dryRun was written.
      expect(await world.checksum()).toBe(checksum);
    },
  );

  it('IMP-1 without dryRun the payload has no impact (null), and the change is written', async () => {
    const checksum = await world.checksum();
    const real = await world.gql(
      `mutation($input: UpdateDataSourceSettingsInput!) { updateDataSourceSettings(input: $input) {
        ... on UpdateDataSourceSettingsSuccess { impact { estimateDays } } } }`,
      { input: { dataSourceId: gid('DataSource', projects.id), imsAuthEnabled: false } },
      'alice@harbor.example',
    );
    expect(real.data?.updateDataSourceSettings).toEqual({ impact: null });
    expect(await world.checksum()).not.toBe(checksum);
  });

  it('IMP-1 a write after a dry run is not blocked: the transaction is rolled back when the operation ends', async () => {
    await run(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), imsAuthEnabled: false },
      'alice@harbor.example',
      '__typename',
      true,
    );
    const started = Date.now();
    const real = await run(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), imsAuthEnabled: false },
      'alice@harbor.example',
      'dataSource { imsAuthEnabled }',
      false,
    );
    expect(expectSuccess(real.payload, real.result).dataSource.imsAuthEnabled).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000); // not held until DRY_RUN_HOLD_MS
  });
});

describe('IMP-2 §9: a row says who only to those who may know', () => {
  it('IMP-2 a filter admitting another account: its members are counted in rows, not named (no email, no user, steps say "this person")', async () => {
    await world.member(cast.supplier, await world.user('gina@northwind.example', 'DE'));
    const dry = await run(
      'updateDataSourceSettings',
      {
        dataSourceId: gid('DataSource', projects.id),
        dynamicCreationFilter: 'Organization = "Northwind Surveying"',
        externalAccess: { allowExternalImsUsers: true },
      },
      'alice@harbor.example',
      '__typename',
      true,
    );
    const rows = expectSuccess(dry.payload, dry.result).impact.access;
    // Dave, Erin (who has a data-source user here: Alice reads her) and Gina gain entry, by email.
    expect(rows.map((c: any) => [c.kind, c.email, c.user])).toEqual([
      ['GAINS_ENTRY', null, null],
      ['GAINS_ENTRY', 'erin@northwind.example', { email: 'erin@northwind.example' }],
      ['GAINS_ENTRY', null, null],
    ]);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('dave@');
    expect(text).not.toContain('gina@');
    expect(text).toContain('this person');
  });

  it('IMP-2 a data-source user’s login is for the data source’s administrators: a billed account’s admin sees "(hidden)"', async () => {
    await openToExternalUsers();
    const de = (await world.db.select().from((await import('../../../src/db/schema.js')).entitlements)).find(
      (e) => e.accountId === cast.supplier.id && e.country === 'DE',
    );
    const dry = await run(
      'removeEntitlement',
      { entitlementId: gid('Entitlement', de?.id as string) },
      'dave@northwind.example',
      '__typename',
      true,
    );
    const text = JSON.stringify(expectSuccess(dry.payload, dry.result).impact.access);
    expect(text).toContain('(hidden)');
    expect(text).not.toContain('"erin"');
  });
});

describe('IMP-3 billable users, estimated over the last 90 days of recorded usage', () => {
  it('IMP-3 SUPPLY moves erin’s recorded use from Northwind’s bill to Harbor’s: before → after per account', async () => {
    await openToExternalUsers();
    const signIn = (as: string) =>
      world.gql(
        `mutation($input: SignInToDataSourceInput!) { signInToDataSource(input: $input) {
          ... on SignInToDataSourceSuccess { decision { granted billedAccount { name } } } } }`,
        { input: { dataSourceId: gid('DataSource', projects.id), machineName: 'WS-1' } },
        as,
      );
    const start = world.now;
    // One use 100 days ago (outside the window), then erin and carol within it.
    world.setNow(new Date(start.getTime() - 100 * 86_400_000));
    await signIn('erin@northwind.example');
    world.setNow(new Date(start.getTime() - 10 * 86_400_000));
    expect((await signIn('erin@northwind.example')).data?.signInToDataSource.decision.billedAccount).toEqual({
      name: 'Northwind Surveying',
    });
    await signIn('carol@harbor.example');
    world.setNow(start);
    // Alice sees Harbor's bill only; Dave (Northwind) runs nothing here.
    const { dry } = await dryRunThenApply(
      'updateDataSourceSettings',
      { dataSourceId: gid('DataSource', projects.id), externalAccess: { externalLicensing: 'SUPPLY' } },
      'alice@harbor.example',
    );
    expect(dry.impact.billableUsers).toEqual([
      { account: { name: 'Harbor Engineering' }, product: 'PW_EXPLORER', before: 1, after: 2 },
    ]);
  });
});
