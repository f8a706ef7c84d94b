// EXT-1 / EXT-2 use cases: inviting an external organization to a project and cancelling the invitation.
// (Answering it — accepting into a linked project, EXT-2 — is the next slice of issue 10.)
import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { inTransaction, type Reader } from '../../db/client.js';
import { type InvitationRow, invitations, projectLinks } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { normalizeEmail } from '../../identity/rules.js';
import { accountFacts } from '../../identity/service.js';
import { auditProject, projectFor } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { INVITATION_LIFETIME_MS, invitationStatus, inviteProblem } from '../rules/invitations.js';

const MESSAGES = {
  DELIVERABLES_NOT_ENABLED: 'Deliverables Management is not enabled on the project (enableDeliverables)',
  OWN_ACCOUNT: "the project's own account cannot be invited",
  POINT_OF_CONTACT_DOMAIN: "the point of contact's email is in none of the invited account's domains",
  ALREADY_LINKED: 'that account is already linked to the project',
  INVITATION_PENDING: 'a pending invitation of this project to that account exists already',
} as const;

const PATHS = {
  DELIVERABLES_NOT_ENABLED: 'projectId',
  OWN_ACCOUNT: 'accountId',
  POINT_OF_CONTACT_DOMAIN: 'pointOfContactEmail',
  ALREADY_LINKED: 'accountId',
  INVITATION_PENDING: 'accountId',
} as const;

/** EXT-1: a pending (answered by nobody, not expired) invitation of the project to the account. */
function pendingInvitationExists(db: Reader, projectId: string, accountId: string, now: Date): boolean {
  return (
    db
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.projectId, projectId),
          eq(invitations.invitedAccountId, accountId),
          isNull(invitations.answer),
          gt(invitations.sentAt, new Date(now.getTime() - INVITATION_LIFETIME_MS)),
        ),
      )
      .get() !== undefined
  );
}

/**
 * EXT-1: invite an account to the project, naming a point of contact in one of its domains. Needs the
 * three permissions of inviting together, or MANAGE_SETTINGS (authz, before any rule).
 */
export function inviteExternalOrganization(
  ctx: ServiceContext,
  input: { projectId: string; accountId: string; pointOfContactEmail: string },
): InvitationRow {
  return inTransaction(ctx.db, (tx) => {
    const { project } = projectFor(tx, ctx, input.projectId, 'organization.invite');
    const account = accountFacts(tx, input.accountId);
    const pointOfContactEmail = normalizeEmail(input.pointOfContactEmail, ['input', 'pointOfContactEmail']);
    const problem = inviteProblem({
      deliverablesEnabled: project.deliverablesEnabledAt !== null,
      projectAccountId: project.accountId,
      invitedAccountId: account.id,
      invitedAccountDomains: account.domains,
      pointOfContactEmail,
      alreadyLinked:
        tx
          .select({ id: projectLinks.linkedProjectId })
          .from(projectLinks)
          .where(and(eq(projectLinks.projectId, project.id), eq(projectLinks.linkedAccountId, account.id)))
          .get() !== undefined,
      pendingInvitation: pendingInvitationExists(tx, project.id, account.id, ctx.now),
    });
    if (problem) throw new AppError(problem, MESSAGES[problem], ['input', PATHS[problem]]);
    const invitation = tx
      .insert(invitations)
      .values({
        id: randomUUID(),
        projectId: project.id,
        invitedAccountId: account.id,
        pointOfContactEmail,
        sentAt: ctx.now,
        sentById: ctx.actor.id,
        createdAt: ctx.now,
      })
      .returning()
      .get();
    auditProject(
      tx,
      ctx,
      project,
      'inviteExternalOrganization',
      [
        { type: 'Invitation', id: invitation.id },
        { type: 'Account', id: account.id },
      ],
      `invited ${account.name} (point of contact ${pointOfContactEmail})`,
    );
    return invitation;
  });
}

/** EXT-2: cancel a pending invitation (EXT-1's permissions); answered, cancelled or expired ones stay. */
export function cancelInvitation(ctx: ServiceContext, input: { invitationId: string }): InvitationRow {
  return inTransaction(ctx.db, (tx) => {
    const found = tx.select().from(invitations).where(eq(invitations.id, input.invitationId)).get();
    if (!found) throw new AppError('NOT_FOUND', 'no such invitation', ['input', 'invitationId']);
    const { project } = projectFor(tx, ctx, found.projectId, 'organization.invite', {
      what: 'invitation',
      field: 'invitationId',
    });
    if (invitationStatus(found, ctx.now) !== 'PENDING') {
      throw new AppError('INVITATION_NOT_PENDING', `the invitation is ${invitationStatus(found, ctx.now)}`, [
        'input',
        'invitationId',
      ]);
    }
    const cancelled = tx
      .update(invitations)
      .set({ answer: 'CANCELLED', answeredAt: ctx.now, answeredById: ctx.actor.id })
      .where(eq(invitations.id, found.id))
      .returning()
      .get();
    auditProject(
      tx,
      ctx,
      project,
      'cancelInvitation',
      [{ type: 'Invitation', id: found.id }],
      'cancelled an invitation',
    );
    return cancelled;
  });
}
