// DM-9: the connector listing, read live — every participant entry of the associated work area
// (NO_ACCESS participants have none) and every team-made entry, with statuses, configured and
// connector permissions, effective permissions (PRJ-8), team membership, pendingSync, managedInTeam;
// a group, list or *Everyone entry expands to the named users it reaches. What a page does not show is
// not computed: per-user views and expansions are built on first use (a work area may name 10,000).
import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import type { WorkAreaRole } from '../../db/schema.js';
import { type EffectivePermissions, effectivePermissions } from '../../projects/rules/effective-permissions.js';
import type { DmPermission } from '../../projects/rules/roles.js';
import {
  type DeliverablesFacts,
  type EntryOrigin,
  entryParticipants,
  findEntry,
  principalKey,
  teamMember,
} from '../rules/facts.js';
import { isEntryPending, managedInTeam, type PendingSync, pendingSync } from '../rules/invariant.js';
import { type NamedUser, namedUsers } from '../rules/named-users.js';

/** A named user as the listing shows them (DM-1 status, DM-4 connector permissions, PRJ-8, team). */
export interface NamedUserView {
  named: NamedUser;
  /** PRJ-8, live; null without a registered profile. */
  effective(): EffectivePermissions | null;
  teamMember: boolean;
  pendingSync: boolean;
  managedInTeam(): DmPermission[];
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
  reaches(): NamedUserView[];
  pendingSync: boolean;
}

function view(
  facts: DeliverablesFacts,
  named: NamedUser,
  pending: PendingSync,
  imsAdmins: ReadonlySet<string>,
): NamedUserView {
  const member = named.profileId ? teamMember(facts, named.profileId) : undefined;
  return {
    named,
    effective: () =>
      named.profileId === null
        ? null
        : effectivePermissions({ roles: member?.roles ?? [], isImsAdmin: imsAdmins.has(named.profileId) }),
    teamMember: member !== undefined,
    pendingSync: pending.userIds.has(named.userId),
    managedInTeam: () => (member ? managedInTeam(member.roles, named.connectorPermissions) : []),
  };
}

/** The listing, participants first (in the order they were added), then team-made entries. */
export function connectorListing(facts: DeliverablesFacts, imsAdmins: ReadonlySet<string>): ListingEntry[] {
  const pending = pendingSync(facts);
  const named = namedUsers(facts);
  const byUser = new Map(named.map((u) => [u.userId, u]));
  let byPrincipal: Map<string, NamedUser[]> | undefined;
  /** The named users each participant reaches, grouped once, on first use. */
  const reachedBy = (principal: PrincipalRef) => {
    if (!byPrincipal) {
      byPrincipal = new Map();
      for (const user of named) {
        for (const p of user.via) {
          const key = principalKey(p.principal);
          const list = byPrincipal.get(key);
          if (list) list.push(user);
          else byPrincipal.set(key, [user]);
        }
      }
    }
    return byPrincipal.get(principalKey(principal)) ?? [];
  };
  const entry = (principal: PrincipalRef, origin: EntryOrigin, role: WorkAreaRole | null): ListingEntry => {
    const configured = findEntry(facts, principal, origin)?.permissions ?? null;
    const namedUser = principal.kind === 'USER' ? byUser.get(principal.id) : undefined;
    const user = namedUser ? view(facts, namedUser, pending, imsAdmins) : null;
    return {
      principal,
      origin,
      role,
      configuredPermissions: configured ? [...configured] : null,
      user,
      reaches: () =>
        principal.kind === 'USER'
          ? user
            ? [user]
            : []
          : reachedBy(principal).map((u) => view(facts, u, pending, imsAdmins)),
      // DM-9: a data-source change awaits a synchronization for this entry (its own write, or its user's).
      pendingSync: isEntryPending(pending, { principal, origin }) || (user?.pendingSync ?? false),
    };
  };
  return [
    ...entryParticipants(facts).map((p) => entry(p.principal, 'PARTICIPANT', p.role)),
    ...facts.entries.filter((e) => e.origin === 'TEAM').map((e) => entry(e.principal, 'TEAM', null)),
  ];
}
