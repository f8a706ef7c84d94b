// WA-2 / DM-5 through the API: associateWorkArea (the initial synchronization in the same
// transaction), ALREADY_ASSOCIATED, ACCOUNT_MISMATCH, DELIVERABLES_NOT_ENABLED, who may (authorization
// first), dissociateWorkArea; nothing is written on any error.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import {
  DM_REPORT,
  type DmWorld,
  dmListing,
  dmTeam,
  dmWorld,
  type GqlResult,
  gid,
  roleKeys,
} from '../../helpers/world.js';

let dm: DmWorld;

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';

beforeEach(async () => {
  dm = await dmWorld();
});

const ok = (r: { payload: Record<string, any> | null; result: GqlResult }) => expectSuccess(r.payload, r.result);

const associate = (as: string | null, projectId = dm.project.id, workAreaId = dm.area.id) =>
  mutate(
    dm.world,
    'associateWorkArea',
    { projectId: gid('Project', projectId), workAreaId: gid('WorkArea', workAreaId) },
    as,
    `project { id workArea { name } } ${DM_REPORT}`,
  );

const dissociate = (as: string | null, projectId = dm.project.id) =>
  mutate(
    dm.world,
    'dissociateWorkArea',
    { projectId: gid('Project', projectId) },
    as,
    'project { id workArea { id } }',
  );

