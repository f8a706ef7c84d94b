// §1 Identity: accounts, users, associations, entitlements. Pure rules: plain data in, decisions out.
import type { ImsRole } from '../db/schema.js';
import { AppError, forbidden } from '../errors.js';

// ---------------------------------------------------------------------------------------------
// ID-1 emails. A deliberate subset of RFC 5322 addr-spec: exactly one "@", a non-empty local part of
// printable characters without spaces, and a domain made of dot-separated DNS labels (at least one
// dot). Written here rather than taken from a library because the rule is the product's own
// definition (graphql-scalars' EmailAddress, for instance, accepts "a@localhost").
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** ID-2 domain syntax: lower-case DNS labels, at least two, at most 253 characters. */
export function isValidDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l));
}

/** ID-1: normalizes (trim, lower-case) and validates an email; throws INVALID_EMAIL. */
export function normalizeEmail(raw: string, path?: string[]): string {
  const email = raw.trim().toLowerCase();
  const at = email.indexOf('@');
  const valid =
    email.length <= 254 &&
    at > 0 &&
    at === email.lastIndexOf('@') &&
    at <= 64 &&
    LOCAL_PART.test(email.slice(0, at)) &&
    !email.startsWith('.') &&
    !email.slice(0, at).endsWith('.') &&
    isValidDomain(email.slice(at + 1));
  if (!valid) {
    throw new AppError(
      'INVALID_EMAIL',
      `"${raw}" is not a valid email address (one "@", a local part, and a domain with a dot)`,
      path,
    );
  }
  return email;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** ID-2: normalizes a list of domains; throws INVALID_DOMAIN naming the first bad one. */
export function normalizeDomains(raw: readonly string[], path: string[]): string[] {
  const out: string[] = [];
  raw.forEach((value, i) => {
    const domain = value.trim().toLowerCase().replace(/^@/, '');
    if (!isValidDomain(domain)) {
      throw new AppError('INVALID_DOMAIN', `"${value}" is not a valid email domain`, [...path, String(i)]);
    }
    if (!out.includes(domain)) out.push(domain);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// IMS roles (ID-4) and who counts as an IMS admin.

export const IMS_ADMIN_ROLES: readonly ImsRole[] = ['ACCOUNT_ADMIN', 'CO_ADMINISTRATOR', 'CONNECT_SERVICES_ADMIN'];

/** An IMS admin holds any of the three IMS roles in the account. */
export function isImsAdmin(rolesInAccount: readonly ImsRole[]): boolean {
  return rolesInAccount.some((r) => IMS_ADMIN_ROLES.includes(r));
}

/**
 * ID-4: why `actorRoles` may not grant or revoke `role` for a member who holds `targetRoles`, or null
 * when they may. ACCOUNT_ADMIN: anything. CO_ADMINISTRATOR: anything except ACCOUNT_ADMIN, and nothing
 * on a member who is an ACCOUNT_ADMIN ("or otherwise act on ACCOUNT_ADMINs"). CONNECT_SERVICES_ADMIN:
 * no role management.
 */
export function roleManagementProblem(
  actorRoles: readonly ImsRole[],
  targetRoles: readonly ImsRole[],
  role: ImsRole,
): string | null {
  if (actorRoles.includes('ACCOUNT_ADMIN')) return null;
  if (!actorRoles.includes('CO_ADMINISTRATOR')) {
    return 'only an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the account grants or revokes IMS roles';
  }
  if (role === 'ACCOUNT_ADMIN') return 'a CO_ADMINISTRATOR cannot grant or revoke ACCOUNT_ADMIN';
  return actOnMemberProblem(actorRoles, targetRoles);
}

/** ID-4: a CO_ADMINISTRATOR (or any non-ACCOUNT_ADMIN) may not act on an ACCOUNT_ADMIN. */
export function actOnMemberProblem(actorRoles: readonly ImsRole[], targetRoles: readonly ImsRole[]): string | null {
  return targetRoles.includes('ACCOUNT_ADMIN') && !actorRoles.includes('ACCOUNT_ADMIN')
    ? 'only an ACCOUNT_ADMIN may act on another ACCOUNT_ADMIN'
    : null;
}

/**
 * ID-4: removing a member strips every role they hold, so it needs the right to revoke each of them
 * (a CONNECT_SERVICES_ADMIN, who revokes nothing, removes only members without roles).
 */
export function memberRemovalProblem(actorRoles: readonly ImsRole[], targetRoles: readonly ImsRole[]): string | null {
  for (const role of targetRoles) {
    const problem = roleManagementProblem(actorRoles, targetRoles, role);
    if (problem) return `removing a member revokes their ${role}: ${problem}`;
  }
  return actOnMemberProblem(actorRoles, targetRoles);
}

/** ID-4 as a guard: FORBIDDEN with the reason (authz decides the same from the same function). */
export function assertMayManageRole(actorRoles: readonly ImsRole[], targetRoles: readonly ImsRole[], role: ImsRole) {
  const problem = roleManagementProblem(actorRoles, targetRoles, role);
  if (problem) throw forbidden(problem);
}

/** ID-4: an account always keeps at least one ACCOUNT_ADMIN. */
export function assertKeepsAccountAdmin(accountAdminCountAfter: number): void {
  if (accountAdminCountAfter < 1) {
    throw new AppError(
      'LAST_ACCOUNT_ADMIN',
      'the account must keep at least one ACCOUNT_ADMIN: grant the role to someone else first',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Membership (ID-2, ID-3) and associations (ID-5).

export interface AccountFacts {
  id: string;
  name: string;
  domains: readonly string[];
}

export interface UserFacts {
  id: string;
  email: string;
  homeAccountId: string | null;
}

/** ID-2: a creator must be unaffiliated and one of the new account's domains must be theirs. */
export function assertMayCreateAccount(creator: UserFacts, domains: readonly string[]): void {
  if (creator.homeAccountId !== null) {
    throw new AppError('ALREADY_IN_ACCOUNT', 'you already belong to an account; a user belongs to at most one');
  }
  const own = emailDomain(creator.email);
  if (!domains.includes(own)) {
    throw new AppError(
      'CREATOR_DOMAIN_REQUIRED',
      `one of the account's domains must be your own email domain "${own}"`,
      ['input', 'emailDomains'],
    );
  }
}

/** ID-3: a member is added only if unaffiliated and of one of the account's domains. */
export function assertMayJoin(account: AccountFacts, user: UserFacts): void {
  if (user.homeAccountId === account.id) {
    throw new AppError('ALREADY_MEMBER', `${user.email} is already a member of ${account.name}`, ['input', 'email']);
  }
  if (user.homeAccountId !== null) {
    throw new AppError(
      'USER_IN_ANOTHER_ACCOUNT',
      `${user.email} already belongs to another account; a user belongs to at most one`,
      ['input', 'email'],
    );
  }
  const domain = emailDomain(user.email);
  if (!account.domains.includes(domain)) {
    throw new AppError(
      'EMAIL_DOMAIN_MISMATCH',
      `"${domain}" is not one of ${account.name}'s domains (${account.domains.join(', ')})`,
      ['input', 'email'],
    );
  }
}

/** ID-5: only external users (home account different or none) are associated. */
export function assertMayAssociate(account: AccountFacts, user: UserFacts, alreadyAssociated: boolean): void {
  if (user.homeAccountId === account.id) {
    throw new AppError(
      'NOT_EXTERNAL',
      `${user.email} is a member of ${account.name}; only external users are associated`,
      ['input', 'email'],
    );
  }
  if (alreadyAssociated) {
    throw new AppError('ALREADY_ASSOCIATED', `${user.email} is already associated with ${account.name}`, [
      'input',
      'email',
    ]);
  }
}

/** ID-5: what the association payload and explanations say about licensing. */
export function associationLicensingNotice(accountName: string): string {
  return `Associating a user with ${accountName} also grants them ${accountName}'s licensing: their usage may be billed to ${accountName}.`;
}

// ---------------------------------------------------------------------------------------------
// Entitlements (ID-6).

/** ID-6: product codes are upper-case identifiers (PW_EXPLORER, MICROSTATION, …), 2–40 characters. */
export { PRODUCT_CODE } from '../formats.js';

/** Today's date as `YYYY-MM-DD` in UTC: contract end dates are calendar dates. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** ID-6: an entitlement counts while its contract end date is today or later. */
export function isContractActive(contractEndDate: string, now: Date): boolean {
  return contractEndDate >= isoDate(now);
}

export function assertNewEntitlement(contractEndDate: string, now: Date, duplicate: boolean): void {
  if (!isContractActive(contractEndDate, now)) {
    throw new AppError('CONTRACT_ENDED', `the contract end date ${contractEndDate} is in the past`, [
      'input',
      'contractEndDate',
    ]);
  }
  if (duplicate) {
    throw new AppError(
      'DUPLICATE_ENTITLEMENT',
      'the account already holds an entitlement for this product in this country; remove it first to change its contract end',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// HIS-4 (issue 15): external access that expires. An association (ID-5) and a data-source user of an
// external person (ACC-2) may carry `expiresAt`; from that instant on (exact) it no longer counts.

/** HIS-4: the days an account's default expiry may be set to (about ten years at most). */
export const EXTERNAL_ACCESS_DAYS = { min: 1, max: 3650 } as const;

/** HIS-4: whether a grant expiring at `expiresAt` still counts at `now` (null: it never expires). */
export function grantActive(expiresAt: Date | null, now: Date): boolean {
  return expiresAt === null || expiresAt.getTime() > now.getTime();
}

/**
 * HIS-4: the expiry of a new or confirmed grant — the one asked for (it must be later than now:
 * EXPIRY_IN_PAST), else now + the account's default days, else none.
 */
export function grantExpiry(
  requested: Date | null | undefined,
  defaultDays: number | null,
  now: Date,
  path: string[] = ['input', 'expiresAt'],
): Date | null {
  if (requested != null) {
    if (requested.getTime() <= now.getTime()) {
      throw new AppError('EXPIRY_IN_PAST', `the expiry ${requested.toISOString()} is not after now`, path);
    }
    return requested;
  }
  return defaultDays === null ? null : new Date(now.getTime() + defaultDays * 86_400_000);
}
