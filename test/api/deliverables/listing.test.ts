// DM-9 through the API: the connector listing (project.deliverablesParticipants) — its fields,
// pendingSync and managedInTeam, group expansion; §9: who may read it; and a constant number of SQL
// statements whatever the page size.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectTopLevel } from '../../helpers/ops.js';
import { type DmWorld, dmEntry, dmListing, dmNamedUsers, dmSync, dmWorld } from '../../helpers/world.js';

let dm: DmWorld;

const CAROL = 'carol@harbor.example';
const DAN = 'dan@harbor.example';

beforeEach(async () => {
  dm = await dmWorld();
});

const sorted = (xs: readonly string[] | null | undefined) => (xs ? [...xs].sort() : xs);
type Grant = {
  permission: string;
  granted: boolean;
  grantedBy: { kind: string; role: { builtIn: string | null; name: string } | null }[];
};
const provenance = (grants: Grant[] | undefined) =>
  Object.fromEntries(
    (grants ?? []).map((g) => [g.permission, g.grantedBy.map((s) => s.role?.builtIn ?? s.role?.name ?? s.kind)]),
  );

describe('DM-9 the connector listing', () => {
  it('DM-9 every entry with principal, kind, origin, role, configured permissions; users with status, connector and effective permissions (with provenance), team membership', async () => {
    await dm.world.user(DAN);
    const carol = await dm.dsUser('carol', CAROL);
    const dan = await dm.dsUser('dan', DAN);
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    const g = await dm.group('Crew', [dan.id]);
    const l = await dm.list('Outside', [dm.userRef(erin)]);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    await dm.participant(dm.listRef(l), 'OBSERVER');
    await dm.participant(dm.everyoneRef(), 'ADMINISTRATOR');
    await dm.associate();
    const listing = await dmListing(dm);
    expect(
      listing.map((e) => [e.name, e.kind, e.origin, e.role, e.principal?.__typename, sorted(e.configuredPermissions)]),
    ).toEqual([
      [
        'carol',
        'USER',
        'PARTICIPANT',
        'LEADER',
        'DataSourceUser',
        sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']),
      ],
      ['Crew', 'GROUP', 'PARTICIPANT', 'TEAM_MEMBER', 'DataSourceGroup', ['VIEW_PACKAGE']],
      ['Outside', 'LIST', 'PARTICIPANT', 'OBSERVER', 'UserList', ['VIEW_PACKAGE']],
      ['*Everyone', 'EVERYONE', 'PARTICIPANT', 'ADMINISTRATOR', 'EveryoneGroup', []],
    ]);
    const c = dmEntry(listing, 'carol').user;
    expect(c).toMatchObject({
      email: CAROL,
      status: 'ACTIVE_USER',
      teamMember: true,
      pendingSync: false,
      managedInTeam: [],
    });
    expect(sorted(c?.connectorPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']));
    const grants = c?.effectivePermissions?.deliverablesPermissions;
    expect(grants?.filter((g2) => g2.granted).map((g2) => g2.permission)).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
    ]);
    expect(provenance(grants)).toEqual({
      VIEW_PACKAGE: ['TEAM_MEMBER'],
      RECEIVE_PACKAGE: ['PWDM_RECEIVER'],
      ISSUE_PACKAGE: ['PWDM_ISSUER'],
      APPROVE_RFI_RESPONSE: [],
      ADMIN: [],
    });
    // Groups, lists and *Everyone have no `user`; they expand into named users.
    expect(dmEntry(listing, 'Crew').user).toBeNull();
    expect(dmEntry(listing, 'Crew').namedUsers.edges.map((e) => [e.node.email, e.node.connectorPermissions])).toEqual([
      [DAN, ['VIEW_PACKAGE']],
    ]);
    expect(dmEntry(listing, 'Outside').namedUsers.edges.map((e) => [e.node.email, e.node.status])).toEqual([
      ['erin@northwind.example', 'DIFFERENT_EMAIL_DOMAIN'],
    ]);
    const everyone = dmEntry(listing, '*Everyone').namedUsers;
    expect(everyone.totalCount).toBe(3);
    expect(everyone.edges.map((e) => e.node.email).sort()).toEqual([CAROL, DAN, 'erin@northwind.example']);
  });

  it('DM-9 effective permissions are read live (PRJ-8): an IMS admin’s come from IMS_ADMIN, a Project Owner’s from PROJECT_OWNER', async () => {
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const alice = await dm.dsUser('alice', 'alice@harbor.example');
    await dm.participant(dm.userRef(bob), 'OBSERVER');
    await dm.participant(dm.userRef(alice), 'OBSERVER');
    await dm.associate();
    const listing = await dmListing(dm);
    expect(provenance(dmEntry(listing, 'bob').user?.effectivePermissions?.deliverablesPermissions).ADMIN).toEqual([
      'IMS_ADMIN',
    ]);
    expect(provenance(dmEntry(listing, 'alice').user?.effectivePermissions?.deliverablesPermissions).ADMIN).toEqual([
      'PROJECT_OWNER',
      'IMS_ADMIN',
    ]);
  });

  it('DM-9 pendingSync after a data-source change (membership, email, participant); false after a synchronization', async () => {
    await dm.world.user(DAN);
    await dm.world.user('gil@harbor.example');
    const carol = await dm.dsUser('carol', CAROL);
    const dan = await dm.dsUser('dan', DAN);
    const gil = await dm.dsUser('gil', 'gil@harbor.example');
    const g = await dm.group('Crew', [dan.id]);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    await dm.associate();
    let listing = await dmListing(dm);
    expect(listing.map((e) => e.pendingSync)).toEqual([false, false]);
    expect(dmEntry(listing, 'carol').user?.pendingSync).toBe(false);
    // membership
    await dm.setGroupMembers(g, [dan.id, gil.id]);
    listing = await dmListing(dm);
    const crew = dmNamedUsers(listing);
    expect(crew.get('gil@harbor.example')?.pendingSync).toBe(true);
    expect(crew.get(DAN)?.pendingSync).toBe(false);
    expect(dmEntry(listing, 'carol').pendingSync).toBe(false);
    // email
    await dm.setEmail(carol.id, 'Carol.New@harbor.example');
    await dm.world.user('carol.new@harbor.example');
    listing = await dmListing(dm);
    expect(dmEntry(listing, 'carol').pendingSync).toBe(true);
    expect(dmEntry(listing, 'carol').user?.pendingSync).toBe(true);
    // participant
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(erin), 'LEADER');
    listing = await dmListing(dm);
    expect(dmEntry(listing, 'erin').pendingSync).toBe(true);
    expect(dmEntry(listing, 'erin').configuredPermissions).toBeNull();
    await dmSync(dm);
    listing = await dmListing(dm);
    expect(listing.map((e) => [e.name, e.pendingSync, e.user?.pendingSync ?? null])).toEqual([
      ['carol', false, false],
      ['Crew', false, null],
      ['erin', false, false],
    ]);
    expect([...dmNamedUsers(listing).values()].map((u) => u.pendingSync)).toEqual([false, false, false, false]);
  });

  it('DM-9 managedInTeam: the DM permissions a team role still grants after the connector lost them', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    const g = await dm.group('Admins', [carol.id]);
    await dm.participant(dm.groupRef(g), 'LEADER');
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    expect(dmNamedUsers(await dmListing(dm)).get(CAROL)?.managedInTeam).toEqual([]);
    await dm.setGroupMembers(g, []); // the data source takes VIEW_PACKAGE away
    await dmSync(dm);
    const view = dmNamedUsers(await dmListing(dm)).get(CAROL);
    expect(view?.connectorPermissions).toEqual([]);
    // TEAM_MEMBER (VIEW_PACKAGE) stays in the team (DM-10); PWDM roles went.
    expect(view?.managedInTeam).toEqual(['VIEW_PACKAGE']);
  });
});

