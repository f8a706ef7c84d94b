// ID-6: adding and removing entitlements.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type EntitlementRow, entitlements } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { assertNewEntitlement } from '../rules.js';
import { accountFacts, auditAccount, requireImsAdmin } from './shared.js';

// ---------------------------------------------------------------------------------------------
// ID-6 entitlements

export interface AddEntitlementInput {
  accountId: string;
  productCode: string;
  country: string;
  contractEndDate: string;
}

export async function addEntitlement(
  { db, actor, now }: ServiceContext,
  input: AddEntitlementInput,
): Promise<EntitlementRow> {
  return inTransaction(db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, actor, account);
    const duplicate = await one(
      tx
        .select({ id: entitlements.id })
        .from(entitlements)
        .where(
          and(
            eq(entitlements.accountId, account.id),
            eq(entitlements.productCode, input.productCode),
            eq(entitlements.country, input.country),
          ),
        ),
    );
    assertNewEntitlement(input.contractEndDate, now, duplicate !== undefined);
    const entitlement = await only(
      tx
        .insert(entitlements)
        .values({
          id: randomUUID(),
          accountId: account.id,
          productCode: input.productCode,
          country: input.country,
          contractEndDate: input.contractEndDate,
          createdAt: now,
        })
        .returning(),
    );
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'addEntitlement',
      [{ type: 'Entitlement', id: entitlement.id }],
      `${actor.email} added entitlement ${input.productCode} in ${input.country} until ${input.contractEndDate} to ${account.name}`,
    );
    return entitlement;
  });
}

/** Entitlements are visible to the account's IMS admins only: anyone else gets NOT_FOUND. */
export async function removeEntitlement(
  { db, actor, now }: ServiceContext,
  input: { entitlementId: string },
): Promise<EntitlementRow> {
  return inTransaction(db, async (tx) => {
    const entitlement = await one(tx.select().from(entitlements).where(eq(entitlements.id, input.entitlementId)));
    const notFound = () => new AppError('NOT_FOUND', 'no such entitlement', ['input', 'entitlementId']);
    if (!entitlement) throw notFound();
    assertAuthorized(
      await loadSubject(tx, actor),
      { action: 'entitlement.read', accountId: entitlement.accountId },
      notFound,
    );
    const account = await accountFacts(tx, entitlement.accountId);
    await tx.delete(entitlements).where(eq(entitlements.id, entitlement.id));
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'removeEntitlement',
      [{ type: 'Entitlement', id: entitlement.id }],
      `${actor.email} removed entitlement ${entitlement.productCode} in ${entitlement.country} from ${account.name}`,
    );
    return entitlement;
  });
}
