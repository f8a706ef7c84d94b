// DM-6 (synchronizeDeliverables: add-only, idempotent, reports its changes with rule ids) and DM-7
// (synchronizeWorkAreaConnection: also removes WORK_AREA members no longer behind a participant),
// NO_WORK_AREA_ASSOCIATED, who may synchronize, addTeamMember / removeTeamMember and DM-7.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import {
  type DmWorld,
  dmEntry,
  dmListing,
  dmSet,
  dmSync,
  dmTeam,
  dmWorld,
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

/** Row counts without the append-only audit log (every mutation writes one entry, §10). */
async function counts() {
  return Object.fromEntries(Object.entries(await dm.world.rowCounts()).filter(([name]) => !/audit/i.test(name)));
}

type Change = { change: string; rule: string; email: string | null; roles: string[]; permissions: string[] | null };
const changesOf = (payload: { synchronization: { changes: Change[] } }) => payload.synchronization.changes;

describe('DM-6 synchronizeDeliverables', () => {
  it('DM-6 reports what it changed with the rule ids; a second run changes nothing (changed: false, no rows)', async () => {
    await dm.associate();
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    const first = await dmSync(dm);
    expect(first.payload.__typename).toBe('SynchronizeDeliverablesSuccess');
    expect(first.payload.synchronization.rule).toBe('DM-6');
    expect(first.payload.synchronization.changed).toBe(true);
    const summary = changesOf(first.payload)
      .map((c) => `${c.change}/${c.rule}`)
      .sort();
    expect(summary).toEqual(['ENTRY_INITIALIZED/DM-2', 'MEMBER_ADDED/DM-6', 'USER_SYNCHRONIZED/DM-1']);
    const added = changesOf(first.payload).find((c) => c.change === 'MEMBER_ADDED');
    expect(added?.email).toBe(CAROL);
    expect([...(added?.roles ?? [])].sort()).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
    const before = await counts();
    const second = await dmSync(dm);
    expect(second.payload.synchronization).toEqual({ rule: 'DM-6', changed: false, changes: [] });
    expect(await counts()).toEqual(before);
  });

  it('DM-6 never removes a team member (a participant removed stays on the team)', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    await dm.removeParticipant(dm.userRef(carol));
    const { payload } = await dmSync(dm);
    expect(changesOf(payload).filter((c) => c.change === 'MEMBER_REMOVED')).toEqual([]);
    const member = (await dmTeam(dm)).get(CAROL);
    expect(member?.source).toBe('WORK_AREA');
    expect(roleKeys(member)).toEqual(['PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER']);
  });

  it('DM-6 adds only named users whose connector permissions include VIEW_PACKAGE (DM-7 also adds synchronized users without it)', async () => {
    await dm.world.user('dan@harbor.example');
    await dm.dsUser('dan', 'dan@harbor.example');
    await dm.participant(dm.everyoneRef(), 'LEADER');
    await dm.associate();
    const erin = await dm.dsUser('erin', 'erin@northwind.example');
    await dm.participant(dm.userRef(erin), 'ADMINISTRATOR'); // DIFFERENT_EMAIL_DOMAIN: entry starts empty
    await dmSync(dm);
    let team = await dmTeam(dm);
    expect(team.has('dan@harbor.example')).toBe(false);
    expect(team.has('erin@northwind.example')).toBe(false);
    // *Everyone gets VIEW_PACKAGE: DM-6 now adds dan.
    await dmSet(dm, [{ principal: dm.everyoneRef(), permissions: ['VIEW_PACKAGE'] }]);
    const { payload } = await dmSync(dm);
    expect(
      changesOf(payload)
        .filter((c) => c.change === 'MEMBER_ADDED')
        .map((c) => [c.email, c.roles]),
    ).toEqual([['dan@harbor.example', ['TEAM_MEMBER']]]);
    team = await dmTeam(dm);
    expect(team.get('dan@harbor.example')?.source).toBe('WORK_AREA');
    expect(team.has('erin@northwind.example')).toBe(false);
    // DM-7 applies DM-5's rule: a synchronized user not only through *Everyone joins, with no roles.
    const conn = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(changesOf(conn.payload).map((c) => [c.change, c.rule, c.email])).toEqual([
      ['MEMBER_ADDED', 'DM-7', 'erin@northwind.example'],
    ]);
    expect(roleKeys((await dmTeam(dm)).get('erin@northwind.example'))).toEqual([]);
  });

  it('DM-6 / DM-7 NO_WORK_AREA_ASSOCIATED without an associated work area; nothing written', async () => {
    const before = await dm.world.rowCounts();
    const a = await dmSync(dm);
    expect(a.payload).toMatchObject({ __typename: 'UserError', code: 'NO_WORK_AREA_ASSOCIATED' });
    const b = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(b.payload).toMatchObject({ __typename: 'UserError', code: 'NO_WORK_AREA_ASSOCIATED' });
    expect(await dm.world.rowCounts()).toEqual(before);
  });

  it('DM-6 / DM-7 who may: MANAGE_SETTINGS holders (PROJECT_ADMINISTRATOR, IMS admin); not a PWDM_ISSUER (FORBIDDEN) nor a non-reader (NOT_FOUND)', async () => {
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'PROJECT_ADMINISTRATOR');
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.erin, 'PWDM_ISSUER');
    expect((await dmSync(dm, 'synchronizeDeliverables', CAROL)).payload.__typename).toBe(
      'SynchronizeDeliverablesSuccess',
    );
    expect((await dmSync(dm, 'synchronizeWorkAreaConnection', CAROL)).payload.__typename).toBe(
      'SynchronizeWorkAreaConnectionSuccess',
    );
    expect((await dmSync(dm, 'synchronizeDeliverables', BOB)).payload.__typename).toBe(
      'SynchronizeDeliverablesSuccess',
    );
    const before = await dm.world.rowCounts();
    expectTopLevel((await dmSync(dm, 'synchronizeDeliverables', 'erin@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await dmSync(dm, 'synchronizeWorkAreaConnection', 'erin@northwind.example')).result, 'FORBIDDEN');
    const hidden = await dmSync(dm, 'synchronizeDeliverables', DAVE);
    expect(hidden.payload).toMatchObject({ __typename: 'UserError', code: 'NOT_FOUND' });
    expect(hidden.payload.message).not.toContain('P-DM');
    expectTopLevel((await dmSync(dm, 'synchronizeDeliverables', null as never)).result, 'UNAUTHENTICATED');
    expect(await dm.world.rowCounts()).toEqual(before);
  });
});

