// DM-8 through the API: setDeliverablesPermissions — what may be added and removed, every failing
// entry reported with the first code in DM-8's order, nothing changed on any error, the warnings, who
// may, and roles reconciled at once (DM-10).
import { beforeEach, describe, expect, it } from 'vitest';
import { expectTopLevel } from '../../helpers/ops.js';
import {
  type DmPermissionName,
  type DmWorld,
  dmEntry,
  dmListing,
  dmNamedUsers,
  dmSet,
  dmTeam,
  dmWorld,
  gid,
  roleKeys,
} from '../../helpers/world.js';

let dm: DmWorld;

const CAROL = 'carol@harbor.example';

beforeEach(async () => {
  dm = await dmWorld();
});

const sorted = (xs: readonly string[] | null | undefined) => (xs ? [...xs].sort() : xs);
type EntryError = { code: string; path: string[]; customRoles: string[]; users: string[]; message: string };

/** The per-entry errors of a refused edit (asserting it was refused as a DeliverablesPermissionsError). */
function refused(payload: { __typename: string; code: string; path: string[]; entries: EntryError[] }) {
  expect(payload.__typename, JSON.stringify(payload)).toBe('DeliverablesPermissionsError');
  expect(payload.code).toBe(payload.entries[0]?.code);
  expect(payload.path).toEqual(payload.entries[0]?.path);
  return payload.entries;
}

function succeeded(payload: {
  __typename: string;
  changedEntries: number;
  warnings: { code: string; message: string }[];
}) {
  expect(payload.__typename, JSON.stringify(payload)).toBe('SetDeliverablesPermissionsSuccess');
  return payload;
}

/** Carol: an ACTIVE_USER individual participant with `role`, associated. */
async function carolAs(role: 'ADMINISTRATOR' | 'LEADER' | 'OBSERVER') {
  const carol = await dm.dsUser('carol', CAROL);
  await dm.participant(dm.userRef(carol), role);
  return carol;
}

describe('DM-8 what may be added and removed', () => {
  it('DM-8 any permission may be added (VIEW_PACKAGE … ADMIN); roles are reconciled at once', async () => {
    const carol = await carolAs('OBSERVER');
    await dm.associate();
    const all: DmPermissionName[] = [
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
      'APPROVE_RFI_RESPONSE',
      'ADMIN',
    ];
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: all }]);
    expect(succeeded(payload)).toMatchObject({ changedEntries: 1, warnings: [] });
    expect(sorted(dmEntry(await dmListing(dm), 'carol').configuredPermissions)).toEqual(sorted(all));
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual([
      'PROJECT_ADMINISTRATOR',
      'PWDM_APPROVER',
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
  });

  it('DM-8 RECEIVE_PACKAGE, ISSUE_PACKAGE and APPROVE_RFI_RESPONSE may be removed; their PWDM roles go at once', async () => {
    const carol = await carolAs('LEADER');
    await dm.associate();
    await dmSet(dm, [
      {
        principal: dm.userRef(carol),
        permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE'],
      },
    ]);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual([
      'PWDM_APPROVER',
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE'] }]);
    expect(succeeded(payload).warnings).toEqual([]);
    expect(dmEntry(await dmListing(dm), 'carol').configuredPermissions).toEqual(['VIEW_PACKAGE']);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual(['TEAM_MEMBER']);
  });

  it.each([
    ['VIEW_PACKAGE', ['RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']],
    ['ADMIN', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']],
  ] as [string, DmPermissionName[]][])(
    'DM-8 removing %s is PERMISSION_MANAGED_IN_TEAM; nothing changes',
    async (_removed, wanted) => {
      const carol = await carolAs('ADMINISTRATOR');
      await dm.associate();
      const before = await dm.world.rowCounts();
      const { payload } = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: wanted }]);
      const [error] = refused(payload);
      expect(error).toMatchObject({ code: 'PERMISSION_MANAGED_IN_TEAM', path: ['input', 'entries', '0'] });
      expect(await dm.world.rowCounts()).toEqual(before);
      expect(sorted(dmEntry(await dmListing(dm), 'carol').configuredPermissions)).toEqual(
        sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']),
      );
    },
  );
});

