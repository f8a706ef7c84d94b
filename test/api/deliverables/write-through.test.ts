// DM-10 through the API, both directions: connector → team (reconciliation: translated roles added,
// PWDM roles removed when no longer wanted, TEAM_MEMBER / PROJECT_ADMINISTRATOR only removed in the
// team, custom roles and PROJECT_OWNER never touched) and team → connector (the five DM roles set or
// clear the permission on the user's individual entry, or a team-made entry, which a later
// synchronization keeps and which goes when the user leaves the team).
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, mutate } from '../../helpers/ops.js';
import {
  type DmWorld,
  dmEntry,
  dmListing,
  dmNamedUsers,
  dmSet,
  dmSync,
  dmTeam,
  dmWorld,
  gid,
  roleKeys,
} from '../../helpers/world.js';

let dm: DmWorld;

const ALICE = 'alice@harbor.example';
const CAROL = 'carol@harbor.example';
const DAN = 'dan@harbor.example';

beforeEach(async () => {
  dm = await dmWorld();
});

const sorted = (xs: readonly string[] | null | undefined) => (xs ? [...xs].sort() : xs);

async function roles(
  which: 'assignProjectRoles' | 'unassignProjectRoles',
  userId: string,
  keys: Parameters<DmWorld['roleId']>[0][],
  as = ALICE,
) {
  const r = await mutate(
    dm.world,
    which,
    { projectId: dm.pid(), userId: gid('User', userId), roleIds: keys.map((k) => dm.roleId(k)) },
    as,
    'teamMember { email }',
  );
  return expectSuccess(r.payload, r.result);
}

describe('DM-10 connector → team (reconciliation)', () => {
  it('DM-10 a data-source change that takes permissions away: PWDM roles go at the next synchronization; TEAM_MEMBER and PROJECT_ADMINISTRATOR stay (removed only in the team)', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    const g = await dm.group('Admins', [carol.id]);
    await dm.participant(dm.groupRef(g), 'ADMINISTRATOR');
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual([
      'PROJECT_ADMINISTRATOR',
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
    await dm.setGroupMembers(g, []); // carol now reached only by *Everyone (all off)
    const { payload } = await dmSync(dm);
    const unassigned = payload.synchronization.changes
      .filter((c: { change: string }) => c.change === 'ROLE_UNASSIGNED')
      .map((c: { roles: string[]; email: string }) => [c.email, c.roles[0]])
      .sort();
    expect(unassigned).toEqual([
      [CAROL, 'PWDM_ISSUER'],
      [CAROL, 'PWDM_RECEIVER'],
    ]);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual(['PROJECT_ADMINISTRATOR', 'TEAM_MEMBER']);
    // DM-9 managedInTeam: what those roles still grant although the connector lost it.
    const named = (await dmListing(dm)).find((e) => e.name === '*Everyone');
    expect(named?.namedUsers.edges.map((e) => e.node.connectorPermissions)).toEqual([[]]);
  });

  it('DM-10 custom roles and PROJECT_OWNER are never touched by reconciliation', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    const alice = await dm.dsUser('alice', ALICE);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.participant(dm.userRef(alice), 'LEADER');
    await dm.associate();
    const approvers = await dm.world.customRole(dm.project, dm.cast.alice, 'Approvers', ['APPROVE_RFI_RESPONSE']);
    const assigned = await mutate(
      dm.world,
      'assignProjectRoles',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id), roleIds: [gid('ProjectRole', approvers)] },
      ALICE,
      'teamMember { email }',
    );
    expectSuccess(assigned.payload, assigned.result);
    await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE'] },
      { principal: dm.userRef(alice), permissions: ['VIEW_PACKAGE'] },
    ]);
    await dmSync(dm);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    const team = await dmTeam(dm);
    expect(roleKeys(team.get(CAROL))).toEqual(['TEAM_MEMBER', 'custom:Approvers']);
    expect(roleKeys(team.get(ALICE))).toEqual(['PROJECT_OWNER', 'TEAM_MEMBER']);
  });
});

