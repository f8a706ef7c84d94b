// What the identity use cases share: the service context, member facts, ID-6 in SQL, audit.
import { and, eq, gte, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../../audit/service.js';
import { assertAuthorized, loadSubject, type Subject } from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
import { one } from '../../db/query.js';
import {
  type AccountRow,
  accountDomains,
  accounts,
  entitlements,
  type ImsRole,
  imsRoles,
  type UserRow,
  users,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { type AccountFacts, IMS_ADMIN_ROLES, isoDate, normalizeEmail } from '../rules.js';

// ---------------------------------------------------------------------------------------------
// Shared reads (used inside transactions).

/** The IMS roles a member holds in the account (the facts ID-4 decides on about the target). */
export async function memberRoles(db: Reader, accountId: string, userId: string): Promise<ImsRole[]> {
  return (
    await db
      .select({ role: imsRoles.role })
      .from(imsRoles)
      .where(and(eq(imsRoles.accountId, accountId), eq(imsRoles.userId, userId)))
  ).map((r) => r.role);
}

/**
 * ID-6 in SQL (the query form of isContractActive): the entitlement's contract has not ended — at
 * `now`, or, in a prepared statement, on the day its placeholder is given (`isoDate(now)`).
 */
export function entitlementActiveAt(now: Date | Placeholder<string>): SQL {
  return gte(entitlements.contractEndDate, now instanceof Date ? isoDate(now) : now);
}

/** The account with this id; NOT_FOUND (on `input.accountId`) when there is none. */
export async function accountById(tx: Reader, accountId: string): Promise<AccountRow> {
  const row = await one(tx.select().from(accounts).where(eq(accounts.id, accountId)));
  if (!row) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
  return row;
}

export async function accountFacts(tx: Reader, accountId: string): Promise<AccountFacts & { row: AccountRow }> {
  const row = await accountById(tx, accountId);
  const domains = (
    await tx
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(eq(accountDomains.accountId, accountId))
      .orderBy(accountDomains.domain)
  ).map((d) => d.domain);
  return { id: row.id, name: row.name, domains, row };
}

/** §9 / authz: FORBIDDEN unless the actor administers the account (an IMS admin of it). */
export async function requireImsAdmin(tx: Reader, actor: UserRow, account: AccountFacts): Promise<Subject> {
  const subject = await loadSubject(tx, actor);
  assertAuthorized(subject, { action: 'account.administer', accountId: account.id });
  return subject;
}

export async function userByEmail(tx: Reader, rawEmail: string): Promise<UserRow> {
  const email = normalizeEmail(rawEmail, ['input', 'email']);
  const user = await one(tx.select().from(users).where(eq(users.email, email)));
  if (!user) {
    throw new AppError(
      'USER_NOT_FOUND',
      `no identity profile is registered for ${email}; the person must register their own profile first`,
      ['input', 'email'],
    );
  }
  return user;
}

export async function memberOf(tx: Reader, account: AccountFacts, userId: string): Promise<UserRow> {
  const user = await one(tx.select().from(users).where(eq(users.id, userId)));
  if (!user || user.homeAccountId !== account.id) {
    throw new AppError('NOT_A_MEMBER', `that user is not a member of ${account.name}`, ['input', 'userId']);
  }
  return user;
}

export async function countAccountAdmins(tx: Reader, accountId: string): Promise<number> {
  const row = await one(
    tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(imsRoles)
      .where(and(eq(imsRoles.accountId, accountId), eq(imsRoles.role, 'ACCOUNT_ADMIN'))),
  );
  return row?.n ?? 0;
}

/** The audit entry of an action on an account: shown in its log, the account first among the targets. */
export async function auditAccount(
  tx: Tx,
  { actor, now }: Pick<ServiceContext, 'actor' | 'now'>,
  accountId: string,
  action: string,
  targets: TargetRef[],
  summary: string,
) {
  await appendAudit(tx, {
    at: now,
    actor,
    action,
    accountIds: [accountId],
    targets: [{ type: 'Account', id: accountId }, ...targets],
    summary,
  });
}

export type { Tx };

/** ID-4: the users holding an IMS admin role in the account (PRJ-6 grants them every project permission). */
export async function imsAdminIds(db: Reader, accountId: string): Promise<Set<string>> {
  return new Set(
    (
      await db
        .selectDistinct({ userId: imsRoles.userId })
        .from(imsRoles)
        .where(and(eq(imsRoles.accountId, accountId), inArray(imsRoles.role, [...IMS_ADMIN_ROLES])))
    ).map((r) => r.userId),
  );
}