describe('DM-8 each failing entry with the first code that applies', () => {
  it('DM-8 NOT_A_PARTICIPANT: a data-source user who is not a participant; a NO_ACCESS participant; a principal of another data source', async () => {
    const outsider = await dm.dsUser('out', 'out@harbor.example');
    const blocked = await dm.dsUser('blocked', CAROL);
    await dm.participant(dm.userRef(blocked), 'NO_ACCESS');
    const other = await dm.world.dataSource(dm.cast.host, dm.cast.alice, 'Other PW');
    const foreign = await dm.world.dsUser(other, dm.cast.alice, 'carol', { email: CAROL });
    await dm.associate();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(outsider), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.userRef(blocked), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.userRef(foreign), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.everyoneRef(), permissions: ['VIEW_PACKAGE'] },
    ]);
    expect(refused(payload).map((e) => [e.code, e.path])).toEqual([
      ['NOT_A_PARTICIPANT', ['input', 'entries', '0']],
      ['NOT_A_PARTICIPANT', ['input', 'entries', '1']],
      ['NOT_A_PARTICIPANT', ['input', 'entries', '2']],
      ['NOT_A_PARTICIPANT', ['input', 'entries', '3']],
    ]);
  });

  it('DM-8 EMAIL_ADDRESS_MISSING and IMS_ACCOUNT_MISSING: permissions cannot be configured', async () => {
    const nomail = await dm.dsUser('nomail');
    const ghost = await dm.dsUser('ghost', 'ghost@harbor.example');
    await dm.participant(dm.userRef(nomail), 'OBSERVER');
    await dm.participant(dm.userRef(ghost), 'OBSERVER');
    await dm.associate();
    const before = await dm.world.rowCounts();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(nomail), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.userRef(ghost), permissions: ['VIEW_PACKAGE'] },
    ]);
    expect(refused(payload).map((e) => e.code)).toEqual(['EMAIL_ADDRESS_MISSING', 'IMS_ACCOUNT_MISSING']);
    expect(await dm.world.rowCounts()).toEqual(before);
  });

  it('DM-8 CUSTOM_ROLE_GRANTS_PERMISSION names the role(s) and user(s); via a group too', async () => {
    const { world, cast } = dm;
    const carol = await carolAs('LEADER');
    await world.user('dan@harbor.example');
    const dan = await dm.dsUser('dan', 'dan@harbor.example');
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const g = await dm.group('Crew', [dan.id, bob.id]);
    await dm.participant(dm.groupRef(g), 'LEADER');
    await dm.associate();
    const receivers = await world.customRole(dm.project, cast.alice, 'Receivers', ['RECEIVE_EXTERNAL_PACKAGES']);
    const issuers = await world.customRole(dm.project, cast.alice, 'Issuers', ['ISSUE_PACKAGES']);
    const assign = (userId: string, roleId: string) =>
      world.gql(
        `mutation($i: ProjectRolesInput!) { assignProjectRoles(input: $i) { __typename } }`,
        {
          i: {
            projectId: dm.pid(),
            userId: gid('User', userId),
            roleIds: [gid('ProjectRole', roleId)],
          },
        },
        'alice@harbor.example',
      );
    expect((await assign(cast.carol.id, receivers)).data?.assignProjectRoles.__typename).toBe(
      'AssignProjectRolesSuccess',
    );
    const danUser = (await dmTeam(dm)).get('dan@harbor.example');
    expect(danUser?.source).toBe('WORK_AREA');
    const before = await world.rowCounts();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ISSUE_PACKAGE'] }, // removes RECEIVE: custom role
      { principal: dm.groupRef(g), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }, // valid on its own
    ]);
    const errors = refused(payload);
    expect(errors.map((e) => [e.code, e.path, e.customRoles, e.users])).toEqual([
      ['CUSTOM_ROLE_GRANTS_PERMISSION', ['input', 'entries', '0'], ['Receivers'], [CAROL]],
    ]);
    expect(errors[0]?.message).toContain('Receivers');
    expect(await world.rowCounts()).toEqual(before);
    // The group's valid entry (index 1) was not applied either.
    expect(sorted(dmEntry(await dmListing(dm), 'Crew').configuredPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']),
    );
    expect(roleKeys((await dmTeam(dm)).get('dan@harbor.example'))).toEqual([
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
    // Through the group: dan holds "Issuers"; removing ISSUE_PACKAGE from the group names him.
    const danId = (await world.gql(`{ viewer { id } }`, {}, 'dan@harbor.example')).data?.viewer.id as string;
    const assignDan = await world.gql(
      `mutation($i: ProjectRolesInput!) { assignProjectRoles(input: $i) { __typename } }`,
      { i: { projectId: dm.pid(), userId: danId, roleIds: [gid('ProjectRole', issuers)] } },
      'alice@harbor.example',
    );
    expect(assignDan.data?.assignProjectRoles.__typename).toBe('AssignProjectRolesSuccess');
    const viaGroup = await dmSet(dm, [{ principal: dm.groupRef(g), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }]);
    expect(refused(viaGroup.payload).map((e) => [e.code, e.customRoles, e.users])).toEqual([
      ['CUSTOM_ROLE_GRANTS_PERMISSION', ['Issuers'], ['dan@harbor.example']],
    ]);
  });
});

