// PRJ-7 in the schema: TeamMember, Project.teamMembers, and the mutations addTeamMember,
// removeTeamMember, assignProjectRoles, unassignProjectRoles.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { TeamMemberRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { atMost, WarningType } from '../../graphql/common.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, nodeType, visibleNode, whenAllowed } from '../../graphql/visibility.js';
import { memberKey, projectFactsOf, roleShape, rolesByMember, teamPage } from '../loaders.js';
import { holdsBuiltIn } from '../rules/roles.js';
import * as projects from '../service.js';
import { Project, ProjectRole, TeamMemberSourceEnum } from './nodes.js';

export const TeamMember = builder.objectRef<TeamMemberRow>('TeamMember').implement({
  description:
    'A member of a project team (PRJ-7) with the roles they hold. Team membership is independent of account membership (PRJ-1).',
  fields: (t) => ({
    user: t.field({
      type: 'User',
      nullable: true,
      description:
        'The member’s identity profile, when you may read it (§9); their email and name are always shown below.',
      resolve: (m, _args, ctx) => visibleNode(ctx, 'User', m.userId),
    }),
    email: t.field({
      type: 'EmailAddress',
      description: 'The member’s email (team members are registered users, PRJ-7).',
      resolve: async (m, _args, ctx) => (await loadNode(ctx, 'User', m.userId)).email,
    }),
    displayName: t.string({
      description: 'The member’s display name.',
      resolve: async (m, _args, ctx) => (await loadNode(ctx, 'User', m.userId)).displayName,
    }),
    source: t.field({
      type: TeamMemberSourceEnum,
      description: 'WORK_AREA: added by a synchronization (DM-5 … DM-7); TEAM: added directly.',
      resolve: (m) => m.source,
    }),
    roles: t.field({
      type: [ProjectRole],
      description: 'The roles the member holds (PRJ-4), built-in first, then custom by name.',
      resolve: async (m, _args, ctx) =>
        (await rolesByMember(ctx).load(memberKey(m.projectId, m.userId))).map((r) => roleShape(m.projectId, r)),
    }),
    isProjectOwner: t.boolean({
      description: 'PRJ-1: holds PROJECT_OWNER.',
      resolve: async (m, _args, ctx) =>
        holdsBuiltIn(await rolesByMember(ctx).load(memberKey(m.projectId, m.userId)), 'PROJECT_OWNER'),
    }),
    joinedAt: t.expose('createdAt', { type: 'DateTime', description: 'When the member joined the team (UTC).' }),
  }),
});

builder.objectField(Project, 'teamMembers', (t) =>
  t.connection({
    type: TeamMember,
    nullable: true,
    description:
      'PRJ-7: the team, oldest member first. §9: holders of ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS see everyone; any other team member sees only themselves; a reader who may not see the team (a member of a linked project, EXT-3) null; anyone else null with FORBIDDEN.',
    resolve: async (p, args, ctx) => {
      const project = await projectFactsOf(ctx, p);
      return whenAllowed(ctx, { action: 'team.read', project, memberUserId: ctx.viewer?.id ?? null }, async () => {
        const everyone = ctx.can({ action: 'team.read', project, memberUserId: null });
        return await teamPage(ctx.db, args, p.id, everyone ? null : (ctx.viewer?.id ?? ''));
      });
    },
  }),
);

const TeamMemberSuccess = successOf('teamMember', TeamMember, 'The team member, as they are now.');
const roleIds = z.array(z.unknown()).min(1, 'name at least one role').max(50, 'at most 50 roles');

export const AddTeamMemberInput = builder.inputType('AddTeamMemberInput', {
  description:
    'PRJ-7: add a registered user to the team (you hold ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT), optionally with roles.',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project, description: 'The project.' }),
    email: t.field({
      type: 'EmailAddress',
      required: true,
      description: 'The user’s email; they must have registered their identity profile (USER_NOT_REGISTERED).',
    }),
    roleIds: t.globalIDList({
      for: ProjectRole,
      description: 'Roles to assign at once (at most 50), checked as assignProjectRoles checks them. Default: none.',
      validate: atMost(50, 'roles'),
    }),
  }),
});

