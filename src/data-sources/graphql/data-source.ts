import { type DataSourceRow, dataSourceGroups, dataSourceUsers, userLists, workAreas } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { authzExtension, defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, nodeType, visibleNode } from '../../graphql/visibility.js';
import { connectionOf, dataSourcesPage } from '../loaders.js';
import * as dataSourceService from '../service.js';
import { filterText, name } from './inputs.js';
import {
  DataSource,
  DataSourceGroup,
  DataSourceUser,
  EveryoneGroup,
  type EveryoneRow,
  ExternalLicensingEnum,
  UserList,
  WorkArea,
} from './nodes.js';

export const ExternalAccessType = builder
  .objectRef<Pick<DataSourceRow, 'allowExternalImsUsers' | 'externalLicensing'>>('ExternalAccess')
  .implement({
    description: "The data source's access configuration for external IMS users (DS-2).",
    fields: (t) => ({
      allowExternalImsUsers: t.exposeBoolean('allowExternalImsUsers', {
        description:
          'ACC-3: external IMS users (another home account, or none) may sign in without an association with the owner account. Default false.',
      }),
      externalLicensing: t.field({
        type: ExternalLicensingEnum,
        description:
          'LIC-1.2: whether the licensing owner pays for external users (SUPPLY) or not (DENY, the default).',
        resolve: (d) => d.externalLicensing,
      }),
    }),
  });

builder.objectFields(DataSource, (t) => ({
  name: t.exposeString('name', { description: 'Unique within the owner account, ignoring case.' }),
  ownerAccount: t.field({
    type: 'Account',
    description: 'DS-1: the account that owns the data source; its IMS admins administer it.',
    resolve: (d, _args, ctx) => loadNode(ctx, 'Account', d.ownerAccountId),
  }),
  imsAuthEnabled: t.exposeBoolean('imsAuthEnabled', {
    description: 'ACC-1: IMS sign-in is possible only when on (else IMS_AUTH_DISABLED). Default false.',
  }),
  dynamicCreationFilter: t.exposeString('dynamicCreationFilter', {
    nullable: true,
    description:
      'DS-2 identity filter, e.g. Organization = "Harbor Engineering" OR Organization = "Northwind Surveying": members of the named accounts get a data-source user at their first IMS sign-in (ACC-2). Null: no filter, nobody is created automatically.',
  }),
  licensingOwnerAccount: t.field({
    type: 'Account',
    nullable: true,
    description:
      'LIC-3: who pays when the owner provides the license (OWNER_PROVIDES users; external users under SUPPLY). Null: not set — such sign-ins are denied (LICENSING_OWNER_NOT_SET).',
    resolve: (d, _args, ctx) => loadNode(ctx, 'Account', d.licensingOwnerAccountId),
  }),
  licensingOwnerMissing: t.boolean({
    description:
      "LIC-3 warning: no licensing owner is set, so owner-provided sign-ins are denied. The data source's admins only (§9): anyone else selecting it gets a FORBIDDEN error.",
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d) => d.licensingOwnerAccountId === null,
  }),
  externalAccess: t.field({
    type: ExternalAccessType,
    description: 'DS-2: external IMS users, and whether the data source supplies their licenses.',
    resolve: (d) => d,
  }),
  everyone: t.field({
    type: EveryoneGroup,
    description:
      "DS-4: *Everyone, the built-in group of every user of the data source (a work-area participant only). The data source's admins only (§9): anyone else selecting it gets a FORBIDDEN error.",
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d): EveryoneRow => ({ dataSourceId: d.id }),
  }),
  users: t.connection({
    type: DataSourceUser,
    nullable: true,
    description: 'DS-3: the data-source users, by login. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: async (d, args, ctx) => await connectionOf(ctx, args, dataSourceUsers, d.id),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    description: 'DS-4: the groups, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: async (d, args, ctx) => await connectionOf(ctx, args, dataSourceGroups, d.id),
  }),
  userLists: t.connection({
    type: UserList,
    nullable: true,
    description: 'DS-4: the user lists, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: async (d, args, ctx) => await connectionOf(ctx, args, userLists, d.id),
  }),
  workAreas: t.connection({
    type: WorkArea,
    nullable: true,
    description: 'WA-1: the work areas, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: async (d, args, ctx) => await connectionOf(ctx, args, workAreas, d.id),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the data source was created (UTC).' }),
}));

