// §2 and §5 in the schema: DataSource, its principals (users, groups, user lists, *Everyone), work
// areas with participants and their expansion into named users; queries and mutations.
import { createContextCache } from '@pothos/core';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  CLIENT_LICENSING,
  type DataSourceGroupRow,
  type DataSourceRow,
  type DataSourceUserRow,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  EXTERNAL_LICENSING,
  groupMembers,
  type PrincipalKind,
  USER_CREATION,
  type UserListRow,
  userListMembers,
  userLists,
  WORK_AREA_ROLES,
  type WorkAreaRow,
  workAreaParticipants,
  workAreas,
} from '../../db/schema.js';
import {
  expandParticipants,
  expandPrincipal,
  type NamedUserAccess,
  type Participant,
  type PrincipalGraph,
  type PrincipalRef,
} from '../../domain/principals.js';
import * as dataSourceService from '../../services/data-sources.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import {
  groupBy,
  loadDataSources,
  loadDataSourceUsers,
  loaderOptions,
  loadGroups,
  loadUserLists,
  loadWorkAreas,
} from '../loaders.js';
import { type Key, listPage, type PageArgs, withNodes } from '../pagination.js';
import { registerReadCheck, visibleOrNull } from '../visibility.js';
import { tablePage } from './common.js';
import { Account } from './identity.js';

// ---------------------------------------------------------------------------------------------
// Enums

export const ExternalLicensingEnum = builder.enumType('ExternalLicensing', { values: EXTERNAL_LICENSING });
export const ClientLicensingEnum = builder.enumType('ClientLicensing', { values: CLIENT_LICENSING });
export const UserCreationEnum = builder.enumType('DataSourceUserCreation', { values: USER_CREATION });
export const WorkAreaRoleEnum = builder.enumType('WorkAreaRole', { values: WORK_AREA_ROLES });

// ---------------------------------------------------------------------------------------------
// Loading (one statement per batch) and reading rules

/** *Everyone of a data source (it has no row of its own). */
export type EveryoneRow = { dataSourceId: string };

export const DataSource = builder.loadableNode('DataSource', {
  description: 'A document repository owned by an account (DS-1), with its access configuration (DS-2).',
  id: { resolve: (d) => d.id },
  load: loadDataSources,
  sort: (d) => d.id,
  loaderOptions,
});

export const DataSourceUser = builder.loadableNode('DataSourceUser', {
  description: 'A user account of a data source (DS-3).',
  id: { resolve: (u) => u.id },
  load: loadDataSourceUsers,
  sort: (u) => u.id,
  loaderOptions,
});

export const DataSourceGroup = builder.loadableNode('DataSourceGroup', {
  description: 'A group of data-source users (DS-4).',
  id: { resolve: (g) => g.id },
  load: loadGroups,
  sort: (g) => g.id,
  loaderOptions,
});

export const UserList = builder.loadableNode('UserList', {
  description: 'A user list: users, groups and other lists; nesting and cycles are allowed (DS-4).',
  id: { resolve: (l) => l.id },
  load: loadUserLists,
  sort: (l) => l.id,
  loaderOptions,
});

export const EveryoneGroup = builder.loadableNode('EveryoneGroup', {
  description: '*Everyone: the built-in pseudo-group of every user of a data source. It cannot be edited or deleted.',
  id: { resolve: (e) => e.dataSourceId },
  load: async (ids: string[], ctx: Context) =>
    ctx.db
      .select({ id: dataSources.id })
      .from(dataSources)
      .where(inArray(dataSources.id, ids))
      .all()
      .map((d): EveryoneRow => ({ dataSourceId: d.id })),
  sort: (e) => e.dataSourceId,
  loaderOptions,
});

export const WorkArea = builder.loadableNode('WorkArea', {
  description: 'A folder tree inside a data source with its own participants (WA-1).',
  id: { resolve: (w) => w.id },
  load: loadWorkAreas,
  sort: (w) => w.id,
  loaderOptions,
});

