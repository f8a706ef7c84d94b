import { describe, expect, it } from 'vitest';
import type { Participant, PrincipalRef } from '../../../src/data-sources/rules/principals.js';
import type { WorkAreaRole } from '../../../src/db/schema.js';
import { applySyncPlan } from '../../../src/deliverables/rules/apply.js';
import type { ConnectorEntry, DeliverablesFacts, TeamMember } from '../../../src/deliverables/rules/facts.js';
import { connectorTeamInvariantViolations } from '../../../src/deliverables/rules/invariant.js';
import { namedUsers } from '../../../src/deliverables/rules/named-users.js';
import { namedUserStatus, normalizeDataSourceEmail } from '../../../src/deliverables/rules/status.js';
import { isEmptyPlan, planSynchronization, staleSyncRecords } from '../../../src/deliverables/rules/sync-plan.js';
import {
  DEFAULT_PERMISSIONS,
  defaultPermissions,
  ROLE_FOR_PERMISSION,
  translatePermissions,
} from '../../../src/deliverables/rules/vocabulary.js';
import { builtIn, type DmPermission, type RoleRef } from '../../../src/projects/rules/roles.js';

// One small data source: alice/bob/carol internal, xavier external, nomail without email, unreg not registered.
const p = (s: string): PrincipalRef => {
  const [k, id = ''] = s.split(':');
  return {
    kind: ({ u: 'USER', g: 'GROUP', l: 'LIST', '*': 'EVERYONE' } as const)[k as 'u'],
    id: k === '*' ? 'ds' : id,
  };
};
function world(o: {
  participants: [string, WorkAreaRole][];
  entries?: [string, DmPermission[] | null, ('PARTICIPANT' | 'TEAM')?][];
  synced?: string[];
  team?: TeamMember[];
}): DeliverablesFacts {
  const emails = new Map<string, string | null>([
    ['alice', 'Alice@Acme.com'],
    ['bob', 'bob@acme.com'],
    ['carol', 'carol@acme.com'],
    ['xavier', 'x@other.org'],
    ['nomail', null],
    ['unreg', 'unreg@acme.com'],
  ]);
  const profiles = new Map([
    ['alice@acme.com', 'P-alice'],
    ['bob@acme.com', 'P-bob'],
    ['carol@acme.com', 'P-carol'],
    ['x@other.org', 'P-xavier'],
  ]);
  return {
    internalDomain: 'acme.com',
    graph: {
      allUserIds: [...emails.keys()],
      groupMembers: new Map([
        ['leaders', ['alice', 'bob', 'xavier']],
        ['blocked', ['carol']],
      ]),
      listMembers: new Map([['all', [p('g:leaders'), p('u:carol'), p('l:all')]]]),
    },
    emails,
    profiles,
    participants: o.participants.map(([s, role]): Participant => ({ principal: p(s), role })),
    entries: (o.entries ?? []).map(
      ([s, permissions, origin]): ConnectorEntry => ({ principal: p(s), origin: origin ?? 'PARTICIPANT', permissions }),
    ),
    syncRecords: (o.synced ?? []).map((u) => {
      const email = normalizeDataSourceEmail(emails.get(u) ?? null) ?? '';
      return { userId: u, email, profileId: profiles.get(email) ?? '' };
    }),
    team: o.team ?? [],
  };
}

