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
import { builder } from '../../graphql/builder.js';
import { describedValues, tablePage } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import {
  groupedLoader,
  loadDataSources,
  loadDataSourceUsers,
  loaderOptions,
  loadGroups,
  loadUserLists,
  loadWorkAreas,
} from '../../graphql/loaders.js';
import { authzExtension, defineMutation } from '../../graphql/mutation.js';
import { type Key, listPage, type PageArgs, withNodes } from '../../graphql/pagination.js';
import { registerReadCheck, visibleOrNull } from '../../graphql/visibility.js';
import { Account } from '../../identity/graphql/identity.js';
import {
  expandParticipants,
  expandPrincipal,
  type NamedUserAccess,
  type Participant,
  type PrincipalGraph,
  type PrincipalRef,
} from '../rules/principals.js';
import * as dataSourceService from '../service.js';

// ---------------------------------------------------------------------------------------------
// Enums

export const ExternalLicensingEnum = builder.enumType('ExternalLicensing', {
  description:
    'DS-2: whether the data source supplies licenses to external users (those from another home account, ACC-3).',
  values: describedValues(EXTERNAL_LICENSING, {
    SUPPLY:
      "External users' sign-ins are billed to the data source's licensing owner (LIC-1, source 2; LICENSING_OWNER_NOT_SET while none is set).",
    DENY: "Default. External users bring their own license: OWNER_PROVIDES is ignored for them, and the owner account's entitlements are skipped for them (LIC-1.2, LIC-1.4).",
  }),
});
export const ClientLicensingEnum = builder.enumType('ClientLicensing', {
  description: 'DS-3: who provides the license of a data-source user.',
  values: describedValues(CLIENT_LICENSING, {
    OWN_ORGANIZATION:
      "Default. The user's own organization pays: their home account's entitlement (LIC-1.3), else an associated account's (LIC-1.4).",
    OWNER_PROVIDES:
      "The data source's licensing owner pays (LIC-1, source 2) — ignored for external users when externalLicensing is DENY.",
  }),
});
export const UserCreationEnum = builder.enumType('DataSourceUserCreation', {
  description: 'DS-3: how a data-source user came to exist.',
  values: describedValues(USER_CREATION, {
    MANUAL: 'Created by an administrator (createDataSourceUser).',
    DYNAMIC:
      "Created automatically at a first granted IMS sign-in, because the dynamic creation filter names the user's home account (ACC-2); login, email and identity are the user's email.",
  }),
});
export const WorkAreaRoleEnum = builder.enumType('WorkAreaRole', {
  description:
    'WA-1: the role of a participant in a work area. For a named user reached by several entries, their own entry decides; otherwise the most permissive applies, ADMINISTRATOR > LEADER > TEAM_MEMBER > CUSTOM > OBSERVER > NO_ACCESS (WA-1b).',
  values: describedValues(WORK_AREA_ROLES, {
    ADMINISTRATOR:
      "Administers the work area ('Project Administrator' in older ProjectWise versions). Most permissive.",
    LEADER: "Leads the work area ('Project Leader' in older ProjectWise versions).",
    TEAM_MEMBER: "Works in the work area ('Project Team Member' in older ProjectWise versions).",
    OBSERVER: "Follows the work area ('Project Observer' in older ProjectWise versions).",
    CUSTOM: 'A role with permissions configured in the data source; ranks between TEAM_MEMBER and OBSERVER (WA-1b).',
    NO_ACCESS:
      "No access. As a user's own entry it wins over every group, list and *Everyone that contains them (WA-1b); on a group or list it simply grants nothing.",
  }),
});

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

