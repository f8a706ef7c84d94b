// What the project use cases share: finding a project the actor may act on (§9: one they may not read
// answers exactly as a missing one), the roles team members hold, and the audit entry.
import { and, count, eq, inArray } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../../audit/service.js';
import {
  assertAuthorized,
  loadSubject,
  type ProjectFacts,
  type Subject,
  viewerPermissions,
} from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
import { one } from '../../db/query.js';
import {
  customRoles,
  memberRoles,
  type ProjectRow,
  projectLinks,
  projects,
  teamMembers,
  type UserRow,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { BUILT_IN_ROLES, type BuiltInRole, type RoleRef } from '../rules/roles.js';

const isBuiltIn = (role: string): role is BuiltInRole => (BUILT_IN_ROLES as readonly string[]).includes(role);

/** A member of a project's team as one key (maps of members across projects are keyed by it). */
export const memberKey = (projectId: string, userId: string) => `${projectId}\u0000${userId}`;

/**
 * PRJ-4: the roles each of these members holds (built-in by key, custom with its permissions), for
 * members of any projects, in one statement (rows of other pairs of the same projects and users are
 * dropped). Keyed by memberKey; a member without roles gets an empty list.
 */
export async function rolesOfMembersIn(db: Reader, members: readonly { projectId: string; userId: string }[]) {
  const byKey = new Map<string, RoleRef[]>(members.map((m) => [memberKey(m.projectId, m.userId), []]));
  if (members.length === 0) return byKey;
  const userIds = [...new Set(members.map((m) => m.userId))];
  const rows = await db
    .select({
      projectId: memberRoles.projectId,
      userId: memberRoles.userId,
      role: memberRoles.role,
      customId: customRoles.id,
      customName: customRoles.name,
      customPermissions: customRoles.permissions,
    })
    .from(memberRoles)
    .leftJoin(customRoles, eq(customRoles.id, memberRoles.customRoleId))
    .where(
      and(
        inArray(memberRoles.projectId, [...new Set(members.map((m) => m.projectId))]),
        // A whole team (thousands of members) is cheaper read whole than bound user by user.
        userIds.length <= 500 ? inArray(memberRoles.userId, userIds) : undefined,
      ),
    );
  for (const row of rows) {
    const role: RoleRef | null = isBuiltIn(row.role)
      ? BUILT_IN_REFS[row.role]
      : row.customId && row.customName && row.customPermissions
        ? { kind: 'CUSTOM', id: row.customId, name: row.customName, permissions: row.customPermissions }
        : null;
    if (role) byKey.get(memberKey(row.projectId, row.userId))?.push(role);
  }
  for (const roles of byKey.values()) if (roles.length > 1) roles.sort(byRoleOrder);
  return byKey;
}

/** The built-in roles as shared, frozen references (a team of thousands holds the same six). */
const BUILT_IN_REFS = Object.fromEntries(
  BUILT_IN_ROLES.map((key) => [key, Object.freeze({ kind: 'BUILT_IN', key }) as RoleRef]),
) as Record<BuiltInRole, RoleRef>;

/** PRJ-4's order wherever roles are shown: built-in roles as the table lists them, then custom by name. */
function byRoleOrder(a: RoleRef, b: RoleRef): number {
  const rank = (r: RoleRef) => (r.kind === 'BUILT_IN' ? BUILT_IN_ROLES.indexOf(r.key) : BUILT_IN_ROLES.length);
  return rank(a) - rank(b) || (a.kind === 'CUSTOM' && b.kind === 'CUSTOM' ? a.name.localeCompare(b.name, 'en') : 0);
}

/** PRJ-4: the roles each of these members of one project holds, by user id. */
export async function rolesOfMembers(
  db: Reader,
  projectId: string,
  userIds: readonly string[],
): Promise<Map<string, RoleRef[]>> {
  const byUser = new Map<string, RoleRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  for (const [key, roles] of await rolesOfMembersIn(
    db,
    userIds.map((userId) => ({ projectId, userId })),
  )) {
    byUser.set(key.slice(projectId.length + 1), roles);
  }
  return byUser;
}

/** The team member's source and roles, or null when the user is not on the project's team. */
export async function membership(db: Reader, projectId: string, userId: string) {
  const member = await one(
    db
      .select()
      .from(teamMembers)
      .where(and(eq(teamMembers.projectId, projectId), eq(teamMembers.userId, userId))),
  );
  if (!member) return null;
  return { ...member, roles: (await rolesOfMembers(db, projectId, [userId])).get(userId) ?? [] };
}

/** authz's facts about a project for this viewer (§6: their roles, when on the team). */
export async function projectFacts(db: Reader, project: ProjectRow, viewerId: string): Promise<ProjectFacts> {
  const linked = await one(
    db
      .select({ id: projectLinks.linkedProjectId })
      .from(projectLinks)
      .innerJoin(teamMembers, eq(teamMembers.projectId, projectLinks.linkedProjectId))
      .where(and(eq(projectLinks.projectId, project.id), eq(teamMembers.userId, viewerId))),
  );
  return {
    accountId: project.accountId,
    viewerRoles: (await membership(db, project.id, viewerId))?.roles ?? null,
    viewerInLinkedProject: linked !== undefined,
  };
}

export interface ProjectScope {
  project: ProjectRow;
  subject: Subject;
  facts: ProjectFacts;
}

/**
 * The project, once authz allows the action on it. A project the actor may not read answers NOT_FOUND
 * exactly like a missing one (§9); one they may read but not act on, FORBIDDEN with authz's reason.
 */
export async function projectFor(
  tx: Reader,
  ctx: ServiceContext,
  projectId: string,
  action:
    | 'project.read'
    | 'project.manageSettings'
    | 'project.enableDeliverables'
    | 'team.manage'
    | 'deliverables.manage'
    | 'organization.invite'
    | 'providedLicenses.change',
  /** What the input names (a role names its project): NOT_FOUND speaks of it, at its field. */
  named: { what: string; field: string } = { what: 'project', field: 'projectId' },
): Promise<ProjectScope> {
  const notFound = () => new AppError('NOT_FOUND', `no such ${named.what}`, ['input', named.field]);
  const project = await one(tx.select().from(projects).where(eq(projects.id, projectId)));
  if (!project) throw notFound();
  const subject = await loadSubject(tx, ctx.actor);
  const facts = await projectFacts(tx, project, ctx.actor.id);
  assertAuthorized(subject, { action, project: facts }, notFound);
  return { project, subject, facts };
}

/** PRJ-8 of the actor in the project (what PRJ-7's "roles you hold yourself" compares with). */
export const actorPermissions = (scope: ProjectScope) => viewerPermissions(scope.subject, scope.facts);

/** PRJ-1: how many Project Owners the project has. */
export async function projectOwnerCount(db: Reader, projectId: string): Promise<number> {
  return (
    (
      await one(
        db
          .select({ n: count() })
          .from(memberRoles)
          .where(and(eq(memberRoles.projectId, projectId), eq(memberRoles.role, 'PROJECT_OWNER'))),
      )
    )?.n ?? 0
  );
}

/** §10: the entry shows in the project's account's audit log. */
export async function auditProject(
  tx: Tx,
  ctx: ServiceContext,
  project: ProjectRow,
  action: string,
  targets: TargetRef[],
  summary: string,
) {
  await appendAudit(tx, {
    at: ctx.now,
    actor: ctx.actor,
    action,
    accountIds: [project.accountId],
    targets: [{ type: 'Project', id: project.id }, ...targets],
    summary: `${ctx.actor.email}: ${summary} (project ${project.number} "${project.name}")`,
  });
}

/**
 * PRJ-8 for any user of a project: their roles there (none when not on the team) and whether they are
 * an IMS admin of its account — the same computation authz makes for the viewer.
 */
export async function effectivePermissionsOf(db: Reader, project: ProjectRow, user: UserRow) {
  const subject = await loadSubject(db, user);
  return viewerPermissions(subject, await projectFacts(db, project, user.id));
}
