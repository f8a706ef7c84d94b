// PRJ-7 use cases: the project team — adding and removing members, assigning and unassigning roles.
// authz decides who may call (team.manage; team.manageOwners where PROJECT_OWNER is concerned); the
// pure rules of projects/rules/team.ts decide the rest, in the order they give.
import { and, eq, inArray } from 'drizzle-orm';
import { assertAuthorized } from '../../authz/authorize.js';
import { inTransaction, type Tx } from '../../db/client.js';
import { one } from '../../db/query.js';
import { memberRoles, type TeamMemberRow, teamMembers, users } from '../../db/schema.js';
import { writeTeamRemovalThrough, writeTeamRolesThrough } from '../../deliverables/use-cases/permissions.js';
import type { Warning } from '../../errors.js';
import { AccessDenied, AppError, type ErrorCode } from '../../errors.js';
import { normalizeEmail } from '../../identity/rules.js';
import type { ServiceContext } from '../../service-context.js';
import { holdsBuiltIn, type RoleRef, roleLabel } from '../rules/roles.js';
import {
  addTeamMemberDecision,
  assignRoleProblem,
  removeTeamMemberProblem,
  teamMembershipProblem,
  unassignRoleProblem,
} from '../rules/team.js';
import { roleOfProject } from './roles.js';
import {
  actorPermissions,
  auditProject,
  membership,
  type ProjectScope,
  projectFor,
  projectOwnerCount,
} from './shared.js';

const MESSAGES: Partial<Record<ErrorCode, (role: RoleRef) => string>> = {
  CANNOT_GRANT_UNHELD_PERMISSION: (role) =>
    `${roleLabel(role)} has a role permission you do not hold yourself; you may not assign or remove it`,
  ROLE_ALREADY_HELD: (role) => `the member already holds ${roleLabel(role)}`,
  ROLE_NOT_HELD: (role) => `the member does not hold ${roleLabel(role)}`,
  LAST_PROJECT_OWNER: () => 'the project would be left without a Project Owner',
};

const OWNERS_ONLY = 'only Project Owners and IMS admins grant or remove PROJECT_OWNER or remove a Project Owner';

/** A rule's answer as the caller sees it: FORBIDDEN (authorization, §9) or a typed business error. */
function fail(code: ErrorCode | 'FORBIDDEN', role: RoleRef, path: string[]): never {
  if (code === 'FORBIDDEN') throw new AccessDenied('FORBIDDEN', OWNERS_ONLY);
  throw new AppError(code, MESSAGES[code]?.(role) ?? code, path);
}

/** PRJ-7: PROJECT_OWNER is granted and removed by Project Owners and IMS admins only (authz, FORBIDDEN). */
function authorizeRoles(scope: ProjectScope, roles: readonly RoleRef[]) {
  if (holdsBuiltIn(roles, 'PROJECT_OWNER')) {
    assertAuthorized(scope.subject, { action: 'team.manageOwners', project: scope.facts });
  }
}

/** The member's team row and roles, or NOT_TEAM_MEMBER. */
async function memberOrFail(tx: Tx, scope: ProjectScope, userId: string) {
  const member = await membership(tx, scope.project.id, userId);
  if (teamMembershipProblem(member !== null) || !member) {
    throw new AppError('NOT_TEAM_MEMBER', 'that user is not a member of the project team', ['input', 'userId']);
  }
  return member;
}

async function resolveRoles(tx: Tx, scope: ProjectScope, roleIds: readonly string[]): Promise<RoleRef[]> {
  const roles: RoleRef[] = [];
  for (const [i, id] of roleIds.entries())
    roles.push(await roleOfProject(tx, scope.project, id, ['input', 'roleIds', String(i)]));
  return roles;
}

async function insertRoles(tx: Tx, ctx: ServiceContext, projectId: string, userId: string, roles: readonly RoleRef[]) {
  if (roles.length === 0) return;
  await tx.insert(memberRoles).values(
    roles.map((r) => ({
      projectId,
      userId,
      role: r.kind === 'BUILT_IN' ? r.key : r.id,
      customRoleId: r.kind === 'CUSTOM' ? r.id : null,
      createdAt: ctx.now,
    })),
  );
}