/** Rows inside a data source (groups, lists, *Everyone, work areas) are read by those who administer it. */
const administersRow = (ctx: Context, row: { dataSourceId: string }) => {
  const accounts = ctx.dataSourceAccounts(row.dataSourceId);
  return accounts !== undefined && ctx.can({ action: 'dataSource.administer', ...accounts });
};
// §9: its admins; and, for its name, owner and access settings (fields below), the IMS admins of its
// licensing owner account (LIC-3) — never its users, groups, lists or work areas.
registerReadCheck(DataSource, (ctx, ds) =>
  ctx.can({
    action: 'dataSource.read',
    ownerAccountId: ds.ownerAccountId,
    licensingOwnerAccountId: ds.licensingOwnerAccountId,
  }),
);
registerReadCheck(DataSourceUser, (ctx, u) => {
  const accounts = ctx.dataSourceAccounts(u.dataSourceId);
  return (
    accounts !== undefined &&
    ctx.can({ action: 'dataSourceUser.read', ownerAccountId: accounts.ownerAccountId, identity: u.identity })
  );
});
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
const participantsByWorkArea = groupedLoader(
  (db, ids) =>
    db
      .select({ row: workAreaParticipants, rowid: sql<number>`${workAreaParticipants}.rowid` })
      .from(workAreaParticipants)
      .where(inArray(workAreaParticipants.workAreaId, ids))
      .orderBy(...participantOrder)
      .all(),
  (r) => r.row.workAreaId,
  (r): ParticipantEntry => ({
    principal: { kind: r.row.kind, id: r.row.principalId },
    role: r.row.role,
    sortKey: [r.row.createdAt.getTime(), r.rowid],
  }),
);

/** Each user list's direct members in the order they were set (rowid), batched per request. */
const membersByList = groupedLoader(
  (db, ids) =>
    db
      .select({
        listId: userListMembers.listId,
        kind: userListMembers.kind,
        id: userListMembers.memberId,
        rowid: sql<number>`${userListMembers}.rowid`,
      })
      .from(userListMembers)
      .where(inArray(userListMembers.listId, ids))
      .all(),
  (r) => r.listId,
  (r) => ({ ref: { kind: r.kind, id: r.id } as PrincipalRef, rowid: r.rowid }),
);

/** Each user's groups (DS-4), batched per request: one statement for a whole page of users. */
const groupsByUser = groupedLoader(
  (db, userIds) =>
    db
      .select({ group: dataSourceGroups, userId: groupMembers.userId })
      .from(groupMembers)
      .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
      .where(inArray(groupMembers.userId, userIds))
      .all(),
  (r) => r.userId,
  (r) => r.group,
);

/** Each group's users (DS-4), batched per request. */
const membersByGroup = groupedLoader(
  (db, groupIds) =>
    db
      .select({ user: dataSourceUsers, groupId: groupMembers.groupId })
      .from(groupMembers)
      .innerJoin(dataSourceUsers, eq(dataSourceUsers.id, groupMembers.userId))
      .where(inArray(groupMembers.groupId, groupIds))
      .all(),
  (r) => r.groupId,
  (r) => r.user,
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
    principal: t.field({
      type: Principal,
      description: 'The user, group, user list or *Everyone that participates.',
      resolve: (p, _args, ctx) => loadPrincipal(ctx, p.principal),
    }),
    kind: t.string({ description: 'USER, GROUP, LIST or EVERYONE.', resolve: (p) => p.principal.kind }),
    role: t.field({ type: WorkAreaRoleEnum, description: 'Its role in the work area (WA-1).', resolve: (p) => p.role }),
  }),
});

