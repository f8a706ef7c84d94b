// §6 Projects, their teams and roles (PRJ-1…PRJ-7). Built-in roles are constants (projects/rules/roles.ts),
// never rows: only custom roles are stored. A Project Owner is a team member holding PROJECT_OWNER.
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from '../db/columns.js';
import { accounts, users } from '../identity/tables.js';
import type { RolePermission } from './rules/roles.js';

/** PRJ-7 / DM-5: how a member joined the team (the connector's synchronization, or directly). */
export const TEAM_MEMBER_SOURCES = ['WORK_AREA', 'TEAM'] as const;
export type TeamMemberSource = (typeof TEAM_MEMBER_SOURCES)[number];

/** PRJ-1: a project of an account; numbers are unique within the account ignoring case. */
export const projects = sqliteTable(
  'projects',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    number: text('number').notNull(),
    /** Lower-cased number (PROJECT_NUMBER_TAKEN ignores case, as account and data-source names do). */
    numberKey: text('number_key').notNull(),
    name: text('name').notNull(),
    createdById: text('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    /** PRJ-2: when Deliverables Management was enabled (null: not enabled) and by whom. */
    deliverablesEnabledAt: integer('deliverables_enabled_at', { mode: 'timestamp_ms' }),
    deliverablesEnabledById: text('deliverables_enabled_by_id').references(() => users.id),
    /** PRJ-2: the enabling user's email domain, fixed from then on (lower case). */
    internalDomain: text('internal_domain'),
  },
  (t) => [
    uniqueIndex('projects_number_unique').on(t.accountId, t.numberKey),
    index('projects_account_idx').on(t.accountId, t.createdAt),
  ],
);

/** PRJ-4: a project's custom role: a unique name (ignoring case) and a non-empty permission set. */
export const customRoles = sqliteTable(
  'project_custom_roles',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    /** Role permissions in PRJ-3 order, as a JSON array (a set of at most eight fixed names). */
    permissions: text('permissions', { mode: 'json' }).$type<RolePermission[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('project_custom_roles_name_unique').on(t.projectId, t.nameKey)],
);

/** PRJ-7: the project's team; team membership is independent of account membership (PRJ-1). */
export const teamMembers = sqliteTable(
  'project_team_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    source: text('source', { enum: TEAM_MEMBER_SOURCES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_team_members_user_idx').on(t.userId)],
);

/**
 * PRJ-4 / PRJ-7: the roles a team member holds. `role` is a built-in key or the custom role's id (a UUID,
 * so the two never collide); `customRoleId` repeats the id for custom roles so that the foreign key
 * holds. Leaving the team removes the member's roles (cascade from the team member row).
 */
export const memberRoles = sqliteTable(
  'project_member_roles',
  {
    projectId: text('project_id').notNull(),
    userId: text('user_id').notNull(),
    role: text('role').notNull(),
    customRoleId: text('custom_role_id').references(() => customRoles.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.userId, t.role] }),
    foreignKey({
      columns: [t.projectId, t.userId],
      foreignColumns: [teamMembers.projectId, teamMembers.userId],
      name: 'project_member_roles_member_fk',
    }).onDelete('cascade'),
    index('project_member_roles_custom_idx').on(t.customRoleId),
    index('project_member_roles_role_idx').on(t.projectId, t.role),
  ],
);

export type ProjectRow = typeof projects.$inferSelect;
export type CustomRoleRow = typeof customRoles.$inferSelect;
export type TeamMemberRow = typeof teamMembers.$inferSelect;
export type MemberRoleRow = typeof memberRoles.$inferSelect;