/**
 * PRJ-7 for each role in turn (a role named twice is ROLE_ALREADY_HELD the second time). authz has
 * already answered FORBIDDEN for PROJECT_OWNER where the caller may not grant it (authorizeRoles).
 */
function assertAssignable(scope: ProjectScope, roles: readonly RoleRef[], held: readonly RoleRef[]) {
  const actor = actorPermissions(scope);
  const holding = [...held];
  roles.forEach((role, i) => {
    const problem = assignRoleProblem(actor, role, { roles: holding });
    if (problem) fail(problem, role, ['input', 'roleIds', String(i)]);
    holding.push(role);
  });
}

const roleKey = (r: RoleRef) => (r.kind === 'BUILT_IN' ? r.key : r.id);
const labels = (roles: readonly RoleRef[]) => roles.map(roleLabel).join(', ');

/**
 * PRJ-7: add a registered user (by email) to the team, directly (source TEAM), optionally with roles
 * (checked as assignProjectRoles checks them). A WORK_AREA member becomes a TEAM member (DM-7: no
 * connection synchronization removes them then).
 */
export async function addTeamMember(
  ctx: ServiceContext,
  input: { projectId: string; email: string; roleIds?: readonly string[] | null },
): Promise<TeamMemberRow> {
  return inTransaction(ctx.db, async (tx) => {
    const scope = await projectFor(tx, ctx, input.projectId, 'team.manage');
    const roles = await resolveRoles(tx, scope, input.roleIds ?? []);
    authorizeRoles(scope, roles);
    const email = normalizeEmail(input.email, ['input', 'email']);
    const user = await one(tx.select().from(users).where(eq(users.email, email)));
    const current = user ? await membership(tx, scope.project.id, user.id) : null;
    const decision = addTeamMemberDecision({ registered: user !== undefined, membership: current });
    if ('error' in decision || !user) {
      const code = 'error' in decision ? decision.error : 'USER_NOT_REGISTERED';
      throw new AppError(
        code,
        code === 'USER_NOT_REGISTERED'
          ? `no identity profile is registered for ${email}; only registered users can be team members`
          : `${email} already is a team member`,
        ['input', 'email'],
      );
    }
    assertAssignable(scope, roles, current?.roles ?? []);
    const where = and(eq(teamMembers.projectId, scope.project.id), eq(teamMembers.userId, user.id));
    if (decision.action === 'MAKE_TEAM_SOURCED') {
      await tx.update(teamMembers).set({ source: 'TEAM' }).where(where);
    } else {
      await tx
        .insert(teamMembers)
        .values({ projectId: scope.project.id, userId: user.id, source: 'TEAM', createdAt: ctx.now });
    }
    await insertRoles(tx, ctx, scope.project.id, user.id, roles);
    await writeTeamRolesThrough(tx, scope.project, {
      memberId: user.id,
      changes: roles.map((role) => ({ role, action: 'ASSIGN' as const })),
      actor: actorPermissions(scope),
      now: ctx.now,
      path: ['input', 'email'],
    });
    await auditProject(
      tx,
      ctx,
      scope.project,
      'addTeamMember',
      [{ type: 'User', id: user.id }],
      `${decision.action === 'ADD' ? 'added' : 'kept (now added directly)'} ${email} on the team${roles.length > 0 ? ` with ${labels(roles)}` : ''}`,
    );
    const row = await one(tx.select().from(teamMembers).where(where));
    if (!row) throw new Error('team member row vanished inside its transaction');
    return row;
  });
}

