import { builder } from '../../graphql/builder.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { visibleNode } from '../../graphql/visibility.js';
import { groupsOfUser } from '../loaders.js';
import * as dataSourceService from '../service.js';
import { DELETE_DESCRIPTION, DeleteSuccess, FORCE_DESCRIPTION, login } from './inputs.js';
import {
  adminsOf,
  ClientLicensingEnum,
  DataSource,
  DataSourceGroup,
  DataSourceUser,
  UserCreationEnum,
} from './nodes.js';

builder.objectFields(DataSourceUser, (t) => ({
  login: t.exposeString('login', { description: 'DS-3: the login name, unique in the data source ignoring case.' }),
  email: t.exposeString('email', {
    nullable: true,
    description:
      'DS-3: the "ProjectWise user settings" email, lower-case. Null: missing (it is not the identity it signs in as).',
  }),
  identity: t.exposeString('identity', {
    nullable: true,
    description:
      'DS-3: the email of the identity profile this user signs in as (ACC-2 finds the user by it), lower-case. Null: nobody signs in as it with IMS.',
  }),
  clientLicensing: t.field({
    type: ClientLicensingEnum,
    description: "DS-3: who provides this user's license (LIC-1.2). Default OWN_ORGANIZATION.",
    resolve: (u) => u.clientLicensing,
  }),
  created: t.field({
    type: UserCreationEnum,
    description: 'DS-3: MANUAL (by an administrator) or DYNAMIC (at a first IMS sign-in, ACC-2).',
    resolve: (u) => u.created,
  }),
  dataSource: t.field({
    type: DataSource,
    nullable: true,
    description:
      'The data source this user belongs to; null when you may not read it (§9: its user reads only their own account).',
    resolve: async (u, _args, ctx) => visibleNode(ctx, 'DataSource', u.dataSourceId),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    description:
      'DS-4: the groups this user belongs to, by name. Admins of the data source only; null with a FORBIDDEN error otherwise.',
    authScopes: (u) => adminsOf(u),
    resolve: async (u, args, ctx) =>
      listPage('DataSourceUser.groups', await groupsOfUser(ctx, u), args, (g) => [g.nameKey, g.id]),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the user was created (UTC).' }),
  expiresAt: t.expose('expiresAt', {
    type: 'DateTime',
    nullable: true,
    description: 'HIS-4: from this instant on the user no longer admits its identity (ACC-2); null: never.',
  }),
}));

export const CreateDataSourceUserInput = builder.inputType('CreateDataSourceUserInput', {
  description: 'DS-3: a MANUAL data-source user.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    login: t.string({
      required: true,
      description: '1–200 characters, unique in the data source ignoring case (LOGIN_TAKEN).',
      validate: login,
    }),
    email: t.field({
      type: 'EmailAddress',
      description: 'The "ProjectWise user settings" email (stored lower-case). Default: none.',
    }),
    identity: t.field({
      type: 'EmailAddress',
      description:
        'The identity profile email this user signs in as, unique in the data source (IDENTITY_TAKEN). Default: none.',
    }),
    clientLicensing: t.field({ type: ClientLicensingEnum, description: 'Default OWN_ORGANIZATION.' }),
    expiresAt: t.field({
      type: 'DateTime',
      description:
        "HIS-4: when the user stops admitting its identity (later than now, else EXPIRY_IN_PAST). Default: for an external identity, now + the owner account's externalAccessDays; otherwise, or without one, never.",
    }),
  }),
});

export const UpdateDataSourceUserInput = builder.inputType('UpdateDataSourceUserInput', {
  description: 'Fields left out stay as they are; email: null / identity: null remove them.',
  fields: (t) => ({
    userId: t.globalID({ required: true, for: DataSourceUser, description: 'The data-source user.' }),
    login: t.string({
      description: 'New login, 1–200 characters, unique ignoring case (LOGIN_TAKEN).',
      validate: login,
    }),
    email: t.field({ type: 'EmailAddress', description: 'New "ProjectWise user settings" email; null removes it.' }),
    identity: t.field({
      type: 'EmailAddress',
      description: 'New identity it signs in as (IDENTITY_TAKEN); null removes it.',
    }),
    clientLicensing: t.field({ type: ClientLicensingEnum, description: 'DS-3: who provides the license.' }),
  }),
});

export const DataSourceUserSuccess = successOf('user', DataSourceUser, 'The data-source user, as it is now.');

export const DeleteDataSourceUserInput = builder.inputType('DeleteDataSourceUserInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    userId: t.globalID({ required: true, for: DataSourceUser, description: 'The data-source user to delete.' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

defineMutation('createDataSourceUser', {
  description: 'DS-3: an admin of the data source creates a MANUAL data-source user.',
  input: CreateDataSourceUserInput,
  inputDescription: 'The new user.',
  success: DataSourceUserSuccess('CreateDataSourceUserSuccess', 'The data-source user was created (MANUAL).'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    user: await dataSourceService.createDataSourceUser(ctx.service(), {
      ...input,
      dataSourceId: input.dataSourceId.id,
    }),
  }),
});

defineMutation('updateDataSourceUser', {
  description: "DS-3: change a data-source user's login, email, identity or client licensing.",
  input: UpdateDataSourceUserInput,
  inputDescription: 'The user and the changes.',
  success: DataSourceUserSuccess('UpdateDataSourceUserSuccess', 'The data-source user was updated.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    user: await dataSourceService.updateDataSourceUser(ctx.service(), { ...input, userId: input.userId.id }),
  }),
});

defineMutation('deleteDataSourceUser', {
  description: 'DS-5: delete a data-source user; IN_USE while referenced, unless force.',
  input: DeleteDataSourceUserInput,
  inputDescription: 'The user to delete.',
  success: DeleteSuccess('DeleteDataSourceUserSuccess', 'deletedUserId', 'data-source user', 'DataSourceUser'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) =>
    dataSourceService.deleteDataSourceUser(ctx.service(), { userId: input.userId.id, force: input.force }),
});
