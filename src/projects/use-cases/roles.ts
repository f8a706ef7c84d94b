// PRJ-4 use cases: a project's custom roles (create, edit, delete), and how roles are named by id.
// Built-in roles are constants shown in every project; their row id is `<project id>/<KEY>`, so that
// inputs name any role the same way (a global id of ProjectRole) and editing one can say BUILT_IN_ROLE.
import { randomUUID } from 'node:crypto';
import { and, count, eq, ne } from 'drizzle-orm';
import { inTransaction, type Reader } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type CustomRoleRow, customRoles, memberRoles, type ProjectRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import {
  BUILT_IN_ROLES,
  type BuiltInRole,
  ROLE_PERMISSIONS,
  type RolePermission,
  type RoleRef,
  roleLabel,
} from '../rules/roles.js';
import { builtInRoleProblem, customRoleProblem, deleteRoleProblem, roleNameKey } from '../rules/settings.js';
import { auditProject, projectFor } from './shared.js';

/** The row id of a built-in role in a project. */
export const builtInRoleId = (projectId: string, key: BuiltInRole) => `${projectId}/${key}`;

/** A role id taken apart: a built-in role of a project, or a custom role's id. */
export function parseRoleId(id: string): { projectId: string; key: BuiltInRole } | { customRoleId: string } {
  const slash = id.lastIndexOf('/');
  if (slash > 0) {
    const key = id.slice(slash + 1);
    if ((BUILT_IN_ROLES as readonly string[]).includes(key))
      return { projectId: id.slice(0, slash), key: key as BuiltInRole };
  }
  return { customRoleId: id };
}

/** A role of this project by row id (NOT_FOUND for another project's role or none, at `path`). */
export async function roleOfProject(db: Reader, project: ProjectRow, roleId: string, path: string[]): Promise<RoleRef> {
  const parsed = parseRoleId(roleId);
  if ('key' in parsed) {
    if (parsed.projectId === project.id) return { kind: 'BUILT_IN', key: parsed.key };
  } else {
    const row = await one(
      db
        .select()
        .from(customRoles)
        .where(and(eq(customRoles.id, parsed.customRoleId), eq(customRoles.projectId, project.id))),
    );
    if (row) return { kind: 'CUSTOM', id: row.id, name: row.name, permissions: row.permissions };
  }
  throw new AppError('NOT_FOUND', 'no such role in this project', path);
}

/** The role a role id names, with its project id (null when it names nothing). */
async function projectOfRole(db: Reader, roleId: string): Promise<string | null> {
  const parsed = parseRoleId(roleId);
  if ('key' in parsed) return parsed.projectId;
  return (
    (
      await one(
        db.select({ p: customRoles.projectId }).from(customRoles).where(eq(customRoles.id, parsed.customRoleId)),
      )
    )?.p ?? null
  );
}

/** PRJ-3 order, without repeats. */
const inOrder = (permissions: readonly RolePermission[]) => ROLE_PERMISSIONS.filter((p) => permissions.includes(p));

async function assertCustomRole(
  db: Reader,
  projectId: string,
  input: { name: string; permissions: readonly RolePermission[] },
  exceptId: string | null,
) {
  const others = await db
    .select({ name: customRoles.name })
    .from(customRoles)
    .where(and(eq(customRoles.projectId, projectId), exceptId ? ne(customRoles.id, exceptId) : undefined));
  const problem = customRoleProblem(input, others);
  if (problem === 'INVALID_ROLE_NAME')
    throw new AppError(problem, 'a role name is 1–100 characters', ['input', 'name']);
  if (problem === 'EMPTY_ROLE_PERMISSIONS') {
    throw new AppError(problem, 'a custom role needs at least one role permission', ['input', 'permissions']);
  }
  if (problem === 'ROLE_NAME_TAKEN') {
    throw new AppError(problem, `the project already has a role named "${input.name.trim()}"`, ['input', 'name']);
  }
}

