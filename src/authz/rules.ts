// §9 in one place: one pure decision per action, over the subject (viewer and their IMS roles by
// account) and the facts of the resource. Each answer names the rule and the reason, like the steps
// of decideAccess; a denial is `hidden` when the caller may not even read the object (§9: it must
// then look exactly like a missing one).
import type { ImsRole } from '../db/schema.js';
import { memberRemovalProblem, roleManagementProblem } from '../identity/rules.js';
import type { Action, AuthzRequest, Decision, Subject } from './actions.js';
import { adminOf, allow, type DecisionsFor, deny, hide, rolesIn, type Viewer } from './common.js';
import { PROJECT_DECISIONS } from './projects.js';

/** LIC-5: the roles that issue and check in license checkouts. */
export const CHECKOUT_ADMIN_ROLES: readonly ImsRole[] = ['ACCOUNT_ADMIN', 'CO_ADMINISTRATOR'];

const checkoutAdminOf = (subject: Subject, accountId: string) =>
  rolesIn(subject, accountId).some((r) => CHECKOUT_ADMIN_ROLES.includes(r));

/** One decision per action (§9 table, and every rule that says who may). */
const DECISIONS: DecisionsFor<Action> = {
  ...PROJECT_DECISIONS,
  'account.read': (_subject, _viewer, _request) => {
    return allow('§9', "an account's name is readable by anyone signed in");
  },
  'account.administer': (subject, _viewer, request) => {
    return adminOf(subject, request.accountId)
      ? allow('§9', 'an IMS admin of the account')
      : deny('§9', "only the account's IMS admins may do this");
  },
  'account.readDetails': (subject, viewer, request) => {
    return viewer.homeAccountId === request.accountId || adminOf(subject, request.accountId)
      ? allow('§9', 'a member or an IMS admin of the account')
      : deny('§9', 'beyond its name, an account is for its members and IMS admins to read');
  },
  'account.manageRole': (subject, _viewer, request) => {
    const problem = roleManagementProblem(rolesIn(subject, request.accountId), request.targetRoles, request.role);
    return problem ? deny('ID-4', problem) : allow('ID-4', `may grant and revoke ${request.role}`);
  },
  'account.removeMember': (subject, _viewer, request) => {
    if (!adminOf(subject, request.accountId)) return deny('§9', "only the account's IMS admins may do this");
    const problem = memberRemovalProblem(rolesIn(subject, request.accountId), request.targetRoles);
    return problem ? deny('ID-4', problem) : allow('ID-4', 'may revoke every role the member holds');
  },
  'user.read': (subject, viewer, request) => {
    if (request.userId === viewer.id) return allow('§9', 'your own profile');
    if (adminOf(subject, request.homeAccountId)) return allow('§9', 'an IMS admin of their home account');
    return request.relatedAccountIds.some((id) => adminOf(subject, id))
      ? allow('§9', 'an IMS admin of an account they are associated with, hold a checkout of, or sign in to')
      : hide('§9', 'not a user you may read');
  },
  'user.readRoles': (subject, viewer, request) => {
    if (request.userId === viewer.id || request.homeAccountId === null) return allow('§9', 'nothing to hide');
    return adminOf(subject, request.homeAccountId)
      ? allow('§9', 'an IMS admin of their home account')
      : deny('§9', "a member's IMS roles are for the account's IMS admins to read");
  },
  'association.read': (subject, viewer, request) => {
    return request.userId === viewer.id || adminOf(subject, request.accountId)
      ? allow('ID-5', 'the associated user or an IMS admin of the account')
      : hide('ID-5', 'not an association you may read');
  },
  'association.remove': (subject, viewer, request) => {
    if (adminOf(subject, request.accountId)) return allow('ID-5', 'an IMS admin of the account');
    return request.userId === viewer.id
      ? deny('ID-5', "only the account's IMS admins remove an association")
      : hide('ID-5', 'not an association you may read');
  },
  'entitlement.read': (subject, _viewer, request) => {
    return adminOf(subject, request.accountId)
      ? allow('ID-6', 'an IMS admin of the account')
      : hide('ID-6', "entitlements are for the account's IMS admins");
  },
  'auditEntry.read': (subject, _viewer, request) => {
    return request.accountIds.some((id) => adminOf(subject, id))
      ? allow('§10', 'an IMS admin of an account the entry concerns')
      : hide('§10', 'not in an audit log you may read');
  },
  'checkout.issue': (subject, _viewer, request) => {
    return checkoutAdminOf(subject, request.accountId)
      ? allow('LIC-5', 'an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the issuing account')
      : deny('LIC-5', 'only an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the issuing account manages its checkouts');
  },
  'checkout.read': (subject, viewer, request) => {
    return request.email === viewer.email || adminOf(subject, request.accountId)
      ? allow('LIC-9', 'the user it was issued to or an IMS admin of the issuing account')
      : hide('LIC-9', 'not a checkout you may read');
  },
  'checkout.checkIn': (subject, viewer, request) => {
    if (request.email === viewer.email || checkoutAdminOf(subject, request.accountId)) {
      return allow('LIC-9', 'the user it was issued to or an ACCOUNT_ADMIN / CO_ADMINISTRATOR of the issuing account');
    }
    return adminOf(subject, request.accountId)
      ? deny(
          'LIC-9',
          'only an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the issuing account, or the user, checks a license in',
        )
      : hide('LIC-9', 'not a checkout you may read');
  },
  'dataSource.create': (subject, _viewer, request) => {
    return adminOf(subject, request.accountId)
      ? allow('DS-1', 'an IMS admin of the owner account')
      : deny('DS-1', "only the account's IMS admins create its data sources");
  },
  'dataSource.read': (subject, _viewer, request) => {
    if (adminOf(subject, request.ownerAccountId)) return allow('DS-1', 'an IMS admin of the owner account');
    return adminOf(subject, request.licensingOwnerAccountId)
      ? allow('LIC-3', 'an IMS admin of the licensing owner account (name, owner and access settings)')
      : hide('DS-1', 'not a data source you may read');
  },
  'dataSource.administer': (subject, _viewer, request) => {
    if (adminOf(subject, request.ownerAccountId)) return allow('DS-1', 'an IMS admin of the owner account');
    return adminOf(subject, request.licensingOwnerAccountId)
      ? deny('DS-1', "only IMS admins of the data source's owner account administer it")
      : hide('DS-1', 'not a data source you may read');
  },
  'dataSourceUser.read': (subject, viewer, request) => {
    return request.identity === viewer.email || adminOf(subject, request.ownerAccountId)
      ? allow('DS-3', 'the user who signs in as it, or an IMS admin of the owner account')
      : hide('DS-3', 'not a data-source user you may read');
  },
  'access.explainFor': (subject, _viewer, request) => {
    if (!adminOf(subject, request.ownerAccountId)) {
      return deny('§3', "only IMS admins of the data source's owner account may explain access for another user");
    }
    return request.subjectReadable
      ? allow('§3', 'an IMS admin of the owner account, about a user they may read')
      : hide('§9', 'not a user you may read');
  },
  'licensingOwnerRequest.read': (subject, _viewer, request) => {
    return adminOf(subject, request.ownerAccountId) || adminOf(subject, request.requestedAccountId)
      ? allow('LIC-3', 'an IMS admin of the owner or the requested account')
      : hide('LIC-3', 'not a request you may read');
  },
  'licensingOwnerRequest.answer': (subject, _viewer, request) => {
    if (adminOf(subject, request.requestedAccountId)) return allow('LIC-3', 'an IMS admin of the requested account');
    return adminOf(subject, request.ownerAccountId)
      ? deny('LIC-3', 'only IMS admins of the requested account answer a licensing-owner request (it is their bill)')
      : hide('LIC-3', 'not a request you may read');
  },
  'licensingOwnerRequest.cancel': (subject, _viewer, request) => {
    if (adminOf(subject, request.ownerAccountId)) return allow('LIC-3', 'an IMS admin of the owner account');
    return adminOf(subject, request.requestedAccountId)
      ? deny('LIC-3', 'only IMS admins of the data source’s owner account cancel its request; reject it instead')
      : hide('LIC-3', 'not a request you may read');
  },
};

/** The decision for a request: §9 first (a registered viewer), then the action's own rule. */
export function decide(subject: Subject, request: AuthzRequest): Decision {
  if (!subject.viewer) return deny('§9', 'register your identity profile first (registerProfile)');
  const decision = DECISIONS[request.action] as (subject: Subject, viewer: Viewer, request: AuthzRequest) => Decision;
  return decision(subject, subject.viewer, request);
}
