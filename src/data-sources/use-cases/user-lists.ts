// DS-4 use cases: user lists of users, groups and other lists (nesting and cycles allowed).
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inTransaction, type Tx } from '../../db/client.js';
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
export function replaceListMembers(
  tx: Tx,
  ds: DataSourceRow,
  listId: string,
  members: readonly ListMemberRef[],
): number {
  const unique = [...new Map(members.map((m) => [`${m.kind}:${m.id}`, m])).values()];
  const rows = unique.map((m) => {
    if (principalLabel(tx, ds.id, m.kind, m.id) === undefined) {
      throw new AppError('NOT_FOUND', 'every member must be a user, group or list of this data source', [
        'input',
        'members',
      ]);
    }
    const { userId, groupId, listId: childListId } = foreignKeys(m.kind, m.id);
    return { listId, kind: m.kind, memberId: m.id, userId, groupId, childListId };
  });
  tx.delete(userListMembers).where(eq(userListMembers.listId, listId)).run();
  if (rows.length > 0) tx.insert(userListMembers).values(rows).run();
  return rows.length;
}

export async function createUserList(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; members?: readonly ListMemberRef[] | null },
): Promise<UserListRow> {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    assertFreeGroupOrListName(tx, userLists, ds.id, input.name);
    const id = randomUUID();
    const list = tx
      .insert(userLists)
      .values({ id, dataSourceId: ds.id, name: input.name.trim(), nameKey: nameKey(input.name), createdAt: ctx.now })
      .returning()
      .get();
    const count = replaceListMembers(tx, ds, id, input.members ?? []);
    audit(
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
  return inTransaction(ctx.db, (tx) => {
    const { row: list, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(userLists).where(eq(userLists.id, input.listId)).get(),
      'user list',
      'listId',
    );
    const count = replaceListMembers(tx, ds, list.id, input.members);
    forgetUnnamedUsers(tx, ds.id);
    audit(
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