const NamedUserType = builder.objectRef<NamedUserAccess & { user: DataSourceUserRow }>('WorkAreaNamedUser').implement({
  description:
    'A named user behind the work area’s participants (groups and lists expanded). An individual entry decides the role — an individual NO_ACCESS wins over every group (WA-1b); otherwise the most permissive role reaching them applies.',
  fields: (t) => ({
    user: t.field({ type: DataSourceUser, description: 'The data-source user.', resolve: (n) => n.user }),
    effectiveRole: t.field({
      type: WorkAreaRoleEnum,
      description:
        "The role that applies (WA-1b): their own entry's when they have one, else the most permissive of the entries reaching them.",
      resolve: (n) => n.effectiveRole,
    }),
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
  name: t.exposeString('name', { description: 'Unique within the owner account, ignoring case.' }),
  ownerAccount: t.field({
    type: Account,
    description: 'DS-1: the account that owns the data source; its IMS admins administer it.',
    resolve: (d) => d.ownerAccountId,
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
    type: Account,
    nullable: true,
    description:
      'LIC-3: who pays when the owner provides the license (OWNER_PROVIDES users; external users under SUPPLY). Null: not set — such sign-ins are denied (LICENSING_OWNER_NOT_SET).',
    resolve: (d) => d.licensingOwnerAccountId,
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
    resolve: (d, args, ctx) => connectionOf(ctx, args, dataSourceUsers, d.id),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    description: 'DS-4: the groups, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, dataSourceGroups, d.id),
  }),
  userLists: t.connection({
    type: UserList,
    nullable: true,
    description: 'DS-4: the user lists, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, userLists, d.id),
  }),
  workAreas: t.connection({
    type: WorkArea,
    nullable: true,
    description: 'WA-1: the work areas, by name. Its admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    resolve: (d, args, ctx) => connectionOf(ctx, args, workAreas, d.id),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the data source was created (UTC).' }),
}));

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
    resolve: async (u, _args, ctx) =>
      visibleOrNull(ctx, 'DataSource', await DataSource.getDataloader(ctx).load(u.dataSourceId)),
  }),
  groups: t.connection({
    type: DataSourceGroup,
    nullable: true,
    description:
      'DS-4: the groups this user belongs to, by name. Admins of the data source only; null with a FORBIDDEN error otherwise.',
    authScopes: (u) => adminsOf(u),
    resolve: async (u, args, ctx) => listPage(await groupsByUser(ctx).load(u.id), args, (g) => [g.nameKey, g.id]),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the user was created (UTC).' }),
}));

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
    resolve: async (g, args, ctx) => listPage(await membersByGroup(ctx).load(g.id), args, loginKeyOf),
  }),
}));

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
      const page = listPage(await membersByList(ctx).load(l.id), args, (m) => [m.rowid]);
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
      return listPage(await usersByLogin(ctx, expandPrincipal(graph, { kind: 'LIST', id: l.id })), args, loginKeyOf);
    },
  }),
}));

builder.objectFields(EveryoneGroup, (t) => ({
  name: t.string({ description: 'Always "*Everyone".', resolve: () => '*Everyone' }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source whose every user it stands for.',
    resolve: (e) => e.dataSourceId,
  }),
}));

builder.objectFields(WorkArea, (t) => ({
  name: t.exposeString('name', { description: 'Unique in the data source, ignoring case.' }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source it is a folder tree of; its principals are the possible participants.',
    resolve: (w) => w.dataSourceId,
  }),
  participants: t.connection({
    type: ParticipantType,
    description:
      'WA-1: participants with their roles, in the order they were added (a principal appears once; changing its role keeps its place).',
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
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the work area was created (UTC).' }),
}));

builder.objectField(Account, 'dataSources', (t) =>
  t.connection({
    type: DataSource,
    nullable: true,
    description:
      'DS-1: the data sources the account owns, by name. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
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
    extensions: authzExtension(['dataSource.read']),
    type: DataSource,
    nullable: true,
    description:
      "A data source you administer, or whose licensing owner's IMS admin you are (name, owner and access settings only, §9); null otherwise.",
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: DataSource, description: 'Global id of a DataSource.' }) },
    resolve: async (_root, args, ctx) =>
      visibleOrNull(ctx, 'DataSource', await DataSource.getDataloader(ctx).load(args.id.id)),
  }),
  workArea: t.field({
    extensions: authzExtension(['dataSource.administer']),
    type: WorkArea,
    nullable: true,
    description: 'A work area of a data source you administer (null otherwise, §9).',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: WorkArea, description: 'Global id of a WorkArea.' }) },
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