describe('DM-7 synchronizeWorkAreaConnection', () => {
  it('DM-7 removes WORK_AREA members no longer behind a participant, and *Everyone-only ones without VIEW_PACKAGE; never TEAM members or Project Owners', async () => {
    const { world, cast } = dm;
    await world.user('dan@harbor.example');
    await world.user('gil@harbor.example');
    const carol = await dm.dsUser('carol', CAROL);
    const dan = await dm.dsUser('dan', 'dan@harbor.example');
    const gil = await dm.dsUser('gil', 'gil@harbor.example');
    const bob = await dm.dsUser('bob', BOB);
    const crew = await dm.group('Crew', [dan.id, gil.id, bob.id]);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.participant(dm.groupRef(crew), 'TEAM_MEMBER');
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    let team = await dmTeam(dm);
    for (const email of [CAROL, 'dan@harbor.example', 'gil@harbor.example', BOB]) {
      expect(team.get(email)?.source).toBe('WORK_AREA');
    }
    // gil is added directly (becomes TEAM); bob is made a Project Owner (stays WORK_AREA-sourced).
    const add = await mutate(
      world,
      'addTeamMember',
      { projectId: dm.pid(), email: 'gil@harbor.example' },
      ALICE,
      'teamMember { source }',
    );
    expect(expectSuccess(add.payload, add.result).teamMember.source).toBe('TEAM');
    const owner = await mutate(
      world,
      'assignProjectRoles',
      { projectId: dm.pid(), userId: gid('User', cast.bob.id), roleIds: [dm.roleId('PROJECT_OWNER')] },
      ALICE,
      'teamMember { source isProjectOwner }',
    );
    expect(expectSuccess(owner.payload, owner.result).teamMember).toEqual({
      source: 'WORK_AREA',
      isProjectOwner: true,
    });
    // Now carol leaves the work area; the group is emptied (dan, gil, bob reached only by *Everyone, all off).
    await dm.removeParticipant(dm.userRef(carol));
    await dm.setGroupMembers(crew, []);
    // DM-6 first: nobody removed.
    await dmSync(dm);
    expect((await dmTeam(dm)).size).toBe(team.size);
    const { payload } = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(payload.synchronization.rule).toBe('DM-7');
    const removed = changesOf(payload)
      .filter((c) => c.change === 'MEMBER_REMOVED')
      .map((c) => [c.email, c.rule])
      .sort();
    expect(removed).toEqual([
      [CAROL, 'DM-7'],
      ['dan@harbor.example', 'DM-7'],
    ]);
    team = await dmTeam(dm);
    expect([...team.keys()].sort()).toEqual([ALICE, BOB, 'gil@harbor.example']);
    expect(team.get('gil@harbor.example')?.source).toBe('TEAM');
    // Idempotent too.
    const again = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(again.payload.synchronization.changed).toBe(false);
  });

  it('DM-7 a *Everyone-only user with VIEW_PACKAGE stays (and is added); losing it through *Everyone removes them', async () => {
    await dm.world.user('dan@harbor.example');
    await dm.dsUser('dan', 'dan@harbor.example');
    await dm.participant(dm.everyoneRef(), 'OBSERVER');
    await dm.associate();
    await dmSet(dm, [{ principal: dm.everyoneRef(), permissions: ['VIEW_PACKAGE'] }]);
    const add = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(changesOf(add.payload).map((c) => [c.change, c.email])).toEqual([['MEMBER_ADDED', 'dan@harbor.example']]);
    expect(roleKeys((await dmTeam(dm)).get('dan@harbor.example'))).toEqual(['TEAM_MEMBER']);
    // *Everyone leaves the work area: dan is no longer behind any participant.
    await dm.removeParticipant(dm.everyoneRef());
    const rem = await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect(
      changesOf(rem.payload)
        .filter((c) => c.change === 'MEMBER_REMOVED')
        .map((c) => c.email),
    ).toEqual(['dan@harbor.example']);
    expect((await dmTeam(dm)).has('dan@harbor.example')).toBe(false);
  });
});

