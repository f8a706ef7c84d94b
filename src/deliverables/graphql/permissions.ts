// DM-8 in the schema: setDeliverablesPermissions, its per-entry error (DeliverablesPermissionsError)
// and its warnings (PERMISSION_STILL_GRANTED, DIFFERENT_DOMAIN_ACCESS).
import { z } from 'zod';
import type { ProjectRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { ErrorCodeEnum, ErrorInterface, WarningType } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, nodeType } from '../../graphql/visibility.js';
import type { DmPermission } from '../../projects/rules/roles.js';
import * as deliverables from '../service.js';

const EntryErrorType = builder.objectRef<deliverables.EntryError>('DeliverablesEntryError').implement({
  description: 'DM-8: why one entry of setDeliverablesPermissions was refused (the first code that applies).',
  fields: (t) => ({
    code: t.field({
      type: ErrorCodeEnum,
      description: 'The first DM-8 code that applies to this entry.',
      resolve: (e) => e.code,
    }),
    message: t.exposeString('message', { description: 'Why, in words.' }),
    path: t.stringList({
      description: 'The entry: ["input", "entries", "<index>"].',
      resolve: (e) => ['input', ...e.path],
    }),
    customRoles: t.stringList({
      description:
        'CUSTOM_ROLE_GRANTS_PERMISSION: the names of the custom roles that grant a permission being removed.',
      resolve: (e) => (e.roles ?? []).map((r) => r.name),
    }),
    users: t.field({
      type: ['EmailAddress'],
      description: 'CUSTOM_ROLE_GRANTS_PERMISSION: the emails of the affected users holding them.',
      resolve: async (e, _args, ctx) =>
        Promise.all((e.users ?? []).map(async (id) => (await loadNode(ctx, 'User', id)).email)),
    }),
  }),
});

builder.objectType(deliverables.DeliverablesPermissionsError, {
  name: 'DeliverablesPermissionsError',
  description: 'DM-8: one or more entries were refused; each is listed with its code. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof deliverables.DeliverablesPermissionsError,
  fields: (t) => ({
    entries: t.field({
      type: [EntryErrorType],
      description: 'Every refused entry, in input order.',
      resolve: (e) => e.entries,
    }),
  }),
});

const permissions = z
  .array(z.string())
  .max(5)
  .refine((ps) => new Set(ps).size === ps.length, 'each permission at most once');

const EntryInput = builder.inputType('DeliverablesEntryInput', {
  description: 'DM-8: a participant (or a team-made entry’s user) and the permissions it should have.',
  fields: (t) => ({
    principalId: t.id({
      required: true,
      description: 'A DataSourceUser, DataSourceGroup, UserList or EveryoneGroup id of the associated work area.',
      validate: shared('principalId'),
    }),
    permissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      required: true,
      description:
        'The wanted permission set (each at most once). Any may be added; only RECEIVE_PACKAGE, ISSUE_PACKAGE and APPROVE_RFI_RESPONSE removed.',
      validate: permissions,
    }),
  }),
});

export const SetDeliverablesPermissionsInput = builder.inputType('SetDeliverablesPermissionsInput', {
  description: 'DM-8: connector entries of a project and their wanted permissions, all or none.',
  fields: (t) => ({
    projectId: t.globalID({
      required: true,
      for: nodeType('Project'),
      description: 'The project (you hold MANAGE_SETTINGS).',
    }),
    entries: t.field({
      type: [EntryInput],
      required: true,
      description: '1–500 entries.',
      validate: z.array(z.unknown()).min(1, 'at least one entry').max(500, 'at most 500 entries'),
    }),
  }),
});

const Success = builder
  .objectRef<deliverables.DeliverablesPermissionsResult>('SetDeliverablesPermissionsSuccess')
  .implement({
    description: 'The entries are set; affected team members’ roles were reconciled (DM-10).',
    fields: (t) => ({
      project: t.field({ type: 'Project', description: 'The project.', resolve: (r): ProjectRow => r.project }),
      changedEntries: t.exposeInt('changed', { description: 'How many entries changed.' }),
      warnings: t.field({
        type: [WarningType],
        description: 'PERMISSION_STILL_GRANTED and DIFFERENT_DOMAIN_ACCESS, each naming its entry in the message.',
        resolve: (r) => r.warnings.map((w) => ({ code: w.code, message: `entries.${w.path[1]}: ${w.message}` })),
      }),
    }),
  });

defineMutation('setDeliverablesPermissions', {
  description:
    'DM-8: edit the connector (MANAGE_SETTINGS). Any permission may be added; only RECEIVE_PACKAGE, ISSUE_PACKAGE and APPROVE_RFI_RESPONSE removed. Every failing entry is reported (DeliverablesPermissionsError) and then nothing changes.',
  input: SetDeliverablesPermissionsInput,
  inputDescription: 'The project and the entries.',
  success: Success,
  errorTypes: [deliverables.DeliverablesPermissionsError],
  dryRun: true,
  authz: ['deliverables.manage'],
  resolve: async (input, ctx) =>
    await deliverables.setDeliverablesPermissions(ctx.service(), {
      projectId: input.projectId.id,
      entries: input.entries.map((e) => ({
        principal: e.principalId as unknown as { kind: 'USER' | 'GROUP' | 'LIST' | 'EVERYONE'; id: string },
        permissions: e.permissions as DmPermission[],
      })),
    }),
});