const administersRow = (ctx: Context, row: { dataSourceId: string }) => ctx.administersDataSource(row.dataSourceId);
// §9: its admins; and, for its name, owner and access settings (fields below), the IMS admins of its
// licensing owner account (LIC-3) — never its users, groups, lists or work areas.
registerReadCheck(DataSource, async (ctx, ds) => {
  const adminOf = await ctx.adminAccountIds();
  return (
    adminOf.has(ds.ownerAccountId) || (ds.licensingOwnerAccountId !== null && adminOf.has(ds.licensingOwnerAccountId))
  );
});
registerReadCheck(DataSourceUser, async (ctx, u) => u.identity === ctx.viewer?.email || (await administersRow(ctx, u)));
registerReadCheck(DataSourceGroup, administersRow);
registerReadCheck(UserList, administersRow);
registerReadCheck(EveryoneGroup, administersRow);
registerReadCheck(WorkArea, administersRow);

/** Admin-only fields of anything that belongs to a data source. */
const adminsOf = (row: { dataSourceId: string }) => ({ dataSourceAdmin: row.dataSourceId });

/** The principal graph of a data source, loaded once per request (DS-4 expansion). */
const principalGraphLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (ids: readonly string[]) => {
      const graphs = dataSourceService.principalGraphs(ctx.db, ids);
      const empty: PrincipalGraph = { allUserIds: [], groupMembers: new Map(), listMembers: new Map() };
      return ids.map((id) => graphs.get(id) ?? empty);
    }, loaderOptions),
);

// ---------------------------------------------------------------------------------------------
// Principal union and participants

/** The GraphQL type of each kind of principal, and back (for ids given in inputs). */
const TYPE_OF_KIND = {
  USER: 'DataSourceUser',
  GROUP: 'DataSourceGroup',
  LIST: 'UserList',
  EVERYONE: 'EveryoneGroup',
} as const satisfies Record<PrincipalKind, string>;
const KIND_OF_TYPE = Object.fromEntries(Object.entries(TYPE_OF_KIND).map(([kind, type]) => [type, kind])) as Record<
  string,
  PrincipalKind | undefined
>;

export const Principal = builder.unionType('Principal', {
  description: 'Someone who can be a work-area participant: a user, a group, a user list, or *Everyone.',
  types: [DataSourceUser, DataSourceGroup, UserList, EveryoneGroup],
  // Group and list rows look alike: loadPrincipal, the one producer of union values, tags them.
  resolveType: (value) => TYPE_OF_KIND[(value as unknown as PrincipalValue).principalKind],
});

type PrincipalValue = (DataSourceUserRow | DataSourceGroupRow | UserListRow | EveryoneRow) & {
  principalKind: PrincipalKind;
};

/** Loads the principal a reference points at (through the per-request loaders), tagged with its kind. */
async function loadPrincipal(ctx: Context, ref: PrincipalRef): Promise<PrincipalValue> {
  const load = () => {
    switch (ref.kind) {
      case 'USER':
        return DataSourceUser.getDataloader(ctx).load(ref.id);
      case 'GROUP':
        return DataSourceGroup.getDataloader(ctx).load(ref.id);
      case 'LIST':
        return UserList.getDataloader(ctx).load(ref.id);
      case 'EVERYONE':
        return EveryoneGroup.getDataloader(ctx).load(ref.id);
    }
  };
  return { ...(await load()), principalKind: ref.kind };
}

/** Participants in the order they were added (rowid survives a role change, which is an upsert). */
const participantOrder = [asc(workAreaParticipants.createdAt), asc(sql`${workAreaParticipants}.rowid`)];

/** A participant with its place in the work area's list (added at, then insertion order). */
type ParticipantEntry = Participant & { sortKey: Key[] };

/** Each work area's participants, batched per request (participants and namedUsers share it). */
const participantsByWorkArea = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (ids: readonly string[]) => {
      const rows = ctx.db
        .select({ row: workAreaParticipants, rowid: sql<number>`${workAreaParticipants}.rowid` })
        .from(workAreaParticipants)
        .where(inArray(workAreaParticipants.workAreaId, [...ids]))
        .orderBy(...participantOrder)
        .all();
      return groupBy(
        ids,
        rows,
        (r) => r.row.workAreaId,
        (r): ParticipantEntry => ({
          principal: { kind: r.row.kind, id: r.row.principalId },
          role: r.row.role,
          sortKey: [r.row.createdAt.getTime(), r.rowid],
        }),
      );
    }, loaderOptions),
);

