// Rules the review's surviving mutants showed untested: M17 (a user's own entry overrides only while
// they are an individual participant with access, DM-4/DM-10), M20 (a person counts as synchronized
// when one of their named users is), M21 (DM-7 keeps a WORK_AREA member their team-made entry holds
// out of DM-5).
import { describe, expect, it } from 'vitest';
import type { Participant, PrincipalRef } from '../../../src/data-sources/rules/principals.js';
import type { WorkAreaRole } from '../../../src/db/schema.js';
import { applySyncPlan } from '../../../src/deliverables/rules/apply.js';
import type { ConnectorEntry, DeliverablesFacts, TeamMember } from '../../../src/deliverables/rules/facts.js';
import { individualEntry, namedPeople, namedUsers } from '../../../src/deliverables/rules/named-users.js';
import { isEmptyPlan, planSynchronization } from '../../../src/deliverables/rules/sync-plan.js';
import { builtIn, type DmPermission } from '../../../src/projects/rules/roles.js';

const principal = (s: string): PrincipalRef => {
  const [k, id = ''] = s.split(':');
  return { kind: ({ u: 'USER', g: 'GROUP', '*': 'EVERYONE' } as const)[k as 'u'], id: k === '*' ? 'ds' : id };
};

/** alice and alias share alice@acme.com (DS-3 allows it); bob is another internal user. */
function world(o: {
  participants: [string, WorkAreaRole][];
  entries?: [string, DmPermission[] | null, ('PARTICIPANT' | 'TEAM')?][];
  synced?: string[];
  team?: TeamMember[];
}): DeliverablesFacts {
  const emails = new Map<string, string | null>([
    ['alice', 'alice@acme.com'],
    ['alias', 'Alice@Acme.com'],
    ['bob', 'bob@acme.com'],
  ]);
  const profiles = new Map([
    ['alice@acme.com', 'P-alice'],
    ['bob@acme.com', 'P-bob'],
  ]);
  return {
    internalDomain: 'acme.com',
    graph: {
      allUserIds: [...emails.keys()],
      groupMembers: new Map([['crew', ['alice', 'alias', 'bob']]]),
      listMembers: new Map(),
    },
    emails,
    profiles,
    participants: o.participants.map(([s, role]): Participant => ({ principal: principal(s), role })),
    entries: (o.entries ?? []).map(
      ([s, permissions, origin]): ConnectorEntry => ({
        principal: principal(s),
        origin: origin ?? 'PARTICIPANT',
        permissions,
      }),
    ),
    syncRecords: (o.synced ?? []).map((userId) => ({
      userId,
      email: userId === 'bob' ? 'bob@acme.com' : 'alice@acme.com',
      profileId: userId === 'bob' ? 'P-bob' : 'P-alice',
    })),
    team: o.team ?? [],
  };
}

const user = (facts: DeliverablesFacts, userId: string) => namedUsers(facts).find((u) => u.userId === userId);

describe('M17 DM-4 / DM-10: a participant entry overrides only while its user participates with access', () => {
  it('a leftover participant entry of a user who is no longer a participant does not decide (the groups do)', () => {
    const facts = world({
      participants: [['g:crew', 'TEAM_MEMBER']],
      entries: [
        ['g:crew', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']],
      ],
      synced: ['bob'],
    });
    expect(individualEntry(facts, 'bob')).toBeNull();
    expect(user(facts, 'bob')?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
    expect(user(facts, 'bob')?.connectorSteps[0]?.detail).toContain('Inherited from group crew');
  });

  it("a leftover participant entry does not hide the user's team-made entry", () => {
    const facts = world({
      participants: [['g:crew', 'TEAM_MEMBER']],
      entries: [
        ['g:crew', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE', 'ADMIN'], 'PARTICIPANT'],
        ['u:bob', ['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE'], 'TEAM'],
      ],
      synced: ['bob'],
      team: [{ profileId: 'P-bob', source: 'WORK_AREA', roles: [builtIn('TEAM_MEMBER'), builtIn('PWDM_APPROVER')] }],
    });
    expect(individualEntry(facts, 'bob')?.origin).toBe('TEAM');
    expect(user(facts, 'bob')?.connectorPermissions).toEqual(['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE']);
  });

  it('an individual NO_ACCESS participant: their entry (awaiting deletion) is not their individual entry', () => {
    const facts = world({
      participants: [
        ['g:crew', 'LEADER'],
        ['u:bob', 'NO_ACCESS'],
      ],
      entries: [['u:bob', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']]],
    });
    expect(individualEntry(facts, 'bob')).toBeNull();
    // …while an individual participant with access: it is.
    const participating = world({
      participants: [['u:bob', 'LEADER']],
      entries: [['u:bob', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']]],
    });
    expect(individualEntry(participating, 'bob')?.permissions).toEqual(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']);
  });
});

describe('M20 a person with two data-source users', () => {
  it('counts as synchronized when one of their named users is (not only when all are)', () => {
    const facts = world({ participants: [['g:crew', 'TEAM_MEMBER']], synced: ['alice'] });
    expect(user(facts, 'alice')?.status).toBe('ACTIVE_USER');
    expect(user(facts, 'alias')?.status).toBe('NO_ACCESS_YET');
    const person = namedPeople(namedUsers(facts)).find((p) => p.profileId === 'P-alice');
    expect(person?.userIds).toEqual(['alice', 'alias']);
    expect(person?.synchronized).toBe(true);
  });

  it('counts as not synchronized when none of them is', () => {
    const facts = world({ participants: [['g:crew', 'TEAM_MEMBER']], synced: ['bob'] });
    expect(namedPeople(namedUsers(facts)).find((p) => p.profileId === 'P-alice')?.synchronized).toBe(false);
  });
});

describe('M21 DM-7 and team-made entries', () => {
  // bob is reached only through *Everyone, whose entry gives VIEW_PACKAGE (DM-5 would add him); the
  // team unassigned his TEAM_MEMBER role, so his team-made entry (DM-10) now holds no permission.
  const facts = world({
    participants: [['*', 'TEAM_MEMBER']],
    entries: [
      ['*', ['VIEW_PACKAGE']],
      ['u:bob', [], 'TEAM'],
    ],
    synced: ['bob', 'alice', 'alias'],
    team: [
      { profileId: 'P-bob', source: 'WORK_AREA', roles: [] },
      { profileId: 'P-alice', source: 'WORK_AREA', roles: [builtIn('TEAM_MEMBER')] },
    ],
  });

  it('keeps a WORK_AREA member whom only their own team-made entry keeps from joining, and is stable', () => {
    expect(user(facts, 'bob')?.connectorPermissions).toEqual([]);
    const plan = planSynchronization(facts, 'DM-7');
    expect(plan.membersToRemove).toEqual([]);
    expect(plan.entriesToDelete).toEqual([]);
    expect(isEmptyPlan(planSynchronization(applySyncPlan(facts, plan), 'DM-7'))).toBe(true);
  });

  it('still removes such a member once *Everyone no longer gives VIEW_PACKAGE, with their team-made entry', () => {
    const without = {
      ...facts,
      entries: facts.entries.map((e) => (e.principal.kind === 'EVERYONE' ? { ...e, permissions: [] } : e)),
    };
    const plan = planSynchronization(without, 'DM-7');
    expect(plan.membersToRemove.map((m) => m.profileId)).toEqual(['P-bob', 'P-alice']);
    expect(plan.entriesToDelete.map((d) => `${d.entry.origin}/${d.entry.principal.id}`)).toEqual(['TEAM/bob']);
  });
});
