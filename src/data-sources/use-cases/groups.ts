// DS-4 use cases: groups of data-source users.
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inTransaction, type Tx } from '../../db/client.js';
import { one, only } from '../../db/query.js';
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
export async function replaceGroupMembers(tx: Tx, groupId: string, userIds: readonly string[]) {
  await tx.delete(groupMembers).where(eq(groupMembers.groupId, groupId));
  if (userIds.length > 0) {
    await tx.insert(groupMembers).values(userIds.map((userId) => ({ groupId, userId })));
  }
}

export async function createGroup(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; userIds?: readonly string[] | null },
): Promise<DataSourceGroupRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    await assertFreeGroupOrListName(tx, dataSourceGroups, ds.id, input.name);
    const members = await usersOfDataSource(tx, ds.id, input.userIds ?? [], 'userIds');
    const group = await only(
      tx
        .insert(dataSourceGroups)
        .values({
          id: randomUUID(),
          dataSourceId: ds.id,
          name: input.name.trim(),
          nameKey: nameKey(input.name),
          createdAt: ctx.now,
        })
        .returning(),
    );
    await replaceGroupMembers(tx, group.id, members);
    await audit(
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
  return inTransaction(ctx.db, async (tx) => {
    const { row: group, ds } = await administeredRow(
      tx,
      ctx,
      await one(tx.select().from(dataSourceGroups).where(eq(dataSourceGroups.id, input.groupId))),
      'group',
      'groupId',
    );
    const members = await usersOfDataSource(tx, ds.id, input.userIds, 'userIds');
    await replaceGroupMembers(tx, group.id, members);
    await forgetUnnamedUsers(tx, ds.id);
    await audit(
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
