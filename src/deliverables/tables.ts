// §7 Deliverables Management: the connector between a project and its associated work area (WA-2),
// its permission entries (DM-2, DM-8, DM-10), and what each synchronization saw of each named user
// (DM-1). The team itself is the projects area's (project_team_members, project_member_roles).
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { dataSourceUsers, PRINCIPAL_KINDS, workAreaParticipants, workAreas } from '../data-sources/tables.js';
import { createdAt } from '../db/columns.js';
import { users } from '../identity/tables.js';
import type { DmPermission } from '../projects/rules/roles.js';
import { projects } from '../projects/tables.js';

/** DM-10: a participant's entry, or a team-made entry (always a user). */
export const ENTRY_ORIGINS = ['PARTICIPANT', 'TEAM'] as const;

/** WA-2: a project's associated work area (at most one each way). */
export const connectors = sqliteTable(
  'deliverables_connectors',
  {
    projectId: text('project_id')
      .primaryKey()
      .references(() => projects.id, { onDelete: 'cascade' }),
    workAreaId: text('work_area_id')
      .notNull()
      .references(() => workAreas.id, { onDelete: 'cascade' }),
    associatedAt: integer('associated_at', { mode: 'timestamp_ms' }).notNull(),
    associatedById: text('associated_by_id')
      .notNull()
      .references(() => users.id),
    /** DM-5 … DM-7: when the last synchronization ran. */
    synchronizedAt: integer('synchronized_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('deliverables_connectors_work_area_unique').on(t.workAreaId)],
);

/**
 * DM-2 / DM-8 / DM-10: a connector entry. A participant's entry names its participant (work area, kind,
 * principal) so that removing the participant deletes it (WA-1, DM-2: "adding it again makes a new
 * one"); a team-made entry has no work area. `permissions` is null until the entry is initialised.
 */
export const connectorEntries = sqliteTable(
  'deliverables_entries',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    origin: text('origin', { enum: ENTRY_ORIGINS }).notNull(),
    kind: text('kind', { enum: PRINCIPAL_KINDS }).notNull(),
    /** The principal's row id (a data-source user for team-made entries; the data source for *Everyone). */
    principalId: text('principal_id').notNull(),
    workAreaId: text('work_area_id'),
    /** Team-made entries: the data-source user, so that deleting the user deletes the entry. */
    dataSourceUserId: text('data_source_user_id').references(() => dataSourceUsers.id, { onDelete: 'cascade' }),
    permissions: text('permissions', { mode: 'json' }).$type<DmPermission[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.origin, t.kind, t.principalId] }),
    foreignKey({
      columns: [t.workAreaId, t.kind, t.principalId],
      foreignColumns: [workAreaParticipants.workAreaId, workAreaParticipants.kind, workAreaParticipants.principalId],
      name: 'deliverables_entries_participant_fk',
    }).onDelete('cascade'),
    index('deliverables_entries_participant_idx').on(t.workAreaId, t.kind, t.principalId),
    index('deliverables_entries_ds_user_idx').on(t.dataSourceUserId),
  ],
);

/** DM-1: what the last synchronization saw of a named user (their email and matching profile). */
export const syncRecords = sqliteTable(
  'deliverables_sync_records',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    dataSourceUserId: text('data_source_user_id')
      .notNull()
      .references(() => dataSourceUsers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    profileId: text('profile_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.dataSourceUserId] }),
    index('deliverables_sync_records_user_idx').on(t.dataSourceUserId),
  ],
);

export type ConnectorRow = typeof connectors.$inferSelect;
export type EntryRow = typeof connectorEntries.$inferSelect;
export type SyncRecordRow = typeof syncRecords.$inferSelect;
