import { describe, expect, it } from 'vitest';
import type { Participant, PrincipalRef } from '../../../src/data-sources/rules/principals.js';
import type { WorkAreaRole } from '../../../src/db/schema.js';
import { applyEntryWrites, applySyncPlan } from '../../../src/deliverables/rules/apply.js';
import {
  associationProblem,
  dissociationPlan,
  synchronizationProblem,
} from '../../../src/deliverables/rules/association.js';
import { validateConnectorEdit } from '../../../src/deliverables/rules/connector-edit.js';
import type { ConnectorEntry, DeliverablesFacts, TeamMember } from '../../../src/deliverables/rules/facts.js';
import {
  connectorTeamInvariantViolations,
  isEntryPending,
  managedInTeam,
  pendingSync,
} from '../../../src/deliverables/rules/invariant.js';
import { namedUsers } from '../../../src/deliverables/rules/named-users.js';
import { namedUserStatus, normalizeDataSourceEmail } from '../../../src/deliverables/rules/status.js';
import { isEmptyPlan, planSynchronization, staleSyncRecords } from '../../../src/deliverables/rules/sync-plan.js';
import {
  teamMemberRemovalWriteThrough,
  teamRoleWriteThrough,
  willBeResynchronized,
} from '../../../src/deliverables/rules/team-write-through.js';
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