/** Each user list's direct members in the order they were set (rowid), batched per request. */
const membersByList = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (ids: readonly string[]) => {
      const rows = ctx.db
        .select({
          listId: userListMembers.listId,
          kind: userListMembers.kind,
          id: userListMembers.memberId,
          rowid: sql<number>`${userListMembers}.rowid`,
        })
        .from(userListMembers)
        .where(inArray(userListMembers.listId, [...ids]))
        .all();
      return groupBy(
        ids,
        rows,
        (r) => r.listId,
        (r) => ({ ref: { kind: r.kind, id: r.id } as PrincipalRef, rowid: r.rowid }),
      );
    }, loaderOptions),
);

/** Each user's groups (DS-4), batched per request: one statement for a whole page of users. */
const groupsByUser = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (userIds: readonly string[]) => {
      const rows = ctx.db
        .select({ group: dataSourceGroups, userId: groupMembers.userId })
        .from(groupMembers)
        .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
        .where(inArray(groupMembers.userId, [...userIds]))
        .all();
      return groupBy(
        userIds,
        rows,
        (r) => r.userId,
        (r) => r.group,
      );
    }, loaderOptions),
);

/** Each group's users (DS-4), batched per request. */
const membersByGroup = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (groupIds: readonly string[]) => {
      const rows = ctx.db
        .select({ user: dataSourceUsers, groupId: groupMembers.groupId })
        .from(groupMembers)
        .innerJoin(dataSourceUsers, eq(dataSourceUsers.id, groupMembers.userId))
        .where(inArray(groupMembers.groupId, [...groupIds]))
        .all();
      return groupBy(
        groupIds,
        rows,
        (r) => r.groupId,
        (r) => r.user,
      );
    }, loaderOptions),
);

/** Data-source users by id through the per-request loader, for paging by login (DS-3). */
async function usersByLogin(ctx: Context, ids: readonly string[]): Promise<DataSourceUserRow[]> {
  const rows = await DataSourceUser.getDataloader(ctx).loadMany([...ids]);
  return rows.filter((r): r is DataSourceUserRow => r !== null && !(r instanceof Error));
}
const loginKeyOf = (u: DataSourceUserRow): Key[] => [u.loginKey, u.id];

const ParticipantType = builder.objectRef<Participant>('WorkAreaParticipant').implement({
  description: 'A principal of the data source with its role in the work area (WA-1).',
  fields: (t) => ({
    principal: t.field({ type: Principal, resolve: (p, _args, ctx) => loadPrincipal(ctx, p.principal) }),
    kind: t.string({ description: 'USER, GROUP, LIST or EVERYONE.', resolve: (p) => p.principal.kind }),
    role: t.field({ type: WorkAreaRoleEnum, resolve: (p) => p.role }),
  }),
});

const NamedUserType = builder.objectRef<NamedUserAccess & { user: DataSourceUserRow }>('WorkAreaNamedUser').implement({
  description:
    'A named user behind the work area’s participants (groups and lists expanded). An individual entry decides the role — an individual NO_ACCESS wins over every group (WA-1b); otherwise the most permissive role reaching them applies.',
  fields: (t) => ({
    user: t.field({ type: DataSourceUser, resolve: (n) => n.user }),
    effectiveRole: t.field({ type: WorkAreaRoleEnum, resolve: (n) => n.effectiveRole }),
    individual: t.boolean({
      description: 'The user has a participant entry of their own.',
      resolve: (n) => n.individual,
    }),
    via: t.field({
      type: [ParticipantType],
      description: 'Every participant entry that reaches this user.',
      resolve: (n) => n.via,
    }),
  }),
});