describe('WA-2 / DM-5 associating a work area runs the initial synchronization', () => {
  it('DM-5 ACTIVE_USER and DIFFERENT_EMAIL_DOMAIN named users join as WORK_AREA members with their DM-3 roles; the others do not', async () => {
    const { cast } = dm;
    await dm.world.user('dan@harbor.example');
    const carolU = await dm.dsUser('carol', 'carol@harbor.example');
    const bobU = await dm.dsUser('bob', 'Bob@Harbor.example');
    const erinU = await dm.dsUser('erin', 'erin@northwind.example');
    const nomail = await dm.dsUser('nomail');
    const ghost = await dm.dsUser('ghost', 'ghost@harbor.example');
    const aliceU = await dm.dsUser('alice', 'alice@harbor.example');
    await dm.dsUser('dan', 'dan@harbor.example'); // reached only through *Everyone
    await dm.dsUser('frank', 'frank@freelance.example'); // reached only through *Everyone
    const admins = await dm.group('Admins', [bobU.id]);
    await dm.participant(dm.userRef(carolU), 'LEADER');
    await dm.participant(dm.groupRef(admins), 'ADMINISTRATOR');
    await dm.participant(dm.userRef(erinU), 'TEAM_MEMBER');
    await dm.participant(dm.userRef(nomail), 'OBSERVER');
    await dm.participant(dm.userRef(ghost), 'OBSERVER');
    await dm.participant(dm.userRef(aliceU), 'OBSERVER');
    await dm.participant(dm.everyoneRef(), 'ADMINISTRATOR');

    const { payload, result } = await associate(ALICE);
    const res = expectSuccess(payload, result);
    expect(res.project.workArea).toEqual({ name: 'Bridge' });
    expect(res.synchronization.rule).toBe('DM-5');
    expect(res.synchronization.changed).toBe(true);
    const added = res.synchronization.changes
      .filter((c: { change: string }) => c.change === 'MEMBER_ADDED')
      .map((c: { email: string; roles: string[]; rule: string }) => [c.email, c.rule, [...c.roles].sort()]);
    expect(added.sort()).toEqual(
      [
        ['bob@harbor.example', 'DM-5', ['PROJECT_ADMINISTRATOR', 'PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']],
        ['carol@harbor.example', 'DM-5', ['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']],
        ['erin@northwind.example', 'DM-5', []],
      ].sort(),
    );

    const team = await dmTeam(dm);
    expect([...team.keys()].sort()).toEqual([
      'alice@harbor.example',
      'bob@harbor.example',
      'carol@harbor.example',
      'erin@northwind.example',
    ]);
    expect(team.get(CAROL)?.source).toBe('WORK_AREA');
    expect(roleKeys(team.get(CAROL))).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
    expect(team.get(BOB)?.source).toBe('WORK_AREA');
    expect(roleKeys(team.get(BOB))).toEqual(['PROJECT_ADMINISTRATOR', 'PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
    // DIFFERENT_EMAIL_DOMAIN: joins, with no default permissions, so no roles.
    expect(team.get('erin@northwind.example')).toMatchObject({ source: 'WORK_AREA', roles: [] });
    // The Project Owner stays a TEAM member; reconciliation adds the role OBSERVER's VIEW_PACKAGE translates to.
    expect(team.get(ALICE)?.source).toBe('TEAM');
    expect(roleKeys(team.get(ALICE))).toEqual(['PROJECT_OWNER', 'TEAM_MEMBER']);
    // *Everyone-only users (all permissions off, DM-2) do not join; missing email / profile never do.
    expect(team.has('dan@harbor.example')).toBe(false);
    expect(team.has('frank@freelance.example')).toBe(false);
    expect(team.has('ghost@harbor.example')).toBe(false);
    expect(cast.carol.email).toBe(CAROL);
  });

  it('DM-5 an empty work area adds nobody (seed 002: associate an empty work area first)', async () => {
    const before = await dm.world.rowCounts();
    const res = ok(await associate(ALICE));
    expect(res.synchronization).toEqual({ rule: 'DM-5', changed: false, changes: [] });
    const team = await dmTeam(dm);
    expect([...team.keys()]).toEqual([ALICE]);
    const after = await dm.world.rowCounts();
    expect(after.teamMembers).toBe(before.teamMembers);
    expect(after.connectors).toBe((before.connectors ?? 0) + 1);
  });

  it('DM-5 a user reached only through *Everyone does not join, even in the internal domain; through a group too, they do', async () => {
    const dan = await dm.world.user('dan@harbor.example');
    const danU = await dm.dsUser('dan', dan.email);
    await dm.participant(dm.everyoneRef(), 'LEADER');
    ok(await associate(ALICE));
    expect((await dmTeam(dm)).has(dan.email)).toBe(false);
    // The same user also through a TEAM_MEMBER group: not *Everyone-only any more (DM-7 re-applies DM-5's rule).
    const g = await dm.group('Crew', [danU.id]);
    await dm.participant(dm.groupRef(g), 'TEAM_MEMBER');
    const { payload } = await mutate(
      dm.world,
      'synchronizeWorkAreaConnection',
      { projectId: dm.pid() },
      ALICE,
      'synchronization { changed }',
    );
    expect(payload?.synchronization.changed).toBe(true);
    expect(roleKeys((await dmTeam(dm)).get(dan.email))).toEqual(['TEAM_MEMBER']);
  });
});

describe('WA-2 rules: one each way, same account, DM enabled', () => {
  it('WA-2 ALREADY_ASSOCIATED: the work area with a second project, the project with a second work area, the same pair again', async () => {
    ok(await associate(ALICE));
    const other = await dm.world.enableDeliverables(await dm.world.project(dm.cast.alice, 'P-2'), dm.cast.alice);
    const area2 = await dm.world.workArea(dm.ds, dm.cast.alice, 'Tunnel');
    const before = await dm.world.rowCounts();
    const a = expectUserError((await associate(ALICE, other.id, dm.area.id)).payload, 'ALREADY_ASSOCIATED');
    expectUserError((await associate(ALICE, dm.project.id, area2.id)).payload, 'ALREADY_ASSOCIATED');
    expectUserError((await associate(ALICE)).payload, 'ALREADY_ASSOCIATED');
    expect(a.path).toEqual(['input', 'workAreaId']);
    expect(await dm.world.rowCounts()).toEqual(before);
    // The other pair still associates.
    ok(await associate(ALICE, other.id, area2.id));
  });

  it('WA-2 ACCOUNT_MISMATCH: an IMS admin of one account who owns another account’s project', async () => {
    const { cast, world } = dm;
    // Dave administers Northwind's data source and is made a Project Owner of Harbor's project.
    const nds = await world.dataSource(cast.supplier, cast.dave, 'Northwind PW');
    const narea = await world.workArea(nds, cast.dave, 'Survey');
    const nU = await world.dsUser(nds, cast.dave, 'erin', { email: 'erin@northwind.example' });
    await world.participant(narea, cast.dave, { kind: 'USER', id: nU.id }, 'ADMINISTRATOR');
    await world.teamMember(dm.project, cast.alice, cast.dave, 'PROJECT_OWNER');
    const before = await world.rowCounts();
    const err = expectUserError((await associate(DAVE, dm.project.id, narea.id)).payload, 'ACCOUNT_MISMATCH');
    expect(err.path).toEqual(['input', 'workAreaId']);
    expect(await world.rowCounts()).toEqual(before);
    // And the reverse: Harbor's admin with a Northwind-owned project is not even allowed to see Northwind's work area.
    expectUserError((await associate(ALICE, dm.project.id, narea.id)).payload, 'NOT_FOUND');
  });

  it('WA-2 DELIVERABLES_NOT_ENABLED on a project without DM; nothing written', async () => {
    const plain = await dm.world.project(dm.cast.alice, 'P-PLAIN');
    const u = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(u), 'ADMINISTRATOR');
    const before = await dm.world.rowCounts();
    const err = expectUserError((await associate(ALICE, plain.id)).payload, 'DELIVERABLES_NOT_ENABLED');
    expect(err.path).toEqual(['input', 'projectId']);
    expect(await dm.world.rowCounts()).toEqual(before);
  });

  it('WA-2 rule order: ALREADY_ASSOCIATED before ACCOUNT_MISMATCH before DELIVERABLES_NOT_ENABLED', async () => {
    const { cast, world } = dm;
    // A Northwind work area, a Harbor project without DM, dave Project Owner of it: mismatch AND not enabled.
    const nds = await world.dataSource(cast.supplier, cast.dave, 'Northwind PW');
    const narea = await world.workArea(nds, cast.dave, 'Survey');
    const plain = await world.project(cast.alice, 'P-PLAIN');
    await world.teamMember(plain, cast.alice, cast.dave, 'PROJECT_OWNER');
    expectUserError((await associate(DAVE, plain.id, narea.id)).payload, 'ACCOUNT_MISMATCH');
    // Dave associates the Northwind work area with a Northwind project, then tries the Harbor one.
    const np = await world.enableDeliverables(await world.project(cast.dave, 'N-1'), cast.dave);
    ok(await associate(DAVE, np.id, narea.id));
    expectUserError((await associate(DAVE, plain.id, narea.id)).payload, 'ALREADY_ASSOCIATED');
  });
});

describe('WA-2 who may associate: administers the data source AND manages the project settings', () => {
  it('WA-2 may: the ACCOUNT_ADMIN Project Owner; a CO_ADMINISTRATOR who is not on the team (IMS admin)', async () => {
    ok(await associate(BOB));
    const other = await dm.world.enableDeliverables(await dm.world.project(dm.cast.alice, 'P-2'), dm.cast.alice);
    const area2 = await dm.world.workArea(dm.ds, dm.cast.alice, 'Tunnel');
    ok(await associate(ALICE, other.id, area2.id));
  });

  it('WA-2 may not: a plain member with PROJECT_ADMINISTRATOR (cannot see the work area: NOT_FOUND)', async () => {
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'PROJECT_ADMINISTRATOR');
    const before = await dm.world.rowCounts();
    const err = expectUserError((await associate(CAROL)).payload, 'NOT_FOUND');
    expect(err.message).not.toContain('Bridge');
    expect(await dm.world.rowCounts()).toEqual(before);
  });

  it('WA-2 may not: a data-source admin who reads the project but does not manage its settings (FORBIDDEN); who cannot read it (NOT_FOUND)', async () => {
    const { cast, world } = dm;
    // Dave administers Northwind's data source; Harbor's project is not his to read …
    const nds = await world.dataSource(cast.supplier, cast.dave, 'Northwind PW');
    const narea = await world.workArea(nds, cast.dave, 'Survey');
    const before = await world.rowCounts();
    const r1 = await associate(DAVE, dm.project.id, narea.id);
    expectUserError(r1.payload, 'NOT_FOUND');
    expect(r1.payload?.message).not.toContain('P-DM');
    // … then he is a PROJECT_ADMINISTRATOR on its team: he reads it, but project settings are not his.
    await world.teamMember(dm.project, cast.alice, cast.dave, 'PROJECT_ADMINISTRATOR');
    const before2 = await world.rowCounts();
    expectTopLevel((await associate(DAVE, dm.project.id, narea.id)).result, 'FORBIDDEN');
    expect(await world.rowCounts()).toEqual(before2);
    expect(before2.teamMembers).toBe((before.teamMembers ?? 0) + 1);
  });

  it('WA-2 anonymous callers get UNAUTHENTICATED', async () => {
    expectTopLevel((await associate(null)).result, 'UNAUTHENTICATED');
  });
});