describe('DM-1 status', () => {
  const base = { email: 'a@acme.com', profileId: 'P', internalDomain: 'acme.com', record: null };
  const synced = { userId: 'u', email: 'a@acme.com', profileId: 'P' };

  it('DM-1 EMAIL_ADDRESS_MISSING when the data-source email is missing or blank', () => {
    expect(namedUserStatus({ ...base, email: null }).status).toBe('EMAIL_ADDRESS_MISSING');
    expect(normalizeDataSourceEmail('  ')).toBeNull();
  });

  it('DM-1 IMS_ACCOUNT_MISSING when no registered profile has the email', () => {
    expect(namedUserStatus({ ...base, profileId: null }).status).toBe('IMS_ACCOUNT_MISSING');
  });

  it('DM-1 NO_ACCESS_YET: not synchronized, or synchronized with another email or profile', () => {
    expect(namedUserStatus(base).status).toBe('NO_ACCESS_YET');
    expect(namedUserStatus({ ...base, record: { ...synced, email: 'old@acme.com' } }).status).toBe('NO_ACCESS_YET');
    expect(namedUserStatus({ ...base, record: { ...synced, profileId: 'OLD' } }).status).toBe('NO_ACCESS_YET');
  });

  it('DM-1 ACTIVE_USER in the internal domain, DIFFERENT_EMAIL_DOMAIN elsewhere (subdomains included)', () => {
    expect(namedUserStatus({ ...base, record: synced }).status).toBe('ACTIVE_USER');
    const ext = { email: 'a@sub.acme.com', profileId: 'P', internalDomain: 'acme.com' };
    expect(namedUserStatus({ ...ext, record: { userId: 'u', email: 'a@sub.acme.com', profileId: 'P' } }).status).toBe(
      'DIFFERENT_EMAIL_DOMAIN',
    );
  });

  it('DM-1 steps name the rule for every check', () => {
    const { steps } = namedUserStatus({ ...base, record: synced });
    expect(steps.every((s) => s.rule === 'DM-1')).toBe(true);
    expect(steps.at(-1)?.detail).toContain('acme.com');
  });

  it('DM-1 uses the email (lower-cased), never the identity, and reads the sync record', () => {
    const facts = world({ participants: [['g:leaders', 'LEADER']], synced: ['alice'] });
    const users = namedUsers(facts);
    expect(users.find((u) => u.userId === 'alice')).toMatchObject({ email: 'alice@acme.com', status: 'ACTIVE_USER' });
    expect(users.find((u) => u.userId === 'bob')?.status).toBe('NO_ACCESS_YET');
  });
});