export const ExternalAccessType = builder
  .objectRef<Pick<DataSourceRow, 'allowExternalImsUsers' | 'externalLicensing'>>('ExternalAccess')
  .implement({
    description: "The data source's access configuration for external IMS users (DS-2).",
    fields: (t) => ({
      allowExternalImsUsers: t.exposeBoolean('allowExternalImsUsers'),
      externalLicensing: t.field({ type: ExternalLicensingEnum, resolve: (d) => d.externalLicensing }),
    }),
  });

// ---------------------------------------------------------------------------------------------
// Fields

/** A data source's users (by login) or groups, lists, work areas (by name), one page. */
const connectionOf = <T extends typeof dataSourceUsers | typeof dataSourceGroups | typeof userLists | typeof workAreas>(
  ctx: Context,
  args: PageArgs,
  table: T,
  dataSourceId: string,
) =>
  tablePage(ctx.db, args, table, eq(table.dataSourceId, dataSourceId), [
    { key: 'loginKey' in table ? table.loginKey : table.nameKey },
    { key: table.id },
  ]);

builder.objectFields(DataSource, (t) => ({
  name: t.exposeString('name'),
  ownerAccount: t.field({ type: Account, resolve: (d) => d.ownerAccountId }),
  imsAuthEnabled: t.exposeBoolean('imsAuthEnabled', { description: 'ACC-1: IMS sign-in is possible only when on.' }),
  dynamicCreationFilter: t.exposeString('dynamicCreationFilter', {
    nullable: true,
    description:
      'DS-2 identity filter, e.g. Organization = "Harbor Engineering" OR Organization = "Northwind Surveying".',
  }),
  licensingOwnerAccount: t.field({
    type: Account,
    nullable: true,
    description: 'LIC-3: who pays when the owner provides the license.',
    resolve: (d) => d.licensingOwnerAccountId,
  }),
  licensingOwnerMissing: t.boolean({
    description: 'LIC-3 warning: no licensing owner is set, so owner-provided sign-ins are denied.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d) => d.licensingOwnerAccountId === null,
  }),
  externalAccess: t.field({ type: ExternalAccessType, resolve: (d) => d }),
  everyone: t.field({
    type: EveryoneGroup,
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d): EveryoneRow => ({ dataSourceId: d.id }),
  }),
  users: t.connection({
    type: DataSourceUser,
    nullable: true,
    description: 'Data-source users by login. Admins only.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, dataSourceUsers, d.id),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, dataSourceGroups, d.id),
  }),
  userLists: t.connection({
    type: UserList,
    nullable: true,
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, userLists, d.id),
  }),
  workAreas: t.connection({
    type: WorkArea,
    nullable: true,
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, workAreas, d.id),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
}));