describe('§9 who may read the listing', () => {
  const QUERY = `query($id: ID!) { project(id: $id) { number deliverablesParticipants { totalCount } } }`;

  it('§9 MANAGE_SETTINGS holders read it (Project Owner, IMS admin, PROJECT_ADMINISTRATOR); a PWDM_ISSUER gets null + FORBIDDEN; a non-reader gets project null', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.erin, 'PROJECT_ADMINISTRATOR');
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.frank, 'PWDM_ISSUER', 'TEAM_MEMBER');
    for (const who of ['alice@harbor.example', 'bob@harbor.example', 'erin@northwind.example']) {
      const r = await dm.world.gql(QUERY, { id: dm.pid() }, who);
      expect(r.errors, who).toBeUndefined();
      expect(r.data?.project.deliverablesParticipants.totalCount, who).toBe(1);
    }
    for (const who of ['frank@freelance.example', CAROL]) {
      const r = await dm.world.gql(QUERY, { id: dm.pid() }, who);
      expect(r.data?.project.number, who).toBe('P-DM');
      expect(r.data?.project.deliverablesParticipants, who).toBeNull();
      expectTopLevel(r, 'FORBIDDEN');
    }
    const dave = await dm.world.gql(QUERY, { id: dm.pid() }, 'dave@northwind.example');
    expect(dave.data?.project).toBeNull();
  });

  it('§9 the data-source principal is hidden from a MANAGE_SETTINGS holder who does not administer the data source (name still shown)', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.erin, 'PROJECT_ADMINISTRATOR');
    const listing = await dmListing(dm, 'erin@northwind.example');
    expect(listing.map((e) => [e.name, e.principal])).toEqual([['carol', null]]);
  });
});

