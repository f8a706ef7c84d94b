// EXT-1 / EXT-2 use cases: inviting an external organization to a project, cancelling the invitation, and
// answering it (accept into a linked project, or reject: EXT-2).
import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { appendAudit } from '../../audit/service.js';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction, type Reader, type Tx } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import { type InvitationRow, invitations, type ProjectRow, projectLinks, projects } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { emailDomain, normalizeEmail } from '../../identity/rules.js';
import { accountById, accountFacts } from '../../identity/service.js';
import { insertProject } from '../../projects/use-cases/projects.js';
import { auditProject, membership, projectFacts, projectFor } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { answerProblem, INVITATION_LIFETIME_MS, invitationStatus, inviteProblem } from '../rules/invitations.js';
import { linkedProjectNumber } from '../rules/linked-project.js';

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

/** EXT-2: the account is linked to the project as an invited organization (an account is linked once). */
export async function linkedToProject(db: Reader, projectId: string, accountId: string): Promise<boolean> {
  return (
    (await one(
      db
        .select({ id: projectLinks.linkedProjectId })
        .from(projectLinks)
        .where(and(eq(projectLinks.projectId, projectId), eq(projectLinks.linkedAccountId, accountId))),
    )) !== undefined
  );
}

/**
 * The invitation and its inviting project, once authz allows `action` on it; one the actor may not read
 * answers NOT_FOUND, exactly like a missing one (§9).
 */
async function invitationFor(
  tx: Reader,
  ctx: ServiceContext,
  invitationId: string,
  action: 'invitation.cancel' | 'invitation.answer',
): Promise<{ invitation: InvitationRow; project: ProjectRow }> {
  const notFound = () => new AppError('NOT_FOUND', 'no such invitation', ['input', 'invitationId']);
  const invitation = await one(tx.select().from(invitations).where(eq(invitations.id, invitationId)));
  if (!invitation) throw notFound();
  const project = await one(tx.select().from(projects).where(eq(projects.id, invitation.projectId)));
  if (!project) throw notFound();
  assertAuthorized(
    await loadSubject(tx, ctx.actor),
    {
      action,
      pointOfContactEmail: invitation.pointOfContactEmail,
      project: await projectFacts(tx, project, ctx.actor.id),
    },
    notFound,
  );
  return { invitation, project };
}

/** EXT-1: a pending (answered by nobody, not expired) invitation of the project to the account. */
async function pendingInvitationExists(db: Reader, projectId: string, accountId: string, now: Date): Promise<boolean> {
  return (
    (await one(
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
        ),
    )) !== undefined
  );
}

/**
 * EXT-1: invite an account to the project, naming a point of contact in one of its domains. Needs the
 * three permissions of inviting together, or MANAGE_SETTINGS (authz, before any rule).
 */
