// DM-5…DM-10 at the pure level, on random projects: random principals, participants, entries, team
// and edits. Applying any plan or any accepted edit leaves the DM-9 invariant holding, and a second
// synchronization of the same kind plans nothing (DM-6 idempotence, and DM-5/DM-7 stability).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Participant, PrincipalRef } from '../../../src/data-sources/rules/principals.js';
import { WORK_AREA_ROLES } from '../../../src/db/schema.js';
import { applyEntryWrites, applySyncPlan } from '../../../src/deliverables/rules/apply.js';
import { validateConnectorEdit } from '../../../src/deliverables/rules/connector-edit.js';
import type { ConnectorEntry, DeliverablesFacts, TeamMember } from '../../../src/deliverables/rules/facts.js';
import { connectorTeamInvariantViolations } from '../../../src/deliverables/rules/invariant.js';
import { namedUsers } from '../../../src/deliverables/rules/named-users.js';
import { applyRoleChanges } from '../../../src/deliverables/rules/reconcile.js';
import { isEmptyPlan, planSynchronization, SYNC_KINDS } from '../../../src/deliverables/rules/sync-plan.js';
import { teamRoleWriteThrough } from '../../../src/deliverables/rules/team-write-through.js';
import { DM_ROLES } from '../../../src/deliverables/rules/vocabulary.js';
import { BUILT_IN_ROLES, builtIn, DM_PERMISSIONS, type RoleRef } from '../../../src/projects/rules/roles.js';

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const EMAILS = [null, 'a@acme.com', 'b@acme.com', 'c@acme.com', 'x@other.org', 'y@other.org'];
const GROUPS = ['g0', 'g1'];
const LISTS = ['l0', 'l1'];
const CUSTOM: RoleRef = { kind: 'CUSTOM', id: 'c1', name: 'Custom', permissions: ['RECEIVE_EXTERNAL_PACKAGES'] };

const principalArb: fc.Arbitrary<PrincipalRef> = fc.oneof(
  fc.constantFrom(...USERS).map((id) => ({ kind: 'USER' as const, id })),
  fc.constantFrom(...GROUPS).map((id) => ({ kind: 'GROUP' as const, id })),
  fc.constantFrom(...LISTS).map((id) => ({ kind: 'LIST' as const, id })),
  fc.constant({ kind: 'EVERYONE' as const, id: 'ds' }),
);
const permsArb = fc.subarray([...DM_PERMISSIONS]);
const key = (p: PrincipalRef) => `${p.kind}:${p.id}`;

const factsArb: fc.Arbitrary<DeliverablesFacts> = fc
  .record({
    emails: fc.array(fc.constantFrom(...EMAILS), { minLength: USERS.length, maxLength: USERS.length }),
    registered: fc.subarray(EMAILS.filter((e): e is string => e !== null)),
    groups: fc.array(fc.subarray(USERS), { minLength: 2, maxLength: 2 }),
    lists: fc.array(
      fc.array(
        principalArb.filter((p) => p.kind !== 'EVERYONE'),
        { maxLength: 3 },
      ),
      {
        minLength: 2,
        maxLength: 2,
      },
    ),
    participants: fc.uniqueArray(fc.record({ principal: principalArb, role: fc.constantFrom(...WORK_AREA_ROLES) }), {
      selector: (p) => key(p.principal),
      maxLength: 6,
    }),
    entries: fc.array(fc.record({ principal: principalArb, permissions: fc.option(permsArb) }), { maxLength: 3 }),
    team: fc.array(
      fc.record({
        email: fc.constantFrom(...EMAILS.filter((e): e is string => e !== null)),
        source: fc.constantFrom('WORK_AREA' as const, 'TEAM' as const),
        roles: fc.subarray([...BUILT_IN_ROLES.map((r) => builtIn(r)), CUSTOM]),
      }),
      { maxLength: 4 },
    ),
  })
  .map((r) => {
    const profiles = new Map(r.registered.map((e) => [e, `P:${e}`]));
    const participants: Participant[] = r.participants;
    const entries: ConnectorEntry[] = [];
    for (const e of r.entries) {
      if (entries.some((x) => key(x.principal) === key(e.principal))) continue;
      entries.push({ principal: e.principal, origin: 'PARTICIPANT', permissions: e.permissions });
    }
    const team: TeamMember[] = [];
    for (const m of r.team) {
      const profileId = profiles.get(m.email);
      if (profileId && !team.some((t) => t.profileId === profileId))
        team.push({ profileId, source: m.source, roles: m.roles });
    }
    return {
      internalDomain: 'acme.com',
      graph: {
        allUserIds: USERS,
        groupMembers: new Map(GROUPS.map((g, i) => [g, r.groups[i] ?? []])),
        listMembers: new Map(LISTS.map((l, i) => [l, r.lists[i] ?? []])),
      },
      emails: new Map(USERS.map((u, i) => [u, r.emails[i] ?? null])),
      profiles,
      participants,
      entries,
      syncRecords: [],
      team,
    };
  });