builder.objectFields(DataSourceUser, (t) => ({
  login: t.exposeString('login'),
  email: t.exposeString('email', {
    nullable: true,
    description: 'The "ProjectWise user settings" email; may be missing.',
  }),
  identity: t.exposeString('identity', {
    nullable: true,
    description: 'The email of the identity profile this user signs in as.',
  }),
  clientLicensing: t.field({ type: ClientLicensingEnum, resolve: (u) => u.clientLicensing }),
  created: t.field({ type: UserCreationEnum, resolve: (u) => u.created }),
  dataSource: t.field({
    type: DataSource,
    nullable: true,
    description:
      'The data source this user belongs to; null when you may not read it (§9: its user reads only their own account).',
    resolve: async (u, _args, ctx) =>
      visibleOrNull(ctx, 'DataSource', await DataSource.getDataloader(ctx).load(u.dataSourceId)),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    description: 'Groups this user belongs to, by name. Admins only.',
    authScopes: (u) => adminsOf(u),
    resolve: async (u, args, ctx) => listPage(await groupsByUser(ctx).load(u.id), args, (g) => [g.nameKey, g.id]),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
}));

builder.objectFields(DataSourceGroup, (t) => ({
  name: t.exposeString('name'),
  dataSource: t.field({ type: DataSource, resolve: (g) => g.dataSourceId }),
  members: t.connection({
    type: DataSourceUser,
    nullable: true,
    description: 'The users in the group, by login. Admins only.',
    authScopes: (g) => adminsOf(g),
    resolve: async (g, args, ctx) => listPage(await membersByGroup(ctx).load(g.id), args, loginKeyOf),
  }),
}));

builder.objectFields(UserList, (t) => ({
  name: t.exposeString('name'),
  dataSource: t.field({ type: DataSource, resolve: (l) => l.dataSourceId }),
  members: t.connection({
    type: Principal,
    nullable: true,
    description: 'Direct members: users, groups and lists, in the order they were set. Admins only.',
    authScopes: (l) => adminsOf(l),
    resolve: async (l, args, ctx) => {
      const page = listPage(await membersByList(ctx).load(l.id), args, (m) => [m.rowid]);
      return withNodes(page, (m) => loadPrincipal(ctx, m.ref));
    },
  }),
  expandedUsers: t.connection({
    type: DataSourceUser,
    nullable: true,
    description:
      'Every named user behind the list, through nested lists and groups (each list visited once), by login. Admins only.',
    authScopes: (l) => adminsOf(l),
    resolve: async (l, args, ctx) => {
      const graph = await principalGraphLoader(ctx).load(l.dataSourceId);
      return listPage(await usersByLogin(ctx, expandPrincipal(graph, { kind: 'LIST', id: l.id })), args, loginKeyOf);
    },
  }),
}));

builder.objectFields(EveryoneGroup, (t) => ({
  name: t.string({ resolve: () => '*Everyone' }),
  dataSource: t.field({ type: DataSource, resolve: (e) => e.dataSourceId }),
}));

builder.objectFields(WorkArea, (t) => ({
  name: t.exposeString('name'),
  dataSource: t.field({ type: DataSource, resolve: (w) => w.dataSourceId }),
  participants: t.connection({
    type: ParticipantType,
    description: 'Participants with their roles (WA-1), in the order they were added.',
    resolve: async (w, args, ctx) => listPage(await participantsByWorkArea(ctx).load(w.id), args, (p) => p.sortKey),
  }),
  namedUsers: t.connection({
    type: NamedUserType,
    description: 'The participants expanded into named users with their effective role (WA-1, WA-1b), by login.',
    resolve: async (w, args, ctx) => {
      const [participants, graph] = await Promise.all([
        participantsByWorkArea(ctx).load(w.id),
        principalGraphLoader(ctx).load(w.dataSourceId),
      ]);
      const named = expandParticipants(graph, participants);
      const users = new Map(
        (
          await usersByLogin(
            ctx,
            named.map((n) => n.userId),
          )
        ).map((u) => [u.id, u]),
      );
      const rows = named.flatMap((n) => {
        const user = users.get(n.userId);
        return user ? [{ ...n, user }] : [];
      });
      return listPage(rows, args, (n) => loginKeyOf(n.user));
    },
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
}));

builder.objectField(Account, 'dataSources', (t) =>
  t.connection({
    type: DataSource,
    nullable: true,
    description: 'Data sources the account owns, by name. IMS admins only.',
    authScopes: (a) => ({ imsAdminOf: a.id }),
    resolve: (a, args, ctx) =>
      tablePage(ctx.db, args, dataSources, eq(dataSources.ownerAccountId, a.id), [
        { key: dataSources.nameKey },
        { key: dataSources.id },
      ]),
  }),
);

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryFields((t) => ({
  dataSource: t.field({
    type: DataSource,
    nullable: true,
    description: 'A data source you administer (null otherwise).',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: DataSource }) },
    resolve: async (_root, args, ctx) =>
      visibleOrNull(ctx, 'DataSource', await DataSource.getDataloader(ctx).load(args.id.id)),
  }),
  workArea: t.field({
    type: WorkArea,
    nullable: true,
    description: 'A work area of a data source you administer (null otherwise).',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: WorkArea }) },
    resolve: async (_root, args, ctx) =>
      visibleOrNull(ctx, 'WorkArea', await WorkArea.getDataloader(ctx).load(args.id.id)),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Mutations

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const login = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const filterText = z.string().max(2000, 'must be at most 2000 characters');

const ExternalAccessInput = builder.inputType('ExternalAccessInput', {
  description: 'Fields left out stay as they are.',
  fields: (t) => ({
    allowExternalImsUsers: t.boolean(),
    externalLicensing: t.field({ type: ExternalLicensingEnum }),
  }),
});

const CreateDataSourceInput = builder.inputType('CreateDataSourceInput', {
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: Account, description: 'The owner account.' }),
    name: t.string({ required: true, validate: name }),
    imsAuthEnabled: t.boolean({ description: 'Default false.' }),
    dynamicCreationFilter: t.string({ validate: filterText }),
    externalAccess: t.field({ type: ExternalAccessInput, description: 'Default: no external IMS users, DENY.' }),
  }),
});

