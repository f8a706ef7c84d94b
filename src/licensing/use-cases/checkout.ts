// LIC-5…LIC-7: one checkout, with its signed license file.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/service.js';
import { inTransaction } from '../../db/client.js';
import type { LicenseCheckoutRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { normalizeEmail } from '../../identity/rules.js';
import type { ServiceContext } from '../../service-context.js';
import type { SigningKey } from '../license-keys.js';
import { signLicense } from '../rules/license-file.js';
import { activeCheckoutKeys, type CheckoutProduct, checkoutTerms, insertCheckouts, licenseContent } from './shared.js';

export interface CreateCheckoutInput {
  accountId: string;
  email: string;
  machineName: string;
  products: readonly CheckoutProduct[];
  entitlementCountry: string;
  expiresAt?: Date | null;
}

/** LIC-5 … LIC-7: reserves a license for one user on one machine and signs its license file. */
export async function createLicenseCheckout(
  ctx: ServiceContext,
  signing: SigningKey,
  input: CreateCheckoutInput,
): Promise<LicenseCheckoutRow> {
  const email = normalizeEmail(input.email, ['input', 'email']);
  const machineName = input.machineName.trim();
  return inTransaction(ctx.db, async (tx) => {
    const terms = await checkoutTerms(tx, ctx, input);
    const codes = terms.products.map((p) => p.product);
    if ((await activeCheckoutKeys(tx, terms.account.id, [email], codes, ctx.now)).has(`${email}|${machineName}`)) {
      throw new AppError(
        'DUPLICATE_CHECKOUT',
        `${email} already has an active checkout of one of these products on ${machineName}`,
        ['input', 'products'],
      );
    }
    const id = randomUUID();
    const licenseFile = signLicense(licenseContent(ctx, terms, id, email, machineName), signing.privateKey);
    const [checkout] = await insertCheckouts(tx, ctx, terms, [{ id, email, machineName, licenseFile }]);
    if (!checkout) throw new Error('the checkout was not inserted');
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'createLicenseCheckout',
      accountIds: [terms.account.id],
      targets: [{ type: 'LicenseCheckout', id: checkout.id }],
      summary: `${ctx.actor.email} checked out ${codes.join(', ')} (${terms.country}) for ${email} on ${machineName} until ${terms.expiresAt.toISOString()}`,
    });
    return checkout;
  });
}
