// §7 DM-10 connector → team (reconciliation, run by DM-5…DM-8) and the DM-9 invariant it establishes.
import { builtIn, DM_PERMISSIONS, type DmPermission, holdsBuiltIn, type RoleRef } from '../../projects/rules/roles.js';
import { type DeliverablesFacts, teamMember } from './facts.js';
import { namedPeople, namedUsers } from './named-users.js';
import {
  type DmRole,
  permissionList,
  RECONCILED_ROLES,
  type Reason,
  ROLE_FOR_PERMISSION,
  translatePermissions,
} from './vocabulary.js';

export interface RoleChange {
  profileId: string;
  role: DmRole;
  reason: Reason;
}

/**
 * DM-10: the role changes that make a team member's roles agree with their connector permissions:
 * add every translated role (DM-3) they lack; remove PWDM_RECEIVER, PWDM_ISSUER and PWDM_APPROVER that
 * are not translated. TEAM_MEMBER and PROJECT_ADMINISTRATOR are removed only in the team; custom roles
 * and PROJECT_OWNER are never touched (they are not DM roles, so nothing here can name them).
 */
export function reconcileMember(
  member: { profileId: string; roles: readonly RoleRef[] },
  permissions: readonly DmPermission[],
  rule: string,
): { add: RoleChange[]; remove: RoleChange[] } {
  if (agrees(member.roles, permissions)) return { add: [], remove: [] };
  const wanted = translatePermissions(permissions);
  const add = wanted
    .filter((role) => !holdsBuiltIn(member.roles, role))
    .map((role) => ({
      profileId: member.profileId,
      role,
      reason: {
        rule,
        detail: `DM-10: the connector permissions (${permissionList(permissions)}) translate to ${role} (DM-3).`,
      },
    }));
  const remove = RECONCILED_ROLES.filter((role) => holdsBuiltIn(member.roles, role) && !wanted.includes(role)).map(
    (role) => ({
      profileId: member.profileId,
      role,
      reason: {
        rule,
        detail: `DM-10: the connector permissions (${permissionList(permissions)}) no longer translate to ${role}.`,
      },
    }),
  );
  return { add, remove };
}

/**
 * Whether reconcileMember would change nothing: every translated role held, no reconciled role held
 * untranslated. Asked for every member by every synchronization: no allocation.
 */
function agrees(roles: readonly RoleRef[], permissions: readonly DmPermission[]): boolean {
  for (const permission of DM_PERMISSIONS) {
    const role = ROLE_FOR_PERMISSION[permission];
    const wanted = permissions.includes(permission);
    const held = holdsBuiltIn(roles, role);
    if (wanted && !held) return false;
    if (!wanted && held && (RECONCILED_ROLES as readonly DmRole[]).includes(role)) return false;
  }
  return true;
}

/** DM-9 (a) and (b) for one member: the translated roles missing, and the PWDM roles not wanted. */
export function memberInvariantViolations(
  roles: readonly RoleRef[],
  permissions: readonly DmPermission[],
): { missing: DmRole[]; unwanted: DmRole[] } {
  const { add, remove } = reconcileMember({ profileId: '', roles }, permissions, 'DM-9');
  return { missing: add.map((c) => c.role), unwanted: remove.map((c) => c.role) };
}

/** Applies role changes to a member's roles (the database does the same rows). */
export function applyRoleChanges(
  roles: readonly RoleRef[],
  add: readonly DmRole[],
  remove: readonly DmRole[],
): RoleRef[] {
  const kept = roles.filter((r) => !(r.kind === 'BUILT_IN' && (remove as readonly string[]).includes(r.key)));
  return [...kept, ...add.filter((role) => !holdsBuiltIn(kept, role)).map((role) => builtIn(role))];
}

/**
 * DM-9 / DM-10: the role changes that make every team member who is a named person agree with their
 * connector permissions — what a connector or team edit applies after its own writes, so that the
 * invariant holds after every edit, not only after the next synchronization.
 */
export function reconcileTeam(facts: DeliverablesFacts, rule: string): { add: RoleChange[]; remove: RoleChange[] } {
  const add: RoleChange[] = [];
  const remove: RoleChange[] = [];
  for (const person of namedPeople(namedUsers(facts))) {
    const member = teamMember(facts, person.profileId);
    if (!member) continue;
    const changes = reconcileMember(member, person.connectorPermissions, rule);
    for (const c of changes.add) add.push(c);
    for (const c of changes.remove) remove.push(c);
  }
  return { add, remove };
}
