// ID-5: associating external users (which also grants the account's licensing), and removing that.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type AssociationRow, associations, users } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { assertMayAssociate, associationLicensingNotice, grantExpiry } from '../rules.js';
import type { MemberInput } from './accounts.js';
import { accountFacts, auditAccount, requireImsAdmin, userByEmail } from './shared.js';

// ---------------------------------------------------------------------------------------------
// ID-5 associations

export interface AssociationResult {
  association: AssociationRow;
  licensingNotice: string;
}

export async function associateExternalUser(
  { db, actor, now }: ServiceContext,
  input: MemberInput & { /** HIS-4: null or absent: the account's default. */ expiresAt?: Date | null },
): Promise<AssociationResult> {
  return inTransaction(db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, actor, account);
    const user = await userByEmail(tx, input.email);
    const existing = await one(
      tx
        .select({ id: associations.id })
        .from(associations)
        .where(and(eq(associations.accountId, account.id), eq(associations.userId, user.id))),
    );
    assertMayAssociate(account, user, existing !== undefined);
    const expiresAt = grantExpiry(input.expiresAt, account.row.externalAccessDays, now);
    const association = await only(
      tx
        .insert(associations)
        .values({
          id: randomUUID(),
          accountId: account.id,
          userId: user.id,
          createdById: actor.id,
          createdAt: now,
          expiresAt,
        })
        .returning(),
    );
    const licensingNotice = associationLicensingNotice(account.name);
    const until = expiresAt ? ` It counts until ${expiresAt.toISOString()} (HIS-4).` : '';
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'associateExternalUser',
      [
        { type: 'Association', id: association.id },
        { type: 'User', id: user.id },
      ],
      `${actor.email} associated external user ${user.email} with ${account.name}. ${licensingNotice}${until}`,
    );
    return { association, licensingNotice };
  });
}

/**
 * ID-5: removes the association and with it both sign-in and licensing through it. An association
 * the caller cannot see (not an IMS admin of its account, and not the associated user) answers
 * NOT_FOUND, exactly like a missing one.
 */
export async function removeExternalAssociation(
  { db, actor, now }: ServiceContext,
  input: { associationId: string },
): Promise<AssociationRow> {
  return inTransaction(db, async (tx) => {
    const association = await one(tx.select().from(associations).where(eq(associations.id, input.associationId)));
    const notFound = new AppError('NOT_FOUND', 'no such association', ['input', 'associationId']);
    if (!association) throw notFound;
    const account = await accountFacts(tx, association.accountId);
    assertAuthorized(
      await loadSubject(tx, actor),
      { action: 'association.remove', accountId: account.id, userId: association.userId },
      () => notFound,
    );
    await tx.delete(associations).where(eq(associations.id, association.id));
    const user = await one(tx.select({ email: users.email }).from(users).where(eq(users.id, association.userId)));
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'removeExternalAssociation',
      [
        { type: 'Association', id: association.id },
        { type: 'User', id: association.userId },
      ],
      `${actor.email} removed the association of ${user?.email ?? 'a user'} with ${account.name} (sign-in and licensing)`,
    );
    return association;
  });
}
