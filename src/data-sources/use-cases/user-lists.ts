// DS-4 use cases: user lists of users, groups and other lists (nesting and cycles allowed).
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inTransaction, type Tx } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type DataSourceRow, type UserListRow, userListMembers, userLists } from '../../db/schema.js';
import { forgetUnnamedUsers } from '../../deliverables/use-cases/facts.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { deletePrincipal } from './deletion.js';
import {
  administeredDataSource,
  administeredRow,
  assertFreeGroupOrListName,
  audit,
  foreignKeys,
  nameKey,
  principalLabel,
  type RowKind,
} from './shared.js';

/** A member of a user list, as the API names it: a user, a group or another list of the data source. */
export interface ListMemberRef {
  kind: RowKind;
  id: string;
}

/** DS-4: the list's members become exactly these (each must be of the same data source). */
export async function replaceListMembers(
  tx: Tx,
  ds: DataSourceRow,
  listId: string,
  members: readonly ListMemberRef[],
): Promise<number> {
  const unique = [...new Map(members.map((m) => [`${m.kind}:${m.id}`, m])).values()];
  const rows = [];
  for (const m of unique) {
    if ((await principalLabel(tx, ds.id, m.kind, m.id)) === undefined) {
      throw new AppError('NOT_FOUND', 'every member must be a user, group or list of this data source', [
        'input',
        'members',
      ]);
    }
    const { userId, groupId, listId: childListId } = foreignKeys(m.kind, m.id);
    rows.push({ listId, kind: m.kind, memberId: m.id, userId, groupId, childListId });
  }
  await tx.delete(userListMembers).where(eq(userListMembers.listId, listId));
  if (rows.length > 0) await tx.insert(userListMembers).values(rows);
  return rows.length;
}

export async function createUserList(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; members?: readonly ListMemberRef[] | null },
): Promise<UserListRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    await assertFreeGroupOrListName(tx, userLists, ds.id, input.name);
    const id = randomUUID();
    const list = await only(
      tx
        .insert(userLists)
        .values({ id, dataSourceId: ds.id, name: input.name.trim(), nameKey: nameKey(input.name), createdAt: ctx.now })
        .returning(),
    );
    const count = await replaceListMembers(tx, ds, id, input.members ?? []);
    await audit(
      tx,
      ctx,
      ds,
      'createUserList',
      [{ type: 'UserList', id }],
      `created user list "${list.name}" with ${count} member(s)`,
    );
    return list;
  });
}

/** DS-4: replaces the list's members. Nesting (even the list itself, or a cycle) is allowed. */
export async function setUserListMembers(
  ctx: ServiceContext,
  input: { listId: string; members: readonly ListMemberRef[] },
): Promise<UserListRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { row: list, ds } = await administeredRow(
      tx,
      ctx,
      await one(tx.select().from(userLists).where(eq(userLists.id, input.listId))),
      'user list',
      'listId',
    );
    const count = await replaceListMembers(tx, ds, list.id, input.members);
    await forgetUnnamedUsers(tx, ds.id);
    await audit(
      tx,
      ctx,
      ds,
      'setUserListMembers',
      [{ type: 'UserList', id: list.id }],
      `user list "${list.name}" now has ${count} member(s)`,
    );
    return list;
  });
}

export const deleteUserList = (ctx: ServiceContext, input: { listId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'LIST', input.listId, input.force ?? false, 'deleteUserList', 'listId');
