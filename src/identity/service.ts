// §1 use cases: load state, authorize through the domain rules, write in one transaction with an
// audit entry, return what was written (or throw a typed AppError / AccessDenied; nothing is written).
import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, type SQL, sql } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../audit/service.js';
import type { Identity } from '../auth/tokens.js';
import { assertAuthorized, loadSubject, type Subject } from '../authz/authorize.js';
import { type Db, inTransaction, type Reader, type Tx } from '../db/client.js';
import {
  type AccountRow,
  type AssociationRow,
  accountDomains,
  accounts,
  associations,
  type EntitlementRow,
  entitlements,
  type ImsRole,
  imsRoles,
  type UserRow,
  users,
} from '../db/schema.js';
import { AppError } from '../errors.js';
import {
  type AccountFacts,
  assertKeepsAccountAdmin,
  assertMayAssociate,
  assertMayCreateAccount,
  assertMayJoin,
  assertNewEntitlement,
  associationLicensingNotice,
  isoDate,
  normalizeDomains,
  normalizeEmail,
} from './rules.js';

/** What every service call needs: the database, who acts, and the clock (tests pin it). */
export interface ServiceContext {
  db: Db;
  actor: UserRow;
  now: Date;
}

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

/** ID-6 in SQL (the query form of isContractActive): the entitlement's contract has not ended. */
export function entitlementActiveAt(now: Date): SQL {
  return gte(entitlements.contractEndDate, isoDate(now));
}

function accountFacts(tx: Reader, accountId: string): AccountFacts & { row: AccountRow } {
  const row = tx.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!row) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
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
function requireImsAdmin(tx: Reader, actor: UserRow, account: AccountFacts): Subject {
  const subject = loadSubject(tx, actor);
  assertAuthorized(subject, { action: 'account.administer', accountId: account.id });
  return subject;
}

function userByEmail(tx: Reader, rawEmail: string): UserRow {
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

function memberOf(tx: Reader, account: AccountFacts, userId: string): UserRow {
  const user = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.homeAccountId !== account.id) {
    throw new AppError('NOT_A_MEMBER', `that user is not a member of ${account.name}`, ['input', 'userId']);
  }
  return user;
}

function countAccountAdmins(tx: Reader, accountId: string): number {
  const row = tx
    .select({ n: sql<number>`count(*)` })
    .from(imsRoles)
    .where(and(eq(imsRoles.accountId, accountId), eq(imsRoles.role, 'ACCOUNT_ADMIN')))
    .get();
  return row?.n ?? 0;
}