defineMutation('addTeamMember', {
  description:
    'PRJ-7: add a registered user to the team directly (source TEAM). A member added by a synchronization (WORK_AREA) becomes a TEAM member; one added directly already is ALREADY_TEAM_MEMBER.',
  input: AddTeamMemberInput,
  inputDescription: 'The project, the user and their first roles.',
  success: TeamMemberSuccess('AddTeamMemberSuccess', 'The user is on the team.'),
  dryRun: true,
  authz: ['team.manage', 'team.manageOwners'],
  resolve: async (input, ctx) => ({
    teamMember: await projects.addTeamMember(ctx.service(), {
      projectId: input.projectId.id,
      email: input.email,
      roleIds: input.roleIds?.map((r) => r.id) ?? null,
    }),
  }),
});

export const RemoveTeamMemberInput = builder.inputType('RemoveTeamMemberInput', {
  description: 'PRJ-7: the member to remove, with every role they hold.',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project, description: 'The project.' }),
    userId: t.globalID({ required: true, for: nodeType('User'), description: 'The team member.' }),
  }),
});

const RemoveTeamMemberSuccess = builder
  .objectRef<Awaited<ReturnType<typeof projects.removeTeamMember>>>('RemoveTeamMemberSuccess')
  .implement({
    description: 'The member left the team, with their roles.',
    fields: (t) => ({
      project: t.field({
        type: Project,
        nullable: true,
        description: 'The project, as it is now; null when you may no longer read it (you removed yourself, §9).',
        resolve: (r, _args, ctx) => visibleNode(ctx, 'Project', r.projectId),
      }),
      warnings: t.field({
        type: [WarningType],
        description:
          'WILL_BE_RESYNCHRONIZED when the user is still behind a participant of the associated work area (DM-7).',
        resolve: (r) => r.warnings,
      }),
      removedUserId: t.id({
        description: 'Global id of the User who left the team.',
        resolve: (r) => encodeGlobalID('User', r.userId),
      }),
    }),
  });

defineMutation('removeTeamMember', {
  description:
    'PRJ-7: remove a member; you must be allowed to unassign every role they hold (CANNOT_GRANT_UNHELD_PERMISSION), a Project Owner only by a Project Owner or IMS admin, never the last one (LAST_PROJECT_OWNER).',
  input: RemoveTeamMemberInput,
  inputDescription: 'The project and the member.',
  success: RemoveTeamMemberSuccess,
  dryRun: true,
  authz: ['team.manage', 'team.manageOwners'],
  resolve: async (input, ctx) =>
    await projects.removeTeamMember(ctx.service(), { projectId: input.projectId.id, userId: input.userId.id }),
});

export const ProjectRolesInput = builder.inputType('ProjectRolesInput', {
  description: 'PRJ-7: a team member and roles of the project (all or none are changed).',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project, description: 'The project.' }),
    userId: t.globalID({ required: true, for: nodeType('User'), description: 'The team member.' }),
    roleIds: t.globalIDList({
      required: true,
      for: ProjectRole,
      description: 'Roles of this project (built-in or custom), 1–50.',
      validate: roleIds,
    }),
  }),
});

defineMutation('assignProjectRoles', {
  description:
    'PRJ-7: give a team member roles — only roles whose every role permission you hold yourself (CANNOT_GRANT_UNHELD_PERMISSION); PROJECT_OWNER only as a Project Owner or IMS admin.',
  input: ProjectRolesInput,
  inputDescription: 'The member and the roles to assign.',
  success: TeamMemberSuccess('AssignProjectRolesSuccess', 'The member with the roles assigned.'),
  dryRun: true,
  authz: ['team.manage', 'team.manageOwners'],
  resolve: async (input, ctx) => ({
    teamMember: await projects.assignProjectRoles(ctx.service(), {
      projectId: input.projectId.id,
      userId: input.userId.id,
      roleIds: input.roleIds.map((r) => r.id),
    }),
  }),
});

defineMutation('unassignProjectRoles', {
  description:
    'PRJ-7: take roles from a team member, under the same conditions as assigning them; never the last Project Owner’s PROJECT_OWNER (LAST_PROJECT_OWNER).',
  input: ProjectRolesInput,
  inputDescription: 'The member and the roles to unassign.',
  success: TeamMemberSuccess('UnassignProjectRolesSuccess', 'The member without those roles.'),
  dryRun: true,
  authz: ['team.manage', 'team.manageOwners'],
  resolve: async (input, ctx) => ({
    teamMember: await projects.unassignProjectRoles(ctx.service(), {
      projectId: input.projectId.id,
      userId: input.userId.id,
      roleIds: input.roleIds.map((r) => r.id),
    }),
  }),
});