describe('DM-10 team → connector', () => {
  it('DM-10 unassigning a PWDM role from an individual participant clears the permission on their entry; a later synchronization keeps it so', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    await roles('unassignProjectRoles', dm.cast.carol.id, ['PWDM_RECEIVER']);
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(sorted(entry.configuredPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'ISSUE_PACKAGE']));
    await dmSync(dm);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual(['PWDM_ISSUER', 'TEAM_MEMBER']);
  });

  it('DM-10 unassigning TEAM_MEMBER / PROJECT_ADMINISTRATOR clears VIEW_PACKAGE / ADMIN on the entry', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'ADMINISTRATOR');
    await dm.associate();
    await roles('unassignProjectRoles', dm.cast.carol.id, ['TEAM_MEMBER', 'PROJECT_ADMINISTRATOR']);
    expect(sorted(dmEntry(await dmListing(dm), 'carol').configuredPermissions)).toEqual(
      sorted(['RECEIVE_PACKAGE', 'ISSUE_PACKAGE']),
    );
    await dmSync(dm);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER']);
  });

  it('DM-10 assigning a PWDM role (assignProjectRoles) to an individual participant sets the permission on their entry; a later synchronization keeps it', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    await roles('assignProjectRoles', dm.cast.carol.id, ['PWDM_APPROVER']);
    expect(sorted(dmEntry(await dmListing(dm), 'carol').configuredPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE']),
    );
    await dmSync(dm);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toEqual([
      'PWDM_APPROVER',
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
  });

  it('DM-9 after assignProjectRoles the PWDM roles a member holds are exactly those their connector permissions translate to', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    await roles('assignProjectRoles', dm.cast.carol.id, ['PWDM_APPROVER']);
    const user = dmEntry(await dmListing(dm), 'carol').user;
    expect(sorted(user?.connectorPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE']));
    const sync = await dmSync(dm);
    expect(sync.payload.synchronization.changed).toBe(false);
  });

  it('DM-10 a team role change for a named user who is not an individual participant makes a team-made entry (kind USER, origin TEAM) that DM-4 treats as individual', async () => {
    await dm.world.user(DAN);
    const dan = await dm.dsUser('dan', DAN);
    const g = await dm.group('Crew', [dan.id]);
    await dm.participant(dm.groupRef(g), 'LEADER');
    await dm.associate();
    const danId = (await dm.world.gql('{ viewer { id } }', {}, DAN)).data?.viewer.id as string;
    const r = await mutate(
      dm.world,
      'unassignProjectRoles',
      { projectId: dm.pid(), userId: danId, roleIds: [dm.roleId('PWDM_ISSUER')] },
      ALICE,
      'teamMember { email }',
    );
    expectSuccess(r.payload, r.result);
    const listing = await dmListing(dm);
    const made = dmEntry(listing, 'dan', 'TEAM');
    expect(made).toMatchObject({ kind: 'USER', origin: 'TEAM', role: null });
    expect(sorted(made.configuredPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']));
    expect(sorted(made.user?.connectorPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']));
    // The group keeps its own entry.
    expect(sorted(dmEntry(listing, 'Crew').configuredPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']),
    );
    // A later synchronization keeps the team's choice.
    const sync = await dmSync(dm);
    expect(sync.payload.synchronization.changed).toBe(false);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(roleKeys((await dmTeam(dm)).get(DAN))).toEqual(['PWDM_RECEIVER', 'TEAM_MEMBER']);
    // DM-8 may edit it.
    const set = await dmSet(dm, [
      { principal: dm.userRef(dan), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'APPROVE_RFI_RESPONSE'] },
    ]);
    expect(set.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    expect(roleKeys((await dmTeam(dm)).get(DAN))).toEqual(['PWDM_APPROVER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
    // It is deleted when dan leaves the team.
    const before = (await dm.world.rowCounts()).connectorEntries ?? 0;
    const removed = await mutate(dm.world, 'removeTeamMember', { projectId: dm.pid(), userId: danId }, ALICE);
    expectSuccess(removed.payload, removed.result);
    expect((await dm.world.rowCounts()).connectorEntries).toBe(before - 1);
    expect((await dmListing(dm)).filter((e) => e.origin === 'TEAM')).toEqual([]);
    expect(dmNamedUsers(await dmListing(dm)).get(DAN)?.connectorPermissions).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
    ]);
  });

  it('DM-10 addTeamMember with a DM role for a *Everyone-only named user creates a team-made entry from their connector permissions', async () => {
    await dm.world.user(DAN);
    await dm.dsUser('dan', DAN);
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    const r = await mutate(
      dm.world,
      'addTeamMember',
      { projectId: dm.pid(), email: DAN, roleIds: [dm.roleId('TEAM_MEMBER')] },
      ALICE,
      'teamMember { source }',
    );
    expect(expectSuccess(r.payload, r.result).teamMember.source).toBe('TEAM');
    const made = dmEntry(await dmListing(dm), 'dan', 'TEAM');
    expect(made.configuredPermissions).toEqual(['VIEW_PACKAGE']);
    // DM-7 keeps a TEAM member; DM-6 has nothing to change.
    expect((await dmSync(dm)).payload.synchronization.changed).toBe(false);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(roleKeys((await dmTeam(dm)).get(DAN))).toEqual(['TEAM_MEMBER']);
  });

  it('DM-10 custom roles and PROJECT_OWNER write nothing to the connector', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    const custom = await dm.world.customRole(dm.project, dm.cast.alice, 'Receivers', ['RECEIVE_EXTERNAL_PACKAGES']);
    const r = await mutate(
      dm.world,
      'assignProjectRoles',
      {
        projectId: dm.pid(),
        userId: gid('User', dm.cast.carol.id),
        roleIds: [gid('ProjectRole', custom), dm.roleId('PROJECT_OWNER')],
      },
      ALICE,
      'teamMember { email }',
    );
    expectSuccess(r.payload, r.result);
    await roles('unassignProjectRoles', dm.cast.carol.id, ['PROJECT_OWNER']);
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(entry.configuredPermissions).toEqual(['VIEW_PACKAGE']);
    expect((await dmListing(dm)).filter((e) => e.origin === 'TEAM')).toEqual([]);
  });
});
