// PRJ-4 in the schema: ProjectRole, Project.roles, and the custom-role mutations createCustomRole,
// updateCustomRole, deleteCustomRole.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from '../../graphql/builder.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, whenAllowed } from '../../graphql/visibility.js';
import { builtInRoleShape, customRoleShape, customRolesOf, projectFactsOf } from '../loaders.js';
import {
  BUILT_IN_ROLE_LABELS,
  BUILT_IN_ROLES,
  dmPermissionsFrom,
  permissionsOfRole,
  ROLE_PERMISSIONS,
} from '../rules/roles.js';
import { ROLE_NAME_MAX_LENGTH } from '../rules/settings.js';
import * as projects from '../service.js';
import {
  BuiltInProjectRoleEnum,
  DeliverablesPermissionEnum,
  Project,
  ProjectRole,
  RolePermissionEnum,
} from './nodes.js';

builder.objectFields(ProjectRole, (t) => ({
  name: t.string({
    description: 'A custom role’s name; a built-in role’s name as the portal shows it (e.g. "Project owner").',
    resolve: (r) => (r.role.kind === 'BUILT_IN' ? BUILT_IN_ROLE_LABELS[r.role.key] : r.role.name),
  }),
  builtIn: t.field({
    type: BuiltInProjectRoleEnum,
    nullable: true,
    description: 'Which built-in role this is; null for a custom role.',
    resolve: (r) => (r.role.kind === 'BUILT_IN' ? r.role.key : null),
  }),
  permissions: t.field({
    type: [RolePermissionEnum],
    description: 'PRJ-4: its role permissions (PRJ-3 order).',
    resolve: (r) => [...permissionsOfRole(r.role)],
  }),
  deliverablesPermissions: t.field({
    type: [DeliverablesPermissionEnum],
    description: 'PRJ-5: the DM permissions its role permissions give (MANAGE_SETTINGS gives all five).',
    resolve: (r) => dmPermissionsFrom(permissionsOfRole(r.role)),
  }),
  project: t.field({
    type: Project,
    description: 'The project the role belongs to.',
    resolve: (r, _args, ctx) => loadNode(ctx, 'Project', r.projectId),
  }),
}));

builder.objectField(Project, 'roles', (t) =>
  t.field({
    type: [ProjectRole],
    nullable: true,
    description:
      'PRJ-4: the six built-in roles, then the custom roles by name. §9: for team members (and IMS admins of the account); null with FORBIDDEN for anyone else.',
    resolve: async (p, _args, ctx) =>
      whenAllowed(
        ctx,
        { action: 'team.read', project: await projectFactsOf(ctx, p), memberUserId: ctx.viewer?.id ?? null },
        async () => [
          ...BUILT_IN_ROLES.map((key) => builtInRoleShape(p.id, key)),
          ...(await customRolesOf(ctx).load(p.id)).map(customRoleShape),
        ],
      ),
  }),
);

const roleName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(ROLE_NAME_MAX_LENGTH, `must be at most ${ROLE_NAME_MAX_LENGTH} characters`);
const rolePermissions = z
  .array(z.string())
  .min(1, 'a custom role needs at least one role permission')
  .max(ROLE_PERMISSIONS.length)
  .refine((ps) => new Set(ps).size === ps.length, 'each permission at most once');

const RoleSuccess = successOf('role', ProjectRole, 'The custom role, as it is now.');

export const CreateCustomRoleInput = builder.inputType('CreateCustomRoleInput', {
  description: 'PRJ-4: a custom role of a project (a project setting: Project Owners and IMS admins, PRJ-7).',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project, description: 'The project.' }),
    name: t.string({
      required: true,
      description: `1–${ROLE_NAME_MAX_LENGTH} characters, unique in the project ignoring case, built-in roles included (ROLE_NAME_TAKEN).`,
      validate: roleName,
    }),
    permissions: t.field({
      type: [RolePermissionEnum],
      required: true,
      description: 'Its role permissions: at least one, each once.',
      validate: rolePermissions,
    }),
  }),
});

defineMutation('createCustomRole', {
  description: 'PRJ-4: define a custom role in a project.',
  input: CreateCustomRoleInput,
  inputDescription: 'The project, the name and the permissions.',
  success: RoleSuccess('CreateCustomRoleSuccess', 'The custom role was created.'),
  authz: ['project.manageSettings'],
  resolve: async (input, ctx) => ({
    role: customRoleShape(await projects.createCustomRole(ctx.service(), { ...input, projectId: input.projectId.id })),
  }),
});

export const UpdateCustomRoleInput = builder.inputType('UpdateCustomRoleInput', {
  description: 'PRJ-4: rename a custom role or change its permissions; fields left out stay as they are.',
  fields: (t) => ({
    roleId: t.globalID({
      required: true,
      for: ProjectRole,
      description: 'The custom role (a built-in one is BUILT_IN_ROLE).',
    }),
    name: t.string({ description: 'New name (ROLE_NAME_TAKEN when another role has it).', validate: roleName }),
    permissions: t.field({
      type: [RolePermissionEnum],
      description: 'New role permissions: at least one, each once. Members holding the role hold the new set at once.',
      validate: rolePermissions,
    }),
  }),
});

defineMutation('updateCustomRole', {
  description: 'PRJ-4: edit a custom role (built-in roles cannot be edited: BUILT_IN_ROLE).',
  input: UpdateCustomRoleInput,
  inputDescription: 'The role and what changes.',
  success: RoleSuccess('UpdateCustomRoleSuccess', 'The custom role with its new name and permissions.'),
  authz: ['project.manageSettings'],
  resolve: async (input, ctx) => ({
    role: customRoleShape(await projects.updateCustomRole(ctx.service(), { ...input, roleId: input.roleId.id })),
  }),
});

export const DeleteCustomRoleInput = builder.inputType('DeleteCustomRoleInput', {
  description: 'PRJ-4: delete a custom role.',
  fields: (t) => ({
    roleId: t.globalID({
      required: true,
      for: ProjectRole,
      description: 'The custom role (a built-in one is BUILT_IN_ROLE).',
    }),
    force: t.boolean({
      description:
        'Also unassign it from every member holding it, in the same transaction. Default false: ROLE_IN_USE while assigned.',
    }),
  }),
});

const DeleteCustomRoleSuccess = builder
  .objectRef<{ deletedRoleId: string; unassignedFrom: number }>('DeleteCustomRoleSuccess')
  .implement({
    description: 'The custom role is gone.',
    fields: (t) => ({
      deletedRoleId: t.id({
        description: 'Global id of the deleted ProjectRole.',
        resolve: (r) => encodeGlobalID('ProjectRole', r.deletedRoleId),
      }),
      unassignedFrom: t.exposeInt('unassignedFrom', { description: 'How many team members held it (force).' }),
    }),
  });

defineMutation('deleteCustomRole', {
  description: 'PRJ-4: delete a custom role; ROLE_IN_USE while assigned unless force (which unassigns it too).',
  input: DeleteCustomRoleInput,
  inputDescription: 'The role to delete.',
  success: DeleteCustomRoleSuccess,
  authz: ['project.manageSettings'],
  resolve: async (input, ctx) =>
    await projects.deleteCustomRole(ctx.service(), { roleId: input.roleId.id, force: input.force }),
});
