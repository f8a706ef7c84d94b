// DM-2 (default permissions by work-area role, applied once), DM-3 (permission → role), DM-4
// (individual entry overrides; union of groups, lists transitively and *Everyone; nothing inherited in
// another domain) and WA-1b (an individual NO_ACCESS wins), through the API.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DM3_ROLE_OF,
  type DmPermissionName,
  type DmWorld,
  dmEntry,
  dmListing,
  dmNamedUsers,
  dmSet,
  dmSync,
  dmTeam,
  dmWorld,
  roleKeys,
} from '../../helpers/world.js';

let dm: DmWorld;

beforeEach(() => {
  dm = dmWorld();
});

const sorted = (xs: readonly string[] | null | undefined) => (xs ? [...xs].sort() : xs);

/** DM-2 exactly as the spec gives it (seed 004's table). */
const DM2: [string, DmPermissionName[]][] = [
  ['ADMINISTRATOR', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']],
  ['LEADER', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']],
  ['TEAM_MEMBER', ['VIEW_PACKAGE']],
  ['OBSERVER', ['VIEW_PACKAGE']],
  ['CUSTOM', ['VIEW_PACKAGE']],
];

describe('DM-2 default permissions by work-area role', () => {
  it.each(DM2)(
    'DM-2 %s → its defaults on user, group and list entries; *Everyone all off; the user gets the DM-3 roles',
    async (role, defaults) => {
      const r = role as 'ADMINISTRATOR';
      const carol = dm.dsUser('carol', 'carol@harbor.example');
      const bob = dm.dsUser('bob', 'bob@harbor.example');
      dm.world.user('dan@harbor.example');
      const dan = dm.dsUser('dan', 'dan@harbor.example');
      const g = dm.group('G', [bob.id]);
      const l = dm.list('L', [dm.userRef(dan)]);
      dm.participant(dm.userRef(carol), r);
      dm.participant(dm.groupRef(g), r);
      dm.participant(dm.listRef(l), r);
      dm.participant(dm.everyoneRef(), r);
      dm.associate();
      const listing = await dmListing(dm);
      expect(listing.map((e) => [e.name, e.kind, e.role])).toEqual([
        ['carol', 'USER', role],
        ['G', 'GROUP', role],
        ['L', 'LIST', role],
        ['*Everyone', 'EVERYONE', role],
      ]);
      expect(sorted(dmEntry(listing, 'carol').configuredPermissions)).toEqual(sorted(defaults));
      expect(sorted(dmEntry(listing, 'G').configuredPermissions)).toEqual(sorted(defaults));
      expect(sorted(dmEntry(listing, 'L').configuredPermissions)).toEqual(sorted(defaults));
      expect(dmEntry(listing, '*Everyone').configuredPermissions).toEqual([]);
      const team = await dmTeam(dm);
      const translated = defaults.map((p) => DM3_ROLE_OF[p]).sort();
      for (const email of ['carol@harbor.example', 'bob@harbor.example', 'dan@harbor.example']) {
        expect(team.get(email)?.source).toBe('WORK_AREA');
        expect(roleKeys(team.get(email))).toEqual(translated);
      }
    },
  );

  it('DM-2 NO_ACCESS participants (user, group, list) have no entry at all', async () => {
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    const bob = dm.dsUser('bob', 'bob@harbor.example');
    const g = dm.group('G', [bob.id]);
    const l = dm.list('L', [dm.userRef(bob)]);
    const obs = dm.dsUser('erin', 'erin@northwind.example');
    dm.participant(dm.userRef(carol), 'NO_ACCESS');
    dm.participant(dm.groupRef(g), 'NO_ACCESS');
    dm.participant(dm.listRef(l), 'NO_ACCESS');
    dm.participant(dm.userRef(obs), 'OBSERVER');
    dm.associate();
    const listing = await dmListing(dm);
    expect(listing.map((e) => e.name)).toEqual(['erin']);
    expect(dm.world.rowCounts().connectorEntries).toBe(1);
    expect([...(await dmTeam(dm)).keys()].sort()).toEqual(['alice@harbor.example', 'erin@northwind.example']);
  });

  it('DM-2 a DIFFERENT_EMAIL_DOMAIN user entry starts empty, whatever its role', async () => {
    const erin = dm.dsUser('erin', 'erin@northwind.example');
    dm.participant(dm.userRef(erin), 'ADMINISTRATOR');
    dm.associate();
    const entry = dmEntry(await dmListing(dm), 'erin');
    expect(entry.configuredPermissions).toEqual([]);
    expect(entry.user?.connectorPermissions).toEqual([]);
  });

  it('DM-2 a user entry gets its defaults at the first synchronization at which the user is ACTIVE_USER (not before)', async () => {
    const gil = dm.dsUser('gil', 'gil@harbor.example');
    dm.participant(dm.userRef(gil), 'LEADER');
    dm.associate();
    expect(dmEntry(await dmListing(dm), 'gil').configuredPermissions).toBeNull();
    dm.world.user('gil@harbor.example');
    // Registered but not synchronized yet: still not initialised.
    expect(dmEntry(await dmListing(dm), 'gil').configuredPermissions).toBeNull();
    const { payload } = await dmSync(dm);
    const init = payload.synchronization.changes.filter((c: { change: string }) => c.change === 'ENTRY_INITIALIZED');
    expect(init.map((c: { rule: string; permissions: string[] }) => [c.rule, sorted(c.permissions)])).toEqual([
      ['DM-2', sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'])],
    ]);
    expect(sorted(dmEntry(await dmListing(dm), 'gil').configuredPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']),
    );
  });

  it('DM-2 defaults are applied once: neither a later synchronization nor a change of work-area role resets an entry', async () => {
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    dm.participant(dm.userRef(carol), 'LEADER');
    dm.associate();
    const set = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }]);
    expect(set.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    dm.participant(dm.userRef(carol), 'ADMINISTRATOR');
    await dmSync(dm);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(entry.role).toBe('ADMINISTRATOR');
    expect(sorted(entry.configuredPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']));
    expect(roleKeys((await dmTeam(dm)).get('carol@harbor.example'))).toEqual(['PWDM_RECEIVER', 'TEAM_MEMBER']);
  });

  it('DM-2 an entry DM-8 already set keeps its value at its first synchronization (defaults are not applied over it)', async () => {
    dm.associate();
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    dm.participant(dm.userRef(carol), 'LEADER');
    const set = await dmSet(dm, [
      { principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE'] },
    ]);
    expect(set.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    await dmSync(dm);
    expect(sorted(dmEntry(await dmListing(dm), 'carol').configuredPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE']),
    );
    expect(roleKeys((await dmTeam(dm)).get('carol@harbor.example'))).toEqual(['PWDM_APPROVER', 'TEAM_MEMBER']);
  });

  it('DM-2 removing a participant deletes its entry; adding it again makes a new one (defaults of its new role)', async () => {
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    dm.participant(dm.userRef(carol), 'LEADER');
    dm.associate();
    await dmSet(dm, [
      {
        principal: dm.userRef(carol),
        permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE'],
      },
    ]);
    const entries = dm.world.rowCounts().connectorEntries;
    dm.removeParticipant(dm.userRef(carol));
    expect(dm.world.rowCounts().connectorEntries).toBe((entries ?? 0) - 1);
    expect(await dmListing(dm)).toEqual([]);
    dm.participant(dm.userRef(carol), 'OBSERVER');
    await dmSync(dm);
    expect(dmEntry(await dmListing(dm), 'carol').configuredPermissions).toEqual(['VIEW_PACKAGE']);
  });
});

describe('DM-3 permission → built-in role', () => {
  const PERMS: DmPermissionName[] = [
    'VIEW_PACKAGE',
    'RECEIVE_PACKAGE',
    'ISSUE_PACKAGE',
    'APPROVE_RFI_RESPONSE',
    'ADMIN',
  ];
  it.each(PERMS)('DM-3 %s alone translates to exactly its role', async (permission) => {
    const erin = dm.dsUser('erin', 'erin@northwind.example');
    dm.participant(dm.userRef(erin), 'OBSERVER');
    dm.associate();
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual([]);
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(erin), permissions: [permission] }]);
    expect(payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual([DM3_ROLE_OF[permission]]);
  });

  it('DM-3 groups and lists are expanded into named users: the team holds users only', async () => {
    const bob = dm.dsUser('bob', 'bob@harbor.example');
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    const g = dm.group('G', [bob.id, carol.id]);
    dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    dm.associate();
    const team = await dmTeam(dm);
    expect([...team.keys()].sort()).toEqual(['alice@harbor.example', 'bob@harbor.example', 'carol@harbor.example']);
    const g2 = dmEntry(await dmListing(dm), 'G');
    expect(g2.user).toBeNull();
    expect(g2.namedUsers.edges.map((e) => e.node.email).sort()).toEqual(['bob@harbor.example', 'carol@harbor.example']);
  });
});

describe('DM-4 connector permissions', () => {
  it('DM-4 the individual entry overrides the groups (even when it has fewer permissions)', async () => {
    const carol = dm.dsUser('carol', 'carol@harbor.example');
    const g = dm.group('Admins', [carol.id]);
    dm.participant(dm.groupRef(g), 'ADMINISTRATOR');
    dm.participant(dm.userRef(carol), 'OBSERVER');
    dm.associate();
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(entry.user?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
    expect(roleKeys((await dmTeam(dm)).get('carol@harbor.example'))).toEqual(['TEAM_MEMBER']);
  });

  it('DM-4 the union of every group, list (transitively, cycles harmless) and *Everyone that contain the user', async () => {
    const bob = dm.dsUser('bob', 'bob@harbor.example');
    const g = dm.group('Viewers', [bob.id]);
    const inner = dm.list('Inner', [dm.userRef(bob)]);
    const outer = dm.list('Outer', [dm.listRef(inner)]);
    dm.setListMembers(inner, [dm.userRef(bob), dm.listRef(outer)]); // a cycle
    dm.participant(dm.groupRef(g), 'OBSERVER');
    dm.participant(dm.listRef(outer), 'LEADER');
    dm.participant(dm.everyoneRef(), 'TEAM_MEMBER');
    dm.associate();
    const set = await dmSet(dm, [{ principal: dm.everyoneRef(), permissions: ['APPROVE_RFI_RESPONSE'] }]);
    expect(set.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    const bobView = dmNamedUsers(await dmListing(dm)).get('bob@harbor.example');
    expect(sorted(bobView?.connectorPermissions)).toEqual(
      sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE']),
    );
    expect(roleKeys((await dmTeam(dm)).get('bob@harbor.example'))).toEqual([
      'PWDM_APPROVER',
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
  });

  it('DM-4 nothing is inherited by a DIFFERENT_EMAIL_DOMAIN user (groups, lists, *Everyone); their own entry counts', async () => {
    const erin = dm.dsUser('erin', 'erin@northwind.example');
    const g = dm.group('Admins', [erin.id]);
    const l = dm.list('L', [dm.userRef(erin)]);
    dm.participant(dm.groupRef(g), 'ADMINISTRATOR');
    dm.participant(dm.listRef(l), 'LEADER');
    dm.participant(dm.everyoneRef(), 'TEAM_MEMBER');
    dm.associate();
    await dmSet(dm, [{ principal: dm.everyoneRef(), permissions: ['VIEW_PACKAGE'] }]);
    const erinView = dmNamedUsers(await dmListing(dm)).get('erin@northwind.example');
    expect(erinView?.status).toBe('DIFFERENT_EMAIL_DOMAIN');
    expect(erinView?.connectorPermissions).toEqual([]);
    const team = await dmTeam(dm);
    expect(team.get('erin@northwind.example')?.source).toBe('WORK_AREA');
    expect(roleKeys(team.get('erin@northwind.example'))).toEqual([]);
  });
});

describe('WA-1b an individual NO_ACCESS wins', () => {
  it('WA-1b a user with an individual NO_ACCESS is behind nothing, whatever groups, lists and *Everyone say; a NO_ACCESS group adds nobody', async () => {
    dm.world.user('dan@harbor.example');
    dm.world.user('gil@harbor.example');
    const dan = dm.dsUser('dan', 'dan@harbor.example');
    const gil = dm.dsUser('gil', 'gil@harbor.example');
    const bob = dm.dsUser('bob', 'bob@harbor.example');
    const admins = dm.group('Admins', [dan.id, bob.id]);
    const blocked = dm.group('Blocked', [gil.id]);
    const l = dm.list('L', [dm.userRef(dan)]);
    dm.participant(dm.groupRef(admins), 'ADMINISTRATOR');
    dm.participant(dm.listRef(l), 'LEADER');
    dm.participant(dm.userRef(dan), 'NO_ACCESS');
    dm.participant(dm.groupRef(blocked), 'NO_ACCESS');
    dm.associate();
    const listing = await dmListing(dm);
    expect(listing.map((e) => e.name)).toEqual(['Admins', 'L']);
    expect(dmEntry(listing, 'Admins').namedUsers.edges.map((e) => e.node.email)).toEqual(['bob@harbor.example']);
    expect(dmEntry(listing, 'L').namedUsers.totalCount).toBe(0);
    const team = await dmTeam(dm);
    expect([...team.keys()].sort()).toEqual(['alice@harbor.example', 'bob@harbor.example']);
    // DM-8 on the NO_ACCESS participant: NOT_A_PARTICIPANT.
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(dan), permissions: ['VIEW_PACKAGE'] }]);
    expect(payload.entries.map((e: { code: string }) => e.code)).toEqual(['NOT_A_PARTICIPANT']);
  });
});