describe('DM-9 listing cost', () => {
  it('DM-9 first: 50 and first: 500 with statuses and effective permissions run the same number of SQL statements (≥ 600 participants)', async () => {
    const { world } = dm;
    for (let i = 0; i < 620; i++) {
      const email = `u${i}@harbor.example`;
      if (i % 3 !== 0) await world.user(email);
      const u = await dm.dsUser(`u${i}`, i % 7 === 0 ? null : email);
      await dm.participant(dm.userRef(u), i % 2 === 0 ? 'LEADER' : 'OBSERVER');
    }
    await dm.associate();
    const query = (first: number) =>
      world.gql(
        `query($id: ID!, $first: Int) { project(id: $id) { deliverablesParticipants(first: $first) { totalCount edges { node {
          name configuredPermissions user { status statusReason teamMember
            effectivePermissions { deliverablesPermissions { permission granted } } } } } } } }`,
        { id: dm.pid(), first },
        'alice@harbor.example',
      );
    await query(1); // warm-up (template and token caches)
    world.resetSqlCount();
    const small = await query(50);
    const at50 = world.sqlCount();
    world.resetSqlCount();
    const large = await query(500);
    const at500 = world.sqlCount();
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(small.data?.project.deliverablesParticipants.totalCount).toBe(620);
    expect(large.data?.project.deliverablesParticipants.edges).toHaveLength(500);
    const statuses = new Set(
      large.data?.project.deliverablesParticipants.edges.map(
        (e: { node: { user: { status: string } } }) => e.node.user.status,
      ),
    );
    expect([...statuses].sort()).toEqual(['ACTIVE_USER', 'EMAIL_ADDRESS_MISSING', 'IMS_ACCOUNT_MISSING']);
    expect(at500).toBe(at50);
  });
});

describe('DM-9 API.md names on the listing entry', () => {
  it('DM-9 a user entry carries status, statusReason, connectorPermissions, effectivePermissions and teamMember itself; a group entry null', async () => {
    const dm = await dmWorld();
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const group = await dm.group('Crew', [carol.id]);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.participant(dm.groupRef(group), 'OBSERVER');
    await dm.associate();
    const result = await dm.world.gql(
      `query($id: ID!) { project(id: $id) { deliverablesParticipants { edges { node { name status statusReason
        connectorPermissions teamMember effectivePermissions { isProjectOwner } user { status connectorPermissions } } } } } }`,
      { id: dm.pid() },
      'alice@harbor.example',
    );
    const nodesByName = new Map(
      ((result.data?.project?.deliverablesParticipants?.edges ?? []) as { node: Record<string, unknown> }[]).map(
        (e) => [e.node.name, e.node],
      ),
    );
    expect(nodesByName.get('carol')).toMatchObject({
      status: 'ACTIVE_USER',
      connectorPermissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'],
      teamMember: true,
      effectivePermissions: { isProjectOwner: false },
      user: { status: 'ACTIVE_USER', connectorPermissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'] },
    });
    expect(typeof nodesByName.get('carol')?.statusReason).toBe('string');
    expect(nodesByName.get('Crew')).toMatchObject({
      status: null,
      statusReason: null,
      connectorPermissions: null,
      teamMember: null,
      effectivePermissions: null,
      user: null,
    });
  });
});