/** PRJ-4 / PRJ-7: a custom role (a project setting: Project Owners and IMS admins). */
export async function createCustomRole(
  ctx: ServiceContext,
  input: { projectId: string; name: string; permissions: readonly RolePermission[] },
): Promise<CustomRoleRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, input.projectId, 'project.manageSettings');
    await assertCustomRole(tx, project.id, input, null);
    const name = input.name.trim();
    const role = await only(
      tx
        .insert(customRoles)
        .values({
          id: randomUUID(),
          projectId: project.id,
          name,
          nameKey: roleNameKey(name),
          permissions: inOrder(input.permissions),
          createdAt: ctx.now,
        })
        .returning(),
    );
    await auditProject(
      tx,
      ctx,
      project,
      'createCustomRole',
      [{ type: 'ProjectRole', id: role.id }],
      `created custom role "${name}" (${role.permissions.join(', ')})`,
    );
    return role;
  });
}

/**
 * The project of a role named by id, once the actor may manage its settings (§9: a role of a project
 * they may not read is NOT_FOUND), and the role itself.
 */
async function managedRole(tx: Reader, ctx: ServiceContext, roleId: string) {
  const projectId = await projectOfRole(tx, roleId);
  if (projectId === null) throw new AppError('NOT_FOUND', 'no such role', ['input', 'roleId']);
  const scope = await projectFor(tx, ctx, projectId, 'project.manageSettings', { what: 'role', field: 'roleId' });
  return { ...scope, role: await roleOfProject(tx, scope.project, roleId, ['input', 'roleId']) };
}

/** PRJ-4: rename a custom role or change its permissions; built-in roles are fixed (BUILT_IN_ROLE). */
export async function updateCustomRole(
  ctx: ServiceContext,
  input: { roleId: string; name?: string | null; permissions?: readonly RolePermission[] | null },
): Promise<CustomRoleRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project, role } = await managedRole(tx, ctx, input.roleId);
    if (builtInRoleProblem(role) || role.kind !== 'CUSTOM') {
      throw new AppError('BUILT_IN_ROLE', `${roleLabel(role)} is a built-in role; it cannot be edited`, [
        'input',
        'roleId',
      ]);
    }
    const name = input.name?.trim() ?? role.name;
    const permissions = input.permissions ? inOrder(input.permissions) : [...role.permissions];
    await assertCustomRole(tx, project.id, { name, permissions }, role.id);
    const updated = await only(
      tx
        .update(customRoles)
        .set({ name, nameKey: roleNameKey(name), permissions })
        .where(eq(customRoles.id, role.id))
        .returning(),
    );
    await auditProject(
      tx,
      ctx,
      project,
      'updateCustomRole',
      [{ type: 'ProjectRole', id: role.id }],
      `custom role "${role.name}" is now "${name}" (${permissions.join(', ')})`,
    );
    return updated;
  });
}

/** PRJ-4: delete a custom role; ROLE_IN_USE while assigned unless `force` (which unassigns it too). */
export async function deleteCustomRole(
  ctx: ServiceContext,
  input: { roleId: string; force?: boolean | null },
): Promise<{ deletedRoleId: string; unassignedFrom: number }> {
  return inTransaction(ctx.db, async (tx) => {
    const { project, role } = await managedRole(tx, ctx, input.roleId);
    const assigned =
      role.kind === 'CUSTOM'
        ? ((await one(tx.select({ n: count() }).from(memberRoles).where(eq(memberRoles.customRoleId, role.id))))?.n ??
          0)
        : 0;
    const problem = deleteRoleProblem(role, assigned, input.force ?? false);
    if (problem === 'BUILT_IN_ROLE' || role.kind !== 'CUSTOM') {
      throw new AppError('BUILT_IN_ROLE', `${roleLabel(role)} is a built-in role; it cannot be deleted`, [
        'input',
        'roleId',
      ]);
    }
    if (problem === 'ROLE_IN_USE') {
      throw new AppError(
        'ROLE_IN_USE',
        `"${role.name}" is assigned to ${assigned} team member(s); delete with force: true to unassign it`,
        ['input', 'roleId'],
      );
    }
    await tx.delete(memberRoles).where(eq(memberRoles.customRoleId, role.id));
    await tx.delete(customRoles).where(eq(customRoles.id, role.id));
    await auditProject(
      tx,
      ctx,
      project,
      'deleteCustomRole',
      [{ type: 'ProjectRole', id: role.id }],
      `deleted custom role "${role.name}"${assigned > 0 ? `, unassigned from ${assigned} team member(s)` : ''}`,
    );
    return { deletedRoleId: role.id, unassignedFrom: assigned };
  });
}
