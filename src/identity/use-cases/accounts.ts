// ID-2 / ID-3: creating an account, adding and removing members.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { assertAuthorized } from '../../authz/authorize.js';
import { inTransaction } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import {
  type AccountRow,
  accountDomains,
  accounts,
  associations,
  imsRoles,
  type UserRow,
  users,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { assertKeepsAccountAdmin, assertMayCreateAccount, assertMayJoin, normalizeDomains } from '../rules.js';
import {
  accountFacts,
  auditAccount,
  countAccountAdmins,
  memberOf,
  memberRoles,
  requireImsAdmin,
  userByEmail,
} from './shared.js';

// ---------------------------------------------------------------------------------------------
// ID-2 / ID-3 accounts and members

export interface CreateAccountInput {
  name: string;
  emailDomains: readonly string[];
}

export async function createAccount(
  { db, actor, now }: ServiceContext,
  input: CreateAccountInput,
): Promise<AccountRow> {
  const name = input.name.trim();
  const domains = normalizeDomains(input.emailDomains, ['input', 'emailDomains']);
  return inTransaction(db, async (tx) => {
    const creator = (await one(tx.select().from(users).where(eq(users.id, actor.id)))) ?? actor;
    assertMayCreateAccount(creator, domains);
    if (await one(tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.nameKey, name.toLowerCase())))) {
      throw new AppError('ACCOUNT_NAME_TAKEN', `an account named "${name}" already exists`, ['input', 'name']);
    }
    const taken = await tx
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(inArray(accountDomains.domain, domains));
    if (taken.length > 0) {
      const first = taken[0]?.domain ?? '';
      throw new AppError('DOMAIN_TAKEN', `the domain "${first}" already belongs to another account`, [
        'input',
        'emailDomains',
        String(domains.indexOf(first)),
      ]);
    }
    const account = await only(
      tx.insert(accounts).values({ id: randomUUID(), name, nameKey: name.toLowerCase(), createdAt: now }).returning(),
    );
    await tx.insert(accountDomains).values(domains.map((domain) => ({ domain, accountId: account.id })));
    await tx.update(users).set({ homeAccountId: account.id }).where(eq(users.id, actor.id));
    await tx
      .insert(imsRoles)
      .values({ accountId: account.id, userId: actor.id, role: 'ACCOUNT_ADMIN', createdAt: now });
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'createAccount',
      [{ type: 'User', id: actor.id }],
      `${actor.email} created account "${name}" (${domains.join(', ')}) and became its ACCOUNT_ADMIN`,
    );
    return account;
  });
}

export interface MemberInput {
  accountId: string;
  email: string;
}

/** ID-3. A user who was associated with the account as an external user stops being external. */
export async function addAccountMember({ db, actor, now }: ServiceContext, input: MemberInput): Promise<UserRow> {
  return inTransaction(db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, actor, account);
    const user = await userByEmail(tx, input.email);
    assertMayJoin(account, user);
    const updated = await only(
      tx.update(users).set({ homeAccountId: account.id }).where(eq(users.id, user.id)).returning(),
    );
    await tx.delete(associations).where(and(eq(associations.accountId, account.id), eq(associations.userId, user.id)));
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'addAccountMember',
      [{ type: 'User', id: user.id }],
      `${actor.email} added ${user.email} as a member of ${account.name}`,
    );
    return updated;
  });
}

export interface AccountUserInput {
  accountId: string;
  userId: string;
}

/** Removes a member (and their IMS roles); they become unaffiliated. Keeps one ACCOUNT_ADMIN (ID-4). */
export async function removeAccountMember(
  { db, actor, now }: ServiceContext,
  input: AccountUserInput,
): Promise<UserRow> {
  return inTransaction(db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    const subject = await requireImsAdmin(tx, actor, account);
    const user = await memberOf(tx, account, input.userId);
    const targetRoles = await memberRoles(tx, account.id, user.id);
    assertAuthorized(subject, { action: 'account.removeMember', accountId: account.id, targetRoles });
    if (targetRoles.includes('ACCOUNT_ADMIN')) assertKeepsAccountAdmin((await countAccountAdmins(tx, account.id)) - 1);
    await tx.delete(imsRoles).where(and(eq(imsRoles.accountId, account.id), eq(imsRoles.userId, user.id)));
    const updated = await only(tx.update(users).set({ homeAccountId: null }).where(eq(users.id, user.id)).returning());
    await auditAccount(
      tx,
      { actor, now },
      account.id,
      'removeAccountMember',
      [{ type: 'User', id: user.id }],
      `${actor.email} removed ${user.email} from ${account.name}${targetRoles.length ? ` (roles ${targetRoles.join(', ')})` : ''}`,
    );
    return updated;
  });
}
