// ID-1: registering and updating your own profile.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import type { Identity } from '../../auth/tokens.js';
import { type Db, inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type UserRow, users } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { normalizeEmail } from '../rules.js';

// ---------------------------------------------------------------------------------------------
// ID-1 profiles

export interface RegisterProfileInput {
  displayName?: string | null;
  usageCountry: string;
}

/** ID-1: a person registers their own profile, under the email their token carries. */
export async function registerProfile(
  db: Db,
  identity: Identity,
  input: RegisterProfileInput,
  now: Date,
): Promise<UserRow> {
  const email = normalizeEmail(identity.email);
  return inTransaction(db, async (tx) => {
    if (await one(tx.select({ id: users.id }).from(users).where(eq(users.email, email)))) {
      throw new AppError('PROFILE_EXISTS', `a profile is already registered for ${email}`);
    }
    const user = await only(
      tx
        .insert(users)
        .values({
          id: randomUUID(),
          email,
          displayName: input.displayName?.trim() || identity.name || email.slice(0, email.indexOf('@')),
          usageCountry: input.usageCountry,
          homeAccountId: null,
          createdAt: now,
        })
        .returning(),
    );
    await appendAudit(tx, {
      at: now,
      actor: user,
      action: 'registerProfile',
      accountIds: [],
      targets: [{ type: 'User', id: user.id }],
      summary: `${email} registered their profile`,
    });
    return user;
  });
}

export interface UpdateProfileInput {
  displayName?: string | null;
  usageCountry?: string | null;
}

/** A user edits their own display name and usage country (ID-6 `usageCountry`). */
export async function updateProfile({ db, actor, now }: ServiceContext, input: UpdateProfileInput): Promise<UserRow> {
  return inTransaction(db, async (tx) => {
    const changes: Partial<UserRow> = {};
    if (input.displayName != null) changes.displayName = input.displayName.trim();
    if (input.usageCountry != null) changes.usageCountry = input.usageCountry;
    const user =
      Object.keys(changes).length > 0
        ? await only(tx.update(users).set(changes).where(eq(users.id, actor.id)).returning())
        : actor;
    await appendAudit(tx, {
      at: now,
      actor,
      action: 'updateProfile',
      accountIds: user.homeAccountId ? [user.homeAccountId] : [],
      targets: [{ type: 'User', id: user.id }],
      summary: `${actor.email} updated their profile (${Object.keys(changes).join(', ') || 'no change'})`,
    });
    return user;
  });
}
