// PRJ-7 (and PRJ-1's LAST_PROJECT_OWNER) through the API: addTeamMember, removeTeamMember,
// assignProjectRoles, unassignProjectRoles, Project.teamMembers — with who may and may not.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import type { BuiltInRole } from '../../../src/projects/rules/roles.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const CAROL = 'carol@harbor.example';
const ERIN = 'erin@northwind.example';
const FRANK = 'frank@freelance.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  project = await world.project(cast.alice, 'P-1');
});

const pid = () => gid('Project', project.id);
const role = (key: BuiltInRole) => gid('ProjectRole', `${project.id}/${key}`);
const MEMBER = 'teamMember { email source isProjectOwner roles { builtIn name } }';

const assign = (as: string, userId: string, ...roleIds: string[]) =>
  mutate(world, 'assignProjectRoles', { projectId: pid(), userId: gid('User', userId), roleIds }, as, MEMBER);
const unassign = (as: string, userId: string, ...roleIds: string[]) =>
  mutate(world, 'unassignProjectRoles', { projectId: pid(), userId: gid('User', userId), roleIds }, as, MEMBER);
const remove = (as: string, userId: string) =>
  mutate(world, 'removeTeamMember', { projectId: pid(), userId: gid('User', userId) }, as, 'removedUserId');

async function team(as: string) {
  const result = await world.gql(
    `query($id: ID!) { project(id: $id) { teamMembers { totalCount edges { node { email roles { builtIn name } } } } } }`,
    { id: pid() },
    as,
  );
  return result.data?.project?.teamMembers ? nodes(result.data.project.teamMembers) : result;
}

describe('PRJ-7 adding team members', () => {
  it('PRJ-7 a holder of ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT adds a registered user by email, with roles it holds', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER');
    const { payload, result } = await mutate(
      world,
      'addTeamMember',
      { projectId: pid(), email: FRANK, roleIds: [role('PWDM_ISSUER')] },
      CAROL,
      MEMBER,
    );
    expect(expectSuccess(payload, result).teamMember).toEqual({
      email: FRANK,
      source: 'TEAM',
      isProjectOwner: false,
      roles: [{ builtIn: 'PWDM_ISSUER', name: 'PWDM issuer' }],
    });
  });

  it('PRJ-7 USER_NOT_REGISTERED, ALREADY_TEAM_MEMBER; nothing written', async () => {
    await world.teamMember(project, cast.alice, cast.frank);
    const before = await world.rowCounts();
    const missing = expectUserError(
      (await mutate(world, 'addTeamMember', { projectId: pid(), email: 'ghost@harbor.example' }, ALICE)).payload,
      'USER_NOT_REGISTERED',
    );
    expect(missing.path).toEqual(['input', 'email']);
    expectUserError(
      (await mutate(world, 'addTeamMember', { projectId: pid(), email: FRANK }, ALICE)).payload,
      'ALREADY_TEAM_MEMBER',
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-7 who may not add: a team member without the permission (FORBIDDEN); someone who may not read the project (NOT_FOUND)', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PROJECT_ADMINISTRATOR');
    expectTopLevel(
      (await mutate(world, 'addTeamMember', { projectId: pid(), email: FRANK }, CAROL)).result,
      'FORBIDDEN',
    );
    expectUserError(
      (await mutate(world, 'addTeamMember', { projectId: pid(), email: FRANK }, ERIN)).payload,
      'NOT_FOUND',
    );
    // An IMS admin of the account holds every permission without being on the team (PRJ-6).
    const { payload, result } = await mutate(world, 'addTeamMember', { projectId: pid(), email: FRANK }, BOB, MEMBER);
    expectSuccess(payload, result);
  });
});

