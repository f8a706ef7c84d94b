// The projects area's node types (Project, ProjectRole), its enums, and who may read each (§9, through
// authz: a project's team members and the IMS admins of its account).
import type { ProjectRow } from '../../db/schema.js';
import { TEAM_MEMBER_SOURCES } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { share } from '../../graphql/shared.js';
import { loadNode, registerReadCheck } from '../../graphql/visibility.js';
import { loadProjectRoles, loadProjects, type ProjectRoleShape, projectFactsOf } from '../loaders.js';
import { BUILT_IN_ROLES, DM_PERMISSIONS, ROLE_PERMISSIONS } from '../rules/roles.js';

// Other areas name Project (work areas are associated with one, WA-2; invitations name one, EXT-1).
declare module '../../graphql/builder.js' {
  interface SharedObjects {
    Project: ProjectRow;
    ProjectRole: ProjectRoleShape;
  }
}

// ---------------------------------------------------------------------------------------------
// Enums

export const RolePermissionEnum = builder.enumType('RolePermission', {
  description: 'PRJ-3: what a project role lets its holders do. A user holds the union over their roles (PRJ-4).',
  values: describedValues(ROLE_PERMISSIONS, {
    READ_AND_CREATE_DRAFT_PACKAGES: 'Read deliverables and create draft packages (DM: VIEW_PACKAGE).',
    RECEIVE_EXTERNAL_PACKAGES: 'Receive packages from external organizations (DM: RECEIVE_PACKAGE).',
    ISSUE_PACKAGES: 'Issue packages (DM: ISSUE_PACKAGE).',
    APPROVE_RFI_RESPONSE: 'Approve responses to requests for information (DM: APPROVE_RFI_RESPONSE).',
    MANAGE_SETTINGS:
      'Manage Deliverables Management: every DM permission and connector capability, and inviting external organizations (PRJ-5). Project settings stay with Project Owners and IMS admins (PRJ-7).',
    INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS: 'Invite and configure team participants (EXT-1 needs it).',
    ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT:
      'Add and remove team members and assign roles — only roles whose every permission you hold (PRJ-7).',
    MANAGE_EXTERNAL_ORGANIZATIONS: 'Manage external organizations (EXT-1 needs it).',
  }),
});

export const DeliverablesPermissionEnum = builder.enumType('DeliverablesPermission', {
  description: 'PRJ-5 / DM-3: a Deliverables Management permission, derived from a role permission.',
  values: describedValues(DM_PERMISSIONS, {
    VIEW_PACKAGE: 'From READ_AND_CREATE_DRAFT_PACKAGES; the connector translates it to the TEAM_MEMBER role.',
    RECEIVE_PACKAGE: 'From RECEIVE_EXTERNAL_PACKAGES; translated to PWDM_RECEIVER.',
    ISSUE_PACKAGE: 'From ISSUE_PACKAGES; translated to PWDM_ISSUER.',
    APPROVE_RFI_RESPONSE: 'From APPROVE_RFI_RESPONSE; translated to PWDM_APPROVER.',
    ADMIN: 'From MANAGE_SETTINGS (which implies every DM permission); translated to PROJECT_ADMINISTRATOR.',
  }),
});

export const BuiltInProjectRoleEnum = builder.enumType('BuiltInProjectRole', {
  description:
    'PRJ-4: the six built-in roles of every project, with fixed role permissions. They cannot be edited or deleted.',
  values: describedValues(BUILT_IN_ROLES, {
    TEAM_MEMBER: 'READ_AND_CREATE_DRAFT_PACKAGES.',
    PWDM_RECEIVER: 'RECEIVE_EXTERNAL_PACKAGES.',
    PWDM_ISSUER:
      'ISSUE_PACKAGES, INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS, ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT, MANAGE_EXTERNAL_ORGANIZATIONS.',
    PWDM_APPROVER: 'APPROVE_RFI_RESPONSE.',
    PROJECT_ADMINISTRATOR:
      'READ_AND_CREATE_DRAFT_PACKAGES, RECEIVE_EXTERNAL_PACKAGES, ISSUE_PACKAGES, APPROVE_RFI_RESPONSE, MANAGE_SETTINGS.',
    PROJECT_OWNER:
      'All eight role permissions; Project Owners also manage project settings (PRJ-7). A project keeps at least one.',
  }),
});

export const TeamMemberSourceEnum = builder.enumType('TeamMemberSource', {
  description: 'How a member joined the team (DM-5 … DM-7).',
  values: describedValues(TEAM_MEMBER_SOURCES, {
    WORK_AREA:
      "Added by a synchronization of the associated work area's participants; a connection synchronization (DM-7) removes them when no participant is behind them any more.",
    TEAM: 'Added directly (addTeamMember, or the project creator); no synchronization removes them.',
  }),
});

// ---------------------------------------------------------------------------------------------
// Nodes

export const Project = builder.loadableNode('Project', {
  description:
    'A project of an account (PRJ-1) with its team and roles. Readable by its team members and the IMS admins of its account (§9).',
  id: { resolve: (p) => p.id },
  load: loadProjects,
  sort: (p) => p.id,
  loaderOptions,
});

export const ProjectRole = builder.loadableNode('ProjectRole', {
  description:
    'A role of a project (PRJ-4): one of the six built-in roles (every project has them, fixed) or a custom role of this project.',
  id: { resolve: (r) => r.id },
  load: loadProjectRoles,
  sort: (r) => r.id,
  loaderOptions,
});

/** §9 project.read for a project row (a team member, or an IMS admin of its account). */
export async function canReadProject(ctx: Context, project: ProjectRow): Promise<boolean> {
  return ctx.can({ action: 'project.read', project: await projectFactsOf(ctx, project) });
}

registerReadCheck(Project, canReadProject);

// PRJ-4 / EXT-3: a project's roles are read as its `roles` field is — by its team and its account's IMS
// admins, not by members of a linked project (who read the project itself).
registerReadCheck(ProjectRole, async (ctx, role) => {
  const project = await loadNode(ctx, 'Project', role.projectId);
  if (!project) return false;
  return ctx.can({
    action: 'team.read',
    project: await projectFactsOf(ctx, project),
    memberUserId: ctx.viewer?.id ?? null,
  });
});

// Deliverables Management shows these vocabularies in its connector listing and reports (§7).
declare module '../../graphql/shared.js' {
  interface SharedRefs {
    RolePermissionEnum: typeof RolePermissionEnum;
    DeliverablesPermissionEnum: typeof DeliverablesPermissionEnum;
    BuiltInProjectRoleEnum: typeof BuiltInProjectRoleEnum;
    projectFactsOf: typeof projectFactsOf;
  }
}
share('RolePermissionEnum', RolePermissionEnum);
share('DeliverablesPermissionEnum', DeliverablesPermissionEnum);
share('BuiltInProjectRoleEnum', BuiltInProjectRoleEnum);
share('projectFactsOf', projectFactsOf);
