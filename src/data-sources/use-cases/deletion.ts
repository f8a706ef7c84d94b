// DS-5: deleting a user, group or list that is referenced is IN_USE unless force removes the references.
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { eq } from 'drizzle-orm';
import { inTransaction, type Reader } from '../../db/client.js';
import { one } from '../../db/query.js';
import {
  dataSourceGroups,
  groupMembers,
  userListMembers,
  userLists,
  workAreaParticipants,
  workAreas,
} from '../../db/schema.js';
import { forgetUnnamedUsers } from '../../deliverables/use-cases/facts.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { administeredRow, audit, PRINCIPALS, type RowKind } from './shared.js';

// ---------------------------------------------------------------------------------------------
// DS-5 deletion: IN_USE unless force; force removes the references in the same transaction

export interface Reference {
  what: string;
}

export async function referencesTo(tx: Reader, kind: RowKind, id: string): Promise<Reference[]> {
  const { participantColumn, listMemberColumn: memberColumn } = PRINCIPALS[kind];
  const refs: Reference[] = [
    ...(
      await tx
        .select({ name: workAreas.name })
        .from(workAreaParticipants)
        .innerJoin(workAreas, eq(workAreas.id, workAreaParticipants.workAreaId))
        .where(eq(participantColumn, id))
    ).map((r) => ({ what: `participant of work area "${r.name}"` })),
    ...(
      await tx
        .select({ name: userLists.name })
        .from(userListMembers)
        .innerJoin(userLists, eq(userLists.id, userListMembers.listId))
        .where(eq(memberColumn, id))
    ).map((r) => ({ what: `member of user list "${r.name}"` })),
  ];
  if (kind === 'USER') {
    refs.push(
      ...(
        await tx
          .select({ name: dataSourceGroups.name })
          .from(groupMembers)
          .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
          .where(eq(groupMembers.userId, id))
      ).map((r) => ({ what: `member of group "${r.name}"` })),
    );
  }
  return refs;
}

export function assertDeletable(refs: Reference[], label: string, force: boolean) {
  if (refs.length > 0 && !force) {
    throw new AppError(
      'IN_USE',
      `${label} is still referenced — ${refs.map((r) => r.what).join('; ')}. Remove the references, or delete with force: true to remove them too.`,
      ['input', 'force'],
    );
  }
}

/** Deleting removes the references through the schema's ON DELETE CASCADE, in this same transaction. */
export async function deletePrincipal(
  ctx: ServiceContext,
  kind: RowKind,
  id: string,
  force: boolean,
  action: string,
  field: string,
): Promise<{ id: string; dataSourceId: string }> {
  const { table, label: labelColumn, what, type } = PRINCIPALS[kind];
  return inTransaction(ctx.db, async (tx) => {
    const found = await one(
      tx
        .select({ id: table.id, dataSourceId: table.dataSourceId, label: labelColumn })
        .from(table)
        .where(eq(table.id, id)),
    );
    const { row, ds } = await administeredRow(tx, ctx, found, what, field);
    const refs = await referencesTo(tx, kind, row.id);
    const label = `${what} "${row.label}"`;
    assertDeletable(refs, label, force);
    await tx.delete(table).where(eq(table.id, row.id));
    await forgetUnnamedUsers(tx, ds.id);
    await audit(
      tx,
      ctx,
      ds,
      action,
      [{ type, id: row.id }],
      `deleted ${label}${refs.length ? ` and ${refs.length} reference(s) to it` : ''}`,
    );
    return { id: row.id, dataSourceId: ds.id };
  });
}
