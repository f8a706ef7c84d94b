// §9 "who may do what", as a typed catalogue: every request names an action and the facts about the
// resource it concerns. The decisions are in rules.ts; authorize.ts is the one entry point that
// GraphQL scopes, read checks and services call.
import type { ImsRole } from '../db/schema.js';
import type { RoleRef } from '../projects/rules/roles.js';

/**
 * What authz needs to know about a project (§6–§8): its account, and the viewer's place in it. The
 * viewer's effective permissions (PRJ-8) are computed from these in rules.ts, never elsewhere.
 */
export interface ProjectFacts {
  accountId: string;
  /** The viewer's roles in the project; null when the viewer is not on its team. */
  viewerRoles: readonly RoleRef[] | null;
  /** EXT-3: the viewer is on the team of a project linked to this one (they read its name and number). */
  viewerInLinkedProject?: boolean;
}

export type AuthzRequest =
  // §9 accounts (ID-2…ID-6)
  | { action: 'account.read' }
  | { action: 'account.administer'; accountId: string }
  | { action: 'account.readDetails'; accountId: string }
  | { action: 'account.manageRole'; accountId: string; role: ImsRole; targetRoles: readonly ImsRole[] }
  | { action: 'account.removeMember'; accountId: string; targetRoles: readonly ImsRole[] }
  | { action: 'user.read'; userId: string; homeAccountId: string | null; relatedAccountIds: readonly string[] }
  | { action: 'user.readRoles'; userId: string; homeAccountId: string | null }
  | { action: 'association.read'; accountId: string; userId: string }
  | { action: 'association.remove'; accountId: string; userId: string }
  | { action: 'entitlement.read'; accountId: string }
  | { action: 'auditEntry.read'; accountIds: readonly string[] }
  // §4 checkouts (LIC-5…LIC-10)
  | { action: 'checkout.issue'; accountId: string }
  | { action: 'checkout.read'; accountId: string; email: string }
  | { action: 'checkout.checkIn'; accountId: string; email: string }
  // §2, §5 data sources and work areas (DS-1, LIC-3)
  | { action: 'dataSource.create'; accountId: string }
  | { action: 'dataSource.read'; ownerAccountId: string; licensingOwnerAccountId: string | null }
  | { action: 'dataSource.administer'; ownerAccountId: string; licensingOwnerAccountId: string | null }
  | { action: 'dataSourceUser.read'; ownerAccountId: string; identity: string | null }
  // §3 explanations (explainAccess for another user)
  | { action: 'access.explainFor'; ownerAccountId: string; subjectReadable: boolean }
  // LIC-3 licensing-owner requests
  | { action: 'licensingOwnerRequest.read'; ownerAccountId: string; requestedAccountId: string }
  | { action: 'licensingOwnerRequest.answer'; ownerAccountId: string; requestedAccountId: string }
  | { action: 'licensingOwnerRequest.cancel'; ownerAccountId: string; requestedAccountId: string }
  // §6 projects, teams and roles (PRJ-1 … PRJ-8)
  | { action: 'project.create'; accountId: string }
  | { action: 'project.read'; project: ProjectFacts }
  | { action: 'project.manageSettings'; project: ProjectFacts }
  | { action: 'project.enableDeliverables'; project: ProjectFacts }
  | { action: 'team.read'; project: ProjectFacts; memberUserId: string | null }
  | { action: 'team.manage'; project: ProjectFacts }
  | { action: 'team.manageOwners'; project: ProjectFacts }
  | { action: 'effectivePermissions.read'; project: ProjectFacts; userId: string }
  // §7 Deliverables Management (DM-6 … DM-9)
  | { action: 'deliverables.manage'; project: ProjectFacts }
  | { action: 'connector.readState'; project: ProjectFacts }
  // §8 external organizations (EXT-1 … EXT-4)
  | { action: 'organization.invite'; project: ProjectFacts }
  | { action: 'invitation.read'; pointOfContactEmail: string; project: ProjectFacts }
  | { action: 'invitation.answer'; pointOfContactEmail: string; project: ProjectFacts }
  | { action: 'invitation.cancel'; pointOfContactEmail: string; project: ProjectFacts }
  | { action: 'projectLink.read'; project: ProjectFacts }
  | { action: 'providedLicenses.read'; project: ProjectFacts }
  | { action: 'providedLicenses.change'; project: ProjectFacts }
  // EXT-5 project access, explained for another user
  | { action: 'projectAccess.explainFor'; project: ProjectFacts; subjectReadable: boolean };

export type Action = AuthzRequest['action'];

/** Every action of the catalogue, at run time (the schema test checks fields declare only these). */
export const ACTIONS = [
  'account.read',
  'account.administer',
  'account.readDetails',
  'account.manageRole',
  'account.removeMember',
  'user.read',
  'user.readRoles',
  'association.read',
  'association.remove',
  'entitlement.read',
  'auditEntry.read',
  'checkout.issue',
  'checkout.read',
  'checkout.checkIn',
  'dataSource.create',
  'dataSource.read',
  'dataSource.administer',
  'dataSourceUser.read',
  'access.explainFor',
  'licensingOwnerRequest.read',
  'licensingOwnerRequest.answer',
  'licensingOwnerRequest.cancel',
  'project.create',
  'project.read',
  'project.manageSettings',
  'project.enableDeliverables',
  'team.read',
  'team.manage',
  'team.manageOwners',
  'effectivePermissions.read',
  'deliverables.manage',
  'connector.readState',
  'organization.invite',
  'invitation.read',
  'invitation.answer',
  'invitation.cancel',
  'projectLink.read',
  'providedLicenses.read',
  'providedLicenses.change',
  'projectAccess.explainFor',
] as const satisfies readonly Action[];

// Compile-time check that ACTIONS lists the whole catalogue.
type MissingFromActions = Exclude<Action, (typeof ACTIONS)[number]>;
const catalogueComplete: MissingFromActions extends never ? true : MissingFromActions = true;
void catalogueComplete;

/**
 * What a query field or mutation declares about who may call it (schema extension `authz`): the
 * catalogue actions its resolver or use case asks, or, where no resource is involved, `public` (no
 * token needed) or `self` (only the caller's own data: their profile, their sign-ins, their imports).
 */
export type FieldAuthz = readonly [Action | 'public' | 'self', ...(Action | 'public' | 'self')[]];

/** The decision, in the shape of an explanation step: the rule and why. `hidden`: a denial must
 *  look exactly like a missing object (§9: the caller may not even read it). */
export type Decision =
  | { allowed: true; rule: string; reason: string }
  | { allowed: false; rule: string; reason: string; hidden: boolean };

/** Who is asking: the registered viewer (null for anyone else) and their IMS roles by account. */
export interface Subject {
  viewer: { id: string; email: string; homeAccountId: string | null } | null;
  rolesByAccount: ReadonlyMap<string, readonly ImsRole[]>;
}