const CreateDataSourceInput = builder.inputType('CreateDataSourceInput', {
  description: 'DS-1: a new data source. It starts without a licensing owner (LIC-3).',
  fields: (t) => ({
    accountId: t.globalID({
      required: true,
      for: Account,
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

const UpdateDataSourceSettingsInput = builder.inputType('UpdateDataSourceSettingsInput', {
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

export const DataSourceSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ dataSource: DataSourceRow }>(typeName).implement({
    description,
    fields: (t) => ({
      dataSource: t.field({
        type: DataSource,
        description: 'The data source, as it is now.',
        resolve: (r) => r.dataSource,
      }),
    }),
  });

const CreateDataSourceUserInput = builder.inputType('CreateDataSourceUserInput', {
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
  }),
});

const UpdateDataSourceUserInput = builder.inputType('UpdateDataSourceUserInput', {
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

const DataSourceUserSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ user: DataSourceUserRow }>(typeName).implement({
    description,
    fields: (t) => ({
      user: t.field({
        type: DataSourceUser,
        description: 'The data-source user, as it is now.',
        resolve: (r) => r.user,
      }),
    }),
  });

const DeleteSuccess = (typeName: string, field: string, what: string) =>
  builder.objectRef<{ deletedId: string; dataSourceId: string }>(typeName).implement({
    description: `The ${what} was deleted, with every reference to it when force was given (DS-5).`,
    fields: (t) => ({
      [field]: t.id({
        description: `Global id of the deleted ${what} (it no longer resolves).`,
        resolve: (r) => r.deletedId,
      }),
      dataSource: t.field({
        type: DataSource,
        description: `The data source the ${what} belonged to.`,
        resolve: (r) => r.dataSourceId,
      }),
    }),
  });

const CreateGroupInput = builder.inputType('CreateGroupInput', {
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
      validate: z.array(z.any()).max(5000, 'at most 5000 members'),
    }),
  }),
});

const SetGroupMembersInput = builder.inputType('SetGroupMembersInput', {
  description: 'Replaces the members with exactly these users.',
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup, description: 'The group (not *Everyone).' }),
    userIds: t.globalIDList({
      required: true,
      for: DataSourceUser,
      description: 'The new members: at most 5,000 users of the same data source; empty removes them all.',
      validate: z.array(z.any()).max(5000, 'at most 5000 members'),
    }),
  }),
});

const GroupSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ group: DataSourceGroupRow }>(typeName).implement({
    description,
    fields: (t) => ({
      group: t.field({ type: DataSourceGroup, description: 'The group, as it is now.', resolve: (r) => r.group }),
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

const SetUserListMembersInput = builder.inputType('SetUserListMembersInput', {
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

const UserListSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ list: UserListRow }>(typeName).implement({
    description,
    fields: (t) => ({
      list: t.field({ type: UserList, description: 'The user list, as it is now.', resolve: (r) => r.list }),
    }),
  });

const DELETE_DESCRIPTION = 'DS-5: refused with IN_USE while referenced, unless force: true removes the references too.';
const FORCE_DESCRIPTION =
  'DS-5: also remove every reference (participant entries, list and group memberships) in the same transaction. Default false: refused with IN_USE while referenced.';

const DeleteDataSourceUserInput = builder.inputType('DeleteDataSourceUserInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    userId: t.globalID({ required: true, for: DataSourceUser, description: 'The data-source user to delete.' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const DeleteGroupInput = builder.inputType('DeleteGroupInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    groupId: t.globalID({ required: true, for: DataSourceGroup, description: 'The group to delete (not *Everyone).' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const DeleteUserListInput = builder.inputType('DeleteUserListInput', {
  description: DELETE_DESCRIPTION,
  fields: (t) => ({
    listId: t.globalID({ required: true, for: UserList, description: 'The user list to delete.' }),
    force: t.boolean({ description: FORCE_DESCRIPTION }),
  }),
});

const CreateWorkAreaInput = builder.inputType('CreateWorkAreaInput', {
  description: 'WA-1: a new work area, without participants.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    name: t.string({
      required: true,
      description: '1–200 characters, unique in the data source ignoring case (NAME_TAKEN).',
      validate: name,
    }),
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
    workAreaId: t.globalID({ required: true, for: WorkArea, description: 'The work area.' }),
    principalId: t
      .id({
        required: true,
        description: 'Id of a DataSourceUser, DataSourceGroup, UserList or EveryoneGroup of the same data source.',
      })
      .validate(principalId),
    role: t.field({ type: WorkAreaRoleEnum, required: true, description: 'Its role in the work area (WA-1).' }),
  }),
});

const RemoveWorkAreaParticipantInput = builder.inputType('RemoveWorkAreaParticipantInput', {
  description: 'WA-1: the participant to remove (NOT_A_PARTICIPANT when it is not one).',
  fields: (t) => ({
    workAreaId: t.globalID({ required: true, for: WorkArea, description: 'The work area.' }),
    principalId: t
      .id({
        required: true,
        description: 'Id of the participating DataSourceUser, DataSourceGroup, UserList or EveryoneGroup.',
      })
      .validate(principalId),
  }),
});

const WorkAreaSuccess = (typeName: string, description: string) =>
  builder.objectRef<{ workArea: WorkAreaRow }>(typeName).implement({
    description,
    fields: (t) => ({
      workArea: t.field({ type: WorkArea, description: 'The work area, as it is now.', resolve: (r) => r.workArea }),
    }),
  });

defineMutation('createDataSource', {
  description: 'DS-1: an IMS admin of the owner account creates a data source.',
  input: CreateDataSourceInput,
  inputDescription: 'The new data source.',
  success: DataSourceSuccess('CreateDataSourceSuccess', 'The data source; its licensing owner is not set yet (LIC-3).'),
  authz: ['dataSource.create'],
  resolve: (input, ctx) => ({
    dataSource: dataSourceService.createDataSource(ctx.service(), { ...input, accountId: input.accountId.id }),
  }),
});

defineMutation('updateDataSourceSettings', {
  description: 'DS-2: IMS authentication, identity filter, external access and licensing.',
  input: UpdateDataSourceSettingsInput,
  inputDescription: 'The data source and the changes.',
  success: DataSourceSuccess('UpdateDataSourceSettingsSuccess', 'The data source with its settings as they are now.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    dataSource: dataSourceService.updateDataSourceSettings(ctx.service(), {
      ...input,
      dataSourceId: input.dataSourceId.id,
    }),
  }),
});

defineMutation('createDataSourceUser', {
  description: 'DS-3: an admin of the data source creates a MANUAL data-source user.',
  input: CreateDataSourceUserInput,
  inputDescription: 'The new user.',
  success: DataSourceUserSuccess('CreateDataSourceUserSuccess', 'The data-source user was created (MANUAL).'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    user: dataSourceService.createDataSourceUser(ctx.service(), { ...input, dataSourceId: input.dataSourceId.id }),
  }),
});

defineMutation('updateDataSourceUser', {
  description: "DS-3: change a data-source user's login, email, identity or client licensing.",
  input: UpdateDataSourceUserInput,
  inputDescription: 'The user and the changes.',
  success: DataSourceUserSuccess('UpdateDataSourceUserSuccess', 'The data-source user was updated.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    user: dataSourceService.updateDataSourceUser(ctx.service(), { ...input, userId: input.userId.id }),
  }),
});