describe('DM-2 defaults and DM-3 translation tables', () => {
  it.each([
    ['ADMINISTRATOR', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']],
    ['LEADER', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']],
    ['TEAM_MEMBER', ['VIEW_PACKAGE']],
    ['OBSERVER', ['VIEW_PACKAGE']],
    ['CUSTOM', ['VIEW_PACKAGE']],
    ['NO_ACCESS', null],
  ] as const)('DM-2 %s → %j', (role, permissions) => {
    expect(DEFAULT_PERMISSIONS[role]).toEqual(permissions);
    expect(defaultPermissions('GROUP', role)).toEqual(permissions);
  });

  it.each(['ADMINISTRATOR', 'LEADER', 'TEAM_MEMBER', 'OBSERVER', 'CUSTOM'] as const)(
    'DM-2 *Everyone as %s gets an entry with every permission off',
    (role) => {
      expect(defaultPermissions('EVERYONE', role)).toEqual([]);
    },
  );

  it('DM-2 a NO_ACCESS *Everyone has no entry at all', () => {
    expect(defaultPermissions('EVERYONE', 'NO_ACCESS')).toBeNull();
  });

  it.each([
    ['VIEW_PACKAGE', 'TEAM_MEMBER'],
    ['RECEIVE_PACKAGE', 'PWDM_RECEIVER'],
    ['ISSUE_PACKAGE', 'PWDM_ISSUER'],
    ['APPROVE_RFI_RESPONSE', 'PWDM_APPROVER'],
    ['ADMIN', 'PROJECT_ADMINISTRATOR'],
  ] as const)('DM-3 %s → %s', (permission, role) => {
    expect(ROLE_FOR_PERMISSION[permission]).toBe(role);
    expect(translatePermissions([permission])).toEqual([role]);
  });
});

describe('DM-4 connector permissions', () => {
  const connector = (f: DeliverablesFacts, id: string) => namedUsers(f).find((u) => u.userId === id);

  it('DM-4 union of every group, list (transitively) and *Everyone entry containing the user', () => {
    const f = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['l:all', 'OBSERVER'],
        ['*', 'TEAM_MEMBER'],
      ],
      entries: [
        ['g:leaders', ['RECEIVE_PACKAGE']],
        ['l:all', ['VIEW_PACKAGE']],
        ['*', ['APPROVE_RFI_RESPONSE']],
      ],
    });
    expect(connector(f, 'alice')?.connectorPermissions).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'APPROVE_RFI_RESPONSE',
    ]);
    expect(connector(f, 'carol')?.connectorPermissions).toEqual(['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE']);
    expect(connector(f, 'alice')?.connectorSteps.map((s) => s.rule)).toEqual(['DM-4', 'DM-4', 'DM-4']);
  });

  it('DM-4 the individual entry overrides the groups', () => {
    const f = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:alice', 'OBSERVER'],
      ],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']],
        ['u:alice', ['APPROVE_RFI_RESPONSE']],
      ],
    });
    expect(connector(f, 'alice')?.connectorPermissions).toEqual(['APPROVE_RFI_RESPONSE']);
    expect(connector(f, 'bob')?.connectorPermissions).toEqual(['VIEW_PACKAGE', 'RECEIVE_PACKAGE']);
  });

  it('DM-4 a team-made entry overrides like an individual one (DM-10)', () => {
    const f = world({
      participants: [['g:leaders', 'LEADER']],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE'], 'TEAM'],
      ],
    });
    expect(connector(f, 'bob')?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
  });

  it('DM-4 nothing is inherited by a user in another domain; their own entry still counts', () => {
    const inherited = world({ participants: [['g:leaders', 'LEADER']], entries: [['g:leaders', ['VIEW_PACKAGE']]] });
    expect(connector(inherited, 'xavier')?.connectorPermissions).toEqual([]);
    const own = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:xavier', 'OBSERVER'],
      ],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE']],
        ['u:xavier', ['RECEIVE_PACKAGE']],
      ],
    });
    expect(connector(own, 'xavier')?.connectorPermissions).toEqual(['RECEIVE_PACKAGE']);
  });

  it('WA-1b an individual NO_ACCESS user is not a named user; a NO_ACCESS group adds nobody', () => {
    const f = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:alice', 'NO_ACCESS'],
        ['g:blocked', 'NO_ACCESS'],
      ],
      entries: [['g:leaders', ['VIEW_PACKAGE']]],
    });
    expect(
      namedUsers(f)
        .map((u) => u.userId)
        .sort(),
    ).toEqual(['bob', 'xavier']);
  });

  it('DM-4 a NO_ACCESS group does not contribute even when another participant names the user', () => {
    const f = world({
      participants: [
        ['l:all', 'OBSERVER'],
        ['g:leaders', 'NO_ACCESS'],
      ],
      entries: [
        ['l:all', ['VIEW_PACKAGE']],
        ['g:leaders', ['ADMIN']],
      ],
    });
    expect(connector(f, 'alice')?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
  });

  it('DM-4 an entry not initialised yet contributes nothing and does not override yet', () => {
    const f = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:alice', 'OBSERVER'],
      ],
      entries: [['g:leaders', ['VIEW_PACKAGE']]],
    });
    expect(connector(f, 'alice')?.connectorPermissions).toEqual(['VIEW_PACKAGE']);
  });
});

const member = (profileId: string, source: 'WORK_AREA' | 'TEAM', ...roles: RoleRef[]): TeamMember => ({
  profileId,
  source,
  roles,
});
const rolesOf = (f: DeliverablesFacts, profileId: string) =>
  f.team
    .find((m) => m.profileId === profileId)
    ?.roles.map((r) => (r.kind === 'BUILT_IN' ? r.key : r.name))
    .sort();

