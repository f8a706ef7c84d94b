import { builder } from '../../graphql/builder.js';
import { atMost } from '../../graphql/common.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { membersByGroup } from '../loaders.js';
import * as dataSourceService from '../service.js';
import { DELETE_DESCRIPTION, DeleteSuccess, FORCE_DESCRIPTION, name } from './inputs.js';
import { adminsOf, DataSource, DataSourceGroup, DataSourceUser } from './nodes.js';
import { loginKeyOf } from './principal.js';

builder.objectFields(DataSourceGroup, (t) => ({
  name: t.exposeString('name', {
    description: 'Unique in the data source among groups and lists, ignoring case; "*Everyone" is reserved.',
  }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source it belongs to.',
    resolve: (g) => g.dataSourceId,
  }),
  members: t.connection({
    type: DataSourceUser,
    nullable: true,
    description:
      'DS-4: the users in the group, by login. Admins of the data source only; null with a FORBIDDEN error otherwise.',
    authScopes: (g) => adminsOf(g),
    resolve: async (g, args, ctx) =>
      listPage('DataSourceGroup.members', await membersByGroup(ctx).load(g.id), args, loginKeyOf),
  }),
}));

export const CreateGroupInput = builder.inputType('CreateGroupInput', {
  description: 'DS-4: a new group of data-source users.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    name: t.string({
      required: true,
      description: '1–200 characters, unique among groups and lists ignoring case (NAME_TAKEN); not "*Everyone".',
      validate: name,
    }),
    userIds: t.globalIDList({
      for: DataSourceUser,
      description: 'Members: at most 5,000 users of the same data source (NOT_FOUND otherwise). Default: none.',
      validate: atMost(5000, 'members'),
    }),
  }),
});

export const SetGroupMembersInput = builder.inputType('SetGroupMembersInput', {
  description: 'Replaces the members with exactly these users.',
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup, description: 'The group (not *Everyone).' }),
    userIds: t.globalIDList({
      required: true,
      for: DataSourceUser,
      description: 'The new members: at most 5,000 users of the same data source; empty removes them all.',
      validate: atMost(5000, 'members'),
    }),
  }),
});

export const GroupSuccess = successOf('group', DataSourceGroup, 'The group, as it is now.');

export const DeleteGroupInput = builder.inputType('DeleteGroupInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup, description: 'The group to delete (not *Everyone).' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

defineMutation('createGroup', {
  description: 'DS-4: a group of data-source users.',
  input: CreateGroupInput,
  inputDescription: 'The new group.',
  success: GroupSuccess('CreateGroupSuccess', 'The group was created.'),
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    group: await dataSourceService.createGroup(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      name: input.name,
      userIds: input.userIds?.map((u) => u.id) ?? null,
    }),
  }),
});

defineMutation('setGroupMembers', {
  description: 'DS-4: replace the members of a group.',
  input: SetGroupMembersInput,
  inputDescription: 'The group and its new members.',
  success: GroupSuccess('SetGroupMembersSuccess', 'The group now has exactly the given members.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    group: await dataSourceService.setGroupMembers(ctx.service(), {
      groupId: input.groupId.id,
      userIds: input.userIds.map((u) => u.id),
    }),
  }),
});

defineMutation('deleteGroup', {
  description: 'DS-5: delete a group; IN_USE while referenced, unless force.',
  input: DeleteGroupInput,
  inputDescription: 'The group to delete.',
  success: DeleteSuccess('DeleteGroupSuccess', 'deletedGroupId', 'group', 'DataSourceGroup'),
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) =>
    dataSourceService.deleteGroup(ctx.service(), { groupId: input.groupId.id, force: input.force }),
});
