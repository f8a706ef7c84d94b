// §7: the facts of one project's Deliverables Management, loaded in one place (a constant number of
// statements whatever the size of the work area), and the writes of a plan, applied in the caller's
// transaction. The decisions are the pure rules of deliverables/rules.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Participant } from '../../data-sources/rules/principals.js';
// principal-graph.js, not the data-sources service: its use cases call back into this area (DM-1 records).
import { principalGraphs } from '../../data-sources/use-cases/principal-graph.js';
import type { Reader, Tx } from '../../db/client.js';
import { one } from '../../db/query.js';
import {
  type ConnectorRow,
  connectorEntries,
  connectors,
  dataSourceGroups,
  dataSourceUsers,
  insertionOrder,
  memberRoles,
  type PrincipalKind,
  type ProjectRow,
  syncRecords,
  teamMembers,
  userLists,
  users,
  workAreaParticipants,
  workAreas,
} from '../../db/schema.js';
import { rolesOfMembers } from '../../projects/use-cases/shared.js';
import type { DissociationPlan } from '../rules/association.js';
import { type ConnectorEntry, type DeliverablesFacts, type EntryOrigin, principalKey } from '../rules/facts.js';
import { namedUserIds } from '../rules/named-users.js';
import type { RoleChange } from '../rules/reconcile.js';
import type { EntryDeletion, EntryWrite, SyncPlan } from '../rules/sync-plan.js';

/** The project's connector (WA-2), or null when no work area is associated. */
export async function connectorOf(db: Reader, projectId: string): Promise<ConnectorRow | null> {
  return (await one(db.select().from(connectors).where(eq(connectors.projectId, projectId)))) ?? null;
}

/** SQLite binds at most 32,766 parameters per statement: large writes go in slices of this many rows. */
const SLICE = 1000;
async function inSlices<T>(rows: readonly T[], write: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += SLICE) await write(rows.slice(i, i + SLICE));
}

/** WA-1: the work area's participants, in the order they were added. */
export async function participantsOf(db: Reader, workAreaId: string): Promise<Participant[]> {
  return (
    await db
      .select()
      .from(workAreaParticipants)
      .where(eq(workAreaParticipants.workAreaId, workAreaId))
      .orderBy(insertionOrder(workAreaParticipants))
  ).map((p) => ({ principal: { kind: p.kind, id: p.principalId }, role: p.role }));
}

/** Runs `write` with `projectId = ? AND column IN (slice)` for each slice of `ids` (SQLite's bind limit). */
async function whereInProject(
  projectColumn: SQLiteColumn,
  projectId: string,
  column: SQLiteColumn,
  ids: readonly string[],
  write: (where: SQL | undefined) => Promise<unknown>,
): Promise<void> {
  await inSlices(ids, (slice) => write(and(eq(projectColumn, projectId), inArray(column, slice))));
}

/** Everything DM-1…DM-10 decide from, for a project with an associated work area. */
export async function loadDeliverablesFacts(
  db: Reader,
  project: ProjectRow,
  connector: ConnectorRow,
): Promise<DeliverablesFacts> {
  const area = await one(db.select().from(workAreas).where(eq(workAreas.id, connector.workAreaId)));
  if (!area) throw new Error(`connector of project ${project.id} names a missing work area`);
  const graph = (await principalGraphs(db, [area.dataSourceId])).get(area.dataSourceId) ?? {
    allUserIds: [],
    groupMembers: new Map(),
    listMembers: new Map(),
  };
  // DS-3 emails (never identities) and, ID-1, the registered profile each email names: one statement.
  const dsUsers = await db
    .select({
      id: dataSourceUsers.id,
      login: dataSourceUsers.login,
      email: dataSourceUsers.email,
      profileId: users.id,
      profileEmail: users.email,
    })
    .from(dataSourceUsers)
    .leftJoin(users, sql`${users.email} = lower(trim(${dataSourceUsers.email}))`)
    .where(eq(dataSourceUsers.dataSourceId, area.dataSourceId));
  const emails = new Map(dsUsers.map((u) => [u.id, u.email]));
  const profiles = new Map(
    dsUsers.flatMap((u) => (u.profileId && u.profileEmail ? [[u.profileEmail, u.profileId] as const] : [])),
  );
  const participants = await participantsOf(db, area.id);
  // Explanations name principals: logins, and the names of the groups and lists taking part.
  const principalNames = new Map<string, string>(
    dsUsers.map((u) => [principalKey({ kind: 'USER', id: u.id }), u.login]),
  );
  for (const table of [dataSourceGroups, userLists] as const) {
    for (const row of await db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(eq(table.dataSourceId, area.dataSourceId))) {
      principalNames.set(principalKey({ kind: table === dataSourceGroups ? 'GROUP' : 'LIST', id: row.id }), row.name);
    }
  }
  const entries: ConnectorEntry[] = (
    await db.select().from(connectorEntries).where(eq(connectorEntries.projectId, project.id))
  ).map((e) => ({ principal: { kind: e.kind, id: e.principalId }, origin: e.origin, permissions: e.permissions }));
  const records = (
    await db
      .select({
        dataSourceUserId: syncRecords.dataSourceUserId,
        email: syncRecords.email,
        profileId: syncRecords.profileId,
      })
      .from(syncRecords)
      .where(eq(syncRecords.projectId, project.id))
  ).map((r) => ({ userId: r.dataSourceUserId, email: r.email, profileId: r.profileId }));
  const members = await db
    .select({ userId: teamMembers.userId, source: teamMembers.source })
    .from(teamMembers)
    .where(eq(teamMembers.projectId, project.id));
  const roles = await rolesOfMembers(
    db,
    project.id,
    members.map((m) => m.userId),
  );
  return {
    internalDomain: project.internalDomain ?? '',
    graph,
    emails,
    profiles,
    participants,
    entries,
    syncRecords: records,
    team: members.map((m) => ({ profileId: m.userId, source: m.source, roles: roles.get(m.userId) ?? [] })),
    principalNames,
  };
}

