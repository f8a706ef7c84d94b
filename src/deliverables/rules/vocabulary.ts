// §7 Deliverables Management vocabularies: DM-2 (default permissions by work-area role) and DM-3 (DM
// permission → built-in team role). Pure data and small helpers.
import type { PrincipalKind, WorkAreaRole } from '../../db/schema.js';
import { type BuiltInRole, DM_PERMISSIONS, type DmPermission } from '../../projects/rules/roles.js';

/** Why a plan or a decision does something: the rule id and a sentence an administrator can read. */
export interface Reason {
  rule: string;
  detail: string;
}

/** DM-3: the five built-in roles the connector's permissions translate to, in DM_PERMISSIONS order. */
export const DM_ROLES = [
  'TEAM_MEMBER',
  'PWDM_RECEIVER',
  'PWDM_ISSUER',
  'PWDM_APPROVER',
  'PROJECT_ADMINISTRATOR',
] as const satisfies readonly BuiltInRole[];
export type DmRole = (typeof DM_ROLES)[number];

/** DM-3: exactly the spec's translation table. */
export const ROLE_FOR_PERMISSION: Readonly<Record<DmPermission, DmRole>> = {
  VIEW_PACKAGE: 'TEAM_MEMBER',
  RECEIVE_PACKAGE: 'PWDM_RECEIVER',
  ISSUE_PACKAGE: 'PWDM_ISSUER',
  APPROVE_RFI_RESPONSE: 'PWDM_APPROVER',
  ADMIN: 'PROJECT_ADMINISTRATOR',
};

/** DM-10 (team → connector): the permission a DM role stands for. */
export const PERMISSION_FOR_ROLE: Readonly<Record<DmRole, DmPermission>> = {
  TEAM_MEMBER: 'VIEW_PACKAGE',
  PWDM_RECEIVER: 'RECEIVE_PACKAGE',
  PWDM_ISSUER: 'ISSUE_PACKAGE',
  PWDM_APPROVER: 'APPROVE_RFI_RESPONSE',
  PROJECT_ADMINISTRATOR: 'ADMIN',
};

/** DM-10 / DM-9(b): the roles reconciliation removes when the connector no longer wants them. */
export const RECONCILED_ROLES = ['PWDM_RECEIVER', 'PWDM_ISSUER', 'PWDM_APPROVER'] as const satisfies readonly DmRole[];

export function isDmRole(role: BuiltInRole): role is DmRole {
  return (DM_ROLES as readonly string[]).includes(role);
}

/** DM-3: the roles a set of connector permissions translates to (DM_ROLES order). */
export function translatePermissions(permissions: Iterable<DmPermission>): DmRole[] {
  const held = new Set(permissions);
  return DM_PERMISSIONS.filter((p) => held.has(p)).map((p) => ROLE_FOR_PERMISSION[p]);
}

/** A permission set in DM_PERMISSIONS order without duplicates: the one shape sets are compared in. */
export function normalizePermissions(permissions: Iterable<DmPermission>): DmPermission[] {
  const held = new Set(permissions);
  return DM_PERMISSIONS.filter((p) => held.has(p));
}

export function samePermissions(a: readonly DmPermission[] | null, b: readonly DmPermission[] | null): boolean {
  if (a === null || b === null) return a === b;
  const x = normalizePermissions(a);
  const y = normalizePermissions(b);
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

/** DM-2: seed 004's table. NO_ACCESS: null, a NO_ACCESS participant has no entry at all. */
export const DEFAULT_PERMISSIONS: Readonly<Record<WorkAreaRole, readonly DmPermission[] | null>> = {
  ADMINISTRATOR: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE', 'ADMIN'],
  LEADER: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE', 'ISSUE_PACKAGE'],
  TEAM_MEMBER: ['VIEW_PACKAGE'],
  OBSERVER: ['VIEW_PACKAGE'],
  CUSTOM: ['VIEW_PACKAGE'],
  NO_ACCESS: null,
};

/**
 * DM-2: the defaults of a participant entry: *Everyone gets an entry with every permission off
 * whatever its role (seed 004), except that a NO_ACCESS participant, *Everyone included, has no entry.
 */
export function defaultPermissions(kind: PrincipalKind, role: WorkAreaRole): DmPermission[] | null {
  const byRole = DEFAULT_PERMISSIONS[role];
  if (byRole === null) return null;
  return kind === 'EVERYONE' ? [] : [...byRole];
}

export function permissionList(permissions: readonly DmPermission[]): string {
  return permissions.length === 0 ? 'no permissions' : normalizePermissions(permissions).join(', ');
}
