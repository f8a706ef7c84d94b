// WA-1 use cases: work areas and their participants.
// DM-1: a user who stops being a named user of an associated work area loses their sync record at once.

import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { inTransaction, type Reader } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import {
  type DataSourceRow,
  type WorkAreaRole,
  type WorkAreaRow,
  workAreaParticipants,
  workAreas,
} from '../../db/schema.js';
import { forgetUnnamedUsers } from '../../deliverables/use-cases/facts.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import type { PrincipalRef } from '../rules/principals.js';
import {
  administeredDataSource,
  administeredRow,
  assertFreeName,
  audit,
  foreignKeys,
  nameKey,
  principalLabel,
} from './shared.js';

// ---------------------------------------------------------------------------------------------
// WA-1 work areas and their participants

export async function createWorkArea(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string },
): Promise<WorkAreaRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    const name = input.name.trim();
    await assertFreeName(tx, workAreas, eq(workAreas.dataSourceId, ds.id), name, null, 'a work area');
    const area = await only(
      tx
        .insert(workAreas)
        .values({ id: randomUUID(), dataSourceId: ds.id, name, nameKey: nameKey(name), createdAt: ctx.now })
        .returning(),
    );
    await audit(tx, ctx, ds, 'createWorkArea', [{ type: 'WorkArea', id: area.id }], `created work area "${name}"`);
    return area;
  });
}

export async function principalOf(tx: Reader, ds: DataSourceRow, principal: PrincipalRef): Promise<string> {
  const label =
    principal.kind === 'EVERYONE'
      ? principal.id === ds.id
        ? '*Everyone'
        : undefined
      : await principalLabel(tx, ds.id, principal.kind, principal.id);
  if (label === undefined) {
    throw new AppError(
      'NOT_FOUND',
      'the participant must be a user, group, list or *Everyone of the same data source',
      ['input', 'principalId'],
    );
  }
  return label;
}

/** The work area, if the actor administers its data source (DS-1; §9: NOT_FOUND when not readable). */
async function administeredWorkArea(tx: Reader, ctx: ServiceContext, workAreaId: string) {
  const row = await one(tx.select().from(workAreas).where(eq(workAreas.id, workAreaId)));
  return await administeredRow(tx, ctx, row, 'work area', 'workAreaId');
}

/** WA-1: adds the principal with this role, or changes its role (a principal appears once). */
export async function setWorkAreaParticipant(
  ctx: ServiceContext,
  input: { workAreaId: string; principal: PrincipalRef; role: WorkAreaRole },
): Promise<WorkAreaRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { row: area, ds } = await administeredWorkArea(tx, ctx, input.workAreaId);
    const label = await principalOf(tx, ds, input.principal);
    const { kind, id } = input.principal;
    await tx
      .insert(workAreaParticipants)
      .values({
        workAreaId: area.id,
        kind,
        principalId: id,
        ...foreignKeys(kind, id),
        role: input.role,
        createdAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [workAreaParticipants.workAreaId, workAreaParticipants.kind, workAreaParticipants.principalId],
        set: { role: input.role },
      });
    await forgetUnnamedUsers(tx, ds.id);
    await audit(
      tx,
      ctx,
      ds,
      'setWorkAreaParticipant',
      [{ type: 'WorkArea', id: area.id }],
      `${label} is ${input.role} in work area "${area.name}"`,
    );
    return area;
  });
}

export async function removeWorkAreaParticipant(
  ctx: ServiceContext,
  input: { workAreaId: string; principal: PrincipalRef },
): Promise<WorkAreaRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { row: area, ds } = await administeredWorkArea(tx, ctx, input.workAreaId);
    const where = and(
      eq(workAreaParticipants.workAreaId, area.id),
      eq(workAreaParticipants.kind, input.principal.kind),
      eq(workAreaParticipants.principalId, input.principal.id),
    );
    const existing = await one(tx.select({ role: workAreaParticipants.role }).from(workAreaParticipants).where(where));
    if (!existing)
      throw new AppError('NOT_A_PARTICIPANT', 'that principal is not a participant of the work area', [
        'input',
        'principalId',
      ]);
    await tx.delete(workAreaParticipants).where(where);
    await forgetUnnamedUsers(tx, ds.id);
    await audit(
      tx,
      ctx,
      ds,
      'removeWorkAreaParticipant',
      [{ type: 'WorkArea', id: area.id }],
      `removed a participant (${input.principal.kind}) from work area "${area.name}"`,
    );
    return area;
  });
}