/** PRJ-7: remove a member and every role they hold (each must be one the caller may remove). */
export async function removeTeamMember(
  ctx: ServiceContext,
  input: { projectId: string; userId: string },
): Promise<{ projectId: string; userId: string; warnings: Warning[] }> {
  return inTransaction(ctx.db, async (tx) => {
    const scope = await projectFor(tx, ctx, input.projectId, 'team.manage');
    const member = await memberOrFail(tx, scope, input.userId);
    authorizeRoles(scope, member.roles);
    const problem = removeTeamMemberProblem(
      actorPermissions(scope),
      member,
      await projectOwnerCount(tx, scope.project.id),
    );
    if (problem === 'FORBIDDEN') throw new AccessDenied('FORBIDDEN', OWNERS_ONLY);
    if (problem === 'LAST_PROJECT_OWNER') {
      throw new AppError(problem, 'the project would be left without a Project Owner', ['input', 'userId']);
    }
    if (problem === 'CANNOT_GRANT_UNHELD_PERMISSION') {
      throw new AppError(problem, 'the member holds a role with a role permission you do not hold yourself', [
        'input',
        'userId',
      ]);
    }
    await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.projectId, scope.project.id), eq(teamMembers.userId, member.userId)));
    const { willBeResynchronized } = await writeTeamRemovalThrough(tx, scope.project, member.userId, ctx.now);
    await auditProject(
      tx,
      ctx,
      scope.project,
      'removeTeamMember',
      [{ type: 'User', id: member.userId }],
      `removed a team member${member.roles.length > 0 ? ` (held ${labels(member.roles)})` : ''}`,
    );
    const warnings: Warning[] = willBeResynchronized
      ? [
          {
            code: 'WILL_BE_RESYNCHRONIZED',
            message:
              'the user is still behind a participant of the associated work area; a synchronization may add them again (DM-7)',
          },
        ]
      : [];
    return { projectId: scope.project.id, userId: member.userId, warnings };
  });
}

/** After assigning or unassigning: DM-10 write-through (and DM-9 reconciliation), then the audit entry. */
async function afterRoleChange(
  tx: Tx,
  ctx: ServiceContext,
  scope: ProjectScope,
  member: TeamMemberRow,
  roles: readonly RoleRef[],
  action: 'ASSIGN' | 'UNASSIGN',
): Promise<TeamMemberRow> {
  await writeTeamRolesThrough(tx, scope.project, {
    memberId: member.userId,
    changes: roles.map((role) => ({ role, action })),
    actor: actorPermissions(scope),
    now: ctx.now,
    path: ['input', 'userId'],
  });
  const [mutation, verb] =
    action === 'ASSIGN' ? ['assignProjectRoles', 'assigned'] : ['unassignProjectRoles', 'unassigned'];
  await auditProject(
    tx,
    ctx,
    scope.project,
    mutation,
    [{ type: 'User', id: member.userId }],
    `${verb} ${labels(roles)}`,
  );
  return member;
}

export interface RoleAssignmentInput {
  projectId: string;
  userId: string;
  roleIds: readonly string[];
}

/** PRJ-7: give a member more roles, all or none. */
export async function assignProjectRoles(ctx: ServiceContext, input: RoleAssignmentInput): Promise<TeamMemberRow> {
  return inTransaction(ctx.db, async (tx) => {
    const scope = await projectFor(tx, ctx, input.projectId, 'team.manage');
    const roles = await resolveRoles(tx, scope, input.roleIds);
    authorizeRoles(scope, roles);
    const member = await memberOrFail(tx, scope, input.userId);
    assertAssignable(scope, roles, member.roles);
    await insertRoles(tx, ctx, scope.project.id, member.userId, roles);
    return await afterRoleChange(tx, ctx, scope, member, roles, 'ASSIGN');
  });
}

/** PRJ-7: take roles from a member, all or none; PRJ-1: never the last Project Owner's. */
export async function unassignProjectRoles(ctx: ServiceContext, input: RoleAssignmentInput): Promise<TeamMemberRow> {
  return inTransaction(ctx.db, async (tx) => {
    const scope = await projectFor(tx, ctx, input.projectId, 'team.manage');
    const roles = await resolveRoles(tx, scope, input.roleIds);
    authorizeRoles(scope, roles);
    const member = await memberOrFail(tx, scope, input.userId);
    const actor = actorPermissions(scope);
    const owners = await projectOwnerCount(tx, scope.project.id);
    let remaining = [...member.roles];
    roles.forEach((role, i) => {
      const problem = unassignRoleProblem(actor, role, { roles: remaining }, owners);
      if (problem) fail(problem, role, ['input', 'roleIds', String(i)]);
      remaining = remaining.filter((r) => roleKey(r) !== roleKey(role));
    });
    await tx
      .delete(memberRoles)
      .where(
        and(
          eq(memberRoles.projectId, scope.project.id),
          eq(memberRoles.userId, member.userId),
          inArray(memberRoles.role, roles.map(roleKey)),
        ),
      );
    return await afterRoleChange(tx, ctx, scope, member, roles, 'UNASSIGN');
  });
}