/** The audit entry of an action on an account: shown in its log, the account first among the targets. */
function auditAccount(
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

// ---------------------------------------------------------------------------------------------
// ID-1 profiles

export interface RegisterProfileInput {
  displayName?: string | null;
  usageCountry: string;
}

/** ID-1: a person registers their own profile, under the email their token carries. */
export function registerProfile(db: Db, identity: Identity, input: RegisterProfileInput, now: Date): UserRow {
  const email = normalizeEmail(identity.email);
  return inTransaction(db, (tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
      throw new AppError('PROFILE_EXISTS', `a profile is already registered for ${email}`);
    }
    const user = tx
      .insert(users)
      .values({
        id: randomUUID(),
        email,
        displayName: input.displayName?.trim() || identity.name || email.slice(0, email.indexOf('@')),
        usageCountry: input.usageCountry,
        homeAccountId: null,
        createdAt: now,
      })
      .returning()
      .get();
    appendAudit(tx, {
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
export function updateProfile({ db, actor, now }: ServiceContext, input: UpdateProfileInput): UserRow {
  return inTransaction(db, (tx) => {
    const changes: Partial<UserRow> = {};
    if (input.displayName != null) changes.displayName = input.displayName.trim();
    if (input.usageCountry != null) changes.usageCountry = input.usageCountry;
    const user =
      Object.keys(changes).length > 0
        ? tx.update(users).set(changes).where(eq(users.id, actor.id)).returning().get()
        : actor;
    appendAudit(tx, {
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

// ---------------------------------------------------------------------------------------------
// ID-2 / ID-3 accounts and members

export interface CreateAccountInput {
  name: string;
  emailDomains: readonly string[];
}

export function createAccount({ db, actor, now }: ServiceContext, input: CreateAccountInput): AccountRow {
  const name = input.name.trim();
  const domains = normalizeDomains(input.emailDomains, ['input', 'emailDomains']);
  return inTransaction(db, (tx) => {
    const creator = tx.select().from(users).where(eq(users.id, actor.id)).get() ?? actor;
    assertMayCreateAccount(creator, domains);
    if (tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.nameKey, name.toLowerCase())).get()) {
      throw new AppError('ACCOUNT_NAME_TAKEN', `an account named "${name}" already exists`, ['input', 'name']);
    }
    const taken = tx
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(inArray(accountDomains.domain, domains))
      .all();
    if (taken.length > 0) {
      const first = taken[0]?.domain ?? '';
      throw new AppError('DOMAIN_TAKEN', `the domain "${first}" already belongs to another account`, [
        'input',
        'emailDomains',
        String(domains.indexOf(first)),
      ]);
    }
    const account = tx
      .insert(accounts)
      .values({ id: randomUUID(), name, nameKey: name.toLowerCase(), createdAt: now })
      .returning()
      .get();
    tx.insert(accountDomains)
      .values(domains.map((domain) => ({ domain, accountId: account.id })))
      .run();
    tx.update(users).set({ homeAccountId: account.id }).where(eq(users.id, actor.id)).run();
    tx.insert(imsRoles)
      .values({ accountId: account.id, userId: actor.id, role: 'ACCOUNT_ADMIN', createdAt: now })
      .run();
    auditAccount(
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
export function addAccountMember({ db, actor, now }: ServiceContext, input: MemberInput): UserRow {
  return inTransaction(db, (tx) => {
    const account = accountFacts(tx, input.accountId);
    requireImsAdmin(tx, actor, account);
    const user = userByEmail(tx, input.email);
    assertMayJoin(account, user);
    const updated = tx.update(users).set({ homeAccountId: account.id }).where(eq(users.id, user.id)).returning().get();
    tx.delete(associations)
      .where(and(eq(associations.accountId, account.id), eq(associations.userId, user.id)))
      .run();
    auditAccount(
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
export function removeAccountMember({ db, actor, now }: ServiceContext, input: AccountUserInput): UserRow {
  return inTransaction(db, (tx) => {
    const account = accountFacts(tx, input.accountId);
    const subject = requireImsAdmin(tx, actor, account);
    const user = memberOf(tx, account, input.userId);
    const targetRoles = memberRoles(tx, account.id, user.id);
    assertAuthorized(subject, { action: 'account.removeMember', accountId: account.id, targetRoles });
    if (targetRoles.includes('ACCOUNT_ADMIN')) assertKeepsAccountAdmin(countAccountAdmins(tx, account.id) - 1);
    tx.delete(imsRoles)
      .where(and(eq(imsRoles.accountId, account.id), eq(imsRoles.userId, user.id)))
      .run();
    const updated = tx.update(users).set({ homeAccountId: null }).where(eq(users.id, user.id)).returning().get();
    auditAccount(
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

// ---------------------------------------------------------------------------------------------
// ID-4 IMS roles

export interface RoleInput extends AccountUserInput {
  role: ImsRole;
}

/** ID-4: the account, the member and their roles, once the actor may manage `input.role` for them. */
function roleChange(tx: Reader, actor: UserRow, input: RoleInput) {
  const account = accountFacts(tx, input.accountId);
  const subject = requireImsAdmin(tx, actor, account);
  const user = memberOf(tx, account, input.userId);
  const targetRoles = memberRoles(tx, account.id, user.id);
  assertAuthorized(subject, { action: 'account.manageRole', accountId: account.id, role: input.role, targetRoles });
  return { account, user, targetRoles };
}

export function grantImsRole({ db, actor, now }: ServiceContext, input: RoleInput): UserRow {
  return inTransaction(db, (tx) => {
    const { account, user, targetRoles } = roleChange(tx, actor, input);
    if (targetRoles.includes(input.role)) {
      throw new AppError('ROLE_ALREADY_HELD', `${user.email} already holds ${input.role}`, ['input', 'role']);
    }
    tx.insert(imsRoles).values({ accountId: account.id, userId: user.id, role: input.role, createdAt: now }).run();
    auditAccount(
      tx,
      { actor, now },
      account.id,
      'grantImsRole',
      [{ type: 'User', id: user.id }],
      `${actor.email} granted ${input.role} in ${account.name} to ${user.email}`,
    );
    return user;
  });
}

export function revokeImsRole({ db, actor, now }: ServiceContext, input: RoleInput): UserRow {
  return inTransaction(db, (tx) => {
    const { account, user, targetRoles } = roleChange(tx, actor, input);
    if (!targetRoles.includes(input.role)) {
      throw new AppError('ROLE_NOT_HELD', `${user.email} does not hold ${input.role}`, ['input', 'role']);
    }
    if (input.role === 'ACCOUNT_ADMIN') assertKeepsAccountAdmin(countAccountAdmins(tx, account.id) - 1);
    tx.delete(imsRoles)
      .where(and(eq(imsRoles.accountId, account.id), eq(imsRoles.userId, user.id), eq(imsRoles.role, input.role)))
      .run();
    auditAccount(
      tx,
      { actor, now },
      account.id,
      'revokeImsRole',
      [{ type: 'User', id: user.id }],
      `${actor.email} revoked ${input.role} in ${account.name} from ${user.email}`,
    );
    return user;
  });
}

// ---------------------------------------------------------------------------------------------
// ID-5 associations

export interface AssociationResult {
  association: AssociationRow;
  licensingNotice: string;
}

export function associateExternalUser({ db, actor, now }: ServiceContext, input: MemberInput): AssociationResult {
  return inTransaction(db, (tx) => {
    const account = accountFacts(tx, input.accountId);
    requireImsAdmin(tx, actor, account);
    const user = userByEmail(tx, input.email);
    const existing = tx
      .select({ id: associations.id })
      .from(associations)
      .where(and(eq(associations.accountId, account.id), eq(associations.userId, user.id)))
      .get();
    assertMayAssociate(account, user, existing !== undefined);
    const association = tx
      .insert(associations)
      .values({ id: randomUUID(), accountId: account.id, userId: user.id, createdById: actor.id, createdAt: now })
      .returning()
      .get();
    const licensingNotice = associationLicensingNotice(account.name);
    auditAccount(
      tx,
      { actor, now },
      account.id,
      'associateExternalUser',
      [
        { type: 'Association', id: association.id },
        { type: 'User', id: user.id },
      ],
      `${actor.email} associated external user ${user.email} with ${account.name}. ${licensingNotice}`,
    );
    return { association, licensingNotice };
  });
}

/**
 * ID-5: removes the association and with it both sign-in and licensing through it. An association
 * the caller cannot see (not an IMS admin of its account, and not the associated user) answers
 * NOT_FOUND, exactly like a missing one.
 */
export function removeExternalAssociation(
  { db, actor, now }: ServiceContext,
  input: { associationId: string },
): AssociationRow {
  return inTransaction(db, (tx) => {
    const association = tx.select().from(associations).where(eq(associations.id, input.associationId)).get();
    const notFound = new AppError('NOT_FOUND', 'no such association', ['input', 'associationId']);
    if (!association) throw notFound;
    const account = accountFacts(tx, association.accountId);
    assertAuthorized(
      loadSubject(tx, actor),
      { action: 'association.remove', accountId: account.id, userId: association.userId },
      () => notFound,
    );
    tx.delete(associations).where(eq(associations.id, association.id)).run();
    const user = tx.select({ email: users.email }).from(users).where(eq(users.id, association.userId)).get();
    auditAccount(
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

// ---------------------------------------------------------------------------------------------
// ID-6 entitlements

export interface AddEntitlementInput {
  accountId: string;
  productCode: string;
  country: string;
  contractEndDate: string;
}

export function addEntitlement({ db, actor, now }: ServiceContext, input: AddEntitlementInput): EntitlementRow {
  return inTransaction(db, (tx) => {
    const account = accountFacts(tx, input.accountId);
    requireImsAdmin(tx, actor, account);
    const duplicate = tx
      .select({ id: entitlements.id })
      .from(entitlements)
      .where(
        and(
          eq(entitlements.accountId, account.id),
          eq(entitlements.productCode, input.productCode),
          eq(entitlements.country, input.country),
        ),
      )
      .get();
    assertNewEntitlement(input.contractEndDate, now, duplicate !== undefined);
    const entitlement = tx
      .insert(entitlements)
      .values({
        id: randomUUID(),
        accountId: account.id,
        productCode: input.productCode,
        country: input.country,
        contractEndDate: input.contractEndDate,
        createdAt: now,
      })
      .returning()
      .get();
    auditAccount(
      tx,
      { actor, now },
      account.id,
      'addEntitlement',
      [{ type: 'Entitlement', id: entitlement.id }],
      `${actor.email} added entitlement ${input.productCode} in ${input.country} until ${input.contractEndDate} to ${account.name}`,
    );
    return entitlement;
  });
}

/** Entitlements are visible to the account's IMS admins only: anyone else gets NOT_FOUND. */
export function removeEntitlement(
  { db, actor, now }: ServiceContext,
  input: { entitlementId: string },
): EntitlementRow {
  return inTransaction(db, (tx) => {
    const entitlement = tx.select().from(entitlements).where(eq(entitlements.id, input.entitlementId)).get();
    const notFound = () => new AppError('NOT_FOUND', 'no such entitlement', ['input', 'entitlementId']);
    if (!entitlement) throw notFound();
    assertAuthorized(
      loadSubject(tx, actor),
      { action: 'entitlement.read', accountId: entitlement.accountId },
      notFound,
    );
    const account = accountFacts(tx, entitlement.accountId);
    tx.delete(entitlements).where(eq(entitlements.id, entitlement.id)).run();
    auditAccount(
      tx,
      { actor, now },
      account.id,
      'removeEntitlement',
      [{ type: 'Entitlement', id: entitlement.id }],
      `${actor.email} removed entitlement ${entitlement.productCode} in ${entitlement.country} from ${account.name}`,
    );
    return entitlement;
  });
}

export type { Tx };