describe('WA-2 dissociateWorkArea', () => {
  it('WA-2 the connector entries go; WORK_AREA members stay as TEAM members with their roles', async () => {
    const carolU = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carolU), 'LEADER');
    await dm.associate();
    const listing = await dmListing(dm);
    expect(listing.map((e) => e.name)).toEqual(['carol']);
    const before = await dm.world.rowCounts();
    expect(before.connectorEntries).toBe(1);
    const res = ok(await dissociate(ALICE));
    expect(res.project.workArea).toBeNull();
    const after = await dm.world.rowCounts();
    expect(after.connectorEntries).toBe(0);
    expect(after.connectors).toBe((before.connectors ?? 0) - 1);
    expect(after.teamMembers).toBe(before.teamMembers);
    const carol = (await dmTeam(dm)).get(CAROL);
    expect(carol?.source).toBe('TEAM');
    expect(roleKeys(carol)).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
    expect(await dmListing(dm)).toEqual([]);
    // The work area may be associated again (with a fresh initial synchronization).
    ok(await associate(ALICE));
  });

  it('WA-2 dissociate: same callers as associating; NO_WORK_AREA_ASSOCIATED when none; nothing written on errors', async () => {
    expectUserError((await dissociate(ALICE)).payload, 'NO_WORK_AREA_ASSOCIATED');
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'PROJECT_ADMINISTRATOR');
    const before = await dm.world.rowCounts();
    // Carol (PROJECT_ADMINISTRATOR) reads the project but does not manage its settings.
    expectTopLevel((await dissociate(CAROL)).result, 'FORBIDDEN');
    expectUserError((await dissociate(DAVE)).payload, 'NOT_FOUND');
    expect(await dm.world.rowCounts()).toEqual(before);
    ok(await dissociate(BOB));
  });
});