/** A connector or team edit, resolved against the facts at the time it applies. */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('DM-8' as const), pick: fc.nat(), permissions: permsArb }),
  fc.record({ kind: fc.constant('TEAM' as const), pick: fc.nat(), role: fc.constantFrom(...DM_ROLES) }),
);

type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function applyEdit(facts: DeliverablesFacts, edit: Edit): DeliverablesFacts {
  if (edit.kind === 'DM-8') {
    const targets = facts.participants;
    if (targets.length === 0) return facts;
    const target = targets[edit.pick % targets.length] as Participant;
    const decision = validateConnectorEdit(
      facts,
      [{ principal: target.principal, permissions: edit.permissions }],
      new Set(),
    );
    if (decision.errors.length > 0) return facts;
    const after = applyEntryWrites(facts, decision.writes, []);
    return {
      ...after,
      team: after.team.map((m) => ({
        ...m,
        roles: applyRoleChanges(
          m.roles,
          decision.rolesToAdd.filter((c) => c.profileId === m.profileId).map((c) => c.role),
          decision.rolesToRemove.filter((c) => c.profileId === m.profileId).map((c) => c.role),
        ),
      })),
    };
  }
  if (facts.team.length === 0) return facts;
  const member = facts.team[edit.pick % facts.team.length] as TeamMember;
  const holds = member.roles.some((r) => r.kind === 'BUILT_IN' && r.key === edit.role);
  const action = holds ? ('UNASSIGN' as const) : ('ASSIGN' as const);
  const writes = teamRoleWriteThrough(facts, { profileId: member.profileId, role: builtIn(edit.role), action });
  const after = applyEntryWrites(facts, writes, []);
  return {
    ...after,
    team: after.team.map((m) =>
      m.profileId === member.profileId
        ? {
            ...m,
            roles: holds ? applyRoleChanges(m.roles, [], [edit.role]) : applyRoleChanges(m.roles, [edit.role], []),
          }
        : m,
    ),
  };
}

describe('DM-5..DM-10 properties', () => {
  it('DM-9 any synchronization establishes the invariant; DM-6 and DM-7 twice: the second plan is empty', () => {
    fc.assert(
      fc.property(factsArb, fc.constantFrom(...SYNC_KINDS), (facts, kind) => {
        const once = applySyncPlan(facts, planSynchronization(facts, kind));
        expect(connectorTeamInvariantViolations(once)).toEqual([]);
        const again = kind === 'DM-5' ? 'DM-6' : kind;
        expect(isEmptyPlan(planSynchronization(once, again))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('DM-9 after a synchronization, connector edits (DM-8) and team role edits (DM-10) keep the invariant', () => {
    fc.assert(
      fc.property(factsArb, fc.array(editArb, { maxLength: 6 }), (facts, edits) => {
        let state = applySyncPlan(facts, planSynchronization(facts, 'DM-5'));
        for (const edit of edits) {
          state = applyEdit(state, edit);
          expect(connectorTeamInvariantViolations(state)).toEqual([]);
        }
        // DM-10: a later synchronization keeps the team's choices: no role changes for anyone.
        const plan = planSynchronization(state, 'DM-6');
        expect([...plan.rolesToAdd, ...plan.rolesToRemove]).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('DM-7 after data-source changes, a connection sync makes WORK_AREA members exactly DM-5 would add', () => {
    fc.assert(
      fc.property(factsArb, factsArb, (before, changed) => {
        const synced = applySyncPlan(before, planSynchronization(before, 'DM-5'));
        // The data source changes (groups, lists, participants, emails); entries and team carry over.
        const moved = {
          ...changed,
          entries: synced.entries,
          team: synced.team,
          syncRecords: synced.syncRecords,
          profiles: before.profiles,
        };
        const after = applySyncPlan(moved, planSynchronization(moved, 'DM-7'));
        expect(connectorTeamInvariantViolations(after)).toEqual([]);
        expect(isEmptyPlan(planSynchronization(after, 'DM-7'))).toBe(true);
        const named = new Set(namedUsers(after).map((u) => u.profileId));
        for (const m of after.team.filter((t) => t.source === 'WORK_AREA')) {
          const owner = m.roles.some((r) => r.kind === 'BUILT_IN' && r.key === 'PROJECT_OWNER');
          expect(owner || named.has(m.profileId)).toBe(true);
        }
        for (const m of synced.team.filter((t) => t.source === 'TEAM')) {
          expect(after.team.some((t) => t.profileId === m.profileId)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
