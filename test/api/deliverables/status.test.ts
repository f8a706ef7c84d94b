// DM-1 through the API: every status of a named user and its reason, read from
// project.deliverablesParticipants, computed when read from the data-source user's email (lower-cased,
// never its identity), the registered profiles, the internal domain and the last synchronization.
import { beforeEach, describe, expect, it } from 'vitest';
import { type DmWorld, dmEntry, dmListing, dmNamedUsers, dmSync, dmWorld } from '../../helpers/world.js';

let dm: DmWorld;

beforeEach(async () => {
  dm = await dmWorld();
});

async function statusOf(login: string) {
  const user = dmEntry(await dmListing(dm), login).user;
  if (!user) throw new Error(`no named user for ${login}`);
  return user;
}

async function sync() {
  const { payload } = await dmSync(dm);
  expect(payload?.__typename).toBe('SynchronizeDeliverablesSuccess');
  return payload;
}

describe('DM-1 statuses and their reasons', () => {
  it('DM-1 EMAIL_ADDRESS_MISSING: a data-source user without an email', async () => {
    const u = await dm.dsUser('nomail');
    await dm.participant(dm.userRef(u), 'ADMINISTRATOR');
    await dm.associate();
    const user = await statusOf('nomail');
    expect(user.status).toBe('EMAIL_ADDRESS_MISSING');
    expect(user.email).toBeNull();
    expect(user.statusReason).toMatch(/no email/i);
    expect(user.teamMember).toBe(false);
  });

  it('DM-1 IMS_ACCOUNT_MISSING: the email matches no registered profile', async () => {
    const u = await dm.dsUser('ghost', 'ghost@harbor.example');
    await dm.participant(dm.userRef(u), 'ADMINISTRATOR');
    await dm.associate();
    const user = await statusOf('ghost');
    expect(user.status).toBe('IMS_ACCOUNT_MISSING');
    expect(user.statusReason).toContain('ghost@harbor.example');
    expect(user.effectivePermissions).toBeNull();
    expect(user.teamMember).toBe(false);
  });

  it('DM-1 ACTIVE_USER (internal domain) and DIFFERENT_EMAIL_DOMAIN (another domain, a subdomain included) after a synchronization', async () => {
    await dm.world.user('x@sub.harbor.example');
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    const sub = await dm.dsUser('sub', 'x@sub.harbor.example');
    for (const u of [carol, erin, sub]) await dm.participant(dm.userRef(u), 'TEAM_MEMBER');
    await dm.associate();
    const carolView = await statusOf('carol');
    expect(carolView.status).toBe('ACTIVE_USER');
    expect(carolView.statusReason).toContain('harbor.example');
    const erinView = await statusOf('erin');
    expect(erinView.status).toBe('DIFFERENT_EMAIL_DOMAIN');
    expect(erinView.statusReason).toContain('harbor.example');
    expect((await statusOf('sub')).status).toBe('DIFFERENT_EMAIL_DOMAIN');
  });

  it('DM-1 NO_ACCESS_YET: a participant added after the last synchronization; ACTIVE_USER once synchronized', async () => {
    await dm.associate();
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.participant(dm.userRef(erin), 'LEADER');
    const before = await statusOf('carol');
    expect(before.status).toBe('NO_ACCESS_YET');
    expect(before.statusReason).toMatch(/next synchronization/);
    expect((await statusOf('erin')).status).toBe('NO_ACCESS_YET');
    await sync();
    expect((await statusOf('carol')).status).toBe('ACTIVE_USER');
    expect((await statusOf('erin')).status).toBe('DIFFERENT_EMAIL_DOMAIN');
  });

  it('DM-1 NO_ACCESS_YET: a user who joins a participating group after the last synchronization', async () => {
    const carol = await dm.dsUser('carol', 'carol@harbor.example');
    const bob = await dm.dsUser('bob', 'bob@harbor.example');
    const g = await dm.group('Crew', [carol.id]);
    await dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    await dm.associate();
    await dm.setGroupMembers(g, [carol.id, bob.id]);
    const named = dmNamedUsers(await dmListing(dm));
    expect(named.get('carol@harbor.example')?.status).toBe('ACTIVE_USER');
    expect(named.get('bob@harbor.example')?.status).toBe('NO_ACCESS_YET');
  });

  it('DM-1 NO_ACCESS_YET: the profile was registered after the last synchronization (IMS_ACCOUNT_MISSING before)', async () => {
    const u = await dm.dsUser('gil', 'gil@harbor.example');
    await dm.participant(dm.userRef(u), 'LEADER');
    await dm.associate();
    expect((await statusOf('gil')).status).toBe('IMS_ACCOUNT_MISSING');
    await dm.world.user('gil@harbor.example');
    expect((await statusOf('gil')).status).toBe('NO_ACCESS_YET');
    await sync();
    const after = await statusOf('gil');
    expect(after.status).toBe('ACTIVE_USER');
    expect(after.teamMember).toBe(true);
  });

  it('DM-1 NO_ACCESS_YET: the email changed (to another registered profile) after the last synchronization; email removed: EMAIL_ADDRESS_MISSING at once', async () => {
    await dm.world.user('dan@harbor.example');
    const u = await dm.dsUser('carol', 'carol@harbor.example');
    await dm.participant(dm.userRef(u), 'OBSERVER');
    await dm.associate();
    expect((await statusOf('carol')).status).toBe('ACTIVE_USER');
    await dm.setEmail(u.id, 'dan@harbor.example');
    const changed = await statusOf('carol');
    expect(changed.status).toBe('NO_ACCESS_YET');
    expect(changed.email).toBe('dan@harbor.example');
    await sync();
    expect((await statusOf('carol')).status).toBe('ACTIVE_USER');
    await dm.setEmail(u.id, null);
    expect((await statusOf('carol')).status).toBe('EMAIL_ADDRESS_MISSING');
  });

  it('DM-1 NO_ACCESS_YET: an email added to a user who had none; synchronizing makes them ACTIVE_USER', async () => {
    const u = await dm.dsUser('carol');
    await dm.participant(dm.userRef(u), 'OBSERVER');
    await dm.associate();
    expect((await statusOf('carol')).status).toBe('EMAIL_ADDRESS_MISSING');
    await dm.setEmail(u.id, 'carol@harbor.example');
    expect((await statusOf('carol')).status).toBe('NO_ACCESS_YET');
    await sync();
    expect((await statusOf('carol')).status).toBe('ACTIVE_USER');
  });

  it('DM-1 NO_ACCESS_YET: a participant removed and added back after the last synchronization became a named user again', async () => {
    const u = await dm.dsUser('carol', 'carol@harbor.example');
    await dm.participant(dm.userRef(u), 'OBSERVER');
    await dm.associate();
    await dm.removeParticipant(dm.userRef(u));
    await dm.participant(dm.userRef(u), 'OBSERVER');
    expect((await statusOf('carol')).status).toBe('NO_ACCESS_YET');
  });

  it('DM-1 NO_ACCESS_YET: a user taken out of the group that names them and put back before the next synchronization', async () => {
    const u = await dm.dsUser('carol', 'carol@harbor.example');
    const keeper = await dm.dsUser('keeper', 'alice@harbor.example');
    const group = await dm.group('Crew', [u.id, keeper.id]);
    await dm.participant(dm.groupRef(group), 'OBSERVER');
    await dm.participant(dm.userRef(keeper), 'OBSERVER');
    await dm.associate();
    const carolStatus = async () => dmNamedUsers(await dmListing(dm)).get('carol@harbor.example')?.status;
    expect(await carolStatus()).toBe('ACTIVE_USER');
    await dm.setGroupMembers(group, [keeper.id]);
    await dm.setGroupMembers(group, [u.id, keeper.id]);
    expect(await carolStatus()).toBe('NO_ACCESS_YET');
    // Someone who stayed named keeps their synchronization.
    expect((await statusOf('keeper')).status).toBe('ACTIVE_USER');
  });
});