describe('DM-8 the order of the codes (conditions combined)', () => {
  it('DM-8 NOT_A_PARTICIPANT before EMAIL_ADDRESS_MISSING / IMS_ACCOUNT_MISSING (a non-participant without email or profile)', async () => {
    const nomail = await dm.dsUser('nomail');
    const ghost = await dm.dsUser('ghost', 'ghost@harbor.example');
    await dm.associate();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(nomail), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.userRef(ghost), permissions: ['VIEW_PACKAGE'] },
    ]);
    expect(refused(payload).map((e) => e.code)).toEqual(['NOT_A_PARTICIPANT', 'NOT_A_PARTICIPANT']);
  });

  it('DM-8 EMAIL_ADDRESS_MISSING / IMS_ACCOUNT_MISSING before PERMISSION_MANAGED_IN_TEAM (emails changed after the entries were initialised)', async () => {
    const a = await dm.dsUser('a', CAROL);
    const b = await dm.dsUser('b', 'bob@harbor.example');
    await dm.participant(dm.userRef(a), 'ADMINISTRATOR');
    await dm.participant(dm.userRef(b), 'ADMINISTRATOR');
    await dm.associate();
    await dm.setEmail(a.id, null);
    await dm.setEmail(b.id, 'ghost@harbor.example');
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(a), permissions: [] },
      { principal: dm.userRef(b), permissions: [] },
    ]);
    expect(refused(payload).map((e) => e.code)).toEqual(['EMAIL_ADDRESS_MISSING', 'IMS_ACCOUNT_MISSING']);
  });

  it('DM-8 PERMISSION_MANAGED_IN_TEAM before CUSTOM_ROLE_GRANTS_PERMISSION (removing VIEW_PACKAGE and a custom-role-granted RECEIVE_PACKAGE)', async () => {
    const carol = await carolAs('LEADER');
    await dm.associate();
    const receivers = await dm.world.customRole(dm.project, dm.cast.alice, 'Receivers', ['RECEIVE_EXTERNAL_PACKAGES']);
    const r = await dm.world.gql(
      `mutation($i: ProjectRolesInput!) { assignProjectRoles(input: $i) { __typename } }`,
      {
        i: {
          projectId: dm.pid(),
          userId: gid('User', dm.cast.carol.id),
          roleIds: [gid('ProjectRole', receivers)],
        },
      },
      'alice@harbor.example',
    );
    expect(r.data?.assignProjectRoles.__typename).toBe('AssignProjectRolesSuccess');
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: ['ISSUE_PACKAGE'] }]);
    expect(refused(payload).map((e) => e.code)).toEqual(['PERMISSION_MANAGED_IN_TEAM']);
  });

  it('DM-8 every failing entry is reported in input order; valid entries of the same call are not applied', async () => {
    const carol = await carolAs('OBSERVER');
    const nomail = await dm.dsUser('nomail');
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(nomail), 'OBSERVER');
    await dm.participant(dm.userRef(erin), 'OBSERVER');
    const outsider = await dm.dsUser('out', 'out@harbor.example');
    await dm.associate();
    const before = await dm.world.rowCounts();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ISSUE_PACKAGE'] }, // valid
      { principal: dm.userRef(outsider), permissions: [] },
      { principal: dm.userRef(erin), permissions: ['VIEW_PACKAGE'] }, // valid
      { principal: dm.userRef(nomail), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.everyoneRef(), permissions: [] }, // not a participant (no *Everyone)
    ]);
    expect(refused(payload).map((e) => [e.code, e.path])).toEqual([
      ['NOT_A_PARTICIPANT', ['input', 'entries', '1']],
      ['EMAIL_ADDRESS_MISSING', ['input', 'entries', '3']],
      ['NOT_A_PARTICIPANT', ['input', 'entries', '4']],
    ]);
    expect(await dm.world.rowCounts()).toEqual(before);
    const listing = await dmListing(dm);
    expect(dmEntry(listing, 'carol').configuredPermissions).toEqual(['VIEW_PACKAGE']);
    expect(dmEntry(listing, 'erin').configuredPermissions).toEqual([]);
    const team = await dmTeam(dm);
    expect(roleKeys(team.get(CAROL))).toEqual(['TEAM_MEMBER']);
    expect(roleKeys(team.get('erin@northwind.example'))).toEqual([]);
  });
});