describe('DM-8 setDeliverablesPermissions', () => {
  const reviewer: RoleRef = { kind: 'CUSTOM', id: 'c1', name: 'Reviewer', permissions: ['RECEIVE_EXTERNAL_PACKAGES'] };
  const facts = world({
    participants: [
      ['g:leaders', 'LEADER'],
      ['u:carol', 'OBSERVER'],
      ['u:nomail', 'OBSERVER'],
      ['u:unreg', 'OBSERVER'],
      ['g:blocked', 'NO_ACCESS'],
      ['u:xavier', 'OBSERVER'],
    ],
    entries: [
      ['g:leaders', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE']],
      ['u:carol', ['VIEW_PACKAGE', 'ADMIN']],
      ['u:xavier', []],
    ],
    synced: ['alice', 'bob', 'carol', 'xavier'],
    team: [
      member(
        'P-alice',
        'WORK_AREA',
        builtIn('TEAM_MEMBER'),
        builtIn('PWDM_RECEIVER'),
        builtIn('PWDM_ISSUER'),
        reviewer,
      ),
      member('P-bob', 'WORK_AREA', builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER'), builtIn('PWDM_ISSUER')),
      member('P-carol', 'WORK_AREA', builtIn('TEAM_MEMBER'), builtIn('PROJECT_ADMINISTRATOR')),
    ],
  });
  const none = new Set<string>();
  const edit = (s: string, permissions: DmPermission[]) => ({ principal: p(s), permissions });
  const codes = (d: ReturnType<typeof validateConnectorEdit>) => d.errors.map((e) => [e.path.join('.'), e.code]);

  it('DM-8 any permission may be added; writes and reconciliation follow', () => {
    const d = validateConnectorEdit(facts, [edit('u:carol', ['VIEW_PACKAGE', 'ADMIN', 'APPROVE_RFI_RESPONSE'])], none);
    expect(d.errors).toEqual([]);
    expect(d.writes.map((w) => w.entry.permissions)).toEqual([['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE', 'ADMIN']]);
    expect(d.rolesToAdd.map((c) => [c.profileId, c.role])).toEqual([['P-carol', 'PWDM_APPROVER']]);
  });

  it('DM-8 NOT_A_PARTICIPANT: not a participant, or a NO_ACCESS one', () => {
    const d = validateConnectorEdit(facts, [edit('g:nope', []), edit('g:blocked', ['VIEW_PACKAGE'])], none);
    expect(codes(d)).toEqual([
      ['entries.0', 'NOT_A_PARTICIPANT'],
      ['entries.1', 'NOT_A_PARTICIPANT'],
    ]);
  });

  it('DM-8 EMAIL_ADDRESS_MISSING and IMS_ACCOUNT_MISSING', () => {
    const d = validateConnectorEdit(
      facts,
      [edit('u:nomail', ['VIEW_PACKAGE']), edit('u:unreg', ['VIEW_PACKAGE'])],
      none,
    );
    expect(codes(d)).toEqual([
      ['entries.0', 'EMAIL_ADDRESS_MISSING'],
      ['entries.1', 'IMS_ACCOUNT_MISSING'],
    ]);
  });

  it('DM-8 PERMISSION_MANAGED_IN_TEAM: removing VIEW_PACKAGE or ADMIN', () => {
    expect(codes(validateConnectorEdit(facts, [edit('u:carol', ['ADMIN'])], none))).toEqual([
      ['entries.0', 'PERMISSION_MANAGED_IN_TEAM'],
    ]);
    expect(codes(validateConnectorEdit(facts, [edit('u:carol', ['VIEW_PACKAGE'])], none))).toEqual([
      ['entries.0', 'PERMISSION_MANAGED_IN_TEAM'],
    ]);
  });

  it('DM-8 CUSTOM_ROLE_GRANTS_PERMISSION names the role and the affected user', () => {
    const d = validateConnectorEdit(facts, [edit('g:leaders', ['VIEW_PACKAGE', 'ISSUE_PACKAGE'])], none);
    expect(d.errors).toEqual([
      expect.objectContaining({
        path: ['entries', '0'],
        code: 'CUSTOM_ROLE_GRANTS_PERMISSION',
        roles: [{ id: 'c1', name: 'Reviewer' }],
        users: ['P-alice'],
      }),
    ]);
    expect(d.writes).toEqual([]);
  });

  it('DM-8 removing a permission the custom role does not grant is fine', () => {
    const d = validateConnectorEdit(facts, [edit('g:leaders', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'])], none);
    expect(d.errors).toEqual([]);
    expect(d.rolesToRemove.map((c) => [c.profileId, c.role])).toEqual([
      ['P-alice', 'PWDM_ISSUER'],
      ['P-bob', 'PWDM_ISSUER'],
    ]);
  });

  it('DM-8 the first applicable code wins, in the spec order', () => {
    // nomail is a participant (passes NOT_A_PARTICIPANT) without email: EMAIL_ADDRESS_MISSING, not later codes.
    expect(codes(validateConnectorEdit(facts, [edit('u:nomail', [])], none))).toEqual([
      ['entries.0', 'EMAIL_ADDRESS_MISSING'],
    ]);
  });

  it('DM-8 any error and nothing changes, even for valid entries', () => {
    const d = validateConnectorEdit(
      facts,
      [edit('u:carol', ['VIEW_PACKAGE', 'ADMIN', 'APPROVE_RFI_RESPONSE']), edit('g:nope', [])],
      none,
    );
    expect(codes(d)).toEqual([['entries.1', 'NOT_A_PARTICIPANT']]);
    expect(d.writes).toEqual([]);
    expect(d.rolesToAdd).toEqual([]);
    expect(d.warnings).toEqual([]);
  });

  it('DM-8 PERMISSION_STILL_GRANTED when another role, PROJECT_OWNER or IMS_ADMIN still grants it', () => {
    const f = world({
      participants: [
        ['u:carol', 'OBSERVER'],
        ['u:bob', 'OBSERVER'],
      ],
      entries: [
        ['u:carol', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ADMIN']],
        ['u:bob', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']],
      ],
      synced: ['carol', 'bob'],
      team: [
        member('P-carol', 'TEAM', builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER'), builtIn('PROJECT_ADMINISTRATOR')),
        member('P-bob', 'TEAM', builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER')),
      ],
    });
    const d = validateConnectorEdit(
      f,
      [edit('u:carol', ['VIEW_PACKAGE', 'ADMIN']), edit('u:bob', ['VIEW_PACKAGE'])],
      none,
    );
    expect(d.warnings).toEqual([
      expect.objectContaining({
        code: 'PERMISSION_STILL_GRANTED',
        path: ['entries', '0'],
        permission: 'RECEIVE_PACKAGE',
        grantedBy: [{ kind: 'BUILT_IN_ROLE', role: 'PROJECT_ADMINISTRATOR' }],
      }),
    ]);
    const asAdmin = validateConnectorEdit(f, [edit('u:bob', ['VIEW_PACKAGE'])], new Set(['P-bob']));
    expect(asAdmin.warnings.map((w) => w.grantedBy)).toEqual([[{ kind: 'IMS_ADMIN' }]]);
    expect(asAdmin.rolesToRemove.map((c) => c.role)).toEqual(['PWDM_RECEIVER']);
  });

  it('DM-8 DIFFERENT_DOMAIN_ACCESS when VIEW_PACKAGE is granted to a user of another domain', () => {
    const d = validateConnectorEdit(facts, [edit('u:xavier', ['VIEW_PACKAGE'])], none);
    expect(d.warnings.map((w) => [w.code, w.users])).toEqual([['DIFFERENT_DOMAIN_ACCESS', ['xavier']]]);
    expect(
      validateConnectorEdit(facts, [edit('u:carol', ['VIEW_PACKAGE', 'ADMIN', 'ISSUE_PACKAGE'])], none).warnings,
    ).toEqual([]);
  });

  it('DM-8 a team-made entry may be edited', () => {
    const f = world({
      participants: [['g:leaders', 'LEADER']],
      entries: [
        ['g:leaders', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'], 'TEAM'],
      ],
      synced: ['bob'],
      team: [member('P-bob', 'TEAM', builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER'))],
    });
    const d = validateConnectorEdit(f, [edit('u:bob', ['VIEW_PACKAGE'])], none);
    expect(d.errors).toEqual([]);
    expect(d.writes.map((w) => w.entry.origin)).toEqual(['TEAM']);
    expect(codes(validateConnectorEdit(f, [edit('u:alice', ['VIEW_PACKAGE'])], none))).toEqual([
      ['entries.0', 'NOT_A_PARTICIPANT'],
    ]);
  });
});

describe('DM-10 team → connector', () => {
  const facts = world({
    participants: [
      ['g:leaders', 'LEADER'],
      ['u:carol', 'OBSERVER'],
    ],
    entries: [
      ['g:leaders', ['VIEW_PACKAGE', 'RECEIVE_PACKAGE']],
      ['u:carol', ['VIEW_PACKAGE']],
    ],
    synced: ['alice', 'carol'],
    team: [
      member('P-alice', 'WORK_AREA', builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER')),
      member('P-carol', 'WORK_AREA', builtIn('TEAM_MEMBER')),
    ],
  });

  it('DM-10 assigning a DM role to an individual participant sets the permission on their entry', () => {
    const writes = teamRoleWriteThrough(facts, {
      profileId: 'P-carol',
      role: builtIn('PWDM_APPROVER'),
      action: 'ASSIGN',
    });
    expect(writes.map((w) => w.entry)).toEqual([
      { principal: p('u:carol'), origin: 'PARTICIPANT', permissions: ['VIEW_PACKAGE', 'APPROVE_RFI_RESPONSE'] },
    ]);
  });

  it('DM-10 otherwise a team-made entry is created from their current connector permissions', () => {
    const writes = teamRoleWriteThrough(facts, {
      profileId: 'P-alice',
      role: builtIn('PWDM_RECEIVER'),
      action: 'UNASSIGN',
    });
    expect(writes.map((w) => w.entry)).toEqual([
      { principal: p('u:alice'), origin: 'TEAM', permissions: ['VIEW_PACKAGE'] },
    ]);
    const after = applyEntryWrites(
      { ...facts, team: [member('P-alice', 'WORK_AREA', builtIn('TEAM_MEMBER')), facts.team[1] as TeamMember] },
      writes,
      [],
    );
    // a later synchronization keeps the team's choice
    const plan = planSynchronization(after, 'DM-6');
    expect([...plan.rolesToAdd, ...plan.rolesToRemove].filter((c) => c.profileId === 'P-alice')).toEqual([]);
    expect(plan.entriesToDelete).toEqual([]);
    expect(connectorTeamInvariantViolations(after)).toEqual([]);
    // without the team-made entry, the group's RECEIVE_PACKAGE would give the role back
    expect(planSynchronization({ ...after, entries: facts.entries }, 'DM-6').rolesToAdd.map((c) => c.role)).toContain(
      'PWDM_RECEIVER',
    );
  });

  it('DM-10 nothing is written when the individual entry already agrees', () => {
    const f = {
      ...facts,
      entries: [
        ...facts.entries,
        { principal: p('u:alice'), origin: 'TEAM' as const, permissions: ['VIEW_PACKAGE' as const] },
      ],
    };
    expect(teamRoleWriteThrough(f, { profileId: 'P-alice', role: builtIn('TEAM_MEMBER'), action: 'ASSIGN' })).toEqual(
      [],
    );
    expect(
      teamRoleWriteThrough(f, { profileId: 'P-alice', role: builtIn('PWDM_RECEIVER'), action: 'UNASSIGN' }),
    ).toEqual([]);
    // the team-made entry, not the group's RECEIVE_PACKAGE, is the base
    expect(
      teamRoleWriteThrough(f, { profileId: 'P-alice', role: builtIn('PWDM_ISSUER'), action: 'ASSIGN' }).map(
        (w) => w.entry.permissions,
      ),
    ).toEqual([['VIEW_PACKAGE', 'ISSUE_PACKAGE']]);
  });

  it('DM-10 custom roles and PROJECT_OWNER write nothing; non-named users nothing', () => {
    expect(
      teamRoleWriteThrough(facts, { profileId: 'P-alice', role: builtIn('PROJECT_OWNER'), action: 'ASSIGN' }),
    ).toEqual([]);
    const custom: RoleRef = { kind: 'CUSTOM', id: 'c', name: 'C', permissions: ['ISSUE_PACKAGES'] };
    expect(teamRoleWriteThrough(facts, { profileId: 'P-alice', role: custom, action: 'ASSIGN' })).toEqual([]);
    expect(
      teamRoleWriteThrough(facts, { profileId: 'P-nobody', role: builtIn('PWDM_ISSUER'), action: 'ASSIGN' }),
    ).toEqual([]);
  });

  it('DM-10 team-made entries go when the user leaves the team; DM-7 WILL_BE_RESYNCHRONIZED', () => {
    const f = {
      ...facts,
      entries: [...facts.entries, { principal: p('u:alice'), origin: 'TEAM' as const, permissions: [] }],
    };
    expect(teamMemberRemovalWriteThrough(f, 'P-alice').map((d) => d.entry)).toEqual([
      { principal: p('u:alice'), origin: 'TEAM' },
    ]);
    expect(teamMemberRemovalWriteThrough(f, 'P-carol')).toEqual([]);
    expect(willBeResynchronized(f, 'P-alice')).toBe(true);
    expect(willBeResynchronized(f, 'P-nobody')).toBe(false);
  });
});

describe('DM-9 invariant and pendingSync', () => {
  it('DM-9 (a) a missing translated role and (b) an unwanted PWDM role are violations', () => {
    const f = world({
      participants: [['u:bob', 'OBSERVER']],
      entries: [['u:bob', ['VIEW_PACKAGE', 'ISSUE_PACKAGE']]],
      synced: ['bob'],
      team: [member('P-bob', 'TEAM', builtIn('TEAM_MEMBER'), builtIn('PWDM_APPROVER'))],
    });
    expect(connectorTeamInvariantViolations(f)).toEqual([
      { profileId: 'P-bob', missing: ['PWDM_ISSUER'], unwanted: ['PWDM_APPROVER'] },
    ]);
  });

  it('DM-9 members who are not named users are not checked', () => {
    const f = world({ participants: [], team: [member('P-bob', 'TEAM', builtIn('PWDM_APPROVER'))] });
    expect(connectorTeamInvariantViolations(f)).toEqual([]);
  });

  it('DM-9 pendingSync marks the users and entries a synchronization would change, and nothing after it', () => {
    const f = world({
      participants: [
        ['g:leaders', 'LEADER'],
        ['u:carol', 'OBSERVER'],
      ],
      entries: [['u:carol', ['VIEW_PACKAGE']]],
      synced: ['carol'],
      team: [member('P-carol', 'TEAM', builtIn('TEAM_MEMBER'))],
    });
    const pending = pendingSync(f);
    expect([...pending.userIds].sort()).toEqual(['alice', 'bob', 'xavier']);
    expect(isEntryPending(pending, { principal: p('g:leaders'), origin: 'PARTICIPANT' })).toBe(true);
    expect(isEntryPending(pending, { principal: p('u:carol'), origin: 'PARTICIPANT' })).toBe(false);
    const after = applySyncPlan(f, planSynchronization(f, 'DM-6'));
    expect(pendingSync(after).userIds.size).toBe(0);
  });
});

describe('WA-2 association', () => {
  const ok = {
    workAreaProjectId: null,
    projectWorkAreaId: null,
    workAreaAccountId: 'A',
    projectAccountId: 'A',
    deliverablesEnabled: true,
  };

  it('WA-2 a free work area and project of one account with DM enabled may be associated', () => {
    expect(associationProblem(ok)).toBeNull();
  });

  it('WA-2 ALREADY_ASSOCIATED on either side', () => {
    expect(associationProblem({ ...ok, workAreaProjectId: 'p2' })).toBe('ALREADY_ASSOCIATED');
    expect(associationProblem({ ...ok, projectWorkAreaId: 'w2' })).toBe('ALREADY_ASSOCIATED');
  });

  it('WA-2 ACCOUNT_MISMATCH, then DELIVERABLES_NOT_ENABLED, in that order', () => {
    expect(associationProblem({ ...ok, projectAccountId: 'B' })).toBe('ACCOUNT_MISMATCH');
    expect(associationProblem({ ...ok, projectAccountId: 'B', deliverablesEnabled: false })).toBe('ACCOUNT_MISMATCH');
    expect(associationProblem({ ...ok, deliverablesEnabled: false })).toBe('DELIVERABLES_NOT_ENABLED');
  });

  it('DM-6 NO_WORK_AREA_ASSOCIATED', () => {
    expect(synchronizationProblem(null)).toBe('NO_WORK_AREA_ASSOCIATED');
    expect(synchronizationProblem('w')).toBeNull();
  });

  it('WA-2 dissociation deletes the entries; WORK_AREA members stay as TEAM members', () => {
    const f = world({
      participants: [['u:carol', 'OBSERVER']],
      entries: [
        ['u:carol', ['VIEW_PACKAGE']],
        ['u:bob', ['VIEW_PACKAGE'], 'TEAM'],
      ],
      synced: ['carol'],
      team: [member('P-carol', 'WORK_AREA', builtIn('TEAM_MEMBER')), member('P-bob', 'TEAM', builtIn('TEAM_MEMBER'))],
    });
    const plan = dissociationPlan(f);
    expect(plan.entriesToDelete.map((d) => d.entry.origin)).toEqual(['PARTICIPANT', 'TEAM']);
    expect(plan.membersToMakeTeamSourced.map((m) => m.profileId)).toEqual(['P-carol']);
    expect(plan.recordsToClear.map((r) => r.userId)).toEqual(['carol']);
  });
});

describe('DM-8 / DM-9 extras', () => {
  it('DM-8 DUPLICATE_ENTRY on the later occurrence of a principal', () => {
    const f = world({
      participants: [['u:carol', 'OBSERVER']],
      entries: [['u:carol', ['VIEW_PACKAGE']]],
      synced: ['carol'],
    });
    const edit = { principal: p('u:carol'), permissions: ['VIEW_PACKAGE' as const] };
    const d = validateConnectorEdit(f, [edit, edit], new Set());
    expect(d.errors.map((e) => [e.path.join('.'), e.code])).toEqual([['entries.1', 'DUPLICATE_ENTRY']]);
  });

  it('DM-9 managedInTeam: permissions a team role still grants after the connector lost them', () => {
    expect(managedInTeam([builtIn('TEAM_MEMBER'), builtIn('PWDM_RECEIVER')], ['RECEIVE_PACKAGE'])).toEqual([
      'VIEW_PACKAGE',
    ]);
    // The connector lost ADMIN: the Project Administrator role still grants every DM permission.
    expect(managedInTeam([builtIn('PROJECT_ADMINISTRATOR')], [])).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
      'APPROVE_RFI_RESPONSE',
      'ADMIN',
    ]);
    expect(managedInTeam([builtIn('TEAM_MEMBER')], ['VIEW_PACKAGE'])).toEqual([]);
  });

  it('DM-9 managedInTeam flags nothing a role the connector explains grants, nor custom roles or PROJECT_OWNER', () => {
    // An ADMINISTRATOR's defaults translate to PROJECT_ADMINISTRATOR, whose MANAGE_SETTINGS implies
    // APPROVE_RFI_RESPONSE: the connector never had it, so it never lost it.
    const admin: DmPermission[] = ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN'];
    expect(
      managedInTeam(
        ['TEAM_MEMBER', 'PWDM_RECEIVER', 'PWDM_ISSUER', 'PROJECT_ADMINISTRATOR'].map((k) => builtIn(k as never)),
        admin,
      ),
    ).toEqual([]);
    expect(managedInTeam([builtIn('PROJECT_OWNER')], [])).toEqual([]);
    expect(
      managedInTeam([{ kind: 'CUSTOM', id: 'c1', name: 'Receiver', permissions: ['RECEIVE_EXTERNAL_PACKAGES'] }], []),
    ).toEqual([]);
  });
});