const UpdateDataSourceSettingsInput = builder.inputType('UpdateDataSourceSettingsInput', {
  description: 'Fields left out stay as they are; dynamicCreationFilter: null removes the filter.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    name: t.string({ validate: name }),
    imsAuthEnabled: t.boolean(),
    dynamicCreationFilter: t.string({ validate: filterText }),
    externalAccess: t.field({ type: ExternalAccessInput }),
  }),
});

export const DataSourceSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ dataSource: DataSourceRow }>(typeName).implement({
    description,
    fields: (t) => ({ dataSource: t.field({ type: DataSource, resolve: (r) => r.dataSource }) }),
  });

const CreateDataSourceUserInput = builder.inputType('CreateDataSourceUserInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    login: t.string({ required: true, validate: login }),
    email: t.field({ type: 'EmailAddress' }),
    identity: t.field({ type: 'EmailAddress', description: 'The identity profile email this user signs in as.' }),
    clientLicensing: t.field({ type: ClientLicensingEnum, description: 'Default OWN_ORGANIZATION.' }),
  }),
});

const UpdateDataSourceUserInput = builder.inputType('UpdateDataSourceUserInput', {
  description: 'Fields left out stay as they are; email: null / identity: null remove them.',
  fields: (t) => ({
    userId: t.globalID({ required: true, for: DataSourceUser }),
    login: t.string({ validate: login }),
    email: t.field({ type: 'EmailAddress' }),
    identity: t.field({ type: 'EmailAddress' }),
    clientLicensing: t.field({ type: ClientLicensingEnum }),
  }),
});

const DataSourceUserSuccess = (typeName: string) =>
  builder.objectRef<{ user: DataSourceUserRow }>(typeName).implement({
    fields: (t) => ({
      user: t.field({ type: DataSourceUser, resolve: (r) => r.user }),
    }),
  });

const DeleteSuccess = (typeName: string, field: string) =>
  builder.objectRef<{ deletedId: string; dataSourceId: string }>(typeName).implement({
    fields: (t) => ({
      [field]: t.id({ resolve: (r) => r.deletedId }),
      dataSource: t.field({ type: DataSource, resolve: (r) => r.dataSourceId }),
    }),
  });

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    name: t.string({ required: true, validate: name }),
    userIds: t.globalIDList({ for: DataSourceUser, validate: z.array(z.any()).max(5000, 'at most 5000 members') }),
  }),
});

const SetGroupMembersInput = builder.inputType('SetGroupMembersInput', {
  description: 'Replaces the members with exactly these users.',
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup }),
    userIds: t.globalIDList({
      required: true,
      for: DataSourceUser,
      validate: z.array(z.any()).max(5000, 'at most 5000 members'),
    }),
  }),
});

const GroupSuccess = (typeName: string) =>
  builder.objectRef<{ group: DataSourceGroupRow }>(typeName).implement({
    fields: (t) => ({
      group: t.field({ type: DataSourceGroup, resolve: (r) => r.group }),
    }),
  });

const listMembers = z
  .array(z.string())
  .max(5000, 'at most 5000 members')
  .transform((ids, ctx) =>
    ids.flatMap((raw, i) => {
      const decoded = safeDecode(raw);
      const kind = decoded && KIND_OF_TYPE[decoded.typename];
      if (!decoded || !kind || kind === 'EVERYONE') {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: 'must be the id of a DataSourceUser, DataSourceGroup or UserList',
        });
        return [];
      }
      return [{ kind, id: decoded.id }];
    }),
  );

