// The one entry point for "may the caller do this?": Pothos scopes, read checks (node, nodes, every
// field returning an object) and services all ask `authorize`; rules.ts decides. The subject's facts
// (their IMS roles by account) are loaded once per request by the GraphQL context, or inside a
// service's transaction, so a decision and the write it guards see the same data.
import { eq, sql } from 'drizzle-orm';
import type { Reader } from '../db/client.js';
import { statements } from '../db/prepared.js';
import { type ImsRole, imsRoles, type UserRow, users } from '../db/schema.js';
import { AccessDenied } from '../errors.js';
import type { AuthzRequest, Decision, Subject } from './actions.js';
import { decide } from './rules.js';

export type { Action, AuthzRequest, Decision, ProjectFacts, Subject } from './actions.js';
export { viewerPermissions } from './projects.js';

const hot = statements((db) => ({
  rolesOf: db
    .select()
    .from(imsRoles)
    .where(eq(imsRoles.userId, sql.placeholder('userId'))),
  viewerWithRoles: db
    .select({ user: users, role: { accountId: imsRoles.accountId, role: imsRoles.role } })
    .from(users)
    .leftJoin(imsRoles, eq(imsRoles.userId, users.id))
    .where(eq(users.email, sql.placeholder('email'))),
}));

/**
 * The caller's profile (by the email their token names) and their subject, in one statement: the
 * GraphQL context reads both at the start of each request and again after each mutation.
 */
export async function loadViewer(db: Reader, email: string): Promise<{ viewer: UserRow | null; subject: Subject }> {
  const rows = await hot(db).viewerWithRoles.all({ email });
  const viewer = rows[0]?.user ?? null;
  const rolesByAccount = new Map<string, ImsRole[]>();
  for (const { role } of rows) {
    if (role) rolesByAccount.set(role.accountId, [...(rolesByAccount.get(role.accountId) ?? []), role.role]);
  }
  return { viewer, subject: subjectOf(viewer, rolesByAccount) };
}

const subjectOf = (
  viewer: { id: string; email: string; homeAccountId: string | null } | null,
  rolesByAccount: Map<string, ImsRole[]>,
): Subject => ({
  viewer: viewer && { id: viewer.id, email: viewer.email, homeAccountId: viewer.homeAccountId },
  rolesByAccount,
});

/** The subject's facts: their IMS roles by account (ID-4: held in the home account only). */
export async function loadSubject(
  db: Reader,
  viewer: { id: string; email: string; homeAccountId: string | null } | null,
): Promise<Subject> {
  const rolesByAccount = new Map<string, ImsRole[]>();
  if (viewer) {
    for (const r of await hot(db).rolesOf.all({ userId: viewer.id })) {
      rolesByAccount.set(r.accountId, [...(rolesByAccount.get(r.accountId) ?? []), r.role]);
    }
  }
  return subjectOf(viewer, rolesByAccount);
}

export function authorize(subject: Subject, request: AuthzRequest): Decision {
  return decide(subject, request);
}

/**
 * What the IMS admins of an account may do — for answers read in that account's name rather than by
 * one viewer (e.g. an audit entry shown in the account's log). The same decisions, no second copy.
 */
export function accountAdminsMay(accountId: string, request: AuthzRequest): boolean {
  const admins: Subject = {
    viewer: { id: '', email: '', homeAccountId: accountId },
    rolesByAccount: new Map([[accountId, ['ACCOUNT_ADMIN']]]),
  };
  return decide(admins, request).allowed;
}

/**
 * Throws unless allowed: a hidden denial as `notFound()` (§9: exactly what a missing object answers),
 * any other as FORBIDDEN with the decision's reason.
 */
export function assertAuthorized(subject: Subject, request: AuthzRequest, notFound?: () => Error): void {
  const decision = decide(subject, request);
  if (decision.allowed) return;
  if (decision.hidden && notFound) throw notFound();
  throw new AccessDenied('FORBIDDEN', decision.reason);
}
