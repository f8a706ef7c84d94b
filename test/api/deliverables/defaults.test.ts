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

beforeEach(async () => {
  dm = await dmWorld();
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
      const carol = await dm.dsUser('carol', 'carol@harbor.example');
      const bob = await dm.dsUser('bob', 'bob@harbor.example');
      await dm.world.user('dan@harbor.example');
      const dan = await dm.dsUser('dan', 'dan@harbor.example');
      const g = await dm.group('G', [bob.id]);
      const l = await dm.list('L', [dm.userRef(dan)]);
      await dm.participant(dm.userRef(carol), r);
      await dm.participant(dm.groupRef(g), r);
      await dm.participant(dm.listRef(l), r);
      await dm.participant(dm.everyoneRef(), r);
      await dm.associate();
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
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const g = await dm.group('G', [bob.id]);
    const l = await dm.list('L', [dm.userRef(bob)]);
    const obs = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(carol), 'NO_ACCESS');
    await dm.participant(dm.groupRef(g), 'NO_ACCESS');
    await dm.participant(dm.listRef(l), 'NO_ACCESS');
    await dm.participant(dm.userRef(obs), 'OBSERVER');
    await dm.associate();
    const listing = await dmListing(dm);
    expect(listing.map((e) => e.name)).toEqual(['erin']);
    expect((await dm.world.rowCounts()).connectorEntries).toBe(1);
    expect([...(await dmTeam(dm)).keys()].sort()).toEqual(['alice@harbor.example', 'erin@northwind.example']);
  });

  it('DM-2 a DIFFERENT_EMAIL_DOMAIN user entry starts empty, whatever its role', async () => {
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(erin), 'ADMINISTRATOR');
    await dm.associate();
    const entry = dmEntry(await dmListing(dm), 'erin');
    expect(entry.configuredPermissions).toEqual([]);
    expect(entry.user?.connectorPermissions).toEqual([]);
  });

  it('DM-2 a user entry gets its defaults at the first synchronization at which the user is ACTIVE_USER (not before)', async () => {
    const gil = await dm.dsUser('gil', 'gil@harbor.example');
    await dm.participant(dm.userRef(gil), 'LEADER');
    await dm.associate();
    expect(dmEntry(await dmListing(dm), 'gil').configuredPermissions).toBeNull();
    await dm.world.user('gil@harbor.example');
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
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    const set = await dmSet(dm, [{ principal: dm.userRef(carol), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }]);
    expect(set.payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    await dm.participant(dm.userRef(carol), 'ADMINISTRATOR');
    await dmSync(dm);
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(entry.role).toBe('ADMINISTRATOR');
    expect(sorted(entry.configuredPermissions)).toEqual(sorted(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']));
    expect(roleKeys((await dmTeam(dm)).get('carol@harbor.example'))).toEqual(['PWDM_RECEIVER', 'TEAM_MEMBER']);
  });

  it('DM-2 an entry DM-8 already set keeps its value at its first synchronization (defaults are not applied over it)', async () => {
    await dm.associate();
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    await dm.participant(dm.userRef(carol), 'LEADER');
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
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    await dmSet(dm, [
      {
        principal: dm.userRef(carol),
        permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE'],
      },
    ]);
    const entries = (await dm.world.rowCounts()).connectorEntries;
    await dm.removeParticipant(dm.userRef(carol));
    expect((await dm.world.rowCounts()).connectorEntries).toBe((entries ?? 0) - 1);
    expect(await dmListing(dm)).toEqual([]);
    await dm.participant(dm.userRef(carol), 'OBSERVER');
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
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(erin), 'OBSERVER');
    await dm.associate();
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual([]);
    const { payload } = await dmSet(dm, [{ principal: dm.userRef(erin), permissions: [permission] }]);
    expect(payload.__typename).toBe('SetDeliverablesPermissionsSuccess');
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual([DM3_ROLE_OF[permission]]);
  });

  it('DM-3 groups and lists are expanded into named users: the team holds users only', async () => {
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const g = await dm.group('G', [bob.id, carol.id]);
    await dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    await dm.associate();
    const team = await dmTeam(dm);
    expect([...team.keys()].sort()).toEqual(['alice@harbor.example', 'bob@harbor.example', 'carol@harbor.example']);
    const g2 = dmEntry(await dmListing(dm), 'G');
    expect(g2.user).toBeNull();
    expect(g2.namedUsers.edges.map((e) => e.node.email).sort()).toEqual(['bob@harbor.example', 'carol@harbor.example']);
  });
});

describe('DM-4 connector permissions', () => {
  it('DM-4 the individual entry overrides the groups (even when it has fewer permissions)', async () => {
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const g = await dm.group('Admins', [carol.id]);
    await dm.participant(dm.groupRef(g), 'ADMINISTRATOR');
    await dm.participant(dm.userRef(carol), 'OBSERVER');
    await dm.associate();
    const entry = dmEntry(await dmListing(dm), 'carol');
    expect(entry.user?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
    expect(roleKeys((await dmTeam(dm)).get('carol@harbor.example'))).toEqual(['TEAM_MEMBER']);
  });

  it('DM-4 the union of every group, list (transitively, cycles harmless) and *Everyone that contain the user', async () => {
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const g = await dm.group('Viewers', [bob.id]);
    const inner = await dm.list('Inner', [dm.userRef(bob)]);
    const outer = await dm.list('Outer', [dm.listRef(inner)]);
    await dm.setListMembers(inner, [dm.userRef(bob), dm.listRef(outer)]); // a cycle
    await dm.participant(dm.groupRef(g), 'OBSERVER');
    await dm.participant(dm.listRef(outer), 'LEADER');
    await dm.participant(dm.everyoneRef(), 'TEAM_MEMBER');
    await dm.associate();
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
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    const g = await dm.group('Admins', [erin.id]);
    const l = await dm.list('L', [dm.userRef(erin)]);
    await dm.participant(dm.groupRef(g), 'ADMINISTRATOR');
    await dm.participant(dm.listRef(l), 'LEADER');
    await dm.participant(dm.everyoneRef(), 'TEAM_MEMBER');
    await dm.associate();
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
    await dm.world.user('dan@harbor.example');
    await dm.world.user('gil@harbor.example');
    const dan = await dm.dsUser('dan', 'dan@harbor.example');
    const gil = await dm.dsUser('gil', 'gil@harbor.example');
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const admins = await dm.group('Admins', [dan.id, bob.id]);
    const blocked = await dm.group('Blocked', [gil.id]);
    const l = await dm.list('L', [dm.userRef(dan)]);
    await dm.participant(dm.groupRef(admins), 'ADMINISTRATOR');
    await dm.participant(dm.listRef(l), 'LEADER');
    await dm.participant(dm.userRef(dan), 'NO_ACCESS');
    await dm.participant(dm.groupRef(blocked), 'NO_ACCESS');
    await dm.associate();
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