export async function inviteExternalOrganization(
  ctx: ServiceContext,
  input: { projectId: string; accountId: string; pointOfContactEmail: string },
): Promise<InvitationRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, input.projectId, 'organization.invite');
    const account = await accountFacts(tx, input.accountId);
    const pointOfContactEmail = normalizeEmail(input.pointOfContactEmail, ['input', 'pointOfContactEmail']);
    const problem = inviteProblem({
      deliverablesEnabled: project.deliverablesEnabledAt !== null,
      projectAccountId: project.accountId,
      invitedAccountId: account.id,
      invitedAccountDomains: account.domains,
      pointOfContactEmail,
      alreadyLinked: await linkedToProject(tx, project.id, account.id),
      pendingInvitation: await pendingInvitationExists(tx, project.id, account.id, ctx.now),
    });
    if (problem) throw new AppError(problem, MESSAGES[problem], ['input', PATHS[problem]]);
    const invitation = await only(
      tx
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
        .returning(),
    );
    await auditProject(
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
export async function cancelInvitation(ctx: ServiceContext, input: { invitationId: string }): Promise<InvitationRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { invitation: found, project } = await invitationFor(tx, ctx, input.invitationId, 'invitation.cancel');
    if (invitationStatus(found, ctx.now) !== 'PENDING') {
      throw new AppError('INVITATION_NOT_PENDING', `the invitation is ${invitationStatus(found, ctx.now)}`, [
        'input',
        'invitationId',
      ]);
    }
    const cancelled = await only(
      tx
        .update(invitations)
        .set({ answer: 'CANCELLED', answeredAt: ctx.now, answeredById: ctx.actor.id })
        .where(eq(invitations.id, found.id))
        .returning(),
    );
    await auditProject(
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

export interface RespondToInvitationInput {
  invitationId: string;
  accept: boolean;
  /** EXT-2: an existing project of the invited account, owned by the answerer, to link instead. */
  existingProjectId?: string | null;
}

/**
 * EXT-2: the point of contact — a registered member of the invited account — accepts or rejects, once.
 * Accepting needs no IMS role (PRJ-1's exception): it creates the linked project (named like the
 * inviting one, numbered by linkedProjectNumber, the answerer its Project Owner, DM enabled with their
 * domain), or links an existing project of theirs that they own (DM enabled on it if off).
 */
export async function respondToInvitation(
  ctx: ServiceContext,
  input: RespondToInvitationInput,
): Promise<{ invitation: InvitationRow; linkedProject: ProjectRow | null }> {
  return inTransaction(ctx.db, async (tx) => {
    const { invitation, project: inviting } = await invitationFor(tx, ctx, input.invitationId, 'invitation.answer');
    const existing =
      input.accept && input.existingProjectId ? await existingProjectOf(tx, ctx, input.existingProjectId) : null;
    const problem = answerProblem({
      status: invitationStatus(invitation, ctx.now),
      answererIsMember: ctx.actor.homeAccountId === invitation.invitedAccountId,
      existingProject: existing && {
        ofInvitedAccount: existing.project?.accountId === invitation.invitedAccountId,
        answererIsOwner: existing.owner,
        alreadyLinked: existing.linked,
      },
      accept: input.accept,
    });
    if (problem) {
      const path =
        problem === 'NOT_PROJECT_OWNER' || problem === 'ALREADY_LINKED' ? 'existingProjectId' : 'invitationId';
      throw new AppError(problem, ANSWER_MESSAGES[problem], ['input', path]);
    }
    let linked: ProjectRow | null = null;
    if (input.accept) {
      const domain = emailDomain(ctx.actor.email);
      linked = existing?.project
        ? await enableIfOff(tx, ctx, existing.project, domain)
        : await createLinkedProject(tx, ctx, inviting, invitation, domain);
      if (await linkedToProject(tx, inviting.id, invitation.invitedAccountId))
        throw new AppError('ALREADY_LINKED', 'your account is already linked to that project', [
          'input',
          'invitationId',
        ]);
      await tx.insert(projectLinks).values({
        projectId: inviting.id,
        linkedProjectId: linked.id,
        linkedAccountId: invitation.invitedAccountId,
        invitationId: invitation.id,
        createdAt: ctx.now,
      });
    }
    const answered = await only(
      tx
        .update(invitations)
        .set({ answer: input.accept ? 'ACCEPTED' : 'REJECTED', answeredAt: ctx.now, answeredById: ctx.actor.id })
        .where(eq(invitations.id, invitation.id))
        .returning(),
    );
    // Both sides' logs show it (§10), each naming only what its admins may read (§9): the inviting
    // account's its own project and the invited account; the invited account's its own linked project and
    // the inviting account (its admins may not read the inviting project, EXT-3).
    const answer = input.accept ? 'accepted' : 'rejected';
    const invited = await accountById(tx, invitation.invitedAccountId);
    const invitingAccount = await accountById(tx, inviting.accountId);
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'respondToInvitation',
      accountIds: [inviting.accountId],
      targets: [
        { type: 'Invitation', id: invitation.id },
        { type: 'Project', id: inviting.id },
      ],
      summary: `${ctx.actor.email}: ${answer} the invitation of ${invited.name} to project ${inviting.number}`,
    });
    await appendAudit(tx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'respondToInvitation',
      accountIds: [invitation.invitedAccountId],
      targets: [{ type: 'Invitation', id: invitation.id }, ...(linked ? [{ type: 'Project', id: linked.id }] : [])],
      summary: `${ctx.actor.email}: ${answer} an invitation of ${invitingAccount.name}${linked ? `; linked project ${linked.number}` : ''}`,
    });
    return { invitation: answered, linkedProject: linked };
  });
}

const ANSWER_MESSAGES = {
  INVITATION_NOT_PENDING: 'the invitation was answered, cancelled or has expired',
  NOT_ACCOUNT_MEMBER: 'you must be a member of the invited account to answer for it',
  NOT_PROJECT_OWNER: 'the project to link must be one of your account’s that you own',
  ALREADY_LINKED: 'that project is already linked to another inviting project (a linked project has one)',
} as const;

/**
 * The existing project named on acceptance: null when there is none (answerProblem then says
 * NOT_PROJECT_OWNER, after the invitation's own checks), whether the answerer owns it, and whether it
 * is already a linked project.
 */
async function existingProjectOf(tx: Reader, ctx: ServiceContext, projectId: string) {
  const project = (await one(tx.select().from(projects).where(eq(projects.id, projectId)))) ?? null;
  if (!project) return { project, owner: false, linked: false };
  const roles = (await membership(tx, project.id, ctx.actor.id))?.roles ?? [];
  const linked = await one(
    tx.select({ id: projectLinks.projectId }).from(projectLinks).where(eq(projectLinks.linkedProjectId, project.id)),
  );
  return {
    project,
    owner: roles.some((r) => r.kind === 'BUILT_IN' && r.key === 'PROJECT_OWNER'),
    linked: linked !== undefined,
  };
}

/** EXT-2: "DM enabled on it if off", with the answerer's domain (as PRJ-2 would fix it). */
async function enableIfOff(tx: Tx, ctx: ServiceContext, project: ProjectRow, domain: string): Promise<ProjectRow> {
  if (project.deliverablesEnabledAt !== null) return project;
  return await only(
    tx
      .update(projects)
      .set({ deliverablesEnabledAt: ctx.now, deliverablesEnabledById: ctx.actor.id, internalDomain: domain })
      .where(eq(projects.id, project.id))
      .returning(),
  );
}

/** EXT-2: the linked project — the inviting one's name, the EXT-2 number, the answerer its owner. */
async function createLinkedProject(
  tx: Tx,
  ctx: ServiceContext,
  inviting: ProjectRow,
  invitation: InvitationRow,
  domain: string,
) {
  const account = await accountFacts(tx, invitation.invitedAccountId);
  const taken = (
    await tx.select({ number: projects.number }).from(projects).where(eq(projects.accountId, account.id))
  ).map((p) => p.number);
  return await insertProject(tx, ctx, {
    accountId: account.id,
    number: linkedProjectNumber(inviting.number, account.name, taken),
    name: inviting.name,
    deliverablesDomain: domain,
  });
}
