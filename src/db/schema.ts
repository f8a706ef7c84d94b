// Drizzle tables. Timestamps are stored as integer milliseconds (Drizzle maps them to Date);
// calendar dates (contract ends) as ISO `YYYY-MM-DD` text so they compare lexically.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** ID-2: an organization registered in the identity service. */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Lower-cased name: account names are unique case-insensitively (identity filters name them). */
    nameKey: text('name_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('accounts_name_key_unique').on(t.nameKey)],
);

/** ID-2: an account's email domains, lower-cased and unique across all accounts. */
export const accountDomains = sqliteTable(
  'account_domains',
  {
    domain: text('domain').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
  },
  (t) => [index('account_domains_account_idx').on(t.accountId)],
);

/** ID-1 / ID-3: a person's identity profile; `homeAccountId` null = unaffiliated. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    usageCountry: text('usage_country').notNull(),
    homeAccountId: text('home_account_id').references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_home_account_idx').on(t.homeAccountId, t.email)],
);

export const IMS_ROLES = ['ACCOUNT_ADMIN', 'CO_ADMINISTRATOR', 'CONNECT_SERVICES_ADMIN'] as const;
export type ImsRole = (typeof IMS_ROLES)[number];

/** ID-4: IMS roles, held by members of the account only. */
export const imsRoles = sqliteTable(
  'ims_roles',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: IMS_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.role] }), index('ims_roles_user_idx').on(t.userId)],
);

/** ID-5: User Management association of an external user with an account (grants its licensing). */
export const associations = sqliteTable(
  'associations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdById: text('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('associations_account_user_unique').on(t.accountId, t.userId),
    index('associations_user_idx').on(t.userId, t.createdAt),
  ],
);

/** ID-6: (account, product code, entitlement country, contract end date). */
export const entitlements = sqliteTable(
  'entitlements',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    productCode: text('product_code').notNull(),
    country: text('country').notNull(),
    contractEndDate: text('contract_end_date').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('entitlements_account_product_country_unique').on(t.accountId, t.productCode, t.country)],
);

/** §10: every mutation appends one entry, in its own transaction. Append-only. */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: text('actor_id').references(() => users.id),
    /** The actor's email at the time: the log stays readable whatever happens to the profile. */
    actorEmail: text('actor_email').notNull(),
    action: text('action').notNull(),
    /** JSON array of the global ids the action concerned. */
    targetIds: text('target_ids', { mode: 'json' }).$type<string[]>().notNull(),
    summary: text('summary').notNull(),
  },
  (t) => [index('audit_entries_at_idx').on(t.at)],
);

/** Which accounts' audit logs show an entry (an action may concern more than one account). */
export const auditEntryAccounts = sqliteTable(
  'audit_entry_accounts',
  {
    entryId: integer('entry_id')
      .notNull()
      .references(() => auditEntries.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.entryId] })],
);

// ---------------------------------------------------------------------------------------------
// §2 Data sources and their principals

export const EXTERNAL_LICENSING = ['SUPPLY', 'DENY'] as const;
export type ExternalLicensing = (typeof EXTERNAL_LICENSING)[number];
export const CLIENT_LICENSING = ['OWN_ORGANIZATION', 'OWNER_PROVIDES'] as const;
export type ClientLicensing = (typeof CLIENT_LICENSING)[number];
export const USER_CREATION = ['MANUAL', 'DYNAMIC'] as const;
export const WORK_AREA_ROLES = ['ADMINISTRATOR', 'LEADER', 'TEAM_MEMBER', 'OBSERVER', 'CUSTOM', 'NO_ACCESS'] as const;
export type WorkAreaRole = (typeof WORK_AREA_ROLES)[number];
export const LICENSE_SOURCES = [
  'RESERVED_CHECKOUT',
  'DATASOURCE_OWNER',
  'OWN_ORGANIZATION',
  'ASSOCIATED_ACCOUNT',
] as const;
export type LicenseSource = (typeof LICENSE_SOURCES)[number];

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

// ---------------------------------------------------------------------------------------------
// §4 License checkouts (filled by the checkouts issue; LIC-1.1 reads them already)

/** A license reserved for one email on one machine, issued by an account (§4, the checkouts issue). */
export const licenseCheckouts = sqliteTable(
  'license_checkouts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    email: text('email').notNull(),
    machineName: text('machine_name').notNull(),
    entitlementCountry: text('entitlement_country').notNull(),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdById: text('created_by_id')
      .notNull()
      .references(() => users.id),
    checkedInAt: integer('checked_in_at', { mode: 'timestamp_ms' }),
    checkedInById: text('checked_in_by_id').references(() => users.id),
    /** The signed license file exactly as issued (LIC-7). */
    licenseFile: text('license_file'),
  },
  (t) => [
    index('license_checkouts_account_idx').on(t.accountId, t.issuedAt),
    index('license_checkouts_email_idx').on(t.email),
  ],
);

