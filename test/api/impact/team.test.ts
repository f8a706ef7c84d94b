// Issue 14, IMP-4: `dryRun: true` on the mutations that change a project's team — work-area
// participants, group and list membership, association, both synchronizations, the connector, team
// members and roles. The dry run writes nothing, and its team rows equal what the team shows after the
// same change is made for real (read through project.teamMembers, as a Project Owner reads it).
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess } from '../../helpers/ops.js';
import {
  type DmTeamMember,
  type DmWorld,
  dmTeam,
  dmWorld,
  type GqlResult,
  gid,
  roleKeys,
} from '../../helpers/world.js';

let dm: DmWorld;
const ALICE = 'alice@harbor.example';

const SHARED_INPUTS: Record<string, string> = {
  assignProjectRoles: 'ProjectRoles',
  unassignProjectRoles: 'ProjectRoles',
};
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SIDE = 'teamMember source roles { builtIn name } dmPermissions steps { rule outcome detail }';
const IMPACT = `impact { team { kind email project { number } before { ${SIDE} } after { ${SIDE} } } access { kind email } }`;

async function run(name: string, input: Record<string, unknown>, as: string, dryRun: boolean) {
  const query = `mutation Op($input: ${SHARED_INPUTS[name] ?? capitalize(name)}Input!, $dryRun: Boolean) {
    ${name}(input: $input, dryRun: $dryRun) {
      __typename
      ... on Error { code message path }
      ... on ${capitalize(name)}Success { ${dryRun ? IMPACT : '__typename'} }
    }
  }`;
  const result: GqlResult = await dm.world.gql(query, { input, dryRun }, as);
  return { payload: (result.data?.[name] as Record<string, any> | undefined) ?? null, result };
}

/** IMP-4 as observed in the team: who joined, who left, whose roles changed (built-in keys, custom names). */
function observed(before: Map<string, DmTeamMember>, after: Map<string, DmTeamMember>) {
  const rows: { kind: string; email: string; before: string[] | null; after: string[] | null }[] = [];
  for (const email of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(email);
    const a = after.get(email);
    const kind =
      !b && a
        ? 'JOINS_TEAM'
        : b && !a
          ? 'LEAVES_TEAM'
          : roleKeys(b).join() !== roleKeys(a).join()
            ? 'ROLES_CHANGE'
            : null;
    if (kind) rows.push({ kind, email, before: b ? roleKeys(b) : null, after: a ? roleKeys(a) : null });
  }
  return rows.sort((x, y) => x.email.localeCompare(y.email));
}

const keysOf = (side: any) =>
  (side.roles as { builtIn: string | null; name: string }[]).map((r) => r.builtIn ?? `custom:${r.name}`).sort();

function reported(impact: any) {
  return (impact.team as any[])
    .filter((c) => c.project?.number === dm.project.number)
    .map((c) => ({
      kind: c.kind,
      email: c.email,
      before: c.before.teamMember ? keysOf(c.before) : null,
      after: c.after.teamMember ? keysOf(c.after) : null,
    }))
    .sort((x, y) => x.email.localeCompare(y.email));
}

/** IMP-1 + IMP-4: the dry run writes nothing; its team rows equal the change then made for real. */
async function dryRunThenApply(name: string, input: Record<string, unknown>, as = ALICE) {
  const teamBefore = await dmTeam(dm);
  const checksum = await dm.world.checksum();
  const dry = await run(name, input, as, true);
  const dryPayload = expectSuccess(dry.payload, dry.result);
  expect(await dm.world.checksum(), 'a dry run writes nothing').toBe(checksum);
  const real = await run(name, input, as, false);
  expectSuccess(real.payload, real.result);
  expect(reported(dryPayload.impact)).toEqual(observed(teamBefore, await dmTeam(dm)));
  return dryPayload.impact;
}

let carolId: string;

beforeEach(async () => {
  dm = await dmWorld();
  await dm.world.user('dan@harbor.example');
  carolId = (await dm.dsUser('carol', 'carol@harbor.example')).id;
  await dm.dsUser('bob', 'bob@harbor.example');
  await dm.dsUser('dave', 'dave@northwind.example');
  await dm.participant(dm.userRef({ id: carolId }), 'TEAM_MEMBER');
});

