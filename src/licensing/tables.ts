import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, users } from '../identity/tables.js';

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

export type LicenseCheckoutRow = typeof licenseCheckouts.$inferSelect;
export type CheckoutRestrictionRow = typeof checkoutRestrictions.$inferSelect;
export type CheckoutProductRow = typeof licenseCheckoutProducts.$inferSelect;
