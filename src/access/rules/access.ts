// §3 Signing in to a data source, and who pays (ACC-1…ACC-3, LIC-1, LIC-3). One pure decision used by
// both signInToDataSource and explainAccess: plain facts in, a decision with its explanation out.
import type { ClientLicensing, ExternalLicensing, LicenseSource } from '../../db/schema.js';

export const DENIAL_REASONS = [
  'IMS_AUTH_DISABLED',
  'NO_DATASOURCE_ACCOUNT',
  'EXTERNAL_ACCESS_NOT_ALLOWED',
  'LICENSING_OWNER_NOT_SET',
  'NO_LICENSE',
  'NOT_A_TEAM_MEMBER',
  'ACCESS_EXPIRED',
] as const;
export type AccessDenialReason = (typeof DENIAL_REASONS)[number];

export const STEP_OUTCOMES = ['PASSED', 'FAILED', 'SKIPPED', 'IGNORED', 'APPLIED'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export interface Step {
  rule: string;
  outcome: StepOutcome;
  detail: string;
}

export interface AccountRef {
  id: string;
  name: string;
}

export interface AccessFacts {
  product: string;
  machineName: string;
  caller: { email: string; usageCountry: string; homeAccount: AccountRef | null };
  dataSource: {
    name: string;
    owner: AccountRef;
    imsAuthEnabled: boolean;
    /** Accounts named by the identity filter (null: no filter). */
    filterAccountIds: readonly string[] | null;
    licensingOwner: AccountRef | null;
    allowExternalImsUsers: boolean;
    externalLicensing: ExternalLicensing;
  };
  /**
   * The data-source user whose identity is the caller's email, if any; `expiredAt` is set when its
   * access has expired (HIS-4) by the time of the decision.
   */
  dataSourceUser: { id: string; login: string; clientLicensing: ClientLicensing; expiredAt?: Date | null } | null;
  /** The caller's associations (ID-5) that still count, oldest first. */
  associations: readonly AccountRef[];
  /** HIS-4: the caller's associations that expired by the time of the decision, oldest first. */
  expiredAssociations?: readonly { account: AccountRef; expiredAt: Date }[];
  /** LIC-1.1: a reserved license the caller imported on this machine for this product, valid now. */
  reservedCheckout: { checkoutId: string; issuer: AccountRef } | null;
  /** Accounts (among the home account and associated accounts) holding an entitlement for the
   *  product in the caller's usage country whose contract has not ended. */
  entitledAccountIds: ReadonlySet<string>;
}

export interface AccessDecision {
  granted: boolean;
  denialReason: AccessDenialReason | null;
  /** The data-source user used; 'CREATE' when sign-in will create one dynamically (ACC-2). */
  dataSourceUser: { existingId: string } | 'CREATE' | null;
  licenseSource: LicenseSource | null;
  billedAccount: AccountRef | null;
  checkoutId: string | null;
  external: boolean;
  steps: Step[];
}

export function decideAccess(facts: AccessFacts): AccessDecision {
  const steps: Step[] = [];
  const { caller, dataSource: ds } = facts;
  const external = caller.homeAccount?.id !== ds.owner.id;
  /** ACC-2's step when it would create a user — rewritten if a later check refuses (none is created). */
  let creationStep: Step | null = null;
  const deny = (reason: AccessDenialReason, user: AccessDecision['dataSourceUser'] = null): AccessDecision => {
    if (creationStep) {
      creationStep.detail = `No data-source user has the identity ${caller.email}. The identity filter names ${caller.homeAccount?.name}, but since the sign-in is refused no data-source user is created.`;
    }
    return {
      granted: false,
      denialReason: reason,
      // ACC-2: a user is created only by a granted sign-in.
      dataSourceUser: user === 'CREATE' ? null : user,
      licenseSource: null,
      billedAccount: null,
      checkoutId: null,
      external,
      steps,
    };
  };

  // ACC-1
  if (!ds.imsAuthEnabled) {
    steps.push({
      rule: 'ACC-1',
      outcome: 'FAILED',
      detail: `IMS authentication is disabled on data source "${ds.name}".`,
    });
    return deny('IMS_AUTH_DISABLED');
  }
  steps.push({ rule: 'ACC-1', outcome: 'PASSED', detail: `IMS authentication is enabled on "${ds.name}".` });

  // ACC-2
  let user: AccessDecision['dataSourceUser'];
  if (facts.dataSourceUser?.expiredAt) {
    steps.push({
      rule: 'HIS-4',
      outcome: 'FAILED',
      detail: `Data-source user "${facts.dataSourceUser.login}" has the identity ${caller.email}, but its access expired at ${facts.dataSourceUser.expiredAt.toISOString()}: it no longer admits them.`,
    });
    return deny('ACCESS_EXPIRED');
  }
  if (facts.dataSourceUser) {
    user = { existingId: facts.dataSourceUser.id };
    steps.push({
      rule: 'ACC-2',
      outcome: 'PASSED',
      detail: `Data-source user "${facts.dataSourceUser.login}" has the identity ${caller.email}.`,
    });
  } else if (caller.homeAccount && ds.filterAccountIds?.includes(caller.homeAccount.id)) {
    user = 'CREATE';
    creationStep = {
      rule: 'ACC-2',
      outcome: 'PASSED',
      detail: `No data-source user has the identity ${caller.email}; the identity filter names ${caller.homeAccount.name}, so one is created at sign-in (login ${caller.email}).`,
    };
    steps.push(creationStep);
  } else {
    const why =
      ds.filterAccountIds === null
        ? 'and the data source has no identity filter'
        : caller.homeAccount
          ? `and the identity filter does not name ${caller.homeAccount.name}`
          : 'and the caller belongs to no account the identity filter could name';
    steps.push({
      rule: 'ACC-2',
      outcome: 'FAILED',
      detail: `No data-source user has the identity ${caller.email}, ${why}.`,
    });
    return deny('NO_DATASOURCE_ACCOUNT');
  }

  // ACC-3 (after HIS-4: associations that expired no longer count)
  expiredAssociationSteps(facts, steps, 'sign-in (ACC-3) or licensing (LIC-1.4)');
  const associatedWithOwner = facts.associations.some((a) => a.id === ds.owner.id);
  if (!external) {
    steps.push({
      rule: 'ACC-3',
      outcome: 'PASSED',
      detail: `The caller is a member of the owner account ${ds.owner.name}.`,
    });
  } else if (associatedWithOwner) {
    steps.push({
      rule: 'ACC-3',
      outcome: 'PASSED',
      detail: `External caller, associated with the owner account ${ds.owner.name} (ID-5 User Management association).`,
    });
  } else if (ds.allowExternalImsUsers) {
    steps.push({
      rule: 'ACC-3',
      outcome: 'PASSED',
      detail: `External caller; the data source allows external IMS users.`,
    });
  } else {
    steps.push({
      rule: 'ACC-3',
      outcome: 'FAILED',
      detail: `External caller (${caller.homeAccount?.name ?? 'no account'}) is neither associated with ${ds.owner.name} nor allowed by the data source's external access.`,
    });
    return deny('EXTERNAL_ACCESS_NOT_ALLOWED', user);
  }

  const grant = (
    licenseSource: LicenseSource,
    billed: AccountRef,
    checkoutId: string | null = null,
  ): AccessDecision => ({
    granted: true,
    denialReason: null,
    dataSourceUser: user,
    licenseSource,
    billedAccount: billed,
    checkoutId,
    external,
    steps,
  });

  // LIC-1.1 reserved checkout
  if (facts.reservedCheckout) {
    steps.push({
      rule: 'LIC-1.1',
      outcome: 'APPLIED',
      detail: `A reserved ${facts.product} license issued by ${facts.reservedCheckout.issuer.name} is imported on ${facts.machineName}: billed to ${facts.reservedCheckout.issuer.name}.`,
    });
    return grant('RESERVED_CHECKOUT', facts.reservedCheckout.issuer, facts.reservedCheckout.checkoutId);
  }
  steps.push({
    rule: 'LIC-1.1',
    outcome: 'SKIPPED',
    detail: `No reserved ${facts.product} license is imported on ${facts.machineName}.`,
  });

  // LIC-1.2 data-source owner
  const ownerProvides = facts.dataSourceUser?.clientLicensing === 'OWNER_PROVIDES';
  const denyExternal = external && ds.externalLicensing === 'DENY';
  let ownerSupplies = false;
  if (denyExternal && ownerProvides) {
    steps.push({
      rule: 'LIC-1.2',
      outcome: 'IGNORED',
      detail:
        'The data-source user is set to OWNER_PROVIDES, but the data source denies licensing to external users: ignored.',
    });
  } else if (ownerProvides) {
    ownerSupplies = true;
  } else if (external && ds.externalLicensing === 'SUPPLY') {
    ownerSupplies = true;
  }
  if (ownerSupplies) {
    const why = ownerProvides
      ? 'the data-source user is set to OWNER_PROVIDES'
      : 'the data source supplies licensing to external users';
    if (!ds.licensingOwner) {
      steps.push({ rule: 'LIC-1.2', outcome: 'APPLIED', detail: `The owner provides the license (${why}).` });
      steps.push({ rule: 'LIC-3', outcome: 'FAILED', detail: `The data source has no licensing owner account set.` });
      return deny('LICENSING_OWNER_NOT_SET', user);
    }
    steps.push({
      rule: 'LIC-1.2',
      outcome: 'APPLIED',
      detail: `The owner provides the license (${why}): billed to the licensing owner ${ds.licensingOwner.name}.`,
    });
    return grant('DATASOURCE_OWNER', ds.licensingOwner);
  }
  if (!(denyExternal && ownerProvides)) {
    steps.push({
      rule: 'LIC-1.2',
      outcome: 'SKIPPED',
      detail: external
        ? 'The data source denies licensing to external users.'
        : 'The data-source user is set to OWN_ORGANIZATION.',
    });
  }

  const license = licenseFromEntitlements(facts, steps, (account) =>
    denyExternal && account.id === ds.owner.id
      ? `Association with ${account.name} (the data source's owner) is skipped: it denies licensing to external users.`
      : null,
  );
  if (license) return grant(license.licenseSource, license.billedAccount);
  return deny('NO_LICENSE', user);
}

/** What LIC-1.3 and LIC-1.4 look at: the caller's accounts and which of them hold an entitlement. */
export interface EntitlementFacts {
  product: string;
  caller: { usageCountry: string; homeAccount: AccountRef | null };
  /** The caller's associations (ID-5) that still count, oldest first. */
  associations: readonly AccountRef[];
  /** HIS-4: the caller's associations that expired by the time of the decision, oldest first. */
  expiredAssociations?: readonly { account: AccountRef; expiredAt: Date }[];
  /** Accounts holding an entitlement for the product in the caller's usage country, not ended. */
  entitledAccountIds: ReadonlySet<string>;
}

/**
 * LIC-1.3 (own organization), LIC-1.4 (associated accounts, oldest association first) and LIC-1.5
 * (none): the license sources every access decision ends with — signing in to a data source (§3) and
 * opening a project (EXT-5). Appends its steps; null means NO_LICENSE (the LIC-1.5 step is appended).
 * `skipAssociation` names an association that may not pay here, with the reason (LIC-1.4 under DENY).
 */
export function licenseFromEntitlements(
  facts: EntitlementFacts,
  steps: Step[],
  skipAssociation: (account: AccountRef) => string | null = () => null,
): { licenseSource: 'OWN_ORGANIZATION' | 'ASSOCIATED_ACCOUNT'; billedAccount: AccountRef } | null {
  const { caller } = facts;
  // LIC-1.3 own organization
  const entitlementText = `${facts.product} in ${caller.usageCountry}`;
  if (caller.homeAccount && facts.entitledAccountIds.has(caller.homeAccount.id)) {
    steps.push({
      rule: 'LIC-1.3',
      outcome: 'APPLIED',
      detail: `${caller.homeAccount.name} holds an active entitlement for ${entitlementText}: billed to ${caller.homeAccount.name}.`,
    });
    return { licenseSource: 'OWN_ORGANIZATION', billedAccount: caller.homeAccount };
  }
  steps.push({
    rule: 'LIC-1.3',
    outcome: 'SKIPPED',
    detail: caller.homeAccount
      ? `${caller.homeAccount.name} holds no active entitlement for ${entitlementText}.`
      : 'The caller belongs to no account.',
  });

  // LIC-1.4 associated accounts, oldest association first
  for (const account of facts.associations) {
    const skipped = skipAssociation(account);
    if (skipped !== null) {
      steps.push({ rule: 'LIC-1.4', outcome: 'SKIPPED', detail: skipped });
      continue;
    }
    if (facts.entitledAccountIds.has(account.id)) {
      steps.push({
        rule: 'LIC-1.4',
        outcome: 'APPLIED',
        detail: `The caller is associated with ${account.name}, which holds an active entitlement for ${entitlementText}: billed to ${account.name}. An association grants the account's licensing (ID-5).`,
      });
      return { licenseSource: 'ASSOCIATED_ACCOUNT', billedAccount: account };
    }
    steps.push({
      rule: 'LIC-1.4',
      outcome: 'SKIPPED',
      detail: `Associated account ${account.name} holds no active entitlement for ${entitlementText}.`,
    });
  }
  if (facts.associations.length === 0) {
    steps.push({ rule: 'LIC-1.4', outcome: 'SKIPPED', detail: 'The caller is associated with no account.' });
  }

  steps.push({ rule: 'LIC-1.5', outcome: 'FAILED', detail: `No license source applies for ${entitlementText}.` });
  return null;
}

/** HIS-4: one step per association of the caller's that has expired: it no longer counts for `what`. */
export function expiredAssociationSteps(facts: EntitlementFacts, steps: Step[], what: string): void {
  for (const { account, expiredAt } of facts.expiredAssociations ?? []) {
    steps.push({
      rule: 'HIS-4',
      outcome: 'IGNORED',
      detail: `The caller's association with ${account.name} expired at ${expiredAt.toISOString()}: it no longer counts for ${what}.`,
    });
  }
}
