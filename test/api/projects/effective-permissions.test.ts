// PRJ-5 / PRJ-6 / PRJ-8 through the API: effectivePermissions(projectId, userId) with provenance, and
// who may read whose (§9).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectTopLevel } from '../../helpers/ops.js';
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

const QUERY = `query($p: ID!, $u: ID!) { effectivePermissions(projectId: $p, userId: $u) {
  isProjectOwner isImsAdmin user { email }
  rolePermissions { permission granted grantedBy { kind role { name builtIn } } }
  deliverablesPermissions { permission granted grantedBy { kind role { name builtIn } } } } }`;

type Grant = {
  permission: string;
  granted: boolean;
  grantedBy: { kind: string; role: { name: string; builtIn: string | null } | null }[];
};

async function read(userId: string, as: string) {
  return world.gql(QUERY, { p: gid('Project', project.id), u: gid('User', userId) }, as);
}

const granted = (grants: Grant[]) => grants.filter((g) => g.granted).map((g) => g.permission);
const by = (grants: Grant[], permission: string) =>
  grants.find((g) => g.permission === permission)?.grantedBy.map((s) => s.role?.builtIn ?? s.role?.name ?? s.kind);

describe('PRJ-8 effective permissions with provenance', () => {
  it('PRJ-8 a member holds the union of their roles; each permission names every role that grants it', async () => {
    const custom = await world.customRole(project, cast.alice, 'Approver+', [
      'APPROVE_RFI_RESPONSE',
      'RECEIVE_EXTERNAL_PACKAGES',
    ]);
    await world.teamMember(project, cast.alice, cast.frank, 'PWDM_APPROVER', 'TEAM_MEMBER');
    await world.gql(
      `mutation($i: ProjectRolesInput!) { assignProjectRoles(input: $i) { __typename } }`,
      {
        i: {
          projectId: gid('Project', project.id),
          userId: gid('User', cast.frank.id),
          roleIds: [gid('ProjectRole', custom)],
        },
      },
      ALICE,
    );
    const e = (await read(cast.frank.id, FRANK)).data?.effectivePermissions;
    expect(e).toMatchObject({ isProjectOwner: false, isImsAdmin: false, user: { email: FRANK } });
    expect(granted(e.rolePermissions)).toEqual([
      'READ_AND_CREATE_DRAFT_PACKAGES',
      'RECEIVE_EXTERNAL_PACKAGES',
      'APPROVE_RFI_RESPONSE',
    ]);
    expect(by(e.rolePermissions, 'APPROVE_RFI_RESPONSE')).toEqual(['PWDM_APPROVER', 'Approver+']);
    expect(by(e.rolePermissions, 'MANAGE_SETTINGS')).toEqual([]);
    // PRJ-5: DM permissions derive from role permissions.
    expect(granted(e.deliverablesPermissions)).toEqual(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'APPROVE_RFI_RESPONSE']);
    expect(by(e.deliverablesPermissions, 'RECEIVE_PACKAGE')).toEqual(['Approver+']);
  });

  it('PRJ-5 MANAGE_SETTINGS implies every DM permission (a custom role with only MANAGE_SETTINGS)', async () => {
    const custom = await world.customRole(project, cast.alice, 'Settings', ['MANAGE_SETTINGS']);
    await world.teamMember(project, cast.alice, cast.frank);
    await world.gql(
      `mutation($i: ProjectRolesInput!) { assignProjectRoles(input: $i) { __typename } }`,
      {
        i: {
          projectId: gid('Project', project.id),
          userId: gid('User', cast.frank.id),
          roleIds: [gid('ProjectRole', custom)],
        },
      },
      ALICE,
    );
    const e = (await read(cast.frank.id, FRANK)).data?.effectivePermissions;
    expect(granted(e.rolePermissions)).toEqual(['MANAGE_SETTINGS']);
    expect(granted(e.deliverablesPermissions)).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
      'APPROVE_RFI_RESPONSE',
      'ADMIN',
    ]);
  });

  it('PRJ-6 a Project Owner holds everything by PROJECT_OWNER; an IMS admin of the account by IMS_ADMIN, without role or team', async () => {
    const owner = (await read(cast.alice.id, ALICE)).data?.effectivePermissions;
    expect(owner.isProjectOwner).toBe(true);
    expect(granted(owner.rolePermissions)).toHaveLength(8);
    // Alice is also ACCOUNT_ADMIN of the project's account: both sources are listed.
    expect(by(owner.rolePermissions, 'MANAGE_SETTINGS')).toEqual(['PROJECT_OWNER', 'IMS_ADMIN']);
    const admin = (await read(cast.bob.id, BOB)).data?.effectivePermissions;
    expect(admin).toMatchObject({ isProjectOwner: false, isImsAdmin: true });
    expect(granted(admin.deliverablesPermissions)).toHaveLength(5);
    expect(by(admin.deliverablesPermissions, 'ADMIN')).toEqual(['IMS_ADMIN']);
  });

  it('PRJ-6 an IMS admin of another account gets nothing from it; a plain member of the account nothing either', async () => {
    await world.teamMember(project, cast.alice, cast.carol);
    await world.teamMember(project, cast.alice, cast.dave);
    const dave = (await read(cast.dave.id, 'dave@northwind.example')).data?.effectivePermissions;
    expect(dave.isImsAdmin).toBe(false);
    expect(granted(dave.rolePermissions)).toEqual([]);
    const carol = (await read(cast.carol.id, CAROL)).data?.effectivePermissions;
    expect(granted(carol.rolePermissions)).toEqual([]);
  });
});

describe('§9 / PRJ-8 who may read whose', () => {
  it('PRJ-8 everyone reads their own; another user’s needs MANAGE_SETTINGS or ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_ADMINISTRATOR');
    await world.teamMember(project, cast.alice, cast.erin, 'PWDM_ISSUER');
    expect((await read(cast.carol.id, CAROL)).data?.effectivePermissions).toBeTruthy();
    expectTopLevel(await read(cast.frank.id, CAROL), 'FORBIDDEN');
    expect((await read(cast.carol.id, FRANK)).data?.effectivePermissions).toBeTruthy(); // MANAGE_SETTINGS
    expect((await read(cast.carol.id, ERIN)).data?.effectivePermissions).toBeTruthy(); // ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT
  });

  it('§9 for a project you may not read the answer is null, as for a missing project or user', async () => {
    const hidden = await read(cast.alice.id, 'dave@northwind.example');
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data?.effectivePermissions).toBeNull();
    const own = await read(cast.carol.id, CAROL); // a member of the account, not on the team
    expect(own.data?.effectivePermissions).toBeNull();
    const missingUser = await read('no-such-user', ALICE);
    expect(missingUser.data?.effectivePermissions).toBeNull();
  });
});

describe('§9 effectivePermissions of someone you may not read', () => {
  it('§9 a hidden user who is not on the team answers exactly as a missing user (their IMS roles stay hidden)', async () => {
    await world.teamMember(project, cast.alice, cast.frank, 'PWDM_ISSUER');
    const bob = await read(cast.bob.id, FRANK); // IMS admin of Harbor, not on the team, not readable by Frank
    const missing = await read('no-such-user', FRANK);
    expect(bob).toEqual(missing);
    expect(bob.data?.effectivePermissions).toBeNull();
    // A team member's permissions are readable by the issuer.
    await world.teamMember(project, cast.alice, cast.erin, 'TEAM_MEMBER');
    expect((await read(cast.erin.id, FRANK)).data?.effectivePermissions?.isImsAdmin).toBe(false);
  });
});
