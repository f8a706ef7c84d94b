import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { dataSources, EXTERNAL_LICENSING } from '../data-sources/tables.js';
import { accounts, users } from '../identity/tables.js';
import { projects } from '../projects/tables.js';

export const LICENSE_SOURCES = [
  'RESERVED_CHECKOUT',
  'DATASOURCE_OWNER',
  'OWN_ORGANIZATION',
  'ASSOCIATED_ACCOUNT',
  'PROJECT_PROVIDED',
] as const;
export type LicenseSource = (typeof LICENSE_SOURCES)[number];

// ---------------------------------------------------------------------------------------------
// LIC-2a: the decision that produced a usage record, kept with it (append-only, content-addressed:
// the same steps for the same names are stored once, however many records share them).

export const usageDecisions = sqliteTable('usage_decisions', {
  /** The body's SHA-256, base64url (rules/explained-usage.ts). */
  id: text('id').primaryKey(),
  /** JSON: the steps with the names §9 may hide as placeholders, and those names (rules/explained-usage.ts). */
  body: text('body').notNull(),
});

// ---------------------------------------------------------------------------------------------
// LIC-2 usage ledger (append-only). A record names what was used: a data source (a sign-in, LIC-2)
// or a project (opening its Deliverables Management service, EXT-5) — exactly one of the two.

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
    /** A sign-in: the data source and the data-source user signed in as (null for a project). */
    dataSourceId: text('data_source_id').references(() => dataSources.id),
    dataSourceUserId: text('data_source_user_id'),
    /** EXT-5: the project opened (null for a sign-in). */
    projectId: text('project_id').references(() => projects.id),
    productCode: text('product_code').notNull(),
    /** The machine signed in from; null when opening a project (EXT-5 names no machine). */
    machineName: text('machine_name'),
    licenseSource: text('license_source', { enum: LICENSE_SOURCES }).notNull(),
    billedAccountId: text('billed_account_id')
      .notNull()
      .references(() => accounts.id),
    checkoutId: text('checkout_id'),
    /** LIC-2a: the decision that produced the record (null only for records older than migration 0011). */
    decisionId: text('decision_id').references(() => usageDecisions.id),
  },
  (t) => [
    index('usage_records_billed_at_idx').on(t.billedAccountId, t.at),
    index('usage_records_data_source_idx').on(t.dataSourceId),
    index('usage_records_project_idx').on(t.projectId),
    check(
      'usage_records_names_one_thing',
      // Column names, not ${t.column}: drizzle-kit would qualify them with the rebuild's temporary
      // table name, which the rename leaves behind.
      sql`(data_source_id is not null and data_source_user_id is not null and machine_name is not null and project_id is null) or (data_source_id is null and data_source_user_id is null and project_id is not null)`,
    ),
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
    // What the requested account was asked to pay for, as it was when the request was made and again
    // when it was answered (a pending request shows the data source's live values instead).
    dataSourceName: text('data_source_name'),
    imsAuthEnabled: integer('ims_auth_enabled', { mode: 'boolean' }),
    dynamicCreationFilter: text('dynamic_creation_filter'),
    allowExternalImsUsers: integer('allow_external_ims_users', { mode: 'boolean' }),
    externalLicensing: text('external_licensing', { enum: EXTERNAL_LICENSING }),
  },
  (t) => [
    index('licensing_owner_requests_data_source_idx').on(t.dataSourceId, t.requestedAt),
    index('licensing_owner_requests_requested_idx').on(t.requestedAccountId, t.requestedAt),
  ],
);

export type UsageRecordRow = typeof usageRecords.$inferSelect;
export type LicensingOwnerRequestRow = typeof licensingOwnerRequests.$inferSelect;