/** DM-2 / DM-8 / DM-10: write connector entries (insert or replace their permissions). */
export async function writeEntries(tx: Tx, connector: ConnectorRow, writes: readonly Pick<EntryWrite, 'entry'>[]) {
  await inSlices(
    writes,
    async (slice) =>
      await tx
        .insert(connectorEntries)
        .values(
          slice.map(({ entry }) => ({
            projectId: connector.projectId,
            origin: entry.origin,
            kind: entry.principal.kind,
            principalId: entry.principal.id,
            workAreaId: entry.origin === 'PARTICIPANT' ? connector.workAreaId : null,
            dataSourceUserId: entry.origin === 'TEAM' ? entry.principal.id : null,
            permissions: [...entry.permissions],
          })),
        )
        .onConflictDoUpdate({
          target: [
            connectorEntries.projectId,
            connectorEntries.origin,
            connectorEntries.kind,
            connectorEntries.principalId,
          ],
          set: { permissions: sql`excluded.permissions` },
        }),
  );
}

export async function deleteEntries(tx: Tx, projectId: string, deletions: readonly Pick<EntryDeletion, 'entry'>[]) {
  // One statement per (origin, kind) and slice, not one per entry (a dissociation deletes thousands).
  const groups = new Map<string, { origin: EntryOrigin; kind: PrincipalKind; ids: string[] }>();
  for (const { entry } of deletions) {
    const key = `${entry.origin}/${entry.principal.kind}`;
    const group = groups.get(key) ?? { origin: entry.origin, kind: entry.principal.kind, ids: [] };
    group.ids.push(entry.principal.id);
    groups.set(key, group);
  }
  for (const { origin, kind, ids } of groups.values()) {
    await inSlices(
      ids,
      async (slice) =>
        await tx
          .delete(connectorEntries)
          .where(
            and(
              eq(connectorEntries.projectId, projectId),
              eq(connectorEntries.origin, origin),
              eq(connectorEntries.kind, kind),
              inArray(connectorEntries.principalId, slice),
            ),
          ),
    );
  }
}

/** DM-10: team roles the connector's permissions translate to (built-in DM roles only). */
export async function changeRoles(
  tx: Tx,
  projectId: string,
  add: readonly RoleChange[],
  remove: readonly RoleChange[],
  now: Date,
) {
  await inSlices(
    add,
    async (slice) =>
      await tx
        .insert(memberRoles)
        .values(
          slice.map((c) => ({ projectId, userId: c.profileId, role: c.role, customRoleId: null, createdAt: now })),
        )
        .onConflictDoNothing(),
  );
  // One statement per role and slice (at most the five DM roles), not one per member.
  const byRole = new Map<string, string[]>();
  for (const c of remove) {
    const ids = byRole.get(c.role);
    if (ids) ids.push(c.profileId);
    else byRole.set(c.role, [c.profileId]);
  }
  for (const [role, userIds] of byRole) {
    await inSlices(
      userIds,
      async (slice) =>
        await tx
          .delete(memberRoles)
          .where(
            and(eq(memberRoles.projectId, projectId), eq(memberRoles.role, role), inArray(memberRoles.userId, slice)),
          ),
    );
  }
}

