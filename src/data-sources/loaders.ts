// The data-source area's reads for GraphQL: batch loads per request (one statement for a page of
// parents) and the pages of a data source's users, groups, lists and work areas.

import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { idList, inIdList, statements } from '../db/prepared.js';
import {
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  groupMembers,
  insertionOrder,
  userListMembers,
  userLists,
  workAreaParticipants,
  workAreas,
} from '../db/schema.js';
import { tablePage } from '../graphql/common.js';
import type { Context } from '../graphql/context.js';
import { groupedLoader, groupedSiblingLoader, loadByIds, loaderOptions } from '../graphql/loaders.js';
import type { Key, PageArgs } from '../graphql/pagination.js';
import type { Participant, PrincipalGraph, PrincipalRef } from './rules/principals.js';
import * as dataSourceService from './service.js';

/** The principal graph of a data source, loaded once per request (DS-4 expansion). */
export const principalGraphLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (ids: readonly string[]) => {
      const graphs = await dataSourceService.principalGraphs(ctx.db, ids);
      const empty: PrincipalGraph = { allUserIds: [], groupMembers: new Map(), listMembers: new Map() };
      return ids.map((id) => graphs.get(id) ?? empty);
    }, loaderOptions),
);

/** Participants in the order they were added (rowid survives a role change, which is an upsert). */
export const participantOrder = [asc(workAreaParticipants.createdAt), asc(insertionOrder(workAreaParticipants))];

// The batched reads below run for every page of principals: prepared once per database.
const hot = statements((db) => ({
  participantsOf: db
    .select({ row: workAreaParticipants, rowid: sql<number>`${insertionOrder(workAreaParticipants)}`.mapWith(Number) })
    .from(workAreaParticipants)
    .where(inIdList(workAreaParticipants.workAreaId, 'ids'))
    .orderBy(...participantOrder),
  listMembersOf: db
    .select({
      listId: userListMembers.listId,
      kind: userListMembers.kind,
      id: userListMembers.memberId,
      rowid: sql<number>`${insertionOrder(userListMembers)}`.mapWith(Number),
    })
    .from(userListMembers)
    .where(inIdList(userListMembers.listId, 'ids')),
  groupsOf: db
    .select({ group: dataSourceGroups, userId: groupMembers.userId })
    .from(groupMembers)
    .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
    .where(inIdList(groupMembers.userId, 'ids')),
  groupUsersOf: db
    .select({ user: dataSourceUsers, groupId: groupMembers.groupId })
    .from(groupMembers)
    .innerJoin(dataSourceUsers, eq(dataSourceUsers.id, groupMembers.userId))
    .where(inIdList(groupMembers.groupId, 'ids')),
  existing: db.select({ id: dataSources.id }).from(dataSources).where(inIdList(dataSources.id, 'ids')),
}));

/** A participant with its place in the work area's list (added at, then insertion order). */
export type ParticipantEntry = Participant & { sortKey: Key[] };

/** Each work area's participants, batched per request (participants and namedUsers share it). */
export const participantsByWorkArea = groupedLoader(
  async (db, ids) => await hot(db).participantsOf.all({ ids: idList(ids) }),
  (r) => r.row.workAreaId,
  (r): ParticipantEntry => ({
    principal: { kind: r.row.kind, id: r.row.principalId },
    role: r.row.role,
    sortKey: [r.row.createdAt.getTime(), r.rowid],
  }),
);

/** Each user list's direct members in the order they were set (rowid), batched per request. */
export const membersByList = groupedLoader(
  async (db, ids) => await hot(db).listMembersOf.all({ ids: idList(ids) }),
  (r) => r.listId,
  (r) => ({ ref: { kind: r.kind, id: r.id } as PrincipalRef, rowid: r.rowid }),
);

/** A user's groups (DS-4), read with those of the user's siblings (a page of users: one statement). */
export const groupsOfUser = groupedSiblingLoader(
  (u: { id: string }) => u.id,
  async (db, userIds) => await hot(db).groupsOf.all({ ids: idList(userIds) }),
  (r) => r.userId,
  (r) => r.group,
);

/** Each group's users (DS-4), batched per request. */
export const membersByGroup = groupedLoader(
  async (db, groupIds) => await hot(db).groupUsersOf.all({ ids: idList(groupIds) }),
  (r) => r.groupId,
  (r) => r.user,
);

// ---------------------------------------------------------------------------------------------
// Fields

/** A data source's users (by login) or groups, lists, work areas (by name), one page. */
export const connectionOf = async <
  T extends typeof dataSourceUsers | typeof dataSourceGroups | typeof userLists | typeof workAreas,
>(
  ctx: Context,
  args: PageArgs,
  table: T,
  dataSourceId: string,
) =>
  await tablePage(ctx.db, args, table, eq(table.dataSourceId, dataSourceId), [
    { key: 'loginKey' in table ? table.loginKey : table.nameKey },
    { key: table.id },
  ]);

/** DS-1: the data sources an account owns, by name. */
export const dataSourcesPage = async (db: Db, args: PageArgs, accountId: string) =>
  await tablePage(db, args, dataSources, eq(dataSources.ownerAccountId, accountId), [
    { key: dataSources.nameKey },
    { key: dataSources.id },
  ]);

/** DS-4: *Everyone of each existing data source (it has no row of its own). */
export const loadEveryone = async (db: Db, dataSourceIds: string[]) =>
  (await hot(db).existing.all({ ids: idList(dataSourceIds) })).map((d) => ({ dataSourceId: d.id }));

// Named per table: passed inline as `load: loadByIds(table)`, the generic call would defeat Pothos'
// inference of the node's shape.
export const loadDataSources = loadByIds(dataSources);
export const loadDataSourceUsers = loadByIds(dataSourceUsers);
export const loadGroups = loadByIds(dataSourceGroups);
export const loadUserLists = loadByIds(userLists);
export const loadWorkAreas = loadByIds(workAreas);
