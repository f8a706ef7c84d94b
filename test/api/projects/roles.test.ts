// PRJ-3 / PRJ-4 / PRJ-5 through the API: the built-in roles exactly as seed 002's table gives them,
// custom roles (createCustomRole, updateCustomRole, deleteCustomRole) and who may manage them.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const FRANK = 'frank@freelance.example';
const CAROL = 'carol@harbor.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  project = await world.project(cast.alice, 'P-1');
});

const pid = () => gid('Project', project.id);
const ROLE = 'role { id name builtIn permissions deliverablesPermissions }';

async function roles(as: string) {
  const r = await world.gql(
    `query($id: ID!) { project(id: $id) { roles { name builtIn permissions deliverablesPermissions } } }`,
    { id: pid() },
    as,
  );
  return r.data?.project?.roles as {
    name: string;
    builtIn: string | null;
    permissions: string[];
    deliverablesPermissions: string[];
  }[];
}

describe('PRJ-4 built-in roles (seed 002)', () => {
  it.each([
    ['TEAM_MEMBER', ['READ_AND_CREATE_DRAFT_PACKAGES'], ['VIEW_PACKAGE']],
    ['PWDM_RECEIVER', ['RECEIVE_EXTERNAL_PACKAGES'], ['RECEIVE_PACKAGE']],
    [
      'PWDM_ISSUER',
      [
        'ISSUE_PACKAGES',
        'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
        'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
        'MANAGE_EXTERNAL_ORGANIZATIONS',
      ],
      ['ISSUE_PACKAGE'],
    ],
    ['PWDM_APPROVER', ['APPROVE_RFI_RESPONSE'], ['APPROVE_RFI_RESPONSE']],
    [
      'PROJECT_ADMINISTRATOR',
      [
        'READ_AND_CREATE_DRAFT_PACKAGES',
        'RECEIVE_EXTERNAL_PACKAGES',
        'ISSUE_PACKAGES',
        'APPROVE_RFI_RESPONSE',
        'MANAGE_SETTINGS',
      ],
      ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE', 'ADMIN'],
    ],
    [
      'PROJECT_OWNER',
      [
        'READ_AND_CREATE_DRAFT_PACKAGES',
        'RECEIVE_EXTERNAL_PACKAGES',
        'ISSUE_PACKAGES',
        'APPROVE_RFI_RESPONSE',
        'MANAGE_SETTINGS',
        'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
        'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
        'MANAGE_EXTERNAL_ORGANIZATIONS',
      ],
      ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE', 'ADMIN'],
    ],
  ])(
    'PRJ-4 / PRJ-5 %s has exactly its role permissions and the DM permissions they give',
    async (key, permissions, dm) => {
      const role = (await roles(ALICE)).find((r) => r.builtIn === key);
      expect(role?.permissions).toEqual(permissions);
      expect(role?.deliverablesPermissions).toEqual(dm);
    },
  );

  it('PRJ-4 every project lists the six built-in roles first, then its custom roles by name', async () => {
    await world.customRole(project, cast.alice, 'Zeta', ['ISSUE_PACKAGES']);
    await world.customRole(project, cast.alice, 'alpha', ['APPROVE_RFI_RESPONSE']);
    expect((await roles(ALICE)).map((r) => r.builtIn ?? r.name)).toEqual([
      'TEAM_MEMBER',
      'PWDM_RECEIVER',
      'PWDM_ISSUER',
      'PWDM_APPROVER',
      'PROJECT_ADMINISTRATOR',
      'PROJECT_OWNER',
      'alpha',
      'Zeta',
    ]);
  });

  it('PRJ-4 built-in roles cannot be edited or deleted (BUILT_IN_ROLE)', async () => {
    const owner = gid('ProjectRole', `${project.id}/PROJECT_OWNER`);
    expectUserError(
      (await mutate(world, 'updateCustomRole', { roleId: owner, name: 'Boss' }, ALICE)).payload,
      'BUILT_IN_ROLE',
    );
    expectUserError(
      (await mutate(world, 'deleteCustomRole', { roleId: owner, force: true }, ALICE)).payload,
      'BUILT_IN_ROLE',
    );
  });
});