export const licenseCheckoutProducts = sqliteTable(
  'license_checkout_products',
  {
    checkoutId: text('checkout_id')
      .notNull()
      .references(() => licenseCheckouts.id, { onDelete: 'cascade' }),
    productCode: text('product_code').notNull(),
    version: text('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkoutId, t.productCode] })],
);

/** A license file imported into the license tool by its user on a machine, listed as reserved (§4). */
export const installedLicenses = sqliteTable(
  'installed_licenses',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    checkoutId: text('checkout_id')
      .notNull()
      .references(() => licenseCheckouts.id),
    machineName: text('machine_name').notNull(),
    importedAt: integer('imported_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('installed_licenses_unique').on(t.userId, t.checkoutId, t.machineName),
    index('installed_licenses_user_machine_idx').on(t.userId, t.machineName),
  ],
);

/** LIC-6 checkout restrictions, per account and entitlement country. */
export const checkoutRestrictions = sqliteTable(
  'checkout_restrictions',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    country: text('country').notNull(),
    checkoutsEnabled: integer('checkouts_enabled', { mode: 'boolean' }).notNull().default(true),
    maxDurationDays: integer('max_duration_days').notNull().default(365),
    /** JSON array of product codes the restriction applies to; null = all products. */
    products: text('products', { mode: 'json' }).$type<string[] | null>(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.country] })],
);

/** Server secrets kept in the database (LIC-7 signing key). Never exposed through the API. */
export const serverKeys = sqliteTable('server_keys', {
  name: text('name').primaryKey(),
  privateKeyPem: text('private_key_pem').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

// ---------------------------------------------------------------------------------------------
// LIC-2 usage ledger (append-only)

export const usageRecords = sqliteTable(
  'usage_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The consuming user's home account at the time (LIC-4 groups by it); null = unaffiliated. */
    consumerAccountId: text('consumer_account_id').references(() => accounts.id),
    dataSourceId: text('data_source_id')
      .notNull()
      .references(() => dataSources.id),
    dataSourceUserId: text('data_source_user_id').notNull(),
    productCode: text('product_code').notNull(),
    machineName: text('machine_name').notNull(),
    licenseSource: text('license_source', { enum: LICENSE_SOURCES }).notNull(),
    billedAccountId: text('billed_account_id')
      .notNull()
      .references(() => accounts.id),
    checkoutId: text('checkout_id'),
  },
  (t) => [
    index('usage_records_billed_at_idx').on(t.billedAccountId, t.at),
    index('usage_records_data_source_idx').on(t.dataSourceId),
  ],
);

/** LIC-3: the stored states of a licensing-owner request; EXPIRED is computed (30 days, exact). */
export const LICENSING_OWNER_REQUEST_STATES = ['PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED'] as const;

/**
 * LIC-3: an IMS admin of a data source's owner account asks account B to become its licensing owner;
 * B's IMS admins accept or reject it. Kept forever as the record of B's consent.
 */
export const licensingOwnerRequests = sqliteTable(
  'licensing_owner_requests',
  {
    id: text('id').primaryKey(),
    dataSourceId: text('data_source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    /** The data source's owner account when the request was made (whose admins may cancel it). */
    ownerAccountId: text('owner_account_id')
      .notNull()
      .references(() => accounts.id),
    requestedAccountId: text('requested_account_id')
      .notNull()
      .references(() => accounts.id),
    state: text('state', { enum: LICENSING_OWNER_REQUEST_STATES }).notNull(),
    requestedById: text('requested_by_id').references(() => users.id, { onDelete: 'set null' }),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** Usage already existed and the requester acknowledged the billing change (LIC-3 lock). */
    billingChangeAcknowledged: integer('billing_change_acknowledged', { mode: 'boolean' }).notNull().default(false),
    answeredById: text('answered_by_id').references(() => users.id, { onDelete: 'set null' }),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('licensing_owner_requests_data_source_idx').on(t.dataSourceId, t.requestedAt),
    index('licensing_owner_requests_requested_idx').on(t.requestedAccountId, t.requestedAt),
  ],
);

export type AccountRow = typeof accounts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AssociationRow = typeof associations.$inferSelect;
export type EntitlementRow = typeof entitlements.$inferSelect;
export type AuditEntryRow = typeof auditEntries.$inferSelect;
export type DataSourceRow = typeof dataSources.$inferSelect;
export type DataSourceUserRow = typeof dataSourceUsers.$inferSelect;
export type DataSourceGroupRow = typeof dataSourceGroups.$inferSelect;
export type UserListRow = typeof userLists.$inferSelect;
export type WorkAreaRow = typeof workAreas.$inferSelect;
export type WorkAreaParticipantRow = typeof workAreaParticipants.$inferSelect;
export type UsageRecordRow = typeof usageRecords.$inferSelect;
export type LicenseCheckoutRow = typeof licenseCheckouts.$inferSelect;
export type CheckoutRestrictionRow = typeof checkoutRestrictions.$inferSelect;
export type LicensingOwnerRequestRow = typeof licensingOwnerRequests.$inferSelect;
