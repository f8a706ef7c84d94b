// What the identity use cases share: the service context, member facts, ID-6 in SQL, audit.
import { and, eq, gte, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../../audit/service.js';
import { assertAuthorized, loadSubject, type Subject } from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
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
export function memberRoles(db: Reader, accountId: string, userId: string): ImsRole[] {
  return db
    .select({ role: imsRoles.role })
    .from(imsRoles)
    .where(and(eq(imsRoles.accountId, accountId), eq(imsRoles.userId, userId)))
    .all()
    .map((r) => r.role);
}

/**
 * ID-6 in SQL (the query form of isContractActive): the entitlement's contract has not ended — at
 * `now`, or, in a prepared statement, on the day its placeholder is given (`isoDate(now)`).
 */
export function entitlementActiveAt(now: Date | Placeholder<string>): SQL {
  return gte(entitlements.contractEndDate, now instanceof Date ? isoDate(now) : now);
}

/** The account with this id; NOT_FOUND (on `input.accountId`) when there is none. */
export function accountById(tx: Reader, accountId: string): AccountRow {
  const row = tx.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
  return row;
}

export function accountFacts(tx: Reader, accountId: string): AccountFacts & { row: AccountRow } {
  const row = accountById(tx, accountId);
  const domains = tx
    .select({ domain: accountDomains.domain })
    .from(accountDomains)
    .where(eq(accountDomains.accountId, accountId))
    .orderBy(accountDomains.domain)
    .all()
    .map((d) => d.domain);
  return { id: row.id, name: row.name, domains, row };
}

/** §9 / authz: FORBIDDEN unless the actor administers the account (an IMS admin of it). */
export function requireImsAdmin(tx: Reader, actor: UserRow, account: AccountFacts): Subject {
  const subject = loadSubject(tx, actor);
  assertAuthorized(subject, { action: 'account.administer', accountId: account.id });
  return subject;
}

export function userByEmail(tx: Reader, rawEmail: string): UserRow {
  const email = normalizeEmail(rawEmail, ['input', 'email']);
  const user = tx.select().from(users).where(eq(users.email, email)).get();
  if (!user) {
    throw new AppError(
      'USER_NOT_FOUND',
      `no identity profile is registered for ${email}; the person must register their own profile first`,
      ['input', 'email'],
    );
  }
  return user;
}

export function memberOf(tx: Reader, account: AccountFacts, userId: string): UserRow {
  const user = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.homeAccountId !== account.id) {
    throw new AppError('NOT_A_MEMBER', `that user is not a member of ${account.name}`, ['input', 'userId']);
  }
  return user;
}

export function countAccountAdmins(tx: Reader, accountId: string): number {
  const row = tx
    .select({ n: sql<number>`count(*)` })
    .from(imsRoles)
    .where(and(eq(imsRoles.accountId, accountId), eq(imsRoles.role, 'ACCOUNT_ADMIN')))
    .get();
  return row?.n ?? 0;
}

/** The audit entry of an action on an account: shown in its log, the account first among the targets. */
export function auditAccount(
  tx: Tx,
  { actor, now }: Pick<ServiceContext, 'actor' | 'now'>,
  accountId: string,
  action: string,
  targets: TargetRef[],
  summary: string,
) {
  appendAudit(tx, {
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
export function imsAdminIds(db: Reader, accountId: string): Set<string> {
  return new Set(
    db
      .selectDistinct({ userId: imsRoles.userId })
      .from(imsRoles)
      .where(and(eq(imsRoles.accountId, accountId), inArray(imsRoles.role, [...IMS_ADMIN_ROLES])))
      .all()
      .map((r) => r.userId),
  );
}