/** DM-1: these data-source users of the project are no longer "synchronized" (their records go). */
async function clearSyncRecords(tx: Tx, projectId: string, dataSourceUserIds: readonly string[]) {
  await whereInProject(
    syncRecords.projectId,
    projectId,
    syncRecords.dataSourceUserId,
    dataSourceUserIds,
    async (where) => await tx.delete(syncRecords).where(where),
  );
}

/** Applies a synchronization plan (DM-5 … DM-7), row for row as rules/apply.ts describes it. */
export async function applyPlan(tx: Tx, connector: ConnectorRow, plan: SyncPlan, now: Date) {
  const projectId = connector.projectId;
  await inSlices(
    plan.recordsToWrite,
    async (slice) =>
      await tx
        .insert(syncRecords)
        .values(
          slice.map(({ record }) => ({
            projectId,
            dataSourceUserId: record.userId,
            email: record.email,
            profileId: record.profileId,
          })),
        )
        .onConflictDoUpdate({
          target: [syncRecords.projectId, syncRecords.dataSourceUserId],
          set: { email: sql`excluded.email`, profileId: sql`excluded.profile_id` },
        }),
  );
  await clearSyncRecords(
    tx,
    projectId,
    plan.recordsToClear.map((c) => c.userId),
  );
  await deleteEntries(tx, projectId, plan.entriesToDelete);
  await writeEntries(tx, connector, plan.entriesToWrite);
  await whereInProject(
    teamMembers.projectId,
    projectId,
    teamMembers.userId,
    plan.membersToRemove.map((m) => m.profileId),
    async (where) => await tx.delete(teamMembers).where(where),
  );
  await inSlices(
    plan.membersToAdd,
    async (slice) =>
      await tx
        .insert(teamMembers)
        .values(slice.map((m) => ({ projectId, userId: m.profileId, source: 'WORK_AREA' as const, createdAt: now }))),
  );
  const joinedRoles = plan.membersToAdd.flatMap((m) =>
    m.roles.map((role) => ({ profileId: m.profileId, role, reason: m.reason })),
  );
  await changeRoles(tx, projectId, [...joinedRoles, ...plan.rolesToAdd], plan.rolesToRemove, now);
  await tx.update(connectors).set({ synchronizedAt: now }).where(eq(connectors.projectId, projectId));
}

/** Applies a dissociation (WA-2) as its plan says: entries and records go, WORK_AREA members become TEAM. */
export async function applyDissociation(tx: Tx, projectId: string, plan: DissociationPlan) {
  await deleteEntries(tx, projectId, plan.entriesToDelete);
  await clearSyncRecords(
    tx,
    projectId,
    plan.recordsToClear.map((c) => c.userId),
  );
  await whereInProject(
    teamMembers.projectId,
    projectId,
    teamMembers.userId,
    plan.membersToMakeTeamSourced.map((m) => m.profileId),
    async (where) => await tx.update(teamMembers).set({ source: 'TEAM' }).where(where),
  );
  await tx.delete(connectors).where(eq(connectors.projectId, projectId));
}

/**
 * DM-1: "not synchronized since they became a named user". The data-sources use cases call this after
 * every change of participants or memberships in a data source: the sync records of users who are no
 * longer named users of an associated work area go at once, so a user who leaves and comes back before
 * the next synchronization is NO_ACCESS_YET again (a synchronization would only clear them later).
 */
export async function forgetUnnamedUsers(tx: Tx, dataSourceId: string): Promise<void> {
  const associated = await tx
    .select({ projectId: connectors.projectId, workAreaId: connectors.workAreaId })
    .from(connectors)
    .innerJoin(workAreas, eq(workAreas.id, connectors.workAreaId))
    .where(eq(workAreas.dataSourceId, dataSourceId));
  if (associated.length === 0) return;
  const graph = (await principalGraphs(tx, [dataSourceId])).get(dataSourceId);
  if (!graph) return;
  for (const { projectId, workAreaId } of associated) {
    const named = namedUserIds(graph, await participantsOf(tx, workAreaId));
    const gone = (
      await tx
        .select({ userId: syncRecords.dataSourceUserId })
        .from(syncRecords)
        .where(eq(syncRecords.projectId, projectId))
    ).filter((r) => !named.has(r.userId));
    await clearSyncRecords(
      tx,
      projectId,
      gone.map((r) => r.userId),
    );
  }
}

/**
 * DM-1: "not synchronized since their email … appeared": a data-source user whose email changed (or went
 * and came back) loses their sync records at once, so they are NO_ACCESS_YET until the next
 * synchronization (a record compared by email alone would miss an email removed and restored).
 */
export async function forgetSynchronizationOf(tx: Tx, dataSourceUserId: string): Promise<void> {
  await tx.delete(syncRecords).where(eq(syncRecords.dataSourceUserId, dataSourceUserId));
}
