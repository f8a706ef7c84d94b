// EXT-4 in the schema: Project.providedLicenses and setProvidedLicenses.
import type { ProjectRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { atMost } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, nodeType, whenAllowed } from '../../graphql/visibility.js';
import { providedAccountsOf, providedFlagOf } from '../loaders.js';
import * as organizations from '../service.js';

const ProvidedLicensesType = builder.objectRef<ProjectRow>('ProvidedLicenses').implement({
  description:
    "EXT-4: whose members' use of this project is billed to the project's account — never members of an organization linked through DM, who bring their own license.",
  fields: (t) => ({
    accounts: t.field({
      type: ['Account'],
      description: 'The accounts provided for (never the project’s own).',
      resolve: async (p, _args, ctx) =>
        Promise.all((await providedAccountsOf(ctx).load(p.id)).map((id) => loadNode(ctx, 'Account', id))),
    }),
    unaffiliated: t.boolean({
      description: 'UNAFFILIATED: users without a home account are provided for too.',
      resolve: async (p, _args, ctx) => (await providedFlagOf(ctx).load(p.id))[0] ?? false,
    }),
  }),
});

builder.objectField('Project', 'providedLicenses', (t) =>
  t.field({
    type: ProvidedLicensesType,
    nullable: true,
    description: 'EXT-4: read by Project Owners and the account’s IMS admins (§9); null with FORBIDDEN otherwise.',
    resolve: async (p, _args, ctx) =>
      whenAllowed(ctx, { action: 'providedLicenses.read', project: await shared('projectFactsOf')(ctx, p) }, () => p),
  }),
);

export const SetProvidedLicensesInput = builder.inputType('SetProvidedLicensesInput', {
  description: 'EXT-4: the whole setting (it replaces the previous one).',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: nodeType('Project'), description: 'The project.' }),
    accountIds: t.globalIDList({
      required: true,
      for: nodeType('Account'),
      description: 'Accounts to provide for (at most 100; not the project’s own: OWN_ACCOUNT). Empty: none.',
      validate: atMost(100, 'accounts'),
    }),
    unaffiliated: t.boolean({ required: true, description: 'Provide for users without a home account too.' }),
  }),
});

const SetProvidedLicensesSuccess = builder.objectRef<ProjectRow>('SetProvidedLicensesSuccess').implement({
  description: 'The setting is replaced.',
  fields: (t) => ({ project: t.field({ type: 'Project', description: 'The project.', resolve: (p) => p }) }),
});

defineMutation('setProvidedLicenses', {
  description:
    "EXT-4: set which accounts (and whether unaffiliated users) the project's account pays for. Needs an IMS admin of the project's account who is also a Project Owner.",
  input: SetProvidedLicensesInput,
  inputDescription: 'The project and the whole setting.',
  success: SetProvidedLicensesSuccess,
  dryRun: true,
  authz: ['providedLicenses.change', 'providedLicenses.read'],
  resolve: async (input, ctx) =>
    await organizations.setProvidedLicenses(ctx.service(), {
      projectId: input.projectId.id,
      accountIds: input.accountIds.map((a) => a.id),
      unaffiliated: input.unaffiliated,
    }),
});
