// The projects area's reads for GraphQL: projects and custom roles by id, the viewer's place in each
// project (authz's facts, batched per request), team members' roles, and the pages of projects and
// of a team.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { ProjectFacts } from '../authz/actions.js';
import type { Db } from '../db/client.js';
import { type CustomRoleRow, customRoles, type ProjectRow, projectLinks, projects, teamMembers } from '../db/schema.js';
import { tablePage } from '../graphql/common.js';
import type { Context } from '../graphql/context.js';
import { groupedLoader, loadByIds, loaderOptions } from '../graphql/loaders.js';
import type { PageArgs } from '../graphql/pagination.js';
import type { BuiltInRole, RoleRef } from './rules/roles.js';
import { builtInRoleId, parseRoleId } from './use-cases/roles.js';
import { memberKey, rolesOfMembersIn } from './use-cases/shared.js';

export { memberKey };

export const loadProjects = loadByIds(projects);
export const loadCustomRoles = loadByIds(customRoles);

/**
 * PRJ-4: the roles of team members, batched per request — one statement per batch, whatever the number
 * of projects (a page of members, or members nested under a list of projects). Key: memberKey.
 */
export const rolesByMember = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, RoleRef[]>(async (keys) => {
      const members = keys.map((key) => {
        const [projectId = '', userId = ''] = key.split('\u0000');
        return { projectId, userId };
      });
      const found = await rolesOfMembersIn(ctx.db, members);
      return keys.map((k) => found.get(k) ?? []);
    }, loaderOptions),
);

/** The viewer's team membership in each project (null: not on the team), batched per request. */
const viewerMembership = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, boolean>(async (projectIds) => {
      const viewerId = ctx.viewer?.id;
      if (!viewerId) return projectIds.map(() => false);
      const rows = await ctx.db
        .select({ projectId: teamMembers.projectId })
        .from(teamMembers)
        .where(and(eq(teamMembers.userId, viewerId), inArray(teamMembers.projectId, [...projectIds])));
      const on = new Set(rows.map((r) => r.projectId));
      return projectIds.map((id) => on.has(id));
    }, loaderOptions),
);

/** authz's facts about a project for this request's viewer (§6: their roles, when on the team). */
export async function projectFactsOf(ctx: Context, project: ProjectRow): Promise<ProjectFacts> {
  const viewerId = ctx.viewer?.id;
  const onTeam = viewerId ? await viewerMembership(ctx).load(project.id) : false;
  return {
    accountId: project.accountId,
    viewerRoles: onTeam && viewerId ? await rolesByMember(ctx).load(memberKey(project.id, viewerId)) : null,
    viewerInLinkedProject: viewerId ? await viewerInLinkedProject(ctx).load(project.id) : false,
  };
}

/** EXT-3: the viewer is on the team of a project linked to each of these projects, batched per request. */
const viewerInLinkedProject = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, boolean>(async (projectIds) => {
      const viewerId = ctx.viewer?.id ?? '';
      const rows = await ctx.db
        .select({ projectId: projectLinks.projectId })
        .from(projectLinks)
        .innerJoin(teamMembers, eq(teamMembers.projectId, projectLinks.linkedProjectId))
        .where(and(inArray(projectLinks.projectId, [...projectIds]), eq(teamMembers.userId, viewerId)));
      const linked = new Set(rows.map((r) => r.projectId));
      return projectIds.map((id) => linked.has(id));
    }, loaderOptions),
);

/**
 * §9 "read a project", as SQL for lists: projects of accounts the viewer administers, and projects
 * whose team the viewer is on. (The same rule as authz's project.read, which decides single objects.)
 */
function readableBy(viewerId: string, adminAccountIds: readonly string[]): SQL | undefined {
  const onTeam = sql`${projects.id} in (select ${teamMembers.projectId} from ${teamMembers} where ${teamMembers.userId} = ${viewerId})`;
  return adminAccountIds.length > 0 ? or(inArray(projects.accountId, [...adminAccountIds]), onTeam) : onTeam;
}

const byNumber = [{ key: projects.numberKey }, { key: projects.id }];

/** Account.projects: the account's projects the viewer may read, by number. */
export const accountProjectsPage = async (
  db: Db,
  args: PageArgs,
  accountId: string,
  viewerId: string,
  adminAccountIds: readonly string[],
) =>
  await tablePage(
    db,
    args,
    projects,
    and(eq(projects.accountId, accountId), readableBy(viewerId, adminAccountIds)),
    byNumber,
  );

