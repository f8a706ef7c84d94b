// LIC-3 use cases: set (or remove) the licensing owner directly, request another account's consent,
// answer or cancel a request. Each authorizes, runs in one transaction, and is audited in the log of
// every account it concerns (the owner's and the requested account's).
import { randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, lte, or, type SQL } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { administeredDataSource } from '../../data-sources/service.js';
import { inTransaction, type Reader, type Tx } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import {
  type DataSourceRow,
  dataSources,
  type LicensingOwnerRequestRow,
  licensingOwnerRequests,
  usageRecords,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accountById } from '../../identity/service.js';
import type { ServiceContext } from '../../service-context.js';
import {
  assertBillingChangeAcknowledged,
  assertDirectlySettable,
  assertPending,
  assertRequestable,
  type LicensingOwnerRequestStatus,
  requestExpiry,
  requestStatus,
} from '../rules/licensing-owner.js';

async function usageRecorded(tx: Reader, dataSourceId: string): Promise<boolean> {
  return (
    (await one(
      tx.select({ id: usageRecords.id }).from(usageRecords).where(eq(usageRecords.dataSourceId, dataSourceId)).limit(1),
    )) !== undefined
  );
}

/** LIC-3 in SQL, the query form of requestStatus: the request has one of these statuses at `now`. */
export function requestStatusIn(
  statuses: readonly LicensingOwnerRequestStatus[] | null | undefined,
  now: Date,
): SQL | undefined {
  if (!statuses || statuses.length === 0) return undefined;
  const r = licensingOwnerRequests;
  const stored = statuses.filter((s) => s !== 'PENDING' && s !== 'EXPIRED');
  return or(
    ...(stored.length > 0 ? [inArray(r.state, stored as ('ACCEPTED' | 'REJECTED' | 'CANCELLED')[])] : []),
    ...(statuses.includes('PENDING') ? [and(eq(r.state, 'PENDING'), gt(r.expiresAt, now))] : []),
    ...(statuses.includes('EXPIRED') ? [and(eq(r.state, 'PENDING'), lte(r.expiresAt, now))] : []),
  );
}

/** The request of this data source that is pending now (not answered, cancelled or expired), if any. */
async function pendingRequest(
  tx: Reader,
  dataSourceId: string,
  now: Date,
): Promise<LicensingOwnerRequestRow | undefined> {
  return await one(
    tx
      .select()
      .from(licensingOwnerRequests)
      .where(and(eq(licensingOwnerRequests.dataSourceId, dataSourceId), requestStatusIn(['PENDING'], now))),
  );
}

/** LIC-3: what the requested account is asked to pay for, as the data source is now (kept with the request). */
export function snapshotOf(ds: DataSourceRow) {
  return {
    dataSourceName: ds.name,
    imsAuthEnabled: ds.imsAuthEnabled,
    dynamicCreationFilter: ds.dynamicCreationFilter,
    allowExternalImsUsers: ds.allowExternalImsUsers,
    externalLicensing: ds.externalLicensing,
  };
}

async function audit(
  tx: Tx,
  ctx: ServiceContext,
  action: string,
  ds: DataSourceRow,
  accountIds: (string | null)[],
  request: LicensingOwnerRequestRow | null,
  summary: string,
) {
  await appendAudit(tx, {
    at: ctx.now,
    actor: ctx.actor,
    action,
    accountIds: [...new Set(accountIds.filter((id): id is string => id !== null))],
    targets: [
      { type: 'DataSource', id: ds.id },
      ...(request ? [{ type: 'LicensingOwnerRequest', id: request.id }] : []),
    ],
    summary: `${ctx.actor.email}: ${summary} (data source "${ds.name}")`,
  });
}

// ---------------------------------------------------------------------------------------------
// setLicensingOwner: the owner account itself, or nobody

export interface SetLicensingOwnerInput {
  dataSourceId: string;
  /** The owner account itself, or null to remove the licensing owner. */
  accountId: string | null;
  acknowledgeBillingChange?: boolean | null;
}

/**
 * LIC-3: an IMS admin of the owner account sets the owner account itself as licensing owner, or
 * removes it. A pending request is cancelled by it (the owner side decided otherwise).
 */
