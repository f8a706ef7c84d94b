// Findings of the review of §7, each pinned by a test: PRJ-7 holds through the connector and through
// team edits (no escalation by DM-3's translation), DM-9 after every team edit, §9 in reports and the
// listing, DM-1 when an email goes and comes back, and what the listing and explanations report.
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
const BOB = 'bob@harbor.example';

beforeEach(async () => {
  dm = await dmWorld();
});

describe('PRJ-7 through the connector and team edits', () => {
  it('PRJ-7 / DM-8 a Project Administrator cannot make anyone (themselves included) a PWDM_ISSUER through ISSUE_PACKAGE', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'TEAM_MEMBER');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'PROJECT_ADMINISTRATOR');
    const before = await dm.world.rowCounts();
    // Her entry holds VIEW_PACKAGE (TEAM_MEMBER's default) and ADMIN (written through by her role, DM-10).
    const { payload } = await dmSet(
      dm,
      [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ADMIN', 'ISSUE_PACKAGE'] }],
      CAROL,
    );
    expect(payload.__typename).toBe('DeliverablesPermissionsError');
    expect(payload.entries, JSON.stringify(payload.entries)).toMatchObject([
      { code: 'CANNOT_GRANT_UNHELD_PERMISSION', path: ['input', 'entries', '0'] },
    ]);
    expect(await dm.world.rowCounts()).toEqual(before);
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).not.toContain('PWDM_ISSUER');
    // RECEIVE_PACKAGE (PWDM_RECEIVER: a permission she holds) is hers to give.
    const ok = await dmSet(
      dm,
      [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ADMIN', 'RECEIVE_PACKAGE'] }],
      CAROL,
    );
    expect(ok.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    // A Project Owner may give ISSUE_PACKAGE (they hold every permission).
    const owner = await dmSet(
      dm,
      [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ADMIN', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'] }],
      ALICE,
    );
    expect(owner.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    expect(roleKeys((await dmTeam(dm)).get(CAROL))).toContain('PWDM_ISSUER');
  });

  it('PRJ-7 / DM-9 an issuer cannot add to the team someone whose connector permissions translate to PROJECT_ADMINISTRATOR', async () => {
    const bob = await dm.dsUser('bob', BOB);
    await dm.participant(dm.userRef(bob), 'ADMINISTRATOR');
    await dm.associate();
    await mutate(dm.world, 'removeTeamMember', { projectId: dm.pid(), userId: gid('User', dm.cast.bob.id) }, ALICE);
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'PWDM_ISSUER');
    const before = await dm.world.rowCounts();
    const refused = await mutate(dm.world, 'addTeamMember', { projectId: dm.pid(), email: BOB }, CAROL);
    expect(refused.payload).toMatchObject({
      __typename: 'UserError',
      code: 'CANNOT_GRANT_UNHELD_PERMISSION',
      path: ['input', 'email'],
    });
    expect(await dm.world.rowCounts()).toEqual(before);
  });

  it('DM-9 addTeamMember without roles reconciles the new member at once (they hold what their connector permissions translate to)', async () => {
    const bob = await dm.dsUser('bob', BOB);
    await dm.participant(dm.userRef(bob), 'LEADER');
    await dm.associate();
    await mutate(dm.world, 'removeTeamMember', { projectId: dm.pid(), userId: gid('User', dm.cast.bob.id) }, ALICE);
    const added = await mutate(
      dm.world,
      'addTeamMember',
      { projectId: dm.pid(), email: BOB },
      ALICE,
      'teamMember { source }',
    );
    expectSuccess(added.payload, added.result);
    expect(roleKeys((await dmTeam(dm)).get(BOB)).sort()).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
  });

  it('DM-9 a team edit reconciles other members whose data-source change is pending (not only the edited one)', async () => {
    const bob = await dm.dsUser('bob', BOB);
    const carol = await dm.dsUser('carol', CAROL);
    const lead = await dm.dsUser('lead', ALICE);
    await dm.participant(dm.groupRef(await dm.group('Crew', [bob.id])), 'TEAM_MEMBER');
    const leads = await dm.group('Leads', [lead.id]);
    await dm.participant(dm.groupRef(leads), 'LEADER');
    await dm.participant(dm.userRef(carol), 'TEAM_MEMBER');
    await dm.associate();
    // Bob joins the (initialised) LEADER group: his connector permissions gain RECEIVE and ISSUE at once.
    await dm.setGroupMembers(leads, [lead.id, bob.id]);
    expect(roleKeys((await dmTeam(dm)).get(BOB))).toEqual(['TEAM_MEMBER']);
    await mutate(
      dm.world,
      'assignProjectRoles',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id), roleIds: [dm.roleId('PWDM_APPROVER')] },
      ALICE,
    );
    expect(roleKeys((await dmTeam(dm)).get(BOB)).sort()).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
  });
});