describe('PRJ-7 assigning and unassigning roles', () => {
  beforeEach(async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER');
    await world.teamMember(project, cast.alice, cast.frank);
  });

  it('PRJ-7 an issuer cannot make anyone — themselves included — a Project Administrator (CANNOT_GRANT_UNHELD_PERMISSION)', async () => {
    const before = await world.rowCounts();
    const other = expectUserError(
      (await assign(CAROL, cast.frank.id, role('PROJECT_ADMINISTRATOR'))).payload,
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    expect(other.path).toEqual(['input', 'roleIds', '0']);
    expectUserError(
      (await assign(CAROL, cast.carol.id, role('PROJECT_ADMINISTRATOR'))).payload,
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    // Each condition on its own: RECEIVE_EXTERNAL_PACKAGES (PWDM_RECEIVER) is one permission the issuer lacks.
    expectUserError(
      (await assign(CAROL, cast.frank.id, role('PWDM_RECEIVER'))).payload,
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-7 an issuer may assign and unassign a role whose every permission they hold', async () => {
    const given = await assign(CAROL, cast.frank.id, role('PWDM_ISSUER'));
    expect(expectSuccess(given.payload, given.result).teamMember.roles).toEqual([
      { builtIn: 'PWDM_ISSUER', name: 'PWDM issuer' },
    ]);
    const taken = await unassign(CAROL, cast.frank.id, role('PWDM_ISSUER'));
    expect(expectSuccess(taken.payload, taken.result).teamMember.roles).toEqual([]);
  });

  it('PRJ-7 nor unassign, nor remove with a member, a role with a permission they do not hold', async () => {
    await world.teamMember(project, cast.alice, cast.erin, 'PWDM_RECEIVER');
    expectUserError(
      (await unassign(CAROL, cast.erin.id, role('PWDM_RECEIVER'))).payload,
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    expectUserError((await remove(CAROL, cast.erin.id)).payload, 'CANNOT_GRANT_UNHELD_PERMISSION');
    // A member with no roles, or only roles the caller holds, may be removed.
    const gone = await remove(CAROL, cast.frank.id);
    expect(expectSuccess(gone.payload, gone.result).removedUserId).toBe(gid('User', cast.frank.id));
  });

  it('PRJ-7 ROLE_ALREADY_HELD, ROLE_NOT_HELD (a role named twice counts twice), NOT_TEAM_MEMBER; all or nothing', async () => {
    await assign(ALICE, cast.frank.id, role('PWDM_APPROVER'));
    const before = await world.rowCounts();
    expectUserError(
      (await assign(ALICE, cast.frank.id, role('TEAM_MEMBER'), role('PWDM_APPROVER'))).payload,
      'ROLE_ALREADY_HELD',
    );
    expectUserError(
      (await assign(ALICE, cast.frank.id, role('TEAM_MEMBER'), role('TEAM_MEMBER'))).payload,
      'ROLE_ALREADY_HELD',
    );
    expectUserError(
      (await unassign(ALICE, cast.frank.id, role('PWDM_APPROVER'), role('PWDM_RECEIVER'))).payload,
      'ROLE_NOT_HELD',
    );
    expectUserError(
      (await unassign(ALICE, cast.frank.id, role('PWDM_APPROVER'), role('PWDM_APPROVER'))).payload,
      'ROLE_NOT_HELD',
    );
    expectUserError((await assign(ALICE, cast.erin.id, role('TEAM_MEMBER'))).payload, 'NOT_TEAM_MEMBER');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-7 a role of another project is NOT_FOUND at its path', async () => {
    const other = await world.project(cast.alice, 'P-2');
    const wrong = expectUserError(
      (await assign(ALICE, cast.frank.id, role('TEAM_MEMBER'), gid('ProjectRole', `${other.id}/TEAM_MEMBER`))).payload,
      'NOT_FOUND',
    );
    expect(wrong.path).toEqual(['input', 'roleIds', '1']);
  });

  it('PRJ-7 PROJECT_OWNER is granted and removed by Project Owners and IMS admins only — not by a custom role holding all eight permissions', async () => {
    const all = await world.customRole(project, cast.alice, 'Everything', [
      'READ_AND_CREATE_DRAFT_PACKAGES',
      'RECEIVE_EXTERNAL_PACKAGES',
      'ISSUE_PACKAGES',
      'APPROVE_RFI_RESPONSE',
      'MANAGE_SETTINGS',
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ]);
    await assign(ALICE, cast.carol.id, gid('ProjectRole', all));
    expectTopLevel((await assign(CAROL, cast.frank.id, role('PROJECT_OWNER'))).result, 'FORBIDDEN');
    expectTopLevel((await remove(CAROL, cast.alice.id)).result, 'FORBIDDEN');
    // …while everything else is theirs to give (they hold every permission).
    const admin = await assign(CAROL, cast.frank.id, role('PROJECT_ADMINISTRATOR'));
    expectSuccess(admin.payload, admin.result);
    // An IMS admin who is not on the team may.
    const byBob = await assign(BOB, cast.frank.id, role('PROJECT_OWNER'));
    expect(expectSuccess(byBob.payload, byBob.result).teamMember.isProjectOwner).toBe(true);
  });
});

describe('PRJ-1 the last Project Owner', () => {
  it('PRJ-1 LAST_PROJECT_OWNER: the only owner can neither lose the role nor leave; with a second owner both work', async () => {
    const before = await world.rowCounts();
    expectUserError((await unassign(ALICE, cast.alice.id, role('PROJECT_OWNER'))).payload, 'LAST_PROJECT_OWNER');
    expectUserError((await remove(ALICE, cast.alice.id)).payload, 'LAST_PROJECT_OWNER');
    expectUserError((await remove(BOB, cast.alice.id)).payload, 'LAST_PROJECT_OWNER');
    expect(await world.rowCounts()).toEqual(before);
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_OWNER');
    const dropped = await unassign(ALICE, cast.alice.id, role('PROJECT_OWNER'));
    expectSuccess(dropped.payload, dropped.result);
    expectUserError((await remove(FRANK, cast.frank.id)).payload, 'LAST_PROJECT_OWNER');
    const left = await remove(FRANK, cast.alice.id);
    expectSuccess(left.payload, left.result);
  });
});

describe('§9 reading the team', () => {
  it('§9 holders of ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS see everyone; another member only themselves', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_ADMINISTRATOR');
    const everyone = [ALICE, CAROL, FRANK];
    expect(((await team(ALICE)) as { email: string }[]).map((m) => m.email).sort()).toEqual(everyone);
    expect(((await team(FRANK)) as { email: string }[]).map((m) => m.email).sort()).toEqual(everyone);
    expect(((await team(BOB)) as { email: string }[]).map((m) => m.email).sort()).toEqual(everyone);
    expect(await team(CAROL)).toEqual([{ email: CAROL, roles: [{ builtIn: 'TEAM_MEMBER', name: 'Team member' }] }]);
  });
});

describe('PRJ-7 / §9 review cases', () => {
  it('PRJ-7 an issuer cannot add someone as PROJECT_OWNER, nor can a holder of all eight permissions strip the last owner', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER');
    const before = await world.rowCounts();
    expectTopLevel(
      (
        await mutate(
          world,
          'addTeamMember',
          { projectId: pid(), email: FRANK, roleIds: [role('PROJECT_OWNER')] },
          CAROL,
        )
      ).result,
      'FORBIDDEN',
    );
    expect(await world.rowCounts()).toEqual(before);
    const all = await world.customRole(project, cast.alice, 'All eight', [
      'READ_AND_CREATE_DRAFT_PACKAGES',
      'RECEIVE_EXTERNAL_PACKAGES',
      'ISSUE_PACKAGES',
      'APPROVE_RFI_RESPONSE',
      'MANAGE_SETTINGS',
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ]);
    await assign(ALICE, cast.carol.id, gid('ProjectRole', all));
    expectTopLevel((await unassign(CAROL, cast.alice.id, role('PROJECT_OWNER'))).result, 'FORBIDDEN');
  });

  it('PRJ-1 LAST_PROJECT_OWNER counts owners only, while other members hold other roles', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER', 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_ADMINISTRATOR');
    await assign(ALICE, cast.alice.id, role('PWDM_APPROVER'));
    expectUserError((await unassign(ALICE, cast.alice.id, role('PROJECT_OWNER'))).payload, 'LAST_PROJECT_OWNER');
    expectUserError((await remove(ALICE, cast.alice.id)).payload, 'LAST_PROJECT_OWNER');
  });

  it('PRJ-7 unassigning one role keeps the member’s other roles; a custom role of another project is NOT_FOUND', async () => {
    await world.teamMember(project, cast.alice, cast.frank, 'PWDM_APPROVER', 'PWDM_RECEIVER');
    const taken = await unassign(ALICE, cast.frank.id, role('PWDM_APPROVER'));
    expect(expectSuccess(taken.payload, taken.result).teamMember.roles).toEqual([
      { builtIn: 'PWDM_RECEIVER', name: 'PWDM receiver' },
    ]);
    const other = await world.project(cast.alice, 'P-9');
    const foreign = await world.customRole(other, cast.alice, 'Elsewhere', ['APPROVE_RFI_RESPONSE']);
    const refused = expectUserError(
      (await assign(ALICE, cast.frank.id, gid('ProjectRole', foreign))).payload,
      'NOT_FOUND',
    );
    expect(refused.path).toEqual(['input', 'roleIds', '0']);
  });

  it('§9 an issuer (ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT only) reads the whole team', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER');
    await world.teamMember(project, cast.alice, cast.frank);
    expect(((await team(CAROL)) as { email: string }[]).map((m) => m.email).sort()).toEqual([ALICE, CAROL, FRANK]);
  });

  it('§9 several mutations in one document: each payload shows what its own mutation wrote', async () => {
    await world.teamMember(project, cast.alice, cast.frank);
    const input = { projectId: pid(), userId: gid('User', cast.frank.id), roleIds: [role('TEAM_MEMBER')] };
    const result = await world.gql(
      `mutation($i: ProjectRolesInput!) {
        a: assignProjectRoles(input: $i) { ... on AssignProjectRolesSuccess { teamMember { roles { builtIn } } } }
        b: unassignProjectRoles(input: $i) { ... on UnassignProjectRolesSuccess { teamMember { roles { builtIn } } } }
      }`,
      { i: input },
      ALICE,
    );
    expect(result.data?.a?.teamMember?.roles).toEqual([{ builtIn: 'TEAM_MEMBER' }]);
    expect(result.data?.b?.teamMember?.roles).toEqual([]);
  });

  it('§9 a member who removes themselves no longer reads the project in the payload', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'PWDM_ISSUER');
    const gone = await mutate(
      world,
      'removeTeamMember',
      { projectId: pid(), userId: gid('User', cast.carol.id) },
      CAROL,
      'project { number } warnings { code }',
    );
    expect(expectSuccess(gone.payload, gone.result)).toMatchObject({ project: null, warnings: [] });
  });

  it('§9 User.projects shows another user’s projects only where you may read the team', async () => {
    const q = await world.project(cast.dave, 'Q-1');
    await world.teamMember(q, cast.dave, cast.alice, 'TEAM_MEMBER');
    await world.teamMember(q, cast.dave, cast.carol, 'TEAM_MEMBER');
    const carolsProjects = async (as: string) =>
      nodes(
        (
          await world.gql(
            `query($id: ID!) { node(id: $id) { ... on User { projects { totalCount edges { node { number } } } } } }`,
            { id: gid('User', cast.carol.id) },
            as,
          )
        ).data?.node?.projects,
      ).map((p) => p.number);
    // Alice is on Q-1 as a plain member: Carol's membership there is not hers to see.
    expect(await carolsProjects(ALICE)).toEqual([]);
    // …until she may read Q-1's team.
    await mutate(
      world,
      'assignProjectRoles',
      {
        projectId: gid('Project', q.id),
        userId: gid('User', cast.alice.id),
        roleIds: [gid('ProjectRole', `${q.id}/PWDM_ISSUER`)],
      },
      'dave@northwind.example',
    );
    expect(await carolsProjects(ALICE)).toEqual(['Q-1']);
    // Carol's own list has everything; an IMS admin of Harbor sees Harbor's projects of Carol (none here).
    await world.teamMember(project, cast.alice, cast.carol);
    expect(await carolsProjects(CAROL)).toEqual(['P-1', 'Q-1']);
    expect(await carolsProjects(BOB)).toEqual(['P-1']);
  });
});

describe('PRJ-4 order of a member’s roles', () => {
  it('PRJ-4 built-in roles in the table’s order, then custom roles by name, whatever the order of assignment', async () => {
    const zeta = await world.customRole(project, cast.alice, 'zeta', ['ISSUE_PACKAGES']);
    const alpha = await world.customRole(project, cast.alice, 'Alpha', ['APPROVE_RFI_RESPONSE']);
    await world.teamMember(project, cast.alice, cast.frank);
    await assign(
      ALICE,
      cast.frank.id,
      gid('ProjectRole', zeta),
      role('PWDM_APPROVER'),
      gid('ProjectRole', alpha),
      role('TEAM_MEMBER'),
    );
    const member = (await team(ALICE)) as { email: string; roles: { builtIn: string | null; name: string }[] }[];
    expect(member.find((m) => m.email === FRANK)?.roles.map((r) => r.builtIn ?? r.name)).toEqual([
      'TEAM_MEMBER',
      'PWDM_APPROVER',
      'Alpha',
      'zeta',
    ]);
  });
});
