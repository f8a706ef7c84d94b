// §7 DM-9: the connector ↔ team invariant as a pure checker, and `pendingSync` (what a
// synchronization would change) for the connector listing.

import {
  type DmPermission,
  dmPermissionsFrom,
  type RoleRef,
  unionOfRolePermissions,
} from '../../projects/rules/roles.js';
import { type ConnectorEntry, type DeliverablesFacts, entryKey, teamMember } from './facts.js';
import { namedPeople, namedUsers, namedUsersOfProfile } from './named-users.js';
import { memberInvariantViolations } from './reconcile.js';
import { planSynchronization, type SyncKind } from './sync-plan.js';
import { type DmRole, isDmRole, translatePermissions } from './vocabulary.js';

export interface InvariantViolation {
  profileId: string;
  /** (a) translated roles the member lacks. */
  missing: DmRole[];
  /** (b) PWDM_RECEIVER / PWDM_ISSUER / PWDM_APPROVER held but not translated. */
  unwanted: DmRole[];
}

/**
 * DM-9: for every team member who is a named user, (a) they hold every role DM-3 translates their
 * connector permissions to, and (b) the PWDM roles they hold are exactly the translated ones. Holds
 * after every synchronization and every connector or team edit; between a data-source change and the
 * next synchronization it may not (that is what pendingSync shows).
 */
export function connectorTeamInvariantViolations(facts: DeliverablesFacts): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  for (const person of namedPeople(namedUsers(facts))) {
    const member = teamMember(facts, person.profileId);
    if (!member) continue;
    const { missing, unwanted } = memberInvariantViolations(member.roles, person.connectorPermissions);
    if (missing.length > 0 || unwanted.length > 0) violations.push({ profileId: person.profileId, missing, unwanted });
  }
  return violations;
}

export interface PendingSync {
  /** Data-source users a synchronization would change something for. */
  userIds: ReadonlySet<string>;
  /** Entries (entryKey) a synchronization would write or delete, or whose user is pending. */
  entryKeys: ReadonlySet<string>;
}

/**
 * DM-9 pendingSync: true for a user or an entry when the synchronization `kind` (default DM-6, the
 * on-demand one) would change something for it: their record, their entry, their membership or roles.
 */
export function pendingSync(facts: DeliverablesFacts, kind: SyncKind = 'DM-6'): PendingSync {
  const plan = planSynchronization(facts, kind);
  const userIds = new Set<string>();
  for (const w of plan.recordsToWrite) userIds.add(w.record.userId);
  for (const c of plan.recordsToClear) userIds.add(c.userId);
  const touched = [...plan.entriesToWrite, ...plan.entriesToDelete].map((w) => w.entry);
  for (const e of touched) if (e.principal.kind === 'USER') userIds.add(e.principal.id);
  for (const changes of [plan.membersToAdd, plan.membersToRemove, plan.rolesToAdd, plan.rolesToRemove]) {
    for (const change of changes) for (const u of namedUsersOfProfile(facts, change.profileId)) userIds.add(u.userId);
  }
  const entryKeys = new Set(touched.map((e) => entryKey(e)));
  for (const e of facts.entries)
    if (e.principal.kind === 'USER' && userIds.has(e.principal.id)) entryKeys.add(entryKey(e));
  return { userIds, entryKeys };
}

export function isEntryPending(pending: PendingSync, entry: Pick<ConnectorEntry, 'principal' | 'origin'>): boolean {
  return pending.entryKeys.has(entryKey(entry));
}

/**
 * DM-9 `managedInTeam`: the DM permissions that a DM role the member holds *beyond* the translation of
 * their connector permissions (DM-3) still grants (PRJ-5) although the connector lacks them — the
 * connector lost the permission (a data-source change, DM-9's note) and the role stays until it is
 * removed in the team. A role the connector's permissions explain flags nothing (a Project
 * Administrator's MANAGE_SETTINGS implies APPROVE_RFI_RESPONSE without the connector ever having had
 * it); custom roles and PROJECT_OWNER are the team's own, not the connector's.
 */
export function managedInTeam(
  roles: readonly RoleRef[],
  connectorPermissions: readonly DmPermission[],
): DmPermission[] {
  const translated = translatePermissions(connectorPermissions);
  const beyond = roles.filter((r) => r.kind === 'BUILT_IN' && isDmRole(r.key) && !translated.includes(r.key));
  return dmPermissionsFrom(unionOfRolePermissions(beyond)).filter((p) => !connectorPermissions.includes(p));
}
