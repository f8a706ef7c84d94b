// §6 PRJ-1 (a project keeps a Project Owner) and PRJ-7 (team members and role assignment). Small
// pure decisions: each returns null when allowed, else the error code. Whether the caller may call at
// all (ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT, §9) is decided in src/authz before these run; these take
// the caller's effective permissions (PRJ-8) as a fact.
import type { EffectivePermissions } from './effective-permissions.js';
import { holdsBuiltIn, holdsRole, permissionsOfRole, type RoleRef } from './roles.js';

/** The team side of a member as these rules need it. */
export interface MemberFacts {
  roles: readonly RoleRef[];
}

/**
 * PRJ-7: granting or removing PROJECT_OWNER, or removing a Project Owner, needs a Project Owner or an
 * IMS admin. A custom role holding all eight permissions does not qualify, hence a check of its own.
 * It is an authorization failure (§9: FORBIDDEN, decided before any business rule), so it comes first.
 */
export function ownerOnlyProblem(actor: EffectivePermissions): 'FORBIDDEN' | null {
  return actor.isProjectOwner || actor.isImsAdmin ? null : 'FORBIDDEN';
}

/**
 * PRJ-7: a caller may assign, unassign, or remove with a member only a role whose every role
 * permission they hold themselves — so an issuer cannot make anyone, themselves included, a Project
 * Administrator.
 */
export function unheldPermissionProblem(
  actor: EffectivePermissions,
  role: RoleRef,
): 'CANNOT_GRANT_UNHELD_PERMISSION' | null {
  return permissionsOfRole(role).every((p) => actor.rolePermissions[p].granted)
    ? null
    : 'CANNOT_GRANT_UNHELD_PERMISSION';
}

/** PRJ-7 for one role: the owner-only check for PROJECT_OWNER, then the unheld-permission check. */
function roleRightsProblem(
  actor: EffectivePermissions,
  role: RoleRef,
): 'FORBIDDEN' | 'CANNOT_GRANT_UNHELD_PERMISSION' | null {
  if (role.kind === 'BUILT_IN' && role.key === 'PROJECT_OWNER') {
    const problem = ownerOnlyProblem(actor);
    if (problem) return problem;
  }
  return unheldPermissionProblem(actor, role);
}

/** PRJ-1: a project keeps at least one Project Owner. */
export function lastProjectOwnerProblem(projectOwnerCountAfter: number): 'LAST_PROJECT_OWNER' | null {
  return projectOwnerCountAfter < 1 ? 'LAST_PROJECT_OWNER' : null;
}

/**
 * PRJ-7 assignRole. Order: the caller's rights first (so a caller without them learns nothing about
 * the member's roles, §9), then ROLE_ALREADY_HELD.
 */
export function assignRoleProblem(
  actor: EffectivePermissions,
  role: RoleRef,
  member: MemberFacts,
): 'FORBIDDEN' | 'CANNOT_GRANT_UNHELD_PERMISSION' | 'ROLE_ALREADY_HELD' | null {
  return roleRightsProblem(actor, role) ?? (holdsRole(member.roles, role) ? 'ROLE_ALREADY_HELD' : null);
}

/**
 * PRJ-7 unassignRole: rights, then ROLE_NOT_HELD, then PRJ-1's LAST_PROJECT_OWNER when the role is
 * PROJECT_OWNER and the member is the only owner (`projectOwnerCount` = owners before the change).
 */
export function unassignRoleProblem(
  actor: EffectivePermissions,
  role: RoleRef,
  member: MemberFacts,
  projectOwnerCount: number,
): 'FORBIDDEN' | 'CANNOT_GRANT_UNHELD_PERMISSION' | 'ROLE_NOT_HELD' | 'LAST_PROJECT_OWNER' | null {
  const rights = roleRightsProblem(actor, role);
  if (rights) return rights;
  if (!holdsRole(member.roles, role)) return 'ROLE_NOT_HELD';
  if (role.kind === 'BUILT_IN' && role.key === 'PROJECT_OWNER') return lastProjectOwnerProblem(projectOwnerCount - 1);
  return null;
}

/**
 * PRJ-7 removeTeamMember: removing a member removes every role they hold, so the caller needs the
 * right to unassign each (PROJECT_OWNER: a Project Owner or IMS admin); PRJ-1: not the last owner.
 */
export function removeTeamMemberProblem(
  actor: EffectivePermissions,
  member: MemberFacts,
  projectOwnerCount: number,
): 'FORBIDDEN' | 'CANNOT_GRANT_UNHELD_PERMISSION' | 'LAST_PROJECT_OWNER' | null {
  let unheld: 'CANNOT_GRANT_UNHELD_PERMISSION' | null = null;
  for (const role of member.roles) {
    const problem = roleRightsProblem(actor, role);
    if (problem === 'FORBIDDEN') return problem; // authorization outranks the business rule (§9)
    unheld ??= problem;
  }
  if (unheld) return unheld;
  return holdsBuiltIn(member.roles, 'PROJECT_OWNER') ? lastProjectOwnerProblem(projectOwnerCount - 1) : null;
}

export type TeamSource = 'WORK_AREA' | 'TEAM';

/**
 * PRJ-7 addTeamMember: only registered users (USER_NOT_REGISTERED); a TEAM member is already one
 * (ALREADY_TEAM_MEMBER); DM-7: adding a WORK_AREA member is not an error, it turns the member into a
 * TEAM member (so no connection sync removes them).
 */
export function addTeamMemberDecision(facts: {
  registered: boolean;
  membership: { source: TeamSource } | null;
}): { error: 'USER_NOT_REGISTERED' | 'ALREADY_TEAM_MEMBER' } | { action: 'ADD' | 'MAKE_TEAM_SOURCED' } {
  if (!facts.registered) return { error: 'USER_NOT_REGISTERED' };
  if (!facts.membership) return { action: 'ADD' };
  return facts.membership.source === 'WORK_AREA' ? { action: 'MAKE_TEAM_SOURCED' } : { error: 'ALREADY_TEAM_MEMBER' };
}

/** PRJ-7: removing or assigning to someone who is not on the team. */
export function teamMembershipProblem(isMember: boolean): 'NOT_TEAM_MEMBER' | null {
  return isMember ? null : 'NOT_TEAM_MEMBER';
}
