// DM-9 / DM-6 / PRJ-7 as properties (fast-check): on a generated DM world, random sequences of
// connector edits, team role changes, group and participant changes and both synchronizations keep
// DM-9's invariant after every synchronization and every connector or team edit; DM-6 twice in a row
// changes nothing the second time; a plain issuer never assigns a role with a permission they lack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutate } from '../../helpers/ops.js';
import {
  DM3_ROLE_OF,
  type DmPermissionName,
  type DmWorld,
  dmListing,
  dmNamedUsers,
  dmSet,
  dmSync,
  dmTeam,
  dmWorld,
  gid,
  inOrder,
  roleKeys,
} from '../../helpers/world.js';

const PERMS: DmPermissionName[] = ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'APPROVE_RFI_RESPONSE', 'ADMIN'];
const DM_ROLES = ['TEAM_MEMBER', 'PWDM_RECEIVER', 'PWDM_ISSUER', 'PWDM_APPROVER', 'PROJECT_ADMINISTRATOR'] as const;
const PWDM = ['PWDM_RECEIVER', 'PWDM_ISSUER', 'PWDM_APPROVER'];
const WA_ROLES = ['ADMINISTRATOR', 'LEADER', 'TEAM_MEMBER', 'OBSERVER', 'CUSTOM', 'NO_ACCESS'] as const;
/** Data-source users: internal, external, missing email, unregistered. */
const PEOPLE = [
  { login: 'carol', email: 'carol@harbor.example', register: false }, // registered by the cast
  { login: 'dan', email: 'dan@harbor.example', register: true },
  { login: 'erin', email: 'erin@northwind.example', register: false }, // registered by the cast
  { login: 'nomail', email: null, register: false },
  { login: 'ghost', email: 'ghost@harbor.example', register: false },
  { login: 'gil', email: 'gil@harbor.example', register: true },
] as const;
/** Principals 0–5: the users; 6, 7: two groups; 8: *Everyone. */
const PRINCIPALS = 9;
/** Registered people who may be on the team. */
const MEMBERS = ['carol@harbor.example', 'dan@harbor.example', 'erin@northwind.example', 'gil@harbor.example'];

