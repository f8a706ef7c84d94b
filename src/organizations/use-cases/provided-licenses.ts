// EXT-4 use case: the project's "provide license for external organizations" setting — the accounts
// (never the project's own) and the UNAFFILIATED flag whose members' use is billed to the project's
// account.
import { eq } from 'drizzle-orm';
import { inTransaction } from '../../db/client.js';
import { one } from '../../db/query.js';
import { accounts, providedLicenseFlags, providedLicenses } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { auditProject, projectFor } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';

export interface ProvidedLicensesInput {
  projectId: string;
  accountIds: readonly string[];
  unaffiliated: boolean;
}

/** EXT-4: replace the setting (an IMS admin of the project's account who is also a Project Owner). */
export async function setProvidedLicenses(ctx: ServiceContext, input: ProvidedLicensesInput) {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, input.projectId, 'providedLicenses.change');
    // Errors name the position in the input as given (duplicates are listed once).
    for (const [i, id] of input.accountIds.entries()) {
      const at = ['input', 'accountIds', String(i)];
      const account = await one(tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, id)));
      if (!account) throw new AppError('NOT_FOUND', 'no such account', at);
      if (account.id === project.accountId) {
        throw new AppError('OWN_ACCOUNT', "the project's own account pays for its members already", at);
      }
    }
    const accountIds = [...new Set(input.accountIds)];
    await tx.delete(providedLicenses).where(eq(providedLicenses.projectId, project.id));
    if (accountIds.length > 0) {
      await tx
        .insert(providedLicenses)
        .values(accountIds.map((accountId) => ({ projectId: project.id, accountId, createdAt: ctx.now })));
    }
    await tx
      .insert(providedLicenseFlags)
      .values({ projectId: project.id, unaffiliated: input.unaffiliated })
      .onConflictDoUpdate({ target: providedLicenseFlags.projectId, set: { unaffiliated: input.unaffiliated } });
    await auditProject(
      tx,
      ctx,
      project,
      'setProvidedLicenses',
      accountIds.map((id) => ({ type: 'Account', id })),
      `provides licenses to ${accountIds.length} account(s)${input.unaffiliated ? ' and to unaffiliated users' : ''}`,
    );
    return project;
  });
}