describe('§9 in reports and the listing', () => {
  it('§9 a synchronization report shows principals only to those who may read them (the data source’s admins)', async () => {
    await dm.participant(dm.userRef(await dm.dsUser('bob', BOB)), 'LEADER');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.frank, 'PROJECT_ADMINISTRATOR');
    await dm.participant(dm.userRef(await dm.dsUser('carol', CAROL)), 'OBSERVER');
    const query = `mutation($i: SynchronizeDeliverablesInput!) { synchronizeDeliverables(input: $i) {
      ... on SynchronizeDeliverablesSuccess { synchronization { changes { change email principal { __typename } } } } } }`;
    const byFrank = await dm.world.gql(query, { i: { projectId: dm.pid() } }, 'frank@freelance.example');
    const changes = byFrank.data?.synchronizeDeliverables?.synchronization?.changes as {
      change: string;
      email: string | null;
      principal: unknown;
    }[];
    expect(changes.map((c) => c.change).sort()).toEqual(
      ['ENTRY_INITIALIZED', 'MEMBER_ADDED', 'ROLE_ASSIGNED', 'USER_SYNCHRONIZED'].filter((k) =>
        changes.some((c) => c.change === k),
      ),
    );
    expect(changes.some((c) => c.change === 'ENTRY_INITIALIZED')).toBe(true);
    expect(changes.every((c) => c.principal === null)).toBe(true);
    // The data source's admin (Alice) reads them.
    await dm.participant(dm.userRef(await dm.dsUser('erin', 'erin@northwind.example')), 'OBSERVER');
    const byAlice = await dm.world.gql(query, { i: { projectId: dm.pid() } }, ALICE);
    const seen = byAlice.data?.synchronizeDeliverables?.synchronization?.changes as { principal: unknown }[];
    expect(seen.some((c) => c.principal !== null)).toBe(true);
  });

  it('§9 the listing hides the effective permissions of a named user who is neither on the team nor readable by you', async () => {
    const bob = await dm.dsUser('bob', BOB);
    await dm.participant(dm.userRef(bob), 'OBSERVER');
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    await mutate(dm.world, 'removeTeamMember', { projectId: dm.pid(), userId: gid('User', dm.cast.bob.id) }, ALICE);
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.frank, 'PROJECT_ADMINISTRATOR');
    const query = `query($id: ID!) { project(id: $id) { deliverablesParticipants { edges { node { name user { teamMember effectivePermissions { isImsAdmin } } } } } } }`;
    const entry = async (as: string) =>
      (
        ((await dm.world.gql(query, { id: dm.pid() }, as)).data?.project?.deliverablesParticipants?.edges ?? []) as {
          node: { name: string; user: { teamMember: boolean; effectivePermissions: unknown } | null };
        }[]
      ).find((e) => e.node.name === 'bob')?.node.user;
    expect(await entry('frank@freelance.example')).toEqual({ teamMember: false, effectivePermissions: null });
    // Alice may read Bob (an IMS admin of his account): she sees them.
    expect((await entry(ALICE))?.effectivePermissions).toEqual({ isImsAdmin: true });
  });
});