describe('DM-8 warnings', () => {
  it('DM-8 PERMISSION_STILL_GRANTED: another role (PROJECT_ADMINISTRATOR), IMS_ADMIN or PROJECT_OWNER still grants the removed permission', async () => {
    const carol = await carolAs('ADMINISTRATOR');
    const bob = await dm.dsUser('bob', 'bob@harbor.example'); // CO_ADMINISTRATOR: IMS_ADMIN
    const alice = await dm.dsUser('alice', 'alice@harbor.example'); // Project Owner
    await dm.participant(dm.userRef(bob), 'LEADER');
    await dm.participant(dm.userRef(alice), 'LEADER');
    await dm.associate();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN'] },
      { principal: dm.userRef(bob), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] },
      { principal: dm.userRef(alice), permissions: ['VIEW_PACKAGE', 'ISSUE_PACKAGE'] },
    ]);
    const warnings = succeeded(payload).warnings;
    expect(warnings.map((w) => w.code)).toEqual([
      'PERMISSION_STILL_GRANTED',
      'PERMISSION_STILL_GRANTED',
      'PERMISSION_STILL_GRANTED',
    ]);
    expect(warnings[0]?.message).toContain('entries.0');
    expect(warnings[1]?.message).toContain('entries.1');
    expect(warnings[2]?.message).toContain('entries.2');
    const team = await dmTeam(dm);
    // PWDM_RECEIVER went; PROJECT_ADMINISTRATOR (which still grants RECEIVE_PACKAGE) stays.
    expect(roleKeys(team.get(CAROL))).toEqual(['PROJECT_ADMINISTRATOR', 'PWDM_ISSUER', 'TEAM_MEMBER']);
    expect(roleKeys(team.get('bob@harbor.example'))).toEqual(['PWDM_RECEIVER', 'TEAM_MEMBER']);
    expect(roleKeys(team.get('alice@harbor.example'))).toEqual(['PROJECT_OWNER', 'PWDM_ISSUER', 'TEAM_MEMBER']);
  });

  it('DM-8 no PERMISSION_STILL_GRANTED when nothing else grants it', async () => {
    const carol = await carolAs('LEADER');
    await dm.associate();
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] },
    ]);
    expect(succeeded(payload).warnings).toEqual([]);
  });

  it('DM-8 DIFFERENT_DOMAIN_ACCESS when VIEW_PACKAGE is granted to a DIFFERENT_EMAIL_DOMAIN user (not for another permission)', async () => {
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    const carol = await carolAs('OBSERVER');
    await dm.participant(dm.userRef(erin), 'OBSERVER');
    await dm.associate();
    const first = await dmSet(dm, [{ principal: dm.userRef(erin), permissions: ['RECEIVE_PACKAGE'] }]);
    expect(succeeded(first.payload).warnings).toEqual([]);
    const { payload } = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE'] },
      { principal: dm.userRef(erin), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] },
    ]);
    const warnings = succeeded(payload).warnings;
    expect(warnings.map((w) => w.code)).toEqual(['DIFFERENT_DOMAIN_ACCESS']);
    expect(warnings[0]?.message).toContain('entries.1');
    expect(warnings[0]?.message).toContain('erin@northwind.example');
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual(['PWDM_RECEIVER', 'TEAM_MEMBER']);
  });
});

