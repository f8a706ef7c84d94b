// Issue 14, IMP-2 for projects and IMP-3 with project openings: `setProvidedLicenses` (EXT-4) with
// `dryRun: true` shows whose opening of the project (EXT-5) it would grant or move to the project's
// account, and the billable users that follow — before it is made. Team changes show who could no longer
// open it. Each impact equals what explainProjectAccess answers after the real change.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectSuccess } from '../../helpers/ops.js';
import { createWorld, type GqlResult, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const IMPACT = `impact {
  projectAccess { kind email product project { number }
    before { granted denialReason licenseSource billedAccount { name } steps { rule outcome } }
    after { granted denialReason licenseSource billedAccount { name } steps { rule outcome } } }
  billableUsers { account { name } product before after }
}`;

async function run(name: string, input: Record<string, unknown>, dryRun: boolean, as = 'alice@harbor.example') {
  const Name = name.charAt(0).toUpperCase() + name.slice(1);
  const result: GqlResult = await world.gql(
    `mutation($input: ${Name}Input!, $dryRun: Boolean) { ${name}(input: $input, dryRun: $dryRun) {
      __typename ... on Error { code message } ... on ${Name}Success { ${dryRun ? IMPACT : '__typename'} } } }`,
    { input, dryRun },
    as,
  );
  return expectSuccess((result.data?.[name] as Record<string, any> | undefined) ?? null, result);
}

/** EXT-5 as explainProjectAccess answers it for each team member (asked by alice, a Project Owner). */
async function openings(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const member of [cast.erin, cast.frank, cast.carol]) {
    const r = await world.gql(
      `query($input: ExplainProjectAccessInput!) { explainProjectAccess(input: $input) { granted licenseSource billedAccount { name } } }`,
      { input: { projectId: gid('Project', project.id), product: 'PW_EXPLORER', userId: gid('User', member.id) } },
      'alice@harbor.example',
    );
    const d = r.data?.explainProjectAccess;
    // Null once alice may no longer read them (off her team, another account's member): they cannot open it.
    out.set(member.email, d?.granted ? `${d.licenseSource}:${d.billedAccount.name}` : 'denied');
  }
  return out;
}

function observed(before: Map<string, string>, after: Map<string, string>) {
  return [...before]
    .filter(([email, was]) => after.get(email) !== was)
    .map(([email, was]) => ({ email, from: was, to: after.get(email) }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

const reported = (impact: any) =>
  (impact.projectAccess as any[])
    .filter((c) => c.product === 'PW_EXPLORER')
    .map((c) => ({
      email: c.email,
      from: c.before.granted ? `${c.before.licenseSource}:${c.before.billedAccount.name}` : 'denied',
      to: c.after.granted ? `${c.after.licenseSource}:${c.after.billedAccount.name}` : 'denied',
    }))
    .sort((a, b) => a.email.localeCompare(b.email));

async function dryRunThenApply(name: string, input: Record<string, unknown>) {
  const before = await openings();
  const checksum = await world.checksum();
  const dry = await run(name, input, true);
  expect(await world.checksum(), 'a dry run writes nothing').toBe(checksum);
  await run(name, input, false);
  expect(reported(dry.impact)).toEqual(observed(before, await openings()));
  return dry.impact;
}

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  // Harbor pays PW_EXPLORER in Germany and France; Northwind in Germany.
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  project = await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice);
  for (const member of [cast.erin, cast.frank, cast.carol])
    await world.teamMember(project, cast.alice, member, 'TEAM_MEMBER');
});