export async function setLicensingOwner(ctx: ServiceContext, input: SetLicensingOwnerInput): Promise<DataSourceRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    if (input.accountId !== null) await accountById(tx, input.accountId);
    assertDirectlySettable(ds.ownerAccountId, input.accountId);
    const unchanged = input.accountId === ds.licensingOwnerAccountId;
    const used = await usageRecorded(tx, ds.id);
    if (!unchanged) assertBillingChangeAcknowledged(used, input.acknowledgeBillingChange);
    const pending = await pendingRequest(tx, ds.id, ctx.now);
    if (pending) {
      await tx
        .update(licensingOwnerRequests)
        .set({ state: 'CANCELLED', answeredById: ctx.actor.id, answeredAt: ctx.now, ...snapshotOf(ds) })
        .where(eq(licensingOwnerRequests.id, pending.id));
    }
    const updated = await only(
      tx
        .update(dataSources)
        .set({ licensingOwnerAccountId: input.accountId })
        .where(eq(dataSources.id, ds.id))
        .returning(),
    );
    await audit(
      tx,
      ctx,
      'setLicensingOwner',
      ds,
      [ds.ownerAccountId, ds.licensingOwnerAccountId, pending?.requestedAccountId ?? null],
      pending ?? null,
      `licensing owner ${unchanged ? 'left at' : 'set to'} ${input.accountId === null ? 'nobody' : 'the owner account'}${
        used && !unchanged ? ' (billing change acknowledged)' : ''
      }${pending ? '; the pending licensing-owner request was cancelled' : ''}`,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// requestLicensingOwner / respondToLicensingOwnerRequest / cancelLicensingOwnerRequest

export interface RequestLicensingOwnerInput {
  dataSourceId: string;
  accountId: string;
  acknowledgeBillingChange?: boolean | null;
}

/** LIC-3: an IMS admin of the owner account asks another account to pay; nothing changes until it accepts. */
export async function requestLicensingOwner(
  ctx: ServiceContext,
  input: RequestLicensingOwnerInput,
): Promise<LicensingOwnerRequestRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    const requested = await accountById(tx, input.accountId);
    const used = await usageRecorded(tx, ds.id);
    assertRequestable({
      ownerAccountId: ds.ownerAccountId,
      requestedAccountId: requested.id,
      currentLicensingOwnerId: ds.licensingOwnerAccountId,
      pendingRequest: (await pendingRequest(tx, ds.id, ctx.now)) !== undefined,
      usageRecorded: used,
      acknowledgeBillingChange: input.acknowledgeBillingChange,
    });
    const request = await only(
      tx
        .insert(licensingOwnerRequests)
        .values({
          id: randomUUID(),
          dataSourceId: ds.id,
          ownerAccountId: ds.ownerAccountId,
          requestedAccountId: requested.id,
          state: 'PENDING',
          requestedById: ctx.actor.id,
          requestedAt: ctx.now,
          expiresAt: requestExpiry(ctx.now),
          billingChangeAcknowledged: used,
          ...snapshotOf(ds),
        })
        .returning(),
    );
    await audit(
      tx,
      ctx,
      'requestLicensingOwner',
      ds,
      [ds.ownerAccountId, requested.id],
      request,
      `asked ${requested.name} to become the licensing owner${used ? ' (billing change acknowledged)' : ''}`,
    );
    return request;
  });
}

/** The request and its data source, once the actor may `action` it (§9: NOT_FOUND unless they may read it). */
async function authorizedRequest(
  tx: Reader,
  ctx: ServiceContext,
  requestId: string,
  action: 'licensingOwnerRequest.answer' | 'licensingOwnerRequest.cancel',
) {
  const request = await one(tx.select().from(licensingOwnerRequests).where(eq(licensingOwnerRequests.id, requestId)));
  const notFound = () => new AppError('NOT_FOUND', 'no such licensing-owner request', ['input', 'requestId']);
  if (!request) throw notFound();
  assertAuthorized(
    await loadSubject(tx, ctx.actor),
    { action, ownerAccountId: request.ownerAccountId, requestedAccountId: request.requestedAccountId },
    notFound,
  );
  const ds = await one(tx.select().from(dataSources).where(eq(dataSources.id, request.dataSourceId)));
  if (!ds) throw notFound();
  return { request, ds };
}

export interface RespondInput {
  requestId: string;
  accept: boolean;
}

/**
 * LIC-3: an IMS admin of the requested account accepts (it becomes the licensing owner at once — no
 * further acknowledgement) or rejects (nothing changes). Once, while pending.
 */
export async function respondToLicensingOwnerRequest(
  ctx: ServiceContext,
  input: RespondInput,
): Promise<{ request: LicensingOwnerRequestRow; dataSource: DataSourceRow }> {
  return inTransaction(ctx.db, async (tx) => {
    const { request, ds } = await authorizedRequest(tx, ctx, input.requestId, 'licensingOwnerRequest.answer');
    assertPending(requestStatus(request, ctx.now));
    const answered = await only(
      tx
        .update(licensingOwnerRequests)
        .set({
          state: input.accept ? 'ACCEPTED' : 'REJECTED',
          answeredById: ctx.actor.id,
          answeredAt: ctx.now,
          ...snapshotOf(ds),
        })
        .where(eq(licensingOwnerRequests.id, request.id))
        .returning(),
    );
    const dataSource = input.accept
      ? await only(
          tx
            .update(dataSources)
            .set({ licensingOwnerAccountId: request.requestedAccountId })
            .where(eq(dataSources.id, ds.id))
            .returning(),
        )
      : ds;
    const requested = await accountById(tx, request.requestedAccountId);
    await audit(
      tx,
      ctx,
      'respondToLicensingOwnerRequest',
      ds,
      [request.ownerAccountId, request.requestedAccountId, input.accept ? ds.licensingOwnerAccountId : null],
      answered,
      input.accept
        ? `${requested.name} accepted to become the licensing owner`
        : `${requested.name} rejected the licensing-owner request`,
    );
    return { request: answered, dataSource };
  });
}

/** LIC-3: any IMS admin of the owner account cancels a pending request. */
export async function cancelLicensingOwnerRequest(
  ctx: ServiceContext,
  input: { requestId: string },
): Promise<LicensingOwnerRequestRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { request, ds } = await authorizedRequest(tx, ctx, input.requestId, 'licensingOwnerRequest.cancel');
    assertPending(requestStatus(request, ctx.now));
    const cancelled = await only(
      tx
        .update(licensingOwnerRequests)
        .set({ state: 'CANCELLED', answeredById: ctx.actor.id, answeredAt: ctx.now, ...snapshotOf(ds) })
        .where(eq(licensingOwnerRequests.id, request.id))
        .returning(),
    );
    const requested = await accountById(tx, request.requestedAccountId);
    await audit(
      tx,
      ctx,
      'cancelLicensingOwnerRequest',
      ds,
      [request.ownerAccountId, request.requestedAccountId],
      cancelled,
      `cancelled the licensing-owner request to ${requested.name}`,
    );
    return cancelled;
  });
}
