// §6 PRJ-1 (project number) and PRJ-4 (custom roles: definition, editing, deletion). Pure validation:
// each function returns null when the input is acceptable, else the error code.
import { BUILT_IN_ROLE_LABELS, BUILT_IN_ROLES, type RolePermission, type RoleRef } from './roles.js';

export const PROJECT_NUMBER_MAX_LENGTH = 40;
export const ROLE_NAME_MAX_LENGTH = 100;

/** Length in characters as a person counts them (code points: an emoji is one character). */
function characterCount(value: string): number {
  return [...value].length;
}

/**
 * PRJ-1: the comparison key of a project number. Decision: numbers are trimmed, and unique ignoring
 * case ("P-1" and "p-1" would be told apart by nobody reading a list), like data-source names.
 */
export function projectNumberKey(number: string): string {
  return number.trim().toLowerCase();
}

/**
 * PRJ-1: a number is 1–40 characters once trimmed (INVALID_PROJECT_NUMBER) and unique within the
 * account (PROJECT_NUMBER_TAKEN). `takenNumbers`: the numbers of the account's other projects.
 */
export function projectNumberProblem(
  number: string,
  takenNumbers: readonly string[],
): 'INVALID_PROJECT_NUMBER' | 'PROJECT_NUMBER_TAKEN' | null {
  const length = characterCount(number.trim());
  if (length < 1 || length > PROJECT_NUMBER_MAX_LENGTH) return 'INVALID_PROJECT_NUMBER';
  const key = projectNumberKey(number);
  return takenNumbers.some((n) => projectNumberKey(n) === key) ? 'PROJECT_NUMBER_TAKEN' : null;
}

export interface CustomRoleInput {
  name: string;
  permissions: readonly RolePermission[];
}

/** PRJ-4: role names compare trimmed and ignoring case. */
export function roleNameKey(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * PRJ-4: a custom role has a name of 1–100 characters (INVALID_ROLE_NAME), a non-empty set of role
 * permissions (EMPTY_ROLE_PERMISSIONS), and a name unique in the project ignoring case
 * (ROLE_NAME_TAKEN). Decision: the built-in roles' keys and portal labels ("Project owner") count as
 * taken, or a team list could show two roles an administrator cannot tell apart.
 * `otherRoles`: the project's custom roles other than the one being edited.
 */
export function customRoleProblem(
  input: CustomRoleInput,
  otherRoles: readonly { name: string }[],
): 'INVALID_ROLE_NAME' | 'EMPTY_ROLE_PERMISSIONS' | 'ROLE_NAME_TAKEN' | null {
  const length = characterCount(input.name.trim());
  if (length < 1 || length > ROLE_NAME_MAX_LENGTH) return 'INVALID_ROLE_NAME';
  if (input.permissions.length === 0) return 'EMPTY_ROLE_PERMISSIONS';
  const key = roleNameKey(input.name);
  const builtInNames = BUILT_IN_ROLES.flatMap((r) => [roleNameKey(r), roleNameKey(BUILT_IN_ROLE_LABELS[r])]);
  if (builtInNames.includes(key) || otherRoles.some((r) => roleNameKey(r.name) === key)) return 'ROLE_NAME_TAKEN';
  return null;
}

/** PRJ-4: built-in roles cannot be edited or deleted. */
export function builtInRoleProblem(role: RoleRef): 'BUILT_IN_ROLE' | null {
  return role.kind === 'BUILT_IN' ? 'BUILT_IN_ROLE' : null;
}

/**
 * PRJ-4 deleteRole: not a built-in role; an assigned custom role only with `force` (which unassigns
 * it in the same transaction).
 */
export function deleteRoleProblem(
  role: RoleRef,
  assignedCount: number,
  force: boolean,
): 'BUILT_IN_ROLE' | 'ROLE_IN_USE' | null {
  return builtInRoleProblem(role) ?? (assignedCount > 0 && !force ? 'ROLE_IN_USE' : null);
}
