// DS-4 use cases: groups of data-source users.
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inTransaction, type Tx } from '../../db/client.js';
import { type DataSourceGroupRow, dataSourceGroups, groupMembers } from '../../db/schema.js';
import { forgetUnnamedUsers } from '../../deliverables/use-cases/facts.js';
import type { ServiceContext } from '../../service-context.js';
import { deletePrincipal } from './deletion.js';
import {
  administeredDataSource,
  administeredRow,
  assertFreeGroupOrListName,
  audit,
  nameKey,
  usersOfDataSource,
} from './shared.js';

/** DS-4: the group's members become exactly these users. */
export function replaceGroupMembers(tx: Tx, groupId: string, userIds: readonly string[]) {
  tx.delete(groupMembers).where(eq(groupMembers.groupId, groupId)).run();
  if (userIds.length > 0) {
    tx.insert(groupMembers)
      .values(userIds.map((userId) => ({ groupId, userId })))
      .run();
  }
}

export async function createGroup(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; userIds?: readonly string[] | null },
): Promise<DataSourceGroupRow> {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    assertFreeGroupOrListName(tx, dataSourceGroups, ds.id, input.name);
    const members = usersOfDataSource(tx, ds.id, input.userIds ?? [], 'userIds');
    const group = tx
      .insert(dataSourceGroups)
      .values({
        id: randomUUID(),
        dataSourceId: ds.id,
        name: input.name.trim(),
        nameKey: nameKey(input.name),
        createdAt: ctx.now,
      })
      .returning()
      .get();
    replaceGroupMembers(tx, group.id, members);
    audit(
      tx,
      ctx,
      ds,
      'createGroup',
      [{ type: 'DataSourceGroup', id: group.id }],
      `created group "${group.name}" with ${members.length} member(s)`,
    );
    return group;
  });
}

/** DS-4: replaces the group's members with exactly these users. */
export async function setGroupMembers(
  ctx: ServiceContext,
  input: { groupId: string; userIds: readonly string[] },
): Promise<DataSourceGroupRow> {
  return inTransaction(ctx.db, (tx) => {
    const { row: group, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(dataSourceGroups).where(eq(dataSourceGroups.id, input.groupId)).get(),
      'group',
      'groupId',
    );
    const members = usersOfDataSource(tx, ds.id, input.userIds, 'userIds');
    replaceGroupMembers(tx, group.id, members);
    forgetUnnamedUsers(tx, ds.id);
    audit(
      tx,
      ctx,
      ds,
      'setGroupMembers',
      [{ type: 'DataSourceGroup', id: group.id }],
      `group "${group.name}" now has ${members.length} member(s)`,
    );
    return group;
  });
}

export const deleteGroup = (ctx: ServiceContext, input: { groupId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'GROUP', input.groupId, input.force ?? false, 'deleteGroup', 'groupId');
