// §6 Projects: the fixed vocabularies. PRJ-3 (the eight role permissions), PRJ-4 (the six built-in
// roles and exactly their role permissions, seed 002's table), PRJ-5 (the five DM permissions and how
// they derive from role permissions). Pure data and small helpers; no database.

/** PRJ-3: the eight role permissions, in the order the spec lists them. */
export const ROLE_PERMISSIONS = [
  'READ_AND_CREATE_DRAFT_PACKAGES',
  'RECEIVE_EXTERNAL_PACKAGES',
  'ISSUE_PACKAGES',
  'APPROVE_RFI_RESPONSE',
  'MANAGE_SETTINGS',
  'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
  'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
  'MANAGE_EXTERNAL_ORGANIZATIONS',
] as const;
export type RolePermission = (typeof ROLE_PERMISSIONS)[number];

/** PRJ-4: the built-in roles (never edited or deleted: BUILT_IN_ROLE). */
export const BUILT_IN_ROLES = [
  'TEAM_MEMBER',
  'PWDM_RECEIVER',
  'PWDM_ISSUER',
  'PWDM_APPROVER',
  'PROJECT_ADMINISTRATOR',
  'PROJECT_OWNER',
] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

/** PRJ-4: exactly seed 002's table. */
export const BUILT_IN_ROLE_PERMISSIONS: Readonly<Record<BuiltInRole, readonly RolePermission[]>> = {
  TEAM_MEMBER: ['READ_AND_CREATE_DRAFT_PACKAGES'],
  PWDM_RECEIVER: ['RECEIVE_EXTERNAL_PACKAGES'],
  PWDM_ISSUER: [
    'ISSUE_PACKAGES',
    'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
    'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
    'MANAGE_EXTERNAL_ORGANIZATIONS',
  ],
  PWDM_APPROVER: ['APPROVE_RFI_RESPONSE'],
  PROJECT_ADMINISTRATOR: [
    'READ_AND_CREATE_DRAFT_PACKAGES',
    'RECEIVE_EXTERNAL_PACKAGES',
    'ISSUE_PACKAGES',
    'APPROVE_RFI_RESPONSE',
    'MANAGE_SETTINGS',
  ],
  PROJECT_OWNER: ROLE_PERMISSIONS,
};

/** Names an administrator sees in the portal (seed 002); custom roles may not take them (PRJ-4). */
export const BUILT_IN_ROLE_LABELS: Readonly<Record<BuiltInRole, string>> = {
  TEAM_MEMBER: 'Team member',
  PWDM_RECEIVER: 'PWDM receiver',
  PWDM_ISSUER: 'PWDM issuer',
  PWDM_APPROVER: 'PWDM approver',
  PROJECT_ADMINISTRATOR: 'Project administrator',
  PROJECT_OWNER: 'Project owner',
};

/** PRJ-5: the five DM permissions (the connector's vocabulary, seed 004). */
export const DM_PERMISSIONS = [
  'VIEW_PACKAGE',
  'RECEIVE_PACKAGE',
  'ISSUE_PACKAGE',
  'APPROVE_RFI_RESPONSE',
  'ADMIN',
] as const;
export type DmPermission = (typeof DM_PERMISSIONS)[number];

/** PRJ-5: the role permission each DM permission derives from. */
export const DM_PERMISSION_SOURCE: Readonly<Record<DmPermission, RolePermission>> = {
  VIEW_PACKAGE: 'READ_AND_CREATE_DRAFT_PACKAGES',
  RECEIVE_PACKAGE: 'RECEIVE_EXTERNAL_PACKAGES',
  ISSUE_PACKAGE: 'ISSUE_PACKAGES',
  APPROVE_RFI_RESPONSE: 'APPROVE_RFI_RESPONSE',
  ADMIN: 'MANAGE_SETTINGS',
};

/**
 * PRJ-5: the DM permissions a set of role permissions gives. MANAGE_SETTINGS implies every DM
 * permission (seed 002: Admin "grants all Deliverables Management permissions"). Result in
 * DM_PERMISSIONS order.
 */
export function dmPermissionsFrom(rolePermissions: Iterable<RolePermission>): DmPermission[] {
  const held = new Set(rolePermissions);
  if (held.has('MANAGE_SETTINGS')) return [...DM_PERMISSIONS];
  return DM_PERMISSIONS.filter((p) => held.has(DM_PERMISSION_SOURCE[p]));
}

/**
 * A role as a team member holds it: a built-in key, or a project's custom role with its permissions
 * (PRJ-4: any non-empty set). Built-in roles carry no permissions here: the table above is the only
 * source, so nobody can hand in a PWDM_ISSUER with other permissions.
 */
export type RoleRef =
  | { kind: 'BUILT_IN'; key: BuiltInRole }
  | { kind: 'CUSTOM'; id: string; name: string; permissions: readonly RolePermission[] };

export function builtIn(key: BuiltInRole): RoleRef {
  return { kind: 'BUILT_IN', key };
}

/** PRJ-4: the role permissions of one role. */
export function permissionsOfRole(role: RoleRef): readonly RolePermission[] {
  return role.kind === 'BUILT_IN' ? BUILT_IN_ROLE_PERMISSIONS[role.key] : role.permissions;
}

/** PRJ-4: a user's role permissions are the union over all roles they hold (PRJ-3 order). */
export function unionOfRolePermissions(roles: readonly RoleRef[]): RolePermission[] {
  const held = new Set(roles.flatMap((r) => permissionsOfRole(r)));
  return ROLE_PERMISSIONS.filter((p) => held.has(p));
}

/** Two references name the same role (built-in by key, custom by id). */
export function sameRole(a: RoleRef, b: RoleRef): boolean {
  if (a.kind === 'BUILT_IN') return b.kind === 'BUILT_IN' && a.key === b.key;
  return b.kind === 'CUSTOM' && a.id === b.id;
}

export function holdsRole(roles: readonly RoleRef[], role: RoleRef): boolean {
  return roles.some((r) => sameRole(r, role));
}

export function holdsBuiltIn(roles: readonly RoleRef[], key: BuiltInRole): boolean {
  return roles.some((r) => r.kind === 'BUILT_IN' && r.key === key);
}

/** For messages: a built-in role by key, a custom role by its name in quotes. */
export function roleLabel(role: RoleRef): string {
  return role.kind === 'BUILT_IN' ? role.key : `"${role.name}"`;
}
