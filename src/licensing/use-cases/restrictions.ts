// LIC-6: checkout restrictions per account and entitlement country.
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type CheckoutRestrictionRow, checkoutRestrictions } from '../../db/schema.js';
import type { ServiceContext } from '../../service-context.js';
import { DEFAULT_MAX_DURATION_DAYS } from '../rules/checkouts.js';
import { checkoutAdminAccount } from './shared.js';

// ---------------------------------------------------------------------------------------------
// LIC-6 restrictions

export interface RestrictionInput {
  accountId: string;
  country: string;
  checkoutsEnabled?: boolean | null;
  maxDurationDays?: number | null;
  /** undefined: unchanged; null: all products. */
  products?: readonly string[] | null;
}

export async function setCheckoutRestrictions(
  ctx: ServiceContext,
  input: RestrictionInput,
): Promise<CheckoutRestrictionRow> {
  return inTransaction(ctx.db, async (tx) => {
    const account = await checkoutAdminAccount(tx, ctx, input.accountId);
    const current = await one(
      tx
        .select()
        .from(checkoutRestrictions)
        .where(and(eq(checkoutRestrictions.accountId, account.id), eq(checkoutRestrictions.country, input.country))),
    );
    const values = {
      accountId: account.id,
      country: input.country,
      checkoutsEnabled: input.checkoutsEnabled ?? current?.checkoutsEnabled ?? true,
      maxDurationDays: input.maxDurationDays ?? current?.maxDurationDays ?? DEFAULT_MAX_DURATION_DAYS,
      products:
        input.products === undefined
          ? (current?.products ?? null)
          : input.products === null
            ? null
            : [...new Set(input.products)],
      updatedAt: ctx.now,
    };
    const row = await only(
      tx
        .insert(checkoutRestrictions)
        .values(values)
        .onConflictDoUpdate({ target: [checkoutRestrictions.accountId, checkoutRestrictions.country], set: values })
        .returning(),
    );
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'setCheckoutRestrictions',
      accountIds: [account.id],
      targets: [{ type: 'Account', id: account.id }],
      summary: `${ctx.actor.email} set checkout restrictions for ${input.country}: checkouts ${row.checkoutsEnabled ? 'enabled' : 'disabled'}, at most ${row.maxDurationDays} days, ${row.products ? `for ${row.products.join(', ')}` : 'for all products'}`,
    });
    return row;
  });
}