builder.objectField('Account', 'dataSources', (t) =>
  t.connection({
    type: DataSource,
    nullable: true,
    description:
      'DS-1: the data sources the account owns, by name. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    resolve: async (a, args, ctx) => await dataSourcesPage(ctx.db, args, a.id),
  }),
);

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryField('dataSource', (t) =>
  t.field({
    extensions: authzExtension(['dataSource.read']),
    type: DataSource,
    nullable: true,
    description:
      "A data source you administer, or whose licensing owner's IMS admin you are (name, owner and access settings only, §9); null otherwise.",
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: DataSource, description: 'Global id of a DataSource.' }) },
    resolve: async (_root, args, ctx) => visibleNode(ctx, 'DataSource', args.id.id),
  }),
);

export const ExternalAccessInput = builder.inputType('ExternalAccessInput', {
  description: 'DS-2: external access configuration. Fields left out stay as they are (on creation: false, DENY).',
  fields: (t) => ({
    allowExternalImsUsers: t.boolean({
      description: 'ACC-3: let external IMS users sign in without an association with the owner account.',
    }),
    externalLicensing: t.field({
      type: ExternalLicensingEnum,
      description: 'LIC-1.2: SUPPLY (the licensing owner pays for external users) or DENY.',
    }),
  }),
});

export const CreateDataSourceInput = builder.inputType('CreateDataSourceInput', {
  description: 'DS-1: a new data source. It starts without a licensing owner (LIC-3).',
  fields: (t) => ({
    accountId: t.globalID({
      required: true,
      for: nodeType('Account'),
      description: 'The owner account (you are one of its IMS admins).',
    }),
    name: t.string({
      required: true,
      description: '1–200 characters, unique within the owner account ignoring case (NAME_TAKEN).',
      validate: name,
    }),
    imsAuthEnabled: t.boolean({ description: 'ACC-1: allow IMS sign-in. Default false.' }),
    dynamicCreationFilter: t.string({
      description:
        'DS-2 identity filter, at most 2,000 characters: Organization = "<account name>" terms joined by OR (INVALID_IDENTITY_FILTER). Default: none.',
      validate: filterText,
    }),
    externalAccess: t.field({ type: ExternalAccessInput, description: 'Default: no external IMS users, DENY.' }),
  }),
});

export const UpdateDataSourceSettingsInput = builder.inputType('UpdateDataSourceSettingsInput', {
  description: 'Fields left out stay as they are; dynamicCreationFilter: null removes the filter.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    name: t.string({
      description: 'New name, 1–200 characters, unique in the owner account (NAME_TAKEN).',
      validate: name,
    }),
    imsAuthEnabled: t.boolean({ description: 'ACC-1: allow IMS sign-in.' }),
    dynamicCreationFilter: t.string({
      description:
        'DS-2 identity filter, at most 2,000 characters (INVALID_IDENTITY_FILTER); null removes it, an empty one is refused.',
      validate: filterText,
    }),
    externalAccess: t.field({ type: ExternalAccessInput, description: 'DS-2: external access; fields left out stay.' }),
  }),
});

export const DataSourceSuccess = successOf('dataSource', DataSource, 'The data source, as it is now.');

defineMutation('createDataSource', {
  description: 'DS-1: an IMS admin of the owner account creates a data source.',
  input: CreateDataSourceInput,
  inputDescription: 'The new data source.',
  success: DataSourceSuccess('CreateDataSourceSuccess', 'The data source; its licensing owner is not set yet (LIC-3).'),
  authz: ['dataSource.create'],
  resolve: async (input, ctx) => ({
    dataSource: await dataSourceService.createDataSource(ctx.service(), { ...input, accountId: input.accountId.id }),
  }),
});

defineMutation('updateDataSourceSettings', {
  description: 'DS-2: IMS authentication, identity filter, external access and licensing.',
  input: UpdateDataSourceSettingsInput,
  inputDescription: 'The data source and the changes.',
  success: DataSourceSuccess('UpdateDataSourceSettingsSuccess', 'The data source with its settings as they are now.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    dataSource: await dataSourceService.updateDataSourceSettings(ctx.service(), {
      ...input,
      dataSourceId: input.dataSourceId.id,
    }),
  }),
});