describe('PRJ-4 custom roles', () => {
  it('PRJ-4 a Project Owner defines a custom role with any non-empty set of permissions (PRJ-3 order)', async () => {
    const { payload, result } = await mutate(
      world,
      'createCustomRole',
      { projectId: pid(), name: ' Reviewer ', permissions: ['MANAGE_SETTINGS', 'APPROVE_RFI_RESPONSE'] },
      ALICE,
      ROLE,
    );
    expect(expectSuccess(payload, result).role).toMatchObject({
      name: 'Reviewer',
      builtIn: null,
      permissions: ['APPROVE_RFI_RESPONSE', 'MANAGE_SETTINGS'],
      deliverablesPermissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE', 'ADMIN'],
    });
  });

  it('PRJ-4 ROLE_NAME_TAKEN ignoring case, built-in names and keys included; an empty set is refused at the edge', async () => {
    await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE']);
    const before = await world.rowCounts();
    for (const name of ['reviewer', 'Project owner', 'pwdm_issuer']) {
      expectUserError(
        (await mutate(world, 'createCustomRole', { projectId: pid(), name, permissions: ['ISSUE_PACKAGES'] }, ALICE))
          .payload,
        'ROLE_NAME_TAKEN',
      );
    }
    expectTopLevel(
      (await mutate(world, 'createCustomRole', { projectId: pid(), name: 'Empty', permissions: [] }, ALICE)).result,
      'BAD_USER_INPUT',
    );
    expect(await world.rowCounts()).toEqual(before);
    // Another project may use the same name.
    const other = await world.project(cast.alice, 'P-2');
    const { payload, result } = await mutate(
      world,
      'createCustomRole',
      { projectId: gid('Project', other.id), name: 'Reviewer', permissions: ['ISSUE_PACKAGES'] },
      ALICE,
      ROLE,
    );
    expectSuccess(payload, result);
  });

  it('PRJ-4 editing a custom role changes what its holders hold at once', async () => {
    const id = await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE']);
    await world.teamMember(project, cast.alice, cast.frank);
    await mutate(
      world,
      'assignProjectRoles',
      { projectId: pid(), userId: gid('User', cast.frank.id), roleIds: [gid('ProjectRole', id)] },
      ALICE,
    );
    const edited = await mutate(
      world,
      'updateCustomRole',
      { roleId: gid('ProjectRole', id), permissions: ['ISSUE_PACKAGES'] },
      ALICE,
      ROLE,
    );
    expect(expectSuccess(edited.payload, edited.result).role.permissions).toEqual(['ISSUE_PACKAGES']);
    const perms = await world.gql(
      `query($p: ID!, $u: ID!) { effectivePermissions(projectId: $p, userId: $u) { rolePermissions { permission granted } } }`,
      { p: pid(), u: gid('User', cast.frank.id) },
      FRANK,
    );
    const granted = (
      (perms.data?.effectivePermissions?.rolePermissions ?? []) as { permission: string; granted: boolean }[]
    )
      .filter((g) => g.granted)
      .map((g) => g.permission);
    expect(granted).toEqual(['ISSUE_PACKAGES']);
  });

  it('PRJ-4 deleting an assigned role is ROLE_IN_USE unless force, which unassigns it in the same transaction', async () => {
    const id = await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE']);
    await world.teamMember(project, cast.alice, cast.frank);
    await mutate(
      world,
      'assignProjectRoles',
      { projectId: pid(), userId: gid('User', cast.frank.id), roleIds: [gid('ProjectRole', id)] },
      ALICE,
    );
    const before = await world.rowCounts();
    expectUserError(
      (await mutate(world, 'deleteCustomRole', { roleId: gid('ProjectRole', id) }, ALICE)).payload,
      'ROLE_IN_USE',
    );
    expect(await world.rowCounts()).toEqual(before);
    const forced = await mutate(
      world,
      'deleteCustomRole',
      { roleId: gid('ProjectRole', id), force: true },
      ALICE,
      'deletedRoleId unassignedFrom',
    );
    expect(expectSuccess(forced.payload, forced.result)).toMatchObject({
      deletedRoleId: gid('ProjectRole', id),
      unassignedFrom: 1,
    });
    expect((await roles(ALICE)).map((r) => r.name)).not.toContain('Reviewer');
    const unused = await world.customRole(project, cast.alice, 'Unused', ['ISSUE_PACKAGES']);
    const plain = await mutate(
      world,
      'deleteCustomRole',
      { roleId: gid('ProjectRole', unused) },
      ALICE,
      'unassignedFrom',
    );
    expect(expectSuccess(plain.payload, plain.result).unassignedFrom).toBe(0);
  });

  it('PRJ-7 custom roles are a project setting: an IMS admin may; a Project Administrator (MANAGE_SETTINGS) may not; an outsider gets NOT_FOUND', async () => {
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_ADMINISTRATOR');
    const input = { projectId: pid(), name: 'Reviewer', permissions: ['APPROVE_RFI_RESPONSE'] };
    expectTopLevel((await mutate(world, 'createCustomRole', input, FRANK)).result, 'FORBIDDEN');
    expectUserError((await mutate(world, 'createCustomRole', input, CAROL)).payload, 'NOT_FOUND');
    const id = await world.customRole(project, cast.alice, 'Existing', ['ISSUE_PACKAGES']);
    const hidden = expectUserError(
      (await mutate(world, 'updateCustomRole', { roleId: gid('ProjectRole', id), name: 'x' }, CAROL)).payload,
      'NOT_FOUND',
    );
    const missing = expectUserError(
      (await mutate(world, 'updateCustomRole', { roleId: gid('ProjectRole', 'nope'), name: 'x' }, CAROL)).payload,
      'NOT_FOUND',
    );
    expect(hidden).toEqual(missing);
    expectTopLevel(
      (await mutate(world, 'deleteCustomRole', { roleId: gid('ProjectRole', id) }, FRANK)).result,
      'FORBIDDEN',
    );
    const { payload, result } = await mutate(world, 'createCustomRole', input, BOB, ROLE);
    expectSuccess(payload, result);
  });
});
