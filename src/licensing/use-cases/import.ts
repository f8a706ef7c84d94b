// LIC-10: the license tool imports a license file on the user's machine.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { installedLicenses, type LicenseCheckoutRow, licenseCheckouts } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import type { SigningKey } from '../license-keys.js';
import { assertImportable } from '../rules/checkouts.js';
import { verifyLicenseFile } from '../rules/license-file.js';

// ---------------------------------------------------------------------------------------------
// LIC-10 license tool import

/**
 * LIC-10: the user the file was issued to imports it on a machine. The file must verify and name the
 * caller and that machine, and its checkout must be neither expired nor checked in. Importing the
 * same file again on the same machine is harmless (the existing import is returned).
 */
export async function importLicenseFile(
  ctx: ServiceContext,
  signing: SigningKey,
  input: { file: string; machineName: string },
) {
  const verified = verifyLicenseFile(input.file, signing.publicKey);
  if (!verified.ok) throw new AppError(verified.code, verified.reason, ['input', 'file']);
  const license = verified.license;
  return inTransaction(ctx.db, async (tx) => {
    const checkout =
      (await one(tx.select().from(licenseCheckouts).where(eq(licenseCheckouts.id, license.checkoutId)))) ?? null;
    assertImportable(license, checkout, { email: ctx.actor.email, machineName: input.machineName, now: ctx.now });
    const where = and(
      eq(installedLicenses.userId, ctx.actor.id),
      eq(installedLicenses.checkoutId, license.checkoutId),
      eq(installedLicenses.machineName, input.machineName),
    );
    const existing = await one(tx.select().from(installedLicenses).where(where));
    const installed =
      existing ??
      (await only(
        tx
          .insert(installedLicenses)
          .values({
            id: randomUUID(),
            userId: ctx.actor.id,
            checkoutId: license.checkoutId,
            machineName: input.machineName,
            importedAt: ctx.now,
          })
          .returning(),
      ));
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'importLicenseFile',
      accountIds: [license.issuer.accountId],
      targets: [
        { type: 'LicenseCheckout', id: license.checkoutId },
        { type: 'InstalledLicense', id: installed.id },
      ],
      summary: `${ctx.actor.email} imported the reserved ${license.products.map((p) => p.product).join(', ')} license of ${license.issuer.name} on ${input.machineName}${existing ? ' again (already installed)' : ''}`,
    });
    // assertImportable has established that the checkout exists.
    return { ...installed, checkout: checkout as LicenseCheckoutRow };
  });
}
