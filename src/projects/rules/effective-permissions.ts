// §6 PRJ-6 and PRJ-8: a user's effective permissions in a project, each with its provenance. The one
// function every authorization check of §6–§8 uses (authz calls it with facts loaded elsewhere).
import {
  BUILT_IN_ROLES,
  DM_PERMISSIONS,
  type DmPermission,
  dmPermissionsFrom,
  holdsBuiltIn,
  permissionsOfRole,
  ROLE_PERMISSIONS,
  type RolePermission,
  type RoleRef,
} from './roles.js';

/**
 * Where a permission comes from (PRJ-8). PRJ-8 decision: the PROJECT_OWNER role shows as
 * `{ kind: 'PROJECT_OWNER' }` only, never also as `{ kind: 'BUILT_IN_ROLE', role: 'PROJECT_OWNER' }`:
 * PRJ-6 names "Project Owners" as a source of its own, beside IMS admins, and listing it twice would
 * make a client count the same grant twice.
 */
export type Provenance =
  | { kind: 'BUILT_IN_ROLE'; role: Exclude<(typeof BUILT_IN_ROLES)[number], 'PROJECT_OWNER'> }
  | { kind: 'CUSTOM_ROLE'; id: string; name: string }
  | { kind: 'PROJECT_OWNER' }
  | { kind: 'IMS_ADMIN' };

export interface Grant {
  granted: boolean;
  /** Every source that grants it: roles (built-in in PRJ-4 order, then custom by name), then
   *  PROJECT_OWNER, then IMS_ADMIN. Empty exactly when not granted. */
  grantedBy: Provenance[];
}

export interface EffectivePermissionsFacts {
  /** The roles the user holds in the project (PROJECT_OWNER among them for a Project Owner). */
  roles: readonly RoleRef[];
  /** The user is an IMS admin of the project's account (computed by identity, ID-4). */
  isImsAdmin: boolean;
}

export interface EffectivePermissions {
  rolePermissions: Record<RolePermission, Grant>;
  dmPermissions: Record<DmPermission, Grant>;
  /** PRJ-1: holds the PROJECT_OWNER role. */
  isProjectOwner: boolean;
  isImsAdmin: boolean;
}

function provenanceOf(role: RoleRef): Provenance {
  if (role.kind === 'CUSTOM') return { kind: 'CUSTOM_ROLE', id: role.id, name: role.name };
  if (role.key === 'PROJECT_OWNER') return { kind: 'PROJECT_OWNER' };
  return { kind: 'BUILT_IN_ROLE', role: role.key };
}

/** Deterministic order whatever order the roles were loaded in (see Grant.grantedBy). */
function roleOrder(roles: readonly RoleRef[]): RoleRef[] {
  const rank = (r: RoleRef) => (r.kind === 'BUILT_IN' ? BUILT_IN_ROLES.indexOf(r.key) : BUILT_IN_ROLES.length);
  return [...roles].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0 || a.kind === 'BUILT_IN' || b.kind === 'BUILT_IN') return byRank;
    return a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/**
 * PRJ-8: the eight role permissions and five DM permissions with provenance. PRJ-4: a role grants its
 * role permissions; PRJ-5: it grants the DM permissions derived from them (MANAGE_SETTINGS: all five).
 * PRJ-6: Project Owners and IMS admins hold everything (IMS admins without any role or membership).
 */
export function effectivePermissions(facts: EffectivePermissionsFacts): EffectivePermissions {
  const roleGrants = Object.fromEntries(ROLE_PERMISSIONS.map((p) => [p, [] as Provenance[]])) as Record<
    RolePermission,
    Provenance[]
  >;
  const dmGrants = Object.fromEntries(DM_PERMISSIONS.map((p) => [p, [] as Provenance[]])) as Record<
    DmPermission,
    Provenance[]
  >;
  const seen = new Set<string>();
  for (const role of roleOrder(facts.roles)) {
    const key = role.kind === 'BUILT_IN' ? `B:${role.key}` : `C:${role.id}`;
    if (seen.has(key)) continue; // a role loaded twice still grants once
    seen.add(key);
    const source = provenanceOf(role);
    const permissions = permissionsOfRole(role);
    for (const p of permissions) roleGrants[p].push(source);
    for (const p of dmPermissionsFrom(permissions)) dmGrants[p].push(source);
  }
  // PRJ-6: the PROJECT_OWNER role already granted everything above; IMS admins get it from the account.
  if (facts.isImsAdmin) {
    for (const p of ROLE_PERMISSIONS) roleGrants[p].push({ kind: 'IMS_ADMIN' });
    for (const p of DM_PERMISSIONS) dmGrants[p].push({ kind: 'IMS_ADMIN' });
  }
  const toGrant = (grantedBy: Provenance[]): Grant => ({ granted: grantedBy.length > 0, grantedBy });
  return {
    rolePermissions: Object.fromEntries(ROLE_PERMISSIONS.map((p) => [p, toGrant(roleGrants[p])])) as Record<
      RolePermission,
      Grant
    >,
    dmPermissions: Object.fromEntries(DM_PERMISSIONS.map((p) => [p, toGrant(dmGrants[p])])) as Record<
      DmPermission,
      Grant
    >,
    isProjectOwner: holdsBuiltIn(facts.roles, 'PROJECT_OWNER'),
    isImsAdmin: facts.isImsAdmin,
  };
}

/** The role permissions granted, in PRJ-3 order. */
export function grantedRolePermissions(effective: EffectivePermissions): RolePermission[] {
  return ROLE_PERMISSIONS.filter((p) => effective.rolePermissions[p].granted);
}

/** The DM permissions granted, in PRJ-5 order. */
export function grantedDmPermissions(effective: EffectivePermissions): DmPermission[] {
  return DM_PERMISSIONS.filter((p) => effective.dmPermissions[p].granted);
}
