// §6 PRJ-2: enabling Deliverables Management on a project, and the internal domain it fixes.
import { emailDomain } from '../../identity/rules.js';
import type { EffectivePermissions } from './effective-permissions.js';

export interface EnableDeliverablesFacts {
  /** The caller's effective permissions in the project (PRJ-8). */
  actor: EffectivePermissions;
  /** The caller's home account is the project's account. */
  actorIsAccountMember: boolean;
  /** The caller's (lower-cased) profile email. */
  actorEmail: string;
  alreadyEnabled: boolean;
}

/**
 * PRJ-2: a Project Owner or an IMS admin of the project's account, who is a member of that account.
 * Interpretation: the membership condition applies to Project Owners too — a Project Owner who left
 * the account (PRJ-1 lets them stay owner) would otherwise fix a foreign domain as the project's
 * internal domain. Failing it is an authorization failure (FORBIDDEN, before any business rule, §9);
 * then DELIVERABLES_ALREADY_ENABLED. The internal domain is the caller's email domain, fixed for good.
 */
export function enableDeliverablesDecision(
  facts: EnableDeliverablesFacts,
): { error: 'FORBIDDEN' | 'DELIVERABLES_ALREADY_ENABLED' } | { internalDomain: string } {
  const { actor } = facts;
  if (!(actor.isProjectOwner || actor.isImsAdmin) || !facts.actorIsAccountMember) return { error: 'FORBIDDEN' };
  if (facts.alreadyEnabled) return { error: 'DELIVERABLES_ALREADY_ENABLED' };
  return { internalDomain: emailDomain(facts.actorEmail.toLowerCase()) };
}