describe('DM-5 association', () => {
  it('DM-5 empty work area: nothing happens', () => {
    const plan = planSynchronization(world({ participants: [] }), 'DM-5');
    expect(isEmptyPlan(plan)).toBe(true);
  });

  it('DM-5 synchronizes statuses, applies DM-2 defaults, adds ACTIVE and DIFFERENT_EMAIL_DOMAIN users with translated roles', () => {
    const facts = world({ participants: [['g:leaders', 'LEADER']] });
    const plan = planSynchronization(facts, 'DM-5');
    expect(plan.entriesToWrite.map((w) => w.entry)).toEqual([
      {
        principal: p('g:leaders'),
        origin: 'PARTICIPANT',
        permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'],
      },
    ]);
    expect(plan.recordsToWrite.map((r) => r.record.userId).sort()).toEqual(['alice', 'bob', 'xavier']);
    expect(plan.membersToAdd).toEqual([
      {
        profileId: 'P-alice',
        roles: ['TEAM_MEMBER', 'PWDM_RECEIVER', 'PWDM_ISSUER'],
        reason: expect.objectContaining({ rule: 'DM-5' }),
      },
      {
        profileId: 'P-bob',
        roles: ['TEAM_MEMBER', 'PWDM_RECEIVER', 'PWDM_ISSUER'],
        reason: expect.objectContaining({ rule: 'DM-5' }),
      },
      // DIFFERENT_EMAIL_DOMAIN: a member, with no roles (nothing inherited)
      { profileId: 'P-xavier', roles: [], reason: expect.objectContaining({ rule: 'DM-5' }) },
    ]);
    const after = applySyncPlan(facts, plan);
    expect(namedUsers(after).find((u) => u.userId === 'xavier')?.status).toBe('DIFFERENT_EMAIL_DOMAIN');
    expect(isEmptyPlan(planSynchronization(after, 'DM-6'))).toBe(true);
  });

  it('DM-5 users without email or profile are not added and their entries stay uninitialised', () => {
    const facts = world({
      participants: [
        ['u:nomail', 'LEADER'],
        ['u:unreg', 'LEADER'],
      ],
    });
    const plan = planSynchronization(facts, 'DM-5');
    expect(plan.membersToAdd).toEqual([]);
    expect(plan.entriesToWrite).toEqual([]);
    expect(plan.recordsToWrite).toEqual([]);
  });

  it('DM-5 users reached only through *Everyone join only with VIEW_PACKAGE', () => {
    const facts = world({
      participants: [
        ['*', 'ADMINISTRATOR'],
        ['u:carol', 'OBSERVER'],
      ],
    });
    const plan = planSynchronization(facts, 'DM-5');
    // *Everyone's entry starts off: only carol (an individual participant) joins.
    expect(plan.membersToAdd.map((m) => m.profileId)).toEqual(['P-carol']);
    const withView = world({ participants: [['*', 'ADMINISTRATOR']], entries: [['*', ['VIEW_PACKAGE']]] });
    expect(planSynchronization(withView, 'DM-5').membersToAdd.map((m) => m.profileId)).toEqual([
      'P-alice',
      'P-bob',
      'P-carol',
    ]);
  });

  it('DM-2 a DIFFERENT_EMAIL_DOMAIN user entry starts empty; an ACTIVE one gets the role defaults', () => {
    const facts = world({
      participants: [
        ['u:xavier', 'ADMINISTRATOR'],
        ['u:bob', 'ADMINISTRATOR'],
      ],
    });
    const writes = planSynchronization(facts, 'DM-5').entriesToWrite.map((w) => [
      w.entry.principal.id,
      w.entry.permissions,
    ]);
    expect(writes).toEqual([
      ['xavier', []],
      ['bob', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN']],
    ]);
  });

  it('DM-2 an entry is never reset by a later synchronization (DM-8 may set it first)', () => {
    const facts = world({
      participants: [['g:leaders', 'ADMINISTRATOR']],
      entries: [['g:leaders', ['APPROVE_RFI_RESPONSE']]],
    });
    expect(planSynchronization(facts, 'DM-6').entriesToWrite).toEqual([]);
  });

  it('DM-2 a removed participant loses its entry; a NO_ACCESS one has none', () => {
    const facts = world({
      participants: [['g:blocked', 'NO_ACCESS']],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE']],
        ['g:blocked', ['VIEW_PACKAGE']],
      ],
    });
    const plan = planSynchronization(facts, 'DM-6');
    expect(plan.entriesToDelete.map((d) => d.entry.principal.id).sort()).toEqual(['blocked', 'leaders']);
    expect(plan.entriesToWrite).toEqual([]);
  });
});

