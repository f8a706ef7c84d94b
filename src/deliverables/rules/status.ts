// §7 DM-1: the status of a named user, computed when read, from their data-source user's email
// (never its identity), the registered profiles, the project's internal domain and the last
// synchronization's record (see SyncRecord).
import type { Step } from '../../access/rules/access.js';
import type { SyncRecord } from './facts.js';

export const DM_STATUSES = [
  'EMAIL_ADDRESS_MISSING',
  'IMS_ACCOUNT_MISSING',
  'NO_ACCESS_YET',
  'ACTIVE_USER',
  'DIFFERENT_EMAIL_DOMAIN',
] as const;
export type DmStatus = (typeof DM_STATUSES)[number];

/** DM-1: a status after which the user has been synchronized (may be a team member). */
export function isSynchronizedStatus(status: DmStatus): boolean {
  return status === 'ACTIVE_USER' || status === 'DIFFERENT_EMAIL_DOMAIN';
}

/** DM-1: the data-source email as DM compares it: trimmed, lower-cased; blank counts as missing. */
export function normalizeDataSourceEmail(raw: string | null): string | null {
  const email = raw?.trim().toLowerCase() ?? '';
  return email === '' ? null : email;
}

export interface StatusFacts {
  /** Already normalized (normalizeDataSourceEmail). */
  email: string | null;
  /** The registered profile with that email, if any. */
  profileId: string | null;
  internalDomain: string;
  record: SyncRecord | null;
}

export interface StatusDecision {
  status: DmStatus;
  steps: Step[];
}

/** DM-1: the domain comparison; the internal domain is stored lower-case, compared so anyway. */
export function isInternalEmail(email: string, internalDomain: string): boolean {
  // emailDomain(email) === internalDomain.toLowerCase(), without slicing the email (asked per named user).
  const domain = internalDomain.toLowerCase();
  const at = email.lastIndexOf('@') + 1;
  return email.length - at === domain.length && email.startsWith(domain, at);
}

export function namedUserStatus(facts: StatusFacts): StatusDecision {
  const steps: Step[] = [];
  return { status: decideStatus(facts, steps), steps };
}

/** DM-1: namedUserStatus's status alone (no explanation built: a work area may name 10,000 users). */
export function dmStatus(facts: StatusFacts): DmStatus {
  return decideStatus(facts, null);
}

/** The one DM-1 decision; its steps are written to `steps` unless it is null. */
function decideStatus(facts: StatusFacts, steps: Step[] | null): DmStatus {
  const { email, profileId, record } = facts;
  if (email === null) {
    steps?.push({ rule: 'DM-1', outcome: 'FAILED', detail: 'The data-source user has no email address.' });
    return 'EMAIL_ADDRESS_MISSING';
  }
  steps?.push({ rule: 'DM-1', outcome: 'PASSED', detail: `The data-source user's email is ${email}.` });
  if (profileId === null) {
    steps?.push({ rule: 'DM-1', outcome: 'FAILED', detail: `No registered identity profile has the email ${email}.` });
    return 'IMS_ACCOUNT_MISSING';
  }
  steps?.push({ rule: 'DM-1', outcome: 'PASSED', detail: `${email} is a registered identity profile.` });
  if (record === null || record.email !== email || record.profileId !== profileId) {
    const why =
      record === null
        ? 'Not synchronized since becoming a named user'
        : record.email !== email
          ? `Last synchronized with another email (${record.email})`
          : 'Last synchronized with another identity profile';
    steps?.push({ rule: 'DM-1', outcome: 'FAILED', detail: `${why}: joins at the next synchronization.` });
    return 'NO_ACCESS_YET';
  }
  steps?.push({ rule: 'DM-1', outcome: 'PASSED', detail: 'Synchronized with this email and profile.' });
  if (isInternalEmail(email, facts.internalDomain)) {
    steps?.push({
      rule: 'DM-1',
      outcome: 'PASSED',
      detail: `The email is in the internal domain ${facts.internalDomain}.`,
    });
    return 'ACTIVE_USER';
  }
  steps?.push({
    rule: 'DM-1',
    outcome: 'APPLIED',
    detail: `The email is not in the internal domain ${facts.internalDomain}: no default or inherited permissions.`,
  });
  return 'DIFFERENT_EMAIL_DOMAIN';
}
