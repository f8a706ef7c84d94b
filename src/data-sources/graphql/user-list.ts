import { builder } from '../../graphql/builder.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { listPage, withNodes } from '../../graphql/pagination.js';
import { membersByList, principalGraphLoader } from '../loaders.js';
import { expandPrincipal } from '../rules/principals.js';
import * as dataSourceService from '../service.js';
import { DELETE_DESCRIPTION, DeleteSuccess, FORCE_DESCRIPTION, name } from './inputs.js';
import { adminsOf, DataSource, DataSourceUser, UserList } from './nodes.js';
import { listMembers, loadPrincipal, loginKeyOf, Principal, usersByLogin } from './principal.js';

builder.objectFields(UserList, (t) => ({
  name: t.exposeString('name', {
    description: 'Unique in the data source among groups and lists, ignoring case; "*Everyone" is reserved.',
  }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source it belongs to.',
    resolve: (l) => l.dataSourceId,
  }),
  members: t.connection({
    type: Principal,
    nullable: true,
    description:
      'DS-4: direct members — users, groups and lists — in the order they were set. Admins of the data source only; null with a FORBIDDEN error otherwise.',
    authScopes: (l) => adminsOf(l),
    resolve: async (l, args, ctx) => {
      const page = listPage('UserList.members', await membersByList(ctx).load(l.id), args, (m) => [m.rowid]);
      return withNodes(page, (m) => loadPrincipal(ctx, m.ref));
    },
  }),
  expandedUsers: t.connection({
    type: DataSourceUser,
    nullable: true,
    description:
      'DS-4: every data-source user behind the list, through nested lists and groups (each list visited once, so cycles are harmless), by login. Admins of the data source only; null with a FORBIDDEN error otherwise.',
    authScopes: (l) => adminsOf(l),
    resolve: async (l, args, ctx) => {
      const graph = await principalGraphLoader(ctx).load(l.dataSourceId);
      return listPage(
        'UserList.expandedUsers',
        await usersByLogin(ctx, expandPrincipal(graph, { kind: 'LIST', id: l.id })),
        args,
        loginKeyOf,
      );
    },
  }),
}));

export const CreateUserListInput = builder.inputType('CreateUserListInput', {
  description: 'DS-4: a new user list.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    name: t.string({
      required: true,
      description: '1–200 characters, unique among groups and lists ignoring case (NAME_TAKEN); not "*Everyone".',
      validate: name,
    }),
    members: t
      .idList({
        description:
          'Ids of users, groups and user lists of the same data source (not *Everyone), at most 5,000. Default: none.',
      })
      .validate(listMembers),
  }),
});

export const SetUserListMembersInput = builder.inputType('SetUserListMembersInput', {
  description: 'Replaces the members. Lists may contain lists, themselves and cycles included.',
  fields: (t) => ({
    listId: t.globalID({ required: true, for: UserList, description: 'The user list.' }),
    members: t
      .idList({
        required: true,
        description:
          'The new members: ids of users, groups and user lists of the same data source (not *Everyone), at most 5,000; empty removes them all.',
      })
      .validate(listMembers),
  }),
});

export const UserListSuccess = successOf('list', UserList, 'The user list, as it is now.');

export const DeleteUserListInput = builder.inputType('DeleteUserListInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    listId: t.globalID({ required: true, for: UserList, description: 'The user list to delete.' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

defineMutation('createUserList', {
  description: 'DS-4: a user list of users, groups and other lists.',
  input: CreateUserListInput,
  inputDescription: 'The new user list.',
  success: UserListSuccess('CreateUserListSuccess', 'The user list was created.'),
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    list: await dataSourceService.createUserList(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      name: input.name,
      members: input.members ?? null,
    }),
  }),
});

defineMutation('setUserListMembers', {
  description: 'DS-4: replace the members of a user list (lists may nest, cycles included).',
  input: SetUserListMembersInput,
  inputDescription: 'The list and its new members.',
  success: UserListSuccess('SetUserListMembersSuccess', 'The user list now has exactly the given members.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    list: await dataSourceService.setUserListMembers(ctx.service(), {
      listId: input.listId.id,
      members: input.members,
    }),
  }),
});

defineMutation('deleteUserList', {
  description: 'DS-5: delete a user list; IN_USE while referenced, unless force.',
  input: DeleteUserListInput,
  inputDescription: 'The user list to delete.',
  success: DeleteSuccess('DeleteUserListSuccess', 'deletedListId', 'user list', 'UserList'),
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) =>
    dataSourceService.deleteUserList(ctx.service(), { listId: input.listId.id, force: input.force }),
});
