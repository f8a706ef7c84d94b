// PRJ-8 in the schema: effectivePermissions(projectId, userId) — every role permission and DM permission
// with what grants it (roles, IMS_ADMIN, PROJECT_OWNER), and isProjectOwner.

import type { ProjectRow, UserRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { authzExtension } from '../../graphql/mutation.js';
import { share } from '../../graphql/shared.js';
import { findNode, loadNode, nodeType, visibleNode, whenAllowed } from '../../graphql/visibility.js';
import { builtInRoleShape, type ProjectRoleShape, projectFactsOf } from '../loaders.js';
import type { EffectivePermissions, Grant, Provenance } from '../rules/effective-permissions.js';
import { DM_PERMISSIONS, ROLE_PERMISSIONS } from '../rules/roles.js';
import { effectivePermissionsOf, membership } from '../service.js';
import { DeliverablesPermissionEnum, Project, ProjectRole, RolePermissionEnum } from './nodes.js';

export interface EffectivePermissionsAnswer {
  project: ProjectRow;
  user: UserRow;
  permissions: EffectivePermissions;
}

const SOURCE_KINDS = ['ROLE', 'PROJECT_OWNER', 'IMS_ADMIN'] as const;

const PermissionSourceKindEnum = builder.enumType('PermissionSourceKind', {
  description: 'PRJ-8: what grants a permission.',
  values: describedValues(SOURCE_KINDS, {
    ROLE: 'A role the user holds (built-in or custom), named in `role`.',
    PROJECT_OWNER: 'PRJ-6: the user is a Project Owner, who holds every permission.',
    IMS_ADMIN:
      "PRJ-6: the user is an IMS admin of the project's account, who holds every permission without a role or team membership.",
  }),
});

type Source = { kind: (typeof SOURCE_KINDS)[number]; role: ProjectRoleShape | null };

function sourceOf(projectId: string, p: Provenance): Source {
  switch (p.kind) {
    case 'BUILT_IN_ROLE':
      return { kind: 'ROLE', role: builtInRoleShape(projectId, p.role) };
    case 'CUSTOM_ROLE':
      // The role's permissions are read again by id when a client asks for them.
      return {
        kind: 'ROLE',
        role: { id: p.id, projectId, role: { kind: 'CUSTOM', id: p.id, name: p.name, permissions: [] } },
      };
    default:
      return { kind: p.kind, role: null };
  }
}

const PermissionSource = builder.objectRef<Source>('PermissionSource').implement({
  description: 'PRJ-8: one thing that grants a permission.',
  fields: (t) => ({
    kind: t.field({
      type: PermissionSourceKindEnum,
      description: 'Role, Project Owner or IMS admin.',
      resolve: (s) => s.kind,
    }),
    role: t.field({
      type: ProjectRole,
      nullable: true,
      description: 'The role, when kind is ROLE.',
      resolve: (s, _args, ctx) => (s.role ? loadNode(ctx, 'ProjectRole', s.role.id) : null),
    }),
  }),
});

const grantFields = <P extends string>(
  name: string,
  enumRef: Parameters<typeof builder.enumType>[0] | object,
  what: string,
) =>
  builder.objectRef<{ projectId: string; permission: P; grant: Grant }>(name).implement({
    description: `PRJ-8: one ${what}, whether the user holds it and what grants it.`,
    fields: (t) => ({
      permission: t.field({
        type: enumRef as never,
        description: `The ${what}.`,
        resolve: (g) => g.permission as never,
      }),
      granted: t.boolean({ description: 'The user holds it.', resolve: (g) => g.grant.granted }),
      grantedBy: t.field({
        type: [PermissionSource],
        description:
          'Everything that grants it: roles (built-in, then custom by name), PROJECT_OWNER, IMS_ADMIN. Empty when not granted.',
        resolve: (g) => g.grant.grantedBy.map((p) => sourceOf(g.projectId, p)),
      }),
    }),
  });

const RolePermissionGrant = grantFields('RolePermissionGrant', RolePermissionEnum, 'role permission');
const DeliverablesPermissionGrant = grantFields(
  'DeliverablesPermissionGrant',
  DeliverablesPermissionEnum,
  'DM permission',
);

const EffectivePermissionsType = builder.objectRef<EffectivePermissionsAnswer>('EffectivePermissions').implement({
  description: "PRJ-8: a user's effective permissions in a project, each with its provenance (read live).",
  fields: (t) => ({
    project: t.field({ type: Project, description: 'The project.', resolve: (a) => a.project }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'The user, when you may read their profile (§9).',
      resolve: (a, _args, ctx) => visibleNode(ctx, 'User', a.user.id),
    }),
    isProjectOwner: t.boolean({
      description: 'PRJ-1: holds PROJECT_OWNER.',
      resolve: (a) => a.permissions.isProjectOwner,
    }),
    isImsAdmin: t.boolean({
      description: "PRJ-6: an IMS admin of the project's account (every permission, no role needed).",
      resolve: (a) => a.permissions.isImsAdmin,
    }),
    rolePermissions: t.field({
      type: [RolePermissionGrant],
      description: 'The eight role permissions (PRJ-3 order).',
      resolve: (a) =>
        ROLE_PERMISSIONS.map((p) => ({
          projectId: a.project.id,
          permission: p,
          grant: a.permissions.rolePermissions[p],
        })),
    }),
    deliverablesPermissions: t.field({
      type: [DeliverablesPermissionGrant],
      description: 'The five DM permissions (PRJ-5 order).',
      resolve: (a) =>
        DM_PERMISSIONS.map((p) => ({ projectId: a.project.id, permission: p, grant: a.permissions.dmPermissions[p] })),
    }),
  }),
});