defineMutation('deleteDataSourceUser', {
  description: 'DS-5: delete a data-source user; IN_USE while referenced, unless force.',
  input: DeleteDataSourceUserInput,
  inputDescription: 'The user to delete.',
  success: DeleteSuccess('DeleteDataSourceUserSuccess', 'deletedUserId', 'data-source user'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => {
    const r = dataSourceService.deleteDataSourceUser(ctx.service(), { userId: input.userId.id, force: input.force });
    return { deletedId: encodeGlobalID('DataSourceUser', r.id), dataSourceId: r.dataSourceId };
  },
});

defineMutation('createGroup', {
  description: 'DS-4: a group of data-source users.',
  input: CreateGroupInput,
  inputDescription: 'The new group.',
  success: GroupSuccess('CreateGroupSuccess', 'The group was created.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    group: dataSourceService.createGroup(ctx.service(), {
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
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    group: dataSourceService.setGroupMembers(ctx.service(), {
      groupId: input.groupId.id,
      userIds: input.userIds.map((u) => u.id),
    }),
  }),
});

defineMutation('deleteGroup', {
  description: 'DS-5: delete a group; IN_USE while referenced, unless force.',
  input: DeleteGroupInput,
  inputDescription: 'The group to delete.',
  success: DeleteSuccess('DeleteGroupSuccess', 'deletedGroupId', 'group'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => {
    const r = dataSourceService.deleteGroup(ctx.service(), { groupId: input.groupId.id, force: input.force });
    return { deletedId: encodeGlobalID('DataSourceGroup', r.id), dataSourceId: r.dataSourceId };
  },
});

defineMutation('createUserList', {
  description: 'DS-4: a user list of users, groups and other lists.',
  input: CreateUserListInput,
  inputDescription: 'The new user list.',
  success: UserListSuccess('CreateUserListSuccess', 'The user list was created.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    list: dataSourceService.createUserList(ctx.service(), {
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
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    list: dataSourceService.setUserListMembers(ctx.service(), { listId: input.listId.id, members: input.members }),
  }),
});

defineMutation('deleteUserList', {
  description: 'DS-5: delete a user list; IN_USE while referenced, unless force.',
  input: DeleteUserListInput,
  inputDescription: 'The user list to delete.',
  success: DeleteSuccess('DeleteUserListSuccess', 'deletedListId', 'user list'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => {
    const r = dataSourceService.deleteUserList(ctx.service(), { listId: input.listId.id, force: input.force });
    return { deletedId: encodeGlobalID('UserList', r.id), dataSourceId: r.dataSourceId };
  },
});

defineMutation('createWorkArea', {
  description: 'WA-1: an admin of the data source creates a work area in it.',
  input: CreateWorkAreaInput,
  inputDescription: 'The new work area.',
  success: WorkAreaSuccess('CreateWorkAreaSuccess', 'The work area was created.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    workArea: dataSourceService.createWorkArea(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      name: input.name,
    }),
  }),
});

defineMutation('setWorkAreaParticipant', {
  description: 'WA-1: adds a participant or changes its role.',
  input: SetWorkAreaParticipantInput,
  inputDescription: 'The work area, principal and role.',
  success: WorkAreaSuccess('SetWorkAreaParticipantSuccess', 'The work area with the participant and its role.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    workArea: dataSourceService.setWorkAreaParticipant(ctx.service(), {
      workAreaId: input.workAreaId.id,
      principal: input.principalId,
      role: input.role,
    }),
  }),
});

defineMutation('removeWorkAreaParticipant', {
  description: 'WA-1: removes a participant from a work area.',
  input: RemoveWorkAreaParticipantInput,
  inputDescription: 'The work area and principal.',
  success: WorkAreaSuccess('RemoveWorkAreaParticipantSuccess', 'The work area without the participant.'),
  authz: ['dataSource.administer'],
  resolve: (input, ctx) => ({
    workArea: dataSourceService.removeWorkAreaParticipant(ctx.service(), {
      workAreaId: input.workAreaId.id,
      principal: input.principalId,
    }),
  }),
});
