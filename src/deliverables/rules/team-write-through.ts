// §7 DM-10 team → connector, and DM-7's removeTeamMember warning. Assigning or unassigning one of the
// five DM roles in the team (PRJ-7) to a named user sets or clears the matching permission on their
// individual entry, so that no later synchronization undoes the team's choice.
import type { RoleRef } from '../../projects/rules/roles.js';
import { type DeliverablesFacts, findEntry, samePrincipal, userIdsOfProfile } from './facts.js';
import { namedUsersOfProfile } from './named-users.js';
import type { EntryDeletion, EntryWrite } from './sync-plan.js';
import { isDmRole, normalizePermissions, PERMISSION_FOR_ROLE, samePermissions } from './vocabulary.js';

export interface TeamRoleChange {
  profileId: string;
  role: RoleRef;
  action: 'ASSIGN' | 'UNASSIGN';
}

/**
 * DM-10: the entry writes for one team role change. For each named user of the person: their
 * participant entry when they are an individual participant, else their team-made entry, created from
 * their current connector permissions (DM-4). Decision: the entry is written even when the connector
 * permissions already agree, unless the individual entry itself already does — so the team's choice
 * survives a later change of the groups. Custom roles and PROJECT_OWNER write nothing (not DM roles).
 */
export function teamRoleWriteThrough(facts: DeliverablesFacts, change: TeamRoleChange): EntryWrite[] {
  const { role } = change;
  if (role.kind !== 'BUILT_IN' || !isDmRole(role.key)) return [];
  const permission = PERMISSION_FOR_ROLE[role.key];
  const writes: EntryWrite[] = [];
  for (const user of namedUsersOfProfile(facts, change.profileId)) {
    const principal = { kind: 'USER' as const, id: user.userId };
    const individual = user.via.some((p) => samePrincipal(p.principal, principal));
    const origin = individual ? ('PARTICIPANT' as const) : ('TEAM' as const);
    const current = findEntry(facts, principal, origin)?.permissions ?? null;
    const base = current ?? user.connectorPermissions;
    const permissions = normalizePermissions(
      change.action === 'ASSIGN' ? [...base, permission] : base.filter((p) => p !== permission),
    );
    if (samePermissions(current, permissions)) continue;
    writes.push({
      entry: { principal, origin, permissions },
      reason: {
        rule: 'DM-10',
        detail: `${change.action === 'ASSIGN' ? 'Assigning' : 'Unassigning'} ${role.key} in the team ${
          change.action === 'ASSIGN' ? 'sets' : 'clears'
        } ${permission} on the user's ${individual ? 'participant' : 'team-made'} entry.`,
      },
    });
  }
  return writes;
}

/** DM-10: a user leaving the team takes their team-made entries with them. */
export function teamMemberRemovalWriteThrough(facts: DeliverablesFacts, profileId: string): EntryDeletion[] {
  const userIds = userIdsOfProfile(facts, profileId);
  return facts.entries
    .filter((e) => e.origin === 'TEAM' && userIds.includes(e.principal.id))
    .map((e) => ({
      entry: { principal: e.principal, origin: e.origin },
      reason: { rule: 'DM-10', detail: 'Team-made entries are deleted when their user leaves the team.' },
    }));
}

/**
 * DM-7: removing with removeTeamMember a member still behind a participant succeeds with the warning
 * WILL_BE_RESYNCHRONIZED (a synchronization may add them again).
 */
export function willBeResynchronized(facts: DeliverablesFacts, profileId: string): boolean {
  return namedUsersOfProfile(facts, profileId).length > 0;
}