describe('DM-6 synchronizeDeliverables', () => {
  it('DM-6 adds only named users with VIEW_PACKAGE, and never removes', () => {
    const facts = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:carol', 'OBSERVER'],
      ],
      entries: [
        ['g:leaders', ['RECEIVE_PACKAGE']],
        ['u:carol', ['VIEW_PACKAGE']],
      ],
      team: [member('P-gone', 'WORK_AREA', builtIn('TEAM_MEMBER'))],
    });
    const plan = planSynchronization(facts, 'DM-6');
    expect(plan.membersToAdd.map((m) => m.profileId)).toEqual(['P-carol']);
    expect(plan.membersToRemove).toEqual([]);
    expect(plan.membersToAdd[0]?.reason.rule).toBe('DM-6');
  });

  it('DM-6 moves NO_ACCESS_YET users on (records), and is idempotent', () => {
    const facts = world({
      participants: [['g:leaders', 'LEADER']],
      entries: [['g:leaders', ['VIEW_PACKAGE']]],
      synced: ['alice'],
    });
    expect(namedUsers(facts).find((u) => u.userId === 'bob')?.status).toBe('NO_ACCESS_YET');
    const plan = planSynchronization(facts, 'DM-6');
    expect(plan.recordsToWrite.map((r) => r.record.userId).sort()).toEqual(['bob', 'xavier']);
    const after = applySyncPlan(facts, plan);
    expect(namedUsers(after).find((u) => u.userId === 'bob')?.status).toBe('ACTIVE_USER');
    expect(isEmptyPlan(planSynchronization(after, 'DM-6'))).toBe(true);
  });

  it('DM-1 a record is cleared when the user stops being named, so they are NO_ACCESS_YET when they return', () => {
    const facts = world({ participants: [['u:carol', 'OBSERVER']], synced: ['alice', 'carol'] });
    expect(staleSyncRecords(facts).map((r) => r.userId)).toEqual(['alice']);
    expect(planSynchronization(facts, 'DM-6').recordsToClear.map((r) => r.userId)).toEqual(['alice']);
  });

  it('DM-10 reconciliation adds missing translated roles and removes unwanted PWDM roles only', () => {
    const custom: RoleRef = { kind: 'CUSTOM', id: 'c1', name: 'Reviewer', permissions: ['APPROVE_RFI_RESPONSE'] };
    const facts = world({
      participants: [['u:alice', 'OBSERVER']],
      entries: [['u:alice', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']]],
      synced: ['alice'],
      team: [
        member(
          'P-alice',
          'TEAM',
          builtIn('PWDM_ISSUER'),
          builtIn('PWDM_APPROVER'),
          builtIn('PROJECT_ADMINISTRATOR'),
          builtIn('PROJECT_OWNER'),
          custom,
        ),
      ],
    });
    const plan = planSynchronization(facts, 'DM-6');
    expect(plan.rolesToAdd.map((c) => c.role)).toEqual(['TEAM_MEMBER', 'PWDM_RECEIVER']);
    expect(plan.rolesToRemove.map((c) => c.role)).toEqual(['PWDM_ISSUER', 'PWDM_APPROVER']);
    const after = applySyncPlan(facts, plan);
    expect(rolesOf(after, 'P-alice')).toEqual(
      ['PROJECT_ADMINISTRATOR', 'PROJECT_OWNER', 'PWDM_RECEIVER', 'Reviewer', 'TEAM_MEMBER'].sort(),
    );
    expect(connectorTeamInvariantViolations(after)).toEqual([]);
  });

  it('DM-10 TEAM_MEMBER beyond the translation stays (removed only in the team)', () => {
    const facts = world({
      participants: [['u:bob', 'OBSERVER']],
      entries: [['u:bob', []]],
      synced: ['bob'],
      team: [member('P-bob', 'WORK_AREA', builtIn('TEAM_MEMBER'))],
    });
    expect(isEmptyPlan(planSynchronization(facts, 'DM-6'))).toBe(true);
    expect(connectorTeamInvariantViolations(facts)).toEqual([]);
  });

  it('DM-10 a team-made entry is deleted when its user left the team, or once they are an individual participant', () => {
    const left = world({
      participants: [['g:leaders', 'LEADER']],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE'], 'TEAM'],
      ],
    });
    expect(planSynchronization(left, 'DM-6').entriesToDelete.map((d) => d.reason.rule)).toEqual(['DM-10']);
    const individual = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:bob', 'OBSERVER'],
      ],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE', 'ISSUE_PACKAGE'], 'TEAM'],
      ],
      synced: ['bob'],
      team: [member('P-bob', 'TEAM', builtIn('TEAM_MEMBER'), builtIn('PWDM_ISSUER'))],
    });
    const plan = planSynchronization(individual, 'DM-6');
    expect(plan.entriesToDelete.map((d) => d.entry)).toEqual([{ principal: p('u:bob'), origin: 'TEAM' }]);
    expect(plan.entriesToWrite.map((w) => w.entry.principal.id)).toContain('bob');
  });
});