describe('IMP-4 team changes, shown before they are made', () => {
  it('IMP-4 associateWorkArea: the named users join with their DM-3 roles, each row with the connector’s steps', async () => {
    const impact = await dryRunThenApply('associateWorkArea', {
      projectId: dm.pid(),
      workAreaId: gid('WorkArea', dm.area.id),
    });
    const carol = impact.team.find((c: any) => c.email === 'carol@harbor.example');
    expect(carol).toMatchObject({
      kind: 'JOINS_TEAM',
      project: { number: 'P-DM' },
      before: { teamMember: false, source: null, roles: [], dmPermissions: [] },
      after: {
        teamMember: true,
        source: 'WORK_AREA',
        roles: [{ builtIn: 'TEAM_MEMBER' }],
        dmPermissions: ['VIEW_PACKAGE'],
      },
    });
    expect([...new Set(carol.after.steps.map((s: any) => s.rule))]).toEqual(['WA-1', 'DM-1', 'DM-4', 'DM-3', 'DM-10']);
    // Before, the project has no connector: only membership explains her side.
    expect(carol.before.steps).toEqual([{ rule: 'PRJ-7', outcome: 'FAILED', detail: 'Not a member of the team.' }]);
    // Nobody's entry to the data source changes by associating a work area.
    expect(impact.access).toEqual([]);
  });

  it('IMP-4 an empty work area adds nobody — the seeds’ advice, checked before it is taken', async () => {
    await dm.removeParticipant(dm.userRef({ id: carolId }));
    const impact = await dryRunThenApply('associateWorkArea', {
      projectId: dm.pid(),
      workAreaId: gid('WorkArea', dm.area.id),
    });
    expect(impact.team).toEqual([]);
  });

  describe('once associated', () => {
    beforeEach(async () => {
      await dm.associate();
    });

    it('IMP-4 setWorkAreaParticipant changes nothing in the team until a synchronization; synchronizeDeliverables then adds', async () => {
      const bobUser = (await dmListingUsers()).bob as string;
      const added = await dryRunThenApply('setWorkAreaParticipant', {
        workAreaId: gid('WorkArea', dm.area.id),
        principalId: gid('DataSourceUser', bobUser),
        role: 'LEADER',
      });
      expect(added.team).toEqual([]);
      const synced = await dryRunThenApply('synchronizeDeliverables', { projectId: dm.pid() });
      expect(synced.team.map((c: any) => [c.kind, c.email, keysOf(c.after)])).toEqual([
        ['JOINS_TEAM', 'bob@harbor.example', ['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']],
      ]);
    });

    it('IMP-4 assignProjectRoles and unassignProjectRoles: ROLES_CHANGE with the DM permissions they bring', async () => {
      const carolProfile = dm.cast.carol.id;
      const assigned = await dryRunThenApply('assignProjectRoles', {
        projectId: dm.pid(),
        userId: gid('User', carolProfile),
        roleIds: [dm.roleId('PWDM_RECEIVER')],
      });
      expect(assigned.team).toEqual([
        expect.objectContaining({
          kind: 'ROLES_CHANGE',
          email: 'carol@harbor.example',
          before: expect.objectContaining({ dmPermissions: ['VIEW_PACKAGE'] }),
          after: expect.objectContaining({ dmPermissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }),
        }),
      ]);
      const unassigned = await dryRunThenApply('unassignProjectRoles', {
        projectId: dm.pid(),
        userId: gid('User', carolProfile),
        roleIds: [dm.roleId('PWDM_RECEIVER')],
      });
      expect(unassigned.team.map((c: any) => c.kind)).toEqual(['ROLES_CHANGE']);
    });

    it('IMP-4 §9 a team manager without MANAGE_SETTINGS sees membership, not the connector’s explanation', async () => {
      const { users } = await import('../../../src/db/schema.js');
      const { eq } = await import('drizzle-orm');
      const [dan] = await dm.world.db.select().from(users).where(eq(users.email, 'dan@harbor.example'));
      await dm.world.teamMember(dm.project, dm.cast.alice, dan as NonNullable<typeof dan>, 'PWDM_ISSUER');
      const dry = await run(
        'assignProjectRoles',
        { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id), roleIds: [dm.roleId('PWDM_ISSUER')] },
        'dan@harbor.example',
        true,
      );
      const rows = expectSuccess(dry.payload, dry.result).impact.team;
      expect(rows.map((c: any) => [c.kind, c.email])).toEqual([['ROLES_CHANGE', 'carol@harbor.example']]);
      // explainParticipant is for MANAGE_SETTINGS holders: no WA-1/DM-* steps here.
      expect(rows[0].after.steps.map((s: any) => s.rule)).toEqual(['PRJ-7']);
      expect(JSON.stringify(rows)).not.toContain('through');
    });

    it('IMP-4 addTeamMember and removeTeamMember: JOINS_TEAM (source TEAM) and LEAVES_TEAM', async () => {
      const added = await dryRunThenApply('addTeamMember', {
        projectId: dm.pid(),
        email: 'dan@harbor.example',
        roleIds: [dm.roleId('PWDM_APPROVER')],
      });
      expect(added.team).toEqual([
        expect.objectContaining({
          kind: 'JOINS_TEAM',
          email: 'dan@harbor.example',
          after: expect.objectContaining({ source: 'TEAM', dmPermissions: ['APPROVE_RFI_RESPONSE'] }),
        }),
      ]);
      const removed = await dryRunThenApply('removeTeamMember', {
        projectId: dm.pid(),
        userId: gid('User', dm.cast.carol.id),
      });
      expect(removed.team.map((c: any) => [c.kind, c.email])).toEqual([['LEAVES_TEAM', 'carol@harbor.example']]);
    });

    it('IMP-4 setDeliverablesPermissions: the connector’s RECEIVE_PACKAGE becomes carol’s PWDM_RECEIVER role', async () => {
      const impact = await dryRunThenApply('setDeliverablesPermissions', {
        projectId: dm.pid(),
        entries: [
          {
            principalId: gid('DataSourceUser', carolId),
            permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'],
          },
        ],
      });
      expect(impact.team.map((c: any) => [c.kind, keysOf(c.after)])).toEqual([
        ['ROLES_CHANGE', ['PWDM_RECEIVER', 'TEAM_MEMBER']],
      ]);
    });

    it('IMP-4 removeWorkAreaParticipant then synchronizeWorkAreaConnection: the connection sync removes carol', async () => {
      const removed = await dryRunThenApply('removeWorkAreaParticipant', {
        workAreaId: gid('WorkArea', dm.area.id),
        principalId: gid('DataSourceUser', carolId),
      });
      expect(removed.team).toEqual([]);
      const synced = await dryRunThenApply('synchronizeWorkAreaConnection', { projectId: dm.pid() });
      expect(synced.team.map((c: any) => [c.kind, c.email])).toEqual([['LEAVES_TEAM', 'carol@harbor.example']]);
      // Before: named through no participant any more — the steps say so.
      expect(synced.team[0].before.steps[0]).toMatchObject({ rule: 'WA-1', outcome: 'FAILED' });
    });

    it('IMP-4 dissociateWorkArea: the members stay (WORK_AREA becomes TEAM, WA-2): no team change', async () => {
      const impact = await dryRunThenApply('dissociateWorkArea', { projectId: dm.pid() });
      expect(impact.team).toEqual([]);
    });

    it('IMP-4 setGroupMembers and setUserListMembers wait for a synchronization: no team change yet', async () => {
      const group = await dm.group('Crew', []);
      await dm.participant(dm.groupRef(group), 'LEADER');
      const bobUser = (await dmListingUsers()).bob as string;
      const members = await dryRunThenApply('setGroupMembers', {
        groupId: gid('DataSourceGroup', group),
        userIds: [gid('DataSourceUser', bobUser)],
      });
      expect(members.team).toEqual([]);
      const list = await dm.list('Leads', []);
      const listed = await dryRunThenApply('setUserListMembers', {
        listId: gid('UserList', list),
        members: [gid('DataSourceGroup', group)],
      });
      expect(listed.team).toEqual([]);
    });
  });
});

/** The data-source users of the world by login. */
async function dmListingUsers(): Promise<Record<string, string>> {
  const { dataSourceUsers } = await import('../../../src/db/schema.js');
  const rows = await dm.world.db.select().from(dataSourceUsers);
  return Object.fromEntries(rows.map((r) => [r.login, r.id]));
}