function safeDecode(id: string) {
  try {
    return decodeGlobalID(id);
  } catch {
    return null;
  }
}

const CreateUserListInput = builder.inputType('CreateUserListInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    name: t.string({ required: true, validate: name }),
    members: t
      .idList({ description: 'Ids of users, groups and user lists of the same data source.' })
      .validate(listMembers),
  }),
});

const SetUserListMembersInput = builder.inputType('SetUserListMembersInput', {
  description: 'Replaces the members. Lists may contain lists, themselves and cycles included.',
  fields: (t) => ({
    listId: t.globalID({ required: true, for: UserList }),
    members: t.idList({ required: true }).validate(listMembers),
  }),
});

const UserListSuccess = (typeName: string) =>
  builder.objectRef<{ list: UserListRow }>(typeName).implement({
    fields: (t) => ({
      list: t.field({ type: UserList, resolve: (r) => r.list }),
    }),
  });

const DELETE_DESCRIPTION = 'DS-5: refused with IN_USE while referenced, unless force: true removes the references too.';
const FORCE_DESCRIPTION = 'Default false.';

const DeleteDataSourceUserInput = builder.inputType('DeleteDataSourceUserInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    userId: t.globalID({ required: true, for: DataSourceUser }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const DeleteGroupInput = builder.inputType('DeleteGroupInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const DeleteUserListInput = builder.inputType('DeleteUserListInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    listId: t.globalID({ required: true, for: UserList }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const CreateWorkAreaInput = builder.inputType('CreateWorkAreaInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    name: t.string({ required: true, validate: name }),
  }),
});

const principalId = z.string().transform((raw, ctx) => {
  const decoded = safeDecode(raw);
  const kind = decoded && KIND_OF_TYPE[decoded.typename];
  if (!decoded || !kind) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be the id of a DataSourceUser, DataSourceGroup, UserList or EveryoneGroup',
    });
    return z.NEVER;
  }
  return { kind, id: decoded.id } satisfies PrincipalRef;
});

const SetWorkAreaParticipantInput = builder.inputType('SetWorkAreaParticipantInput', {
  description: 'Adds the principal with this role, or changes its role (a principal appears once).',
  fields: (t) => ({
    workAreaId: t.globalID({ required: true, for: WorkArea }),
    principalId: t.id({ required: true }).validate(principalId),
    role: t.field({ type: WorkAreaRoleEnum, required: true }),
  }),
});

const RemoveWorkAreaParticipantInput = builder.inputType('RemoveWorkAreaParticipantInput', {
  fields: (t) => ({
    workAreaId: t.globalID({ required: true, for: WorkArea }),
    principalId: t.id({ required: true }).validate(principalId),
  }),
});

const WorkAreaSuccess = (typeName: string) =>
  builder.objectRef<{ workArea: WorkAreaRow }>(typeName).implement({
    fields: (t) => ({ workArea: t.field({ type: WorkArea, resolve: (r) => r.workArea }) }),
  });