builder.queryField('effectivePermissions', (t) =>
  t.field({
    extensions: authzExtension(['project.read', 'effectivePermissions.read']),
    type: EffectivePermissionsType,
    nullable: true,
    description:
      "PRJ-8: a user's effective permissions in a project. Your own, or anyone's if you hold MANAGE_SETTINGS or ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT (FORBIDDEN otherwise); null when the project or the user is missing or you may not read the project (§9).",
    authScopes: { registered: true },
    args: {
      projectId: t.arg.globalID({ required: true, for: Project, description: 'The project.' }),
      userId: t.arg.globalID({ required: true, for: nodeType('User'), description: 'The user.' }),
    },
    resolve: async (_root, args, ctx) => {
      const project = await visibleNode<ProjectRow>(ctx, 'Project', args.projectId.id);
      if (!project) return null;
      const facts = await projectFactsOf(ctx, project);
      return whenAllowed(
        ctx,
        { action: 'effectivePermissions.read', project: facts, userId: args.userId.id },
        async () => {
          const user = await findNode(ctx, 'User', args.userId.id);
          if (!user) return null;
          const onTeam = (await membership(ctx.db, project.id, user.id)) !== null;
          if (!(await mayShowPermissionsOf(ctx, user.id, onTeam))) return null;
          return { project, user, permissions: await effectivePermissionsOf(ctx.db, project, user) };
        },
      );
    },
  }),
);

/**
 * §9 / PRJ-8: another user's effective permissions show only for team members and users you may read
 * (their IMS roles would show through isImsAdmin otherwise); anyone else answers as a missing user.
 */
export async function mayShowPermissionsOf(ctx: Context, userId: string, onTeam: boolean): Promise<boolean> {
  return userId === ctx.viewer?.id || onTeam || (await visibleNode(ctx, 'User', userId)) !== null;
}

// The connector listing shows each user's effective permissions (DM-9).
declare module '../../graphql/shared.js' {
  interface SharedRefs {
    EffectivePermissions: typeof EffectivePermissionsType;
    mayShowPermissionsOf: typeof mayShowPermissionsOf;
  }
}
share('EffectivePermissions', EffectivePermissionsType);
share('mayShowPermissionsOf', mayShowPermissionsOf);
