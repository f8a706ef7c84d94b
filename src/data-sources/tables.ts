import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from '../db/columns.js';
import { accounts } from '../identity/tables.js';

// §2 Data sources and their principals

export const EXTERNAL_LICENSING = ['SUPPLY', 'DENY'] as const;
export type ExternalLicensing = (typeof EXTERNAL_LICENSING)[number];
export const CLIENT_LICENSING = ['OWN_ORGANIZATION', 'OWNER_PROVIDES'] as const;
export type ClientLicensing = (typeof CLIENT_LICENSING)[number];
export const USER_CREATION = ['MANUAL', 'DYNAMIC'] as const;
export const WORK_AREA_ROLES = ['ADMINISTRATOR', 'LEADER', 'TEAM_MEMBER', 'OBSERVER', 'CUSTOM', 'NO_ACCESS'] as const;
export type WorkAreaRole = (typeof WORK_AREA_ROLES)[number];

/** DS-1 / DS-2: a document repository owned by an account, with its access configuration. */
export const dataSources = sqliteTable(
  'data_sources',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    ownerAccountId: text('owner_account_id')
      .notNull()
      .references(() => accounts.id),
    imsAuthEnabled: integer('ims_auth_enabled', { mode: 'boolean' }).notNull().default(false),
    dynamicCreationFilter: text('dynamic_creation_filter'),
    licensingOwnerAccountId: text('licensing_owner_account_id').references(() => accounts.id),
    allowExternalImsUsers: integer('allow_external_ims_users', { mode: 'boolean' }).notNull().default(false),
    externalLicensing: text('external_licensing', { enum: EXTERNAL_LICENSING }).notNull().default('DENY'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('data_sources_owner_name_unique').on(t.ownerAccountId, t.nameKey)],
);

/** DS-3: a data-source user account; `identity` is the email of the identity profile it signs in as. */
export const dataSourceUsers = sqliteTable(
  'data_source_users',
  {
    id: text('id').primaryKey(),
    dataSourceId: text('data_source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    login: text('login').notNull(),
    loginKey: text('login_key').notNull(),
    email: text('email'),
    identity: text('identity'),
    clientLicensing: text('client_licensing', { enum: CLIENT_LICENSING }).notNull().default('OWN_ORGANIZATION'),
    created: text('created', { enum: USER_CREATION }).notNull(),
    createdAt: createdAt(),
    /** HIS-4: from this instant on the user no longer admits its identity (ACC-2); null: never. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('data_source_users_login_unique').on(t.dataSourceId, t.loginKey),
    uniqueIndex('data_source_users_identity_unique').on(t.dataSourceId, t.identity),
  ],
);

/** The columns of anything named inside a data source (groups, user lists, work areas). */
const namedInDataSource = () => ({
  id: text('id').primaryKey(),
  dataSourceId: text('data_source_id')
    .notNull()
    .references(() => dataSources.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Lower-cased name: names are unique per data source ignoring case. */
  nameKey: text('name_key').notNull(),
  createdAt: createdAt(),
});

/** DS-4: groups contain data-source users. */
export const dataSourceGroups = sqliteTable('data_source_groups', namedInDataSource(), (t) => [
  uniqueIndex('data_source_groups_name_unique').on(t.dataSourceId, t.nameKey),
]);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => dataSourceGroups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => dataSourceUsers.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

/** DS-4: user lists contain users, groups and other lists (nesting and cycles allowed). */
export const userLists = sqliteTable('user_lists', namedInDataSource(), (t) => [
  uniqueIndex('user_lists_name_unique').on(t.dataSourceId, t.nameKey),
]);

export const PRINCIPAL_KINDS = ['USER', 'GROUP', 'LIST', 'EVERYONE'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** One member of a user list: exactly one of user / group / list is set (`kind` says which). */
export const userListMembers = sqliteTable(
  'user_list_members',
  {
    listId: text('list_id')
      .notNull()
      .references(() => userLists.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: PRINCIPAL_KINDS }).notNull(),
    memberId: text('member_id').notNull(),
    userId: text('user_id').references(() => dataSourceUsers.id, { onDelete: 'cascade' }),
    groupId: text('group_id').references(() => dataSourceGroups.id, { onDelete: 'cascade' }),
    childListId: text('child_list_id').references(() => userLists.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.listId, t.kind, t.memberId] }),
    index('user_list_members_user_idx').on(t.userId),
    index('user_list_members_group_idx').on(t.groupId),
    index('user_list_members_child_idx').on(t.childListId),
  ],
);

// ---------------------------------------------------------------------------------------------
// §5 Work areas

export const workAreas = sqliteTable('work_areas', namedInDataSource(), (t) => [
  uniqueIndex('work_areas_name_unique').on(t.dataSourceId, t.nameKey),
]);

/** WA-1: a principal of the data source with one role; a principal appears at most once. */
export const workAreaParticipants = sqliteTable(
  'work_area_participants',
  {
    workAreaId: text('work_area_id')
      .notNull()
      .references(() => workAreas.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: PRINCIPAL_KINDS }).notNull(),
    /** The principal's row id; the data source id for *Everyone. */
    principalId: text('principal_id').notNull(),
    userId: text('user_id').references(() => dataSourceUsers.id, { onDelete: 'cascade' }),
    groupId: text('group_id').references(() => dataSourceGroups.id, { onDelete: 'cascade' }),
    listId: text('list_id').references(() => userLists.id, { onDelete: 'cascade' }),
    role: text('role', { enum: WORK_AREA_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workAreaId, t.kind, t.principalId] }),
    index('work_area_participants_user_idx').on(t.userId),
    index('work_area_participants_group_idx').on(t.groupId),
    index('work_area_participants_list_idx').on(t.listId),
  ],
);

export type DataSourceRow = typeof dataSources.$inferSelect;
export type DataSourceUserRow = typeof dataSourceUsers.$inferSelect;
export type DataSourceGroupRow = typeof dataSourceGroups.$inferSelect;
export type UserListRow = typeof userLists.$inferSelect;
export type WorkAreaRow = typeof workAreas.$inferSelect;
export type WorkAreaParticipantRow = typeof workAreaParticipants.$inferSelect;
