import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from '../db/columns.js';

/** ID-2: an organization registered in the identity service. */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Lower-cased name: account names are unique case-insensitively (identity filters name them). */
    nameKey: text('name_key').notNull(),
    createdAt: createdAt(),
    /** HIS-4: days a new grant of external access lasts (associations, external data-source users); null: no expiry. */
    externalAccessDays: integer('external_access_days'),
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
    /** HIS-4: from this instant on the association no longer counts (ACC-3, LIC-1.4); null: never. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
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

export type AccountRow = typeof accounts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AssociationRow = typeof associations.$inferSelect;
export type EntitlementRow = typeof entitlements.$inferSelect;