describe('DM-1, DM-9 details', () => {
  it('DM-1 NO_ACCESS_YET: an email removed and restored (the same one) waits for the next synchronization', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    await dm.setEmail(carol.id, null);
    await dm.setEmail(carol.id, CAROL);
    expect(dmEntry(await dmListing(dm), 'carol').user?.status).toBe('NO_ACCESS_YET');
  });

  it('DM-9 an entry is pendingSync when a synchronization would initialise it; not after the synchronization', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    const group = await dm.group('Later', [carol.id]);
    await dm.participant(dm.groupRef(group), 'LEADER');
    expect(dmEntry(await dmListing(dm), 'Later')).toMatchObject({ configuredPermissions: null, pendingSync: true });
    await dmSync(dm);
    expect(dmEntry(await dmListing(dm), 'Later')).toMatchObject({
      configuredPermissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'],
      pendingSync: false,
    });
  });

  it('DM-9 explanations say when team and connector disagree (a data-source change awaits a synchronization)', async () => {
    const bob = await dm.dsUser('bob', BOB);
    const lead = await dm.dsUser('lead', ALICE);
    await dm.participant(dm.groupRef(await dm.group('Crew', [bob.id])), 'TEAM_MEMBER');
    const leads = await dm.group('Leads', [lead.id]);
    await dm.participant(dm.groupRef(leads), 'LEADER');
    await dm.associate();
    await dm.setGroupMembers(leads, [lead.id, bob.id]);
    const named = dmNamedUsers(await dmListing(dm)).get(BOB);
    expect(named?.pendingSync).toBe(true);
    const e = await dm.world.gql(
      `query($p: ID!, $u: ID!) { explainParticipant(projectId: $p, dataSourceUserId: $u) { steps { rule outcome detail } } }`,
      { p: dm.pid(), u: gid('DataSourceUser', bob.id) },
      ALICE,
    );
    const last = ((e.data?.explainParticipant?.steps ?? []) as { rule: string; outcome: string; detail: string }[]).at(
      -1,
    );
    expect(last).toMatchObject({ rule: 'DM-10', outcome: 'FAILED' });
    expect(last?.detail).toContain('adds PWDM_RECEIVER, PWDM_ISSUER');
    await dmSync(dm);
    const after = await dm.world.gql(
      `query($p: ID!, $u: ID!) { explainParticipant(projectId: $p, dataSourceUserId: $u) { steps { rule outcome } } }`,
      { p: dm.pid(), u: gid('DataSourceUser', bob.id) },
      ALICE,
    );
    expect(((after.data?.explainParticipant?.steps ?? []) as { rule: string; outcome: string }[]).at(-1)).toEqual({
      rule: 'DM-10',
      outcome: 'PASSED',
    });
  });
});

describe('DM-8 NO_ACCESS participants', () => {
  it('DM-8 an individual NO_ACCESS participant is NOT_A_PARTICIPANT even with a team-made entry from before', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.groupRef(await dm.group('Crew', [carol.id])), 'TEAM_MEMBER');
    await dm.associate();
    // A DM role assigned in the team makes a team-made entry for her (she is not an individual participant).
    await mutate(
      dm.world,
      'assignProjectRoles',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id), roleIds: [dm.roleId('PWDM_RECEIVER')] },
      ALICE,
    );
    expect(dmEntry(await dmListing(dm), 'carol', 'TEAM').configuredPermissions).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
    ]);
    await dm.participant(dm.userRef(carol), 'NO_ACCESS');
    const before = await dm.world.rowCounts();
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'ADMIN'] }]);
    expect(payload.entries).toMatchObject([{ code: 'NOT_A_PARTICIPANT', path: ['input', 'entries', '0'] }]);
    expect(await dm.world.rowCounts()).toEqual(before);
  });
});