describe('DM-7 synchronizeWorkAreaConnection', () => {
  const facts = world({
    participants: [
      ['u:carol', 'OBSERVER'],
      ['*', 'OBSERVER'],
    ],
    entries: [
      ['u:carol', ['VIEW_PACKAGE']],
      ['*', []],
    ],
    synced: ['carol'],
    team: [
      member('P-carol', 'WORK_AREA', builtIn('TEAM_MEMBER')),
      member('P-alice', 'WORK_AREA'), // only through *Everyone, no VIEW_PACKAGE
      member('P-gone', 'WORK_AREA', builtIn('TEAM_MEMBER')), // behind no participant
      member('P-team', 'TEAM'), // added in the team
      member('P-owner', 'WORK_AREA', builtIn('PROJECT_OWNER')),
    ],
  });

  it('DM-7 removes WORK_AREA members no longer behind a participant or only through *Everyone without VIEW_PACKAGE', () => {
    const plan = planSynchronization(facts, 'DM-7');
    expect(plan.membersToRemove.map((m) => m.profileId).sort()).toEqual(['P-alice', 'P-gone']);
    expect(plan.membersToRemove.every((m) => m.reason.rule === 'DM-7')).toBe(true);
  });

  it('DM-7 never removes TEAM members or Project Owners; DM-6 removes nobody', () => {
    const removed = planSynchronization(facts, 'DM-7').membersToRemove.map((m) => m.profileId);
    expect(removed).not.toContain('P-team');
    expect(removed).not.toContain('P-owner');
    expect(planSynchronization(facts, 'DM-6').membersToRemove).toEqual([]);
  });

  it('DM-7 adds what DM-5 would add (no VIEW_PACKAGE needed) and is idempotent', () => {
    const f = world({
      participants: [['g:leaders', 'OBSERVER']],
      entries: [['g:leaders', []]],
      synced: ['alice', 'bob', 'xavier'],
    });
    expect(planSynchronization(f, 'DM-6').membersToAdd).toEqual([]);
    const plan = planSynchronization(f, 'DM-7');
    expect(plan.membersToAdd.map((m) => m.profileId)).toEqual(['P-alice', 'P-bob', 'P-xavier']);
    expect(isEmptyPlan(planSynchronization(applySyncPlan(f, plan), 'DM-7'))).toBe(true);
  });

  it('DM-7 removing a member deletes their team-made entry (DM-10)', () => {
    const f = world({
      participants: [['*', 'OBSERVER']],
      entries: [
        ['*', []],
        ['u:bob', ['RECEIVE_PACKAGE'], 'TEAM'],
      ],
      synced: ['bob'],
      team: [member('P-bob', 'WORK_AREA', builtIn('PWDM_RECEIVER'))],
    });
    const plan = planSynchronization(f, 'DM-7');
    expect(plan.membersToRemove.map((m) => m.profileId)).toEqual(['P-bob']);
    expect(plan.entriesToDelete.map((d) => d.entry)).toEqual([{ principal: p('u:bob'), origin: 'TEAM' }]);
    expect(isEmptyPlan(planSynchronization(applySyncPlan(f, plan), 'DM-7'))).toBe(true);
  });
});
