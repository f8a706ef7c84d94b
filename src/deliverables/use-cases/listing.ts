// DM-9: the connector listing, read live — every participant entry of the associated work area
// (NO_ACCESS participants have none) and every team-made entry, with statuses, configured and
// connector permissions, effective permissions (PRJ-8), team membership, pendingSync, managedInTeam;
// a group, list or *Everyone entry expands to the named users it reaches.
import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import type { WorkAreaRole } from '../../db/schema.js';
import { type EffectivePermissions, effectivePermissions } from '../../projects/rules/effective-permissions.js';
import type { DmPermission } from '../../projects/rules/roles.js';
import {
  type DeliverablesFacts,
  type EntryOrigin,
  entryParticipants,
  findEntry,
  samePrincipal,
  teamMember,
} from '../rules/facts.js';
import { isEntryPending, managedInTeam, pendingSync } from '../rules/invariant.js';
import { type NamedUser, namedUsers } from '../rules/named-users.js';

/** A named user as the listing shows them (DM-1 status, DM-4 connector permissions, PRJ-8, team). */
export interface NamedUserView {
  named: NamedUser;
  /** PRJ-8, live; null without a registered profile. */
  effective: EffectivePermissions | null;
  teamMember: boolean;
  pendingSync: boolean;
  managedInTeam: DmPermission[];
}

export interface ListingEntry {
  principal: PrincipalRef;
  origin: EntryOrigin;
  /** WA-1: the participant's role; null for a team-made entry. */
  role: WorkAreaRole | null;
  /** DM-2 / DM-8: what the entry holds; null until a synchronization initialises it. */
  configuredPermissions: DmPermission[] | null;
  /** A user entry's named user (null when the user is not named, e.g. a team-made entry's user left). */
  user: NamedUserView | null;
  /** The named users the entry reaches (a user entry: the user; a group, list or *Everyone: its members). */
  reaches: NamedUserView[];
  pendingSync: boolean;
}

/** The listing, participants first (in the order they were added), then team-made entries. */
export function connectorListing(facts: DeliverablesFacts, imsAdmins: ReadonlySet<string>): ListingEntry[] {
  const pending = pendingSync(facts);
  const views = new Map(
    namedUsers(facts).map((named): [string, NamedUserView] => {
      const member = named.profileId ? teamMember(facts, named.profileId) : undefined;
      return [
        named.userId,
        {
          named,
          effective:
            named.profileId === null
              ? null
              : effectivePermissions({ roles: member?.roles ?? [], isImsAdmin: imsAdmins.has(named.profileId) }),
          teamMember: member !== undefined,
          pendingSync: pending.userIds.has(named.userId),
          managedInTeam: member ? managedInTeam(member.roles, named.connectorPermissions) : [],
        },
      ];
    }),
  );
  const all = [...views.values()];
  const entry = (principal: PrincipalRef, origin: EntryOrigin, role: WorkAreaRole | null): ListingEntry => {
    const configured = findEntry(facts, principal, origin)?.permissions ?? null;
    const user = principal.kind === 'USER' ? (views.get(principal.id) ?? null) : null;
    return {
      principal,
      origin,
      role,
      configuredPermissions: configured ? [...configured] : null,
      user,
      reaches:
        principal.kind === 'USER'
          ? user
            ? [user]
            : []
          : all.filter((v) => v.named.via.some((p) => samePrincipal(p.principal, principal))),
      // DM-9: a data-source change awaits a synchronization for this entry (its own write, or its user's).
      pendingSync: isEntryPending(pending, { principal, origin }) || (user?.pendingSync ?? false),
    };
  };
  return [
    ...entryParticipants(facts).map((p) => entry(p.principal, 'PARTICIPANT', p.role)),
    ...facts.entries.filter((e) => e.origin === 'TEAM').map((e) => entry(e.principal, 'TEAM', null)),
  ];
}
