// EXT-5 Opening a project: one pure decision used by both openProject and explainProjectAccess — is
// the caller on the team, and whose license pays (PROJECT_PROVIDED, then LIC-1.3 and LIC-1.4 exactly as
// a sign-in decides them, through access/rules' licenseFromEntitlements), with its ordered steps.
import {
  type AccessDenialReason,
  type AccountRef,
  type EntitlementFacts,
  expiredAssociationSteps,
  licenseFromEntitlements,
  type Step,
} from '../../access/rules/access.js';
import type { LicenseSource } from '../../db/schema.js';

export interface ProjectAccessFacts extends EntitlementFacts {
  caller: EntitlementFacts['caller'] & { email: string };
  project: { number: string; name: string; account: AccountRef };
  /** The caller is on the project's team (PRJ-2: directly or through the associated work area). */
  onTeam: boolean;
  /** EXT-4: the project's provided licenses. */
  provided: { accountIds: ReadonlySet<string>; unaffiliated: boolean };
  /** EXT-2: the caller's home account is an organization linked to the project through DM. */
  homeAccountLinked: boolean;
}

export interface ProjectAccessDecision {
  granted: boolean;
  denialReason: AccessDenialReason | null;
  licenseSource: LicenseSource | null;
  billedAccount: AccountRef | null;
  steps: Step[];
}

/** EXT-4's reason why the project's provided licenses do not cover the caller; null when they do. */
function notProvided(facts: ProjectAccessFacts): string | null {
  const { caller, project, provided } = facts;
  const home = caller.homeAccount;
  if (home && facts.homeAccountLinked) {
    return `${home.name} is linked to project ${project.number} through Deliverables Management (EXT-2): its members bring their own license.`;
  }
  if (home && home.id === project.account.id) {
    return `The caller is a member of the project's own account ${project.account.name}; provided licenses are for other organizations.`;
  }
  if (home && !provided.accountIds.has(home.id)) {
    return `Project ${project.number} does not provide licenses to ${home.name}.`;
  }
  if (!home && !provided.unaffiliated) {
    return `The caller belongs to no account, and project ${project.number} does not provide licenses to unaffiliated users.`;
  }
  return null;
}

export function decideProjectAccess(facts: ProjectAccessFacts): ProjectAccessDecision {
  const steps: Step[] = [];
  const { caller, project } = facts;
  const deny = (reason: AccessDenialReason): ProjectAccessDecision => ({
    granted: false,
    denialReason: reason,
    licenseSource: null,
    billedAccount: null,
    steps,
  });
  const grant = (licenseSource: LicenseSource, billedAccount: AccountRef): ProjectAccessDecision => ({
    granted: true,
    denialReason: null,
    licenseSource,
    billedAccount,
    steps,
  });

  // EXT-5: team members only.
  if (!facts.onTeam) {
    steps.push({
      rule: 'EXT-5',
      outcome: 'FAILED',
      detail: `${caller.email} is not on the team of project ${project.number} "${project.name}".`,
    });
    return deny('NOT_A_TEAM_MEMBER');
  }
  steps.push({
    rule: 'EXT-5',
    outcome: 'PASSED',
    detail: `${caller.email} is on the team of project ${project.number} "${project.name}".`,
  });

  // EXT-4: licenses the project provides, billed to the project's account.
  const entitlementText = `${facts.product} in ${caller.usageCountry}`;
  const whyNot = notProvided(facts);
  if (whyNot !== null) {
    steps.push({ rule: 'EXT-4', outcome: 'SKIPPED', detail: whyNot });
  } else if (!facts.entitledAccountIds.has(project.account.id)) {
    steps.push({
      rule: 'EXT-4',
      outcome: 'SKIPPED',
      detail: `Project ${project.number} provides licenses to ${caller.homeAccount ? caller.homeAccount.name : 'unaffiliated users'}, but ${project.account.name} holds no active entitlement for ${entitlementText}.`,
    });
  } else {
    steps.push({
      rule: 'EXT-4',
      outcome: 'APPLIED',
      detail: `Project ${project.number} provides licenses to ${caller.homeAccount ? caller.homeAccount.name : 'unaffiliated users'} and ${project.account.name} holds an active entitlement for ${entitlementText}: billed to ${project.account.name}.`,
    });
    return grant('PROJECT_PROVIDED', project.account);
  }

  // LIC-1.3 and LIC-1.4, as a sign-in decides them (HIS-4: expired associations no longer count); else
  // LIC-1.5 NO_LICENSE.
  expiredAssociationSteps(facts, steps, 'licensing (LIC-1.4)');
  const license = licenseFromEntitlements(facts, steps);
  return license ? grant(license.licenseSource, license.billedAccount) : deny('NO_LICENSE');
}