describe('IMP-2 opening a project, before and after', () => {
  it('IMP-2 setProvidedLicenses: Northwind’s erin moves to Harbor’s bill (PROJECT_PROVIDED); unaffiliated frank gains the opening', async () => {
    const impact = await dryRunThenApply('setProvidedLicenses', {
      projectId: gid('Project', project.id),
      accountIds: [gid('Account', cast.supplier.id)],
      unaffiliated: true,
    });
    expect(impact.projectAccess.map((c: any) => [c.kind, c.email, c.after.licenseSource])).toEqual([
      ['BILLING_CHANGES', 'erin@northwind.example', 'PROJECT_PROVIDED'],
      ['GAINS_ENTRY', 'frank@freelance.example', 'PROJECT_PROVIDED'],
    ]);
    const ext4 = (side: any) => side.steps.find((s: any) => s.rule === 'EXT-4');
    expect(ext4(impact.projectAccess[0].before).outcome).toBe('SKIPPED');
    expect(ext4(impact.projectAccess[0].after).outcome).toBe('APPLIED');
  });

  it('IMP-2 removeTeamMember: the member can no longer open the project (NOT_A_TEAM_MEMBER)', async () => {
    const impact = await dryRunThenApply('removeTeamMember', {
      projectId: gid('Project', project.id),
      userId: gid('User', cast.erin.id),
    });
    expect(impact.projectAccess.map((c: any) => [c.kind, c.email, c.after.denialReason])).toEqual([
      ['LOSES_ENTRY', 'erin@northwind.example', 'NOT_A_TEAM_MEMBER'],
    ]);
  });
});

describe('IMP-3 billable users with project openings', () => {
  it('IMP-3 erin’s recorded opening moves from Northwind’s bill to Harbor’s when the project provides her licenses', async () => {
    const start = world.now;
    world.setNow(new Date(start.getTime() - 5 * 86_400_000));
    const opened = await world.gql(
      `mutation($input: OpenProjectInput!) { openProject(input: $input) {
        ... on OpenProjectSuccess { decision { granted billedAccount { name } } } } }`,
      { input: { projectId: gid('Project', project.id), product: 'PW_EXPLORER' } },
      'erin@northwind.example',
    );
    expect(opened.data?.openProject.decision).toEqual({
      granted: true,
      billedAccount: { name: 'Northwind Surveying' },
    });
    world.setNow(start);
    const impact = await dryRunThenApply('setProvidedLicenses', {
      projectId: gid('Project', project.id),
      accountIds: [gid('Account', cast.supplier.id)],
      unaffiliated: false,
    });
    // Alice administers Harbor only: Northwind's side of the move is not hers to see.
    expect(impact.billableUsers).toEqual([
      { account: { name: 'Harbor Engineering' }, product: 'PW_EXPLORER', before: 0, after: 1 },
    ]);
  });
});

describe('IMP-2 decideProjectAccessMany answers as explainProjectAccess does', () => {
  it('IMP-2 every provided-licenses setting, team membership, product and person: the same decision and steps', async () => {
    const { decideProjectAccessMany, explainProjectAccess } = await import('../../../src/organizations/service.js');
    const { actingAs } = await import('../../helpers/world.js');
    const dan = await world.user('dan@free.example', 'DE');
    const settings = [
      { accountIds: [], unaffiliated: false },
      { accountIds: [cast.supplier.id], unaffiliated: false },
      { accountIds: [cast.supplier.id], unaffiliated: true },
      { accountIds: [], unaffiliated: true },
    ];
    await world.associate(cast.host, cast.frank, cast.alice);
    for (const setting of settings) {
      await run(
        'setProvidedLicenses',
        {
          projectId: gid('Project', project.id),
          accountIds: setting.accountIds.map((id) => gid('Account', id)),
          unaffiliated: setting.unaffiliated,
        },
        false,
      );
      const people = [cast.erin, cast.frank, cast.carol, cast.dave, dan];
      const questions = people.flatMap((p) =>
        ['PW_EXPLORER', 'MICROSTATION'].map((product) => ({ userId: p.id, product })),
      );
      const many = await decideProjectAccessMany(world.db, project, questions, world.now);
      const ctx = await actingAs(world, cast.alice);
      for (const [i, q] of questions.entries()) {
        const one = await explainProjectAccess(ctx, { projectId: project.id, ...q, subjectReadable: true });
        expect(many[i]?.decision, JSON.stringify({ setting, q })).toEqual(one.decision);
      }
    }
  });
});
