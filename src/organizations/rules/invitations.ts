// EXT-1 / EXT-2: inviting an external organization to a project, the invitation's status (computed when
// read, exact at any moment through the request clock) and answering it. Pure decisions over facts the
// use cases load; who may invite is decided in authz from effective permissions (PRJ-8), before these.
import { emailDomain } from '../../identity/rules.js';

export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** EXT-2: invitations expire 30 days after sending. */
export const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export interface InvitationFacts {
  sentAt: Date;
  /** Set once answered or cancelled; null while it waits. */
  answer: 'ACCEPTED' | 'REJECTED' | 'CANCELLED' | null;
}

/** EXT-2: an unanswered invitation is EXPIRED from 30 days after sending on (the boundary included). */
export function invitationStatus(invitation: InvitationFacts, now: Date): InvitationStatus {
  if (invitation.answer) return invitation.answer;
  return now.getTime() >= invitation.sentAt.getTime() + INVITATION_LIFETIME_MS ? 'EXPIRED' : 'PENDING';
}

export interface InviteFacts {
  deliverablesEnabled: boolean;
  projectAccountId: string;
  invitedAccountId: string;
  /** The invited account's email domains (lower case). */
  invitedAccountDomains: readonly string[];
  /** The point of contact's email (lower case). */
  pointOfContactEmail: string;
  /** A pending (not expired) invitation of this project to this account exists. */
  pendingInvitation: boolean;
  /** This account is already linked to the project (EXT-2: an account is linked once). */
  alreadyLinked: boolean;
}

export type InviteProblem =
  | 'DELIVERABLES_NOT_ENABLED'
  | 'OWN_ACCOUNT'
  | 'POINT_OF_CONTACT_DOMAIN'
  | 'ALREADY_LINKED'
  | 'INVITATION_PENDING';

/**
 * EXT-1, in this order: DM enabled on the project; not the project's own account; the point of contact's
 * email in one of the invited account's domains; not already linked; no pending invitation. Decision:
 * ALREADY_LINKED before INVITATION_PENDING (once linked, a leftover pending invitation is beside the
 * point).
 */
export function inviteProblem(facts: InviteFacts): InviteProblem | null {
  if (!facts.deliverablesEnabled) return 'DELIVERABLES_NOT_ENABLED';
  if (facts.invitedAccountId === facts.projectAccountId) return 'OWN_ACCOUNT';
  if (!facts.invitedAccountDomains.includes(emailDomain(facts.pointOfContactEmail))) return 'POINT_OF_CONTACT_DOMAIN';
  if (facts.alreadyLinked) return 'ALREADY_LINKED';
  if (facts.pendingInvitation) return 'INVITATION_PENDING';
  return null;
}

export interface AnswerFacts {
  status: InvitationStatus;
  /** The answering user is a member of the invited account (their home account). */
  answererIsMember: boolean;
  /**
   * When accepting into an existing project: it belongs to the invited account and the answerer owns it
   * (a missing one is neither), and whether it is already the linked project of another invitation.
   */
  existingProject: { ofInvitedAccount: boolean; answererIsOwner: boolean; alreadyLinked: boolean } | null;
  accept: boolean;
}

export type AnswerProblem = 'INVITATION_NOT_PENDING' | 'NOT_ACCOUNT_MEMBER' | 'NOT_PROJECT_OWNER' | 'ALREADY_LINKED';

/**
 * EXT-2 (after authz decided the answerer is the point of contact): once only
 * (INVITATION_NOT_PENDING: answered, cancelled or expired), by a member of the invited account
 * (NOT_ACCOUNT_MEMBER), and an existing project named on acceptance must be one of theirs that they own
 * (NOT_PROJECT_OWNER) and not already linked to an inviting project (ALREADY_LINKED: a linked project
 * has one inviting project, the one its `linkedFrom` shows).
 */
export function answerProblem(facts: AnswerFacts): AnswerProblem | null {
  if (facts.status !== 'PENDING') return 'INVITATION_NOT_PENDING';
  if (!facts.answererIsMember) return 'NOT_ACCOUNT_MEMBER';
  if (
    facts.accept &&
    facts.existingProject &&
    !(facts.existingProject.ofInvitedAccount && facts.existingProject.answererIsOwner)
  ) {
    return 'NOT_PROJECT_OWNER';
  }
  if (facts.accept && facts.existingProject?.alreadyLinked) return 'ALREADY_LINKED';
  return null;
}
