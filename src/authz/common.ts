// What every decision of authz is built from: the answer shapes (with the rule id and the reason) and
// the subject's IMS roles in an account (ID-4, identity's rule).
import type { ImsRole } from '../db/schema.js';
import { isImsAdmin } from '../identity/rules.js';
import type { Action, AuthzRequest, Decision, Subject } from './actions.js';

export type Viewer = NonNullable<Subject['viewer']>;

/** One decision per action of `A`, over the subject, the registered viewer and the request. */
export type DecisionsFor<A extends Action> = {
  [K in A]: (subject: Subject, viewer: Viewer, request: Extract<AuthzRequest, { action: K }>) => Decision;
};

export const allow = (rule: string, reason: string): Decision => ({ allowed: true, rule, reason });
export const deny = (rule: string, reason: string): Decision => ({ allowed: false, rule, reason, hidden: false });
/** A denial that must look exactly like a missing object (§9). */
export const hide = (rule: string, reason: string): Decision => ({ allowed: false, rule, reason, hidden: true });

export function rolesIn(subject: Subject, accountId: string | null): readonly ImsRole[] {
  return accountId === null ? [] : (subject.rolesByAccount.get(accountId) ?? []);
}

export const adminOf = (subject: Subject, accountId: string | null) => isImsAdmin(rolesIn(subject, accountId));