describe('DM-7 and the team: addTeamMember, removeTeamMember', () => {
  it('DM-7 addTeamMember on a WORK_AREA member turns it into TEAM (kept by DM-7), with its roles', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    const { payload, result } = await mutate(
      dm.world,
      'addTeamMember',
      { projectId: dm.pid(), email: CAROL },
      ALICE,
      'teamMember { source roles { builtIn } }',
    );
    const member = expectSuccess(payload, result).teamMember;
    expect(member.source).toBe('TEAM');
    expect(member.roles.map((r: { builtIn: string }) => r.builtIn).sort()).toEqual([
      'PWDM_ISSUER',
      'PWDM_RECEIVER',
      'TEAM_MEMBER',
    ]);
    await dm.removeParticipant(dm.userRef(carol));
    await dmSync(dm, 'synchronizeWorkAreaConnection');
    expect((await dmTeam(dm)).get(CAROL)?.source).toBe('TEAM');
  });

  it('DM-7 removeTeamMember of a member still behind a participant succeeds; a synchronization adds them again', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    const { payload, result } = await mutate(
      dm.world,
      'removeTeamMember',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id) },
      ALICE,
      'removedUserId',
    );
    expectSuccess(payload, result);
    expect((await dmTeam(dm)).has(CAROL)).toBe(false);
    expect(dmEntry(await dmListing(dm), 'carol').user?.teamMember).toBe(false);
    const sync = await dmSync(dm);
    expect(changesOf(sync.payload).map((c) => [c.change, c.email])).toEqual([['MEMBER_ADDED', CAROL]]);
  });

  it('DM-7 removeTeamMember of a member still behind a participant reports WILL_BE_RESYNCHRONIZED in its payload', async () => {
    const carol = await dm.dsUser('carol', CAROL);
    await dm.participant(dm.userRef(carol), 'LEADER');
    await dm.associate();
    const { payload, result } = await mutate(
      dm.world,
      'removeTeamMember',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id) },
      ALICE,
      'removedUserId warnings { code message }',
    );
    expect(result.errors).toBeUndefined();
    expect(payload?.warnings.map((w: { code: string }) => w.code)).toEqual(['WILL_BE_RESYNCHRONIZED']);
  });

  it('DM-7 removeTeamMember of a member behind no participant: no WILL_BE_RESYNCHRONIZED (and DM-6 does not bring them back)', async () => {
    await dm.associate();
    await dm.world.teamMember(dm.project, dm.cast.alice, dm.cast.carol, 'TEAM_MEMBER');
    const { payload, result } = await mutate(
      dm.world,
      'removeTeamMember',
      { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id) },
      ALICE,
      'removedUserId',
    );
    expectSuccess(payload, result);
    const sync = await dmSync(dm);
    expect(sync.payload.synchronization.changed).toBe(false);
    expectUserError(
      (
        await mutate(
          dm.world,
          'removeTeamMember',
          { projectId: dm.pid(), userId: gid('User', dm.cast.carol.id) },
          ALICE,
        )
      ).payload,
      'NOT_TEAM_MEMBER',
    );
  });
});