/**
 * User.projects: the projects whose team the user is on, by number — all of them for the user; for
 * anyone else only those where they may read the team (§9 team.read: `teamReaderOf`, computed by the
 * caller through authz) or administer the account (IMS admins hold every permission, PRJ-6).
 */
export const userProjectsPage = async (
  db: Db,
  args: PageArgs,
  userId: string,
  visible: { all: true } | { teamReaderOf: readonly string[]; adminAccountIds: readonly string[] },
) =>
  await tablePage(
    db,
    args,
    projects,
    and(
      sql`${projects.id} in (select ${teamMembers.projectId} from ${teamMembers} where ${teamMembers.userId} = ${userId})`,
      'all' in visible
        ? undefined
        : or(
            visible.adminAccountIds.length > 0 ? inArray(projects.accountId, [...visible.adminAccountIds]) : undefined,
            visible.teamReaderOf.length > 0 ? inArray(projects.id, [...visible.teamReaderOf]) : undefined,
            sql`1 = 0`, // false in both dialects (PostgreSQL refuses an integer as a condition)
          ),
    ),
    byNumber,
  );

/** The projects whose team the viewer is on, with the viewer's roles there (one statement each). */
export async function viewerMemberships(
  db: Db,
  viewerId: string,
): Promise<{ project: ProjectRow; roles: RoleRef[] }[]> {
  const rows = await db
    .select({ project: projects })
    .from(teamMembers)
    .innerJoin(projects, eq(projects.id, teamMembers.projectId))
    .where(eq(teamMembers.userId, viewerId));
  const roles = await rolesOfMembersIn(
    db,
    rows.map((r) => ({ projectId: r.project.id, userId: viewerId })),
  );
  return rows.map((r) => ({ project: r.project, roles: roles.get(memberKey(r.project.id, viewerId)) ?? [] }));
}

/** Project.teamMembers: oldest member first; `onlyUserId` narrows the list to one member (§9). */
export const teamPage = async (db: Db, args: PageArgs, projectId: string, onlyUserId: string | null) =>
  await tablePage(
    db,
    args,
    teamMembers,
    and(eq(teamMembers.projectId, projectId), onlyUserId ? eq(teamMembers.userId, onlyUserId) : undefined),
    [{ key: teamMembers.createdAt }, { key: teamMembers.userId }],
  );

/** PRJ-4: each project's custom roles, by name, batched per request. */
export const customRolesOf = groupedLoader(
  async (db, projectIds) =>
    await db
      .select()
      .from(customRoles)
      .where(inArray(customRoles.projectId, projectIds))
      .orderBy(asc(customRoles.nameKey)),
  (r) => r.projectId,
  (r) => r,
);

/** A role as the API shows it: built-in (the same six in every project) or custom, with its project. */
export interface ProjectRoleShape {
  /** Row id: `<project id>/<KEY>` for a built-in role, the custom role's id otherwise. */
  id: string;
  projectId: string;
  role: RoleRef;
}

export const builtInRoleShape = (projectId: string, key: BuiltInRole): ProjectRoleShape => ({
  id: builtInRoleId(projectId, key),
  projectId,
  role: { kind: 'BUILT_IN', key },
});

export const customRoleShape = (row: CustomRoleRow): ProjectRoleShape => ({
  id: row.id,
  projectId: row.projectId,
  role: { kind: 'CUSTOM', id: row.id, name: row.name, permissions: row.permissions },
});

/** A role a member holds, as the API shows it. */
export const roleShape = (projectId: string, role: RoleRef): ProjectRoleShape =>
  role.kind === 'BUILT_IN' ? builtInRoleShape(projectId, role.key) : { id: role.id, projectId, role };

/** Roles by row id (one statement for the custom ones, one for the projects of built-in ones). */
export async function loadProjectRoles(ids: string[], ctx: Context): Promise<ProjectRoleShape[]> {
  const parsed = ids.map(parseRoleId);
  const builtIns = parsed.flatMap((p) => ('key' in p ? [p] : []));
  const customIds = parsed.flatMap((p) => ('customRoleId' in p ? [p.customRoleId] : []));
  const existing =
    builtIns.length === 0
      ? new Set<string>()
      : new Set(
          (
            await ctx.db
              .select({ id: projects.id })
              .from(projects)
              .where(inArray(projects.id, [...new Set(builtIns.map((b) => b.projectId))]))
          ).map((p) => p.id),
        );
  const customs =
    customIds.length === 0 ? [] : await ctx.db.select().from(customRoles).where(inArray(customRoles.id, customIds));
  return [
    ...builtIns.filter((b) => existing.has(b.projectId)).map((b) => builtInRoleShape(b.projectId, b.key)),
    ...customs.map(customRoleShape),
  ];
}