describe('DM-8 / DM-10 group entries and who may edit', () => {
  it('DM-10 a group edit reconciles every affected team member at once', async () => {
    await dm.world.user('dan@harbor.example');
    await dm.world.user('gil@harbor.example');
    const dan = await dm.dsUser('dan', 'dan@harbor.example');
    const gil = await dm.dsUser('gil', 'gil@harbor.example');
    const g = await dm.group('Crew', [dan.id, gil.id]);
    await dm.participant(dm.groupRef(g), 'LEADER');
    await dm.associate();
    const { payload } = await dmSet(dm, [
      { principal: dm.groupRef(g), permissions: ['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE'] },
    ]);
    expect(succeeded(payload).warnings).toEqual([]);
    const team = await dmTeam(dm);
    for (const email of ['dan@harbor.example', 'gil@harbor.example']) {
      expect(roleKeys(team.get(email))).toEqual(['PWDM_APPROVER', 'TEAM_MEMBER']);
    }
    const named = dmNamedUsers(await dmListing(dm));
    expect(sorted(named.get('dan@harbor.example')?.connectorPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE']),
    );
  });

  it('DM-8 who may: MANAGE_SETTINGS holders (PROJECT_ADMINISTRATOR); not a PWDM_ISSUER (FORBIDDEN) nor a non-reader (NOT_FOUND); nothing written', async () => {
    const carol = await carolAs('OBSERVER');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.erin, 'PWDM_ISSUER');
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.bob, 'PROJECT_ADMINISTRATOR');
    const before = await dm.world.rowCounts();
    const entry = [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ISSUE_PACKAGE'] as DmPermissionName[] },
    ];
    expectTopLevel((await dmSet(dm, entry, 'erin@northwind.example')).result, 'FORBIDDEN');
    const hidden = await dmSet(dm, entry, 'dave@northwind.example');
    expect(hidden.payload).toMatchObject({ __typename: 'UserError', code: 'NOT_FOUND' });
    expect(await dm.world.rowCounts()).toEqual(before);
    // Carol herself holds no MANAGE_SETTINGS: FORBIDDEN (she reads the project as a team member).
    expectTopLevel((await dmSet(dm, entry, CAROL)).result, 'FORBIDDEN');
    const asAdmin = await dmSet(dm, entry, 'bob@harbor.example');
    expect(succeeded(asAdmin.payload).changedEntries).toBe(1);
  });

  it('DM-8 NO_WORK_AREA_ASSOCIATED without a connector', async () => {
    const { payload } = await dmSet(dm, [{ principal: dm.everyoneRef(), permissions: [] }]);
    expect(payload).toMatchObject({ __typename: 'UserError', code: 'NO_WORK_AREA_ASSOCIATED' });
  });
});
