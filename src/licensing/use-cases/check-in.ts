// LIC-9: checking a checkout in (the issuing admins, or the user it was issued to).
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type LicenseCheckoutRow, licenseCheckouts } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { checkoutStatus } from '../rules/checkouts.js';

// ---------------------------------------------------------------------------------------------
// LIC-9 check-in

export async function checkInLicense(ctx: ServiceContext, input: { checkoutId: string }): Promise<LicenseCheckoutRow> {
  return inTransaction(ctx.db, async (tx) => {
    const checkout = await one(tx.select().from(licenseCheckouts).where(eq(licenseCheckouts.id, input.checkoutId)));
    const notFound = () => new AppError('NOT_FOUND', 'no such checkout', ['input', 'checkoutId']);
    if (!checkout) throw notFound();
    assertAuthorized(
      await loadSubject(tx, ctx.actor),
      { action: 'checkout.checkIn', accountId: checkout.accountId, email: checkout.email },
      notFound,
    );
    const status = checkoutStatus(checkout, ctx.now);
    if (status === 'CHECKED_IN')
      throw new AppError('CHECKED_IN', 'this checkout is already checked in', ['input', 'checkoutId']);
    if (status === 'EXPIRED')
      throw new AppError('EXPIRED', 'this checkout has already expired', ['input', 'checkoutId']);
    const updated = await only(
      tx
        .update(licenseCheckouts)
        .set({ checkedInAt: ctx.now, checkedInById: ctx.actor.id })
        .where(eq(licenseCheckouts.id, checkout.id))
        .returning(),
    );
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'checkInLicense',
      accountIds: [checkout.accountId],
      targets: [{ type: 'LicenseCheckout', id: checkout.id }],
      summary: `${ctx.actor.email} checked in the license of ${checkout.email} on ${checkout.machineName}${checkout.email === ctx.actor.email ? ' (from the license tool)' : ''}`,
    });
    return updated;
  });
}
