import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts, users } from '../identity/tables.js';

/** §10: every mutation appends one entry, in its own transaction. Append-only. */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: text('actor_id').references(() => users.id),
    /**
     * The actor's email at the time: the log stays readable whatever happens to the profile. Empty for
     * an entry whose log may not know who acted (LIC-3: service.ts UNNAMED_ACTOR).
     */
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

export type AuditEntryRow = typeof auditEntries.$inferSelect;