describe('DM-1 judges the data-source email, lower-cased, never the identity', () => {
  it('DM-1 an upper-case email matches its (lower-case) profile and the internal domain', async () => {
    const u = await dm.dsUser('carol', 'Carol@HARBOR.Example');
    await dm.participant(dm.userRef(u), 'OBSERVER');
    await dm.associate();
    const view = await statusOf('carol');
    expect(view.email).toBe('carol@harbor.example');
    expect(view.status).toBe('ACTIVE_USER');
  });

  it('DM-1 the identity is ignored: no email but a registered identity is EMAIL_ADDRESS_MISSING; an unregistered email with a registered identity is IMS_ACCOUNT_MISSING; an external email with an internal identity is DIFFERENT_EMAIL_DOMAIN', async () => {
    const a = await dm.dsUser('a', null, 'carol@harbor.example');
    const b = await dm.dsUser('b', 'ghost@harbor.example', 'bob@harbor.example');
    const c = await dm.dsUser('c', 'erin@northwind.example', 'alice@harbor.example');
    for (const u of [a, b, c]) await dm.participant(dm.userRef(u), 'LEADER');
    await dm.associate();
    expect((await statusOf('a')).status).toBe('EMAIL_ADDRESS_MISSING');
    expect((await statusOf('b')).status).toBe('IMS_ACCOUNT_MISSING');
    const cView = await statusOf('c');
    expect(cView.status).toBe('DIFFERENT_EMAIL_DOMAIN');
    expect(cView.email).toBe('erin@northwind.example');
    // DIFFERENT_EMAIL_DOMAIN: no defaults (DM-2), so no permissions.
    expect(cView.connectorPermissions).toEqual([]);
  });
});