builder.mutationFields((t) => ({
  createDataSource: t.field({
    type: DataSourceSuccess('CreateDataSourceSuccess', 'The data source; its licensing owner is not set yet (LIC-3).'),
    description: 'DS-1: an IMS admin of the owner account creates a data source.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateDataSourceInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      dataSource: dataSourceService.createDataSource(ctx.service(), { ...input, accountId: input.accountId.id }),
    }),
  }),
  updateDataSourceSettings: t.field({
    type: DataSourceSuccess('UpdateDataSourceSettingsSuccess', 'The data source with its settings as they are now.'),
    description: 'DS-2: IMS authentication, identity filter, external access and licensing.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: UpdateDataSourceSettingsInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      dataSource: dataSourceService.updateDataSourceSettings(ctx.service(), {
        ...input,
        dataSourceId: input.dataSourceId.id,
      }),
    }),
  }),
  createDataSourceUser: t.field({
    type: DataSourceUserSuccess('CreateDataSourceUserSuccess'),
    description: 'DS-3: a MANUAL data-source user.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateDataSourceUserInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: dataSourceService.createDataSourceUser(ctx.service(), { ...input, dataSourceId: input.dataSourceId.id }),
    }),
  }),
  updateDataSourceUser: t.field({
    type: DataSourceUserSuccess('UpdateDataSourceUserSuccess'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: UpdateDataSourceUserInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: dataSourceService.updateDataSourceUser(ctx.service(), { ...input, userId: input.userId.id }),
    }),
  }),
  deleteDataSourceUser: t.field({
    type: DeleteSuccess('DeleteDataSourceUserSuccess', 'deletedUserId'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: DeleteDataSourceUserInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => {
      const r = dataSourceService.deleteDataSourceUser(ctx.service(), { userId: input.userId.id, force: input.force });
      return { deletedId: encodeGlobalID('DataSourceUser', r.id), dataSourceId: r.dataSourceId };
    },
  }),
}));

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: GroupSuccess('CreateGroupSuccess'),
    description: 'DS-4: a group of data-source users.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      group: dataSourceService.createGroup(ctx.service(), {
        dataSourceId: input.dataSourceId.id,
        name: input.name,
        userIds: input.userIds?.map((u) => u.id) ?? null,
      }),
    }),
  }),
  setGroupMembers: t.field({
    type: GroupSuccess('SetGroupMembersSuccess'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: SetGroupMembersInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      group: dataSourceService.setGroupMembers(ctx.service(), {
        groupId: input.groupId.id,
        userIds: input.userIds.map((u) => u.id),
      }),
    }),
  }),
  deleteGroup: t.field({
    type: DeleteSuccess('DeleteGroupSuccess', 'deletedGroupId'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: DeleteGroupInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => {
      const r = dataSourceService.deleteGroup(ctx.service(), { groupId: input.groupId.id, force: input.force });
      return { deletedId: encodeGlobalID('DataSourceGroup', r.id), dataSourceId: r.dataSourceId };
    },
  }),
  createUserList: t.field({
    type: UserListSuccess('CreateUserListSuccess'),
    description: 'DS-4: a user list of users, groups and other lists.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateUserListInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      list: dataSourceService.createUserList(ctx.service(), {
        dataSourceId: input.dataSourceId.id,
        name: input.name,
        members: input.members ?? null,
      }),
    }),
  }),
  setUserListMembers: t.field({
    type: UserListSuccess('SetUserListMembersSuccess'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: SetUserListMembersInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      list: dataSourceService.setUserListMembers(ctx.service(), { listId: input.listId.id, members: input.members }),
    }),
  }),
  deleteUserList: t.field({
    type: DeleteSuccess('DeleteUserListSuccess', 'deletedListId'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: DeleteUserListInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => {
      const r = dataSourceService.deleteUserList(ctx.service(), { listId: input.listId.id, force: input.force });
      return { deletedId: encodeGlobalID('UserList', r.id), dataSourceId: r.dataSourceId };
    },
  }),
  createWorkArea: t.field({
    type: WorkAreaSuccess('CreateWorkAreaSuccess'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateWorkAreaInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      workArea: dataSourceService.createWorkArea(ctx.service(), {
        dataSourceId: input.dataSourceId.id,
        name: input.name,
      }),
    }),
  }),
  setWorkAreaParticipant: t.field({
    type: WorkAreaSuccess('SetWorkAreaParticipantSuccess'),
    description: 'WA-1: adds a participant or changes its role.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: SetWorkAreaParticipantInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      workArea: dataSourceService.setWorkAreaParticipant(ctx.service(), {
        workAreaId: input.workAreaId.id,
        principal: input.principalId,
        role: input.role,
      }),
    }),
  }),
  removeWorkAreaParticipant: t.field({
    type: WorkAreaSuccess('RemoveWorkAreaParticipantSuccess'),
    authScopes: { registered: true },
    args: { input: t.arg({ type: RemoveWorkAreaParticipantInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      workArea: dataSourceService.removeWorkAreaParticipant(ctx.service(), {
        workAreaId: input.workAreaId.id,
        principal: input.principalId,
      }),
    }),
  }),
}));