const roleArb = fc.constantFrom(...WA_ROLES);
const userIdx = fc.nat(PEOPLE.length - 1);
const op = fc.oneof(
  fc.record({ k: fc.constant('set' as const), p: fc.nat(PRINCIPALS - 1), perms: fc.subarray(PERMS) }),
  fc.record({ k: fc.constant('assign' as const), m: fc.nat(MEMBERS.length - 1), role: fc.constantFrom(...DM_ROLES) }),
  fc.record({ k: fc.constant('unassign' as const), m: fc.nat(MEMBERS.length - 1), role: fc.constantFrom(...DM_ROLES) }),
  fc.record({ k: fc.constant('remove' as const), m: fc.nat(MEMBERS.length - 1) }),
  fc.record({ k: fc.constant('group' as const), g: fc.nat(1), members: fc.uniqueArray(userIdx, { maxLength: 4 }) }),
  fc.record({ k: fc.constant('participant' as const), p: fc.nat(PRINCIPALS - 1), role: fc.option(roleArb) }),
  fc.record({ k: fc.constant('sync' as const), dm7: fc.boolean() }),
  fc.record({
    k: fc.constant('issuer' as const),
    m: fc.nat(MEMBERS.length - 1),
    role: fc.constantFrom(...DM_ROLES, 'PROJECT_OWNER' as const),
  }),
);
const scenario = fc.record({
  participants: fc.array(fc.option(roleArb, { nil: null }), { minLength: PRINCIPALS, maxLength: PRINCIPALS }),
  groups: fc.tuple(fc.uniqueArray(userIdx, { maxLength: 4 }), fc.uniqueArray(userIdx, { maxLength: 4 })),
  ops: fc.array(op, { minLength: 1, maxLength: 7 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const ALICE = 'alice@harbor.example';
const FRANK = 'frank@freelance.example';

async function run(s: Scenario, options: { teamAssign: boolean }) {
  const dm: DmWorld = await dmWorld();
  const { world, cast } = dm;
  const profiles = new Map<string, string>([
    ['carol@harbor.example', cast.carol.id],
    ['erin@northwind.example', cast.erin.id],
  ]);
  for (const p of PEOPLE) if (p.register && p.email) profiles.set(p.email, (await world.user(p.email)).id);
  const users = await inOrder(PEOPLE, async (p) => await dm.dsUser(p.login, p.email));
  const groups = [
    await dm.group(
      'G1',
      s.groups[0].map((i) => users[i]?.id as string),
    ),
    await dm.group(
      'G2',
      s.groups[1].map((i) => users[i]?.id as string),
    ),
  ];
  const principal = (i: number) =>
    i < 6 ? dm.userRef(users[i] as { id: string }) : i < 8 ? dm.groupRef(groups[i - 6] as string) : dm.everyoneRef();
  await inOrder(s.participants, async (role, i) => {
    if (role) await dm.participant(principal(i), role);
  });
  // A plain issuer (PRJ-7): frank holds PWDM_ISSUER only.
  await world.teamMember(dm.project, cast.alice, cast.frank, 'PWDM_ISSUER');
  await dm.associate();
  const log: string[] = [];

  const checkInvariant = async (after: string) => {
    const named = dmNamedUsers(await dmListing(dm));
    const team = await dmTeam(dm);
    for (const [email, u] of named) {
      const member = team.get(email);
      if (!member) continue;
      const held = roleKeys(member);
      const translated = u.connectorPermissions.map((p) => DM3_ROLE_OF[p as DmPermissionName] as string);
      const where = `${after}: ${email} holds ${held} with connector ${u.connectorPermissions} (${log.join(' → ')})`;
      for (const r of translated) expect(held, `(a) ${where}`).toContain(r);
      expect(held.filter((r) => PWDM.includes(r)).sort(), `(b) ${where}`).toEqual(
        translated.filter((r) => PWDM.includes(r)).sort(),
      );
    }
  };

  for (const o of s.ops) {
    log.push(JSON.stringify(o));
    const member = 'm' in o ? MEMBERS[o.m] : undefined;
    const userId = member ? profiles.get(member) : undefined;
    switch (o.k) {
      case 'set': {
        const { payload } = await dmSet(dm, [{ principal: principal(o.p), permissions: o.perms }]);
        expect(['SetDeliverablesPermissionsSuccess', 'DeliverablesPermissionsError']).toContain(payload.__typename);
        // DM-9: after every connector edit (a refused one edits nothing), even with a data-source change pending.
        if (payload.__typename === 'SetDeliverablesPermissionsSuccess') await checkInvariant('set');
        break;
      }
      case 'assign':
      case 'unassign': {
        let edited: { payload: Record<string, unknown> | null };
        if (o.k === 'assign' && !options.teamAssign) {
          // addTeamMember with the role (writes through) for someone not on the team yet.
          edited = await mutate(
            world,
            'addTeamMember',
            { projectId: dm.pid(), email: member, roleIds: [dm.roleId(o.role)] },
            ALICE,
          );
        } else {
          edited = await mutate(
            world,
            o.k === 'assign' ? 'assignProjectRoles' : 'unassignProjectRoles',
            { projectId: dm.pid(), userId: gid('User', userId as string), roleIds: [dm.roleId(o.role)] },
            ALICE,
          );
        }
        if (String(edited.payload?.__typename).endsWith('Success')) await checkInvariant(o.k);
        break;
      }
      case 'remove':
        {
          const removed = await mutate(
            world,
            'removeTeamMember',
            { projectId: dm.pid(), userId: gid('User', userId as string) },
            ALICE,
          );
          if (removed.payload?.__typename === 'RemoveTeamMemberSuccess') await checkInvariant('remove');
        }
        break;
      case 'group':
        await dm.setGroupMembers(
          groups[o.g] as string,
          o.members.map((i) => users[i]?.id as string),
        );
        break;
      case 'participant':
        if (o.role) await dm.participant(principal(o.p), o.role);
        else {
          try {
            await dm.removeParticipant(principal(o.p));
          } catch {
            // not a participant: nothing to remove
          }
        }
        break;
      case 'sync': {
        const first = await dmSync(dm, o.dm7 ? 'synchronizeWorkAreaConnection' : 'synchronizeDeliverables');
        expect(first.payload.__typename).toMatch(/Success$/);
        await checkInvariant(o.dm7 ? 'DM-7' : 'DM-6');
        const a = await dmSync(dm);
        const b = await dmSync(dm);
        expect(a.payload.__typename).toBe('SynchronizeDeliverablesSuccess');
        expect(b.payload.synchronization, `DM-6 twice after ${log.join(' → ')}`).toMatchObject({
          changed: false,
          changes: [],
        });
        break;
      }
      case 'issuer': {
        if (!options.teamAssign && o.role === 'PWDM_ISSUER') break;
        const rolesBefore = roleKeys((await dmTeam(dm)).get(member as string));
        const { payload } = await mutate(
          world,
          'assignProjectRoles',
          { projectId: dm.pid(), userId: gid('User', userId as string), roleIds: [dm.roleId(o.role)] },
          FRANK,
        );
        // PRJ-7: frank holds only PWDM_ISSUER's permissions: no other role may be assigned by him.
        if (payload?.__typename === 'AssignProjectRolesSuccess') expect(o.role).toBe('PWDM_ISSUER');
        expect(roleKeys((await dmTeam(dm)).get(FRANK))).toEqual(['PWDM_ISSUER']);
        // …and nothing his edit does to the member — the connector's reconciliation included (DM-10) —
        // gives them a role he could not assign: only PWDM_ISSUER is his to give.
        const gained = roleKeys((await dmTeam(dm)).get(member as string)).filter((r) => !rolesBefore.includes(r));
        expect(
          gained.filter((r) => r !== 'PWDM_ISSUER'),
          `issuer edit of ${member}: ${log.join(' → ')}`,
        ).toEqual([]);
        if (payload?.__typename === 'AssignProjectRolesSuccess') await checkInvariant('issuer');
        break;
      }
    }
  }
  // Finally, after a synchronization the invariant holds and DM-6 is idempotent.
  await dmSync(dm);
  await checkInvariant('final DM-6');
  expect((await dmSync(dm)).payload.synchronization.changed).toBe(false);
}

describe('DM-9 invariant, DM-6 idempotence and PRJ-7 as properties', () => {
  it('DM-9 / DM-6 / PRJ-7 hold over random connector edits, unassignments, additions with roles, removals, group and participant changes and synchronizations', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) => run(s, { teamAssign: false })),
      { numRuns: 40, seed: 20260615 },
    );
  }, 60_000);

  it('DM-9 / DM-10 hold with assignProjectRoles among the team edits', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) => run(s, { teamAssign: true })),
      {
        numRuns: 25,
        seed: 20260615,
        examples: [
          [
            {
              participants: ['LEADER', null, null, null, null, null, null, null, null],
              groups: [[], []],
              ops: [{ k: 'assign', m: 0, role: 'PWDM_APPROVER' }],
            },
          ],
        ],
      },
    );
  }, 60_000);
});
