// §8 External organizations: invitations of accounts to a project (EXT-1, EXT-2) and the links between
// an inviting project and the linked project an accepted invitation makes (EXT-2, EXT-3).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from '../db/columns.js';
import { accounts, users } from '../identity/tables.js';
import { projects } from '../projects/tables.js';

/** EXT-2: how an invitation ended (null while it waits; EXPIRED is computed, never stored). */
export const INVITATION_ANSWERS = ['ACCEPTED', 'REJECTED', 'CANCELLED'] as const;

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    invitedAccountId: text('invited_account_id')
      .notNull()
      .references(() => accounts.id),
    /** EXT-1: lower case, in one of the invited account's domains. */
    pointOfContactEmail: text('point_of_contact_email').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
    sentById: text('sent_by_id')
      .notNull()
      .references(() => users.id),
    answer: text('answer', { enum: INVITATION_ANSWERS }),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    answeredById: text('answered_by_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_project_idx').on(t.projectId, t.sentAt),
    index('invitations_point_of_contact_idx').on(t.pointOfContactEmail),
  ],
);

/** EXT-2: a linked project (owned by the invited account) and the project that invited it; linked once. */
export const projectLinks = sqliteTable(
  'project_links',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    linkedProjectId: text('linked_project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    linkedAccountId: text('linked_account_id')
      .notNull()
      .references(() => accounts.id),
    invitationId: text('invitation_id')
      .notNull()
      .references(() => invitations.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('project_links_account_unique').on(t.projectId, t.linkedAccountId),
    index('project_links_linked_idx').on(t.linkedProjectId),
  ],
);

export type InvitationRow = typeof invitations.$inferSelect;
export type ProjectLinkRow = typeof projectLinks.$inferSelect;

/** EXT-4: the accounts whose members' use of the project is billed to the project's account. */
export const providedLicenses = sqliteTable(
  'provided_licenses',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.accountId] })],
);

/** EXT-4: the UNAFFILIATED flag (users without a home account), one row per project that set it. */
export const providedLicenseFlags = sqliteTable('provided_license_flags', {
  projectId: text('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  unaffiliated: integer('unaffiliated', { mode: 'boolean' }).notNull(),
});
