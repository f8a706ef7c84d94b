// EXT-1 / EXT-2 in the schema: Invitation, Project.invitations, the viewer's pending invitations, and
// the mutations inviteExternalOrganization and cancelInvitation.
import type { InvitationRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, nodeType, registerReadCheck, visibleNode, whenAllowed } from '../../graphql/visibility.js';
import { loadInvitations, pendingInvitationsPage, projectInvitationsPage } from '../loaders.js';
import { INVITATION_LIFETIME_MS, INVITATION_STATUSES, invitationStatus } from '../rules/invitations.js';
import * as organizations from '../service.js';

const InvitationStatusEnum = builder.enumType('InvitationStatus', {
  description: 'EXT-2: where an invitation stands, computed when read.',
  values: describedValues(INVITATION_STATUSES, {
    PENDING: 'Waiting for the point of contact’s answer (until 30 days after sending).',
    ACCEPTED: 'Accepted: the invited account’s project is linked to the inviting one.',
    REJECTED: 'Rejected by the point of contact.',
    CANCELLED: 'Cancelled by the inviting project while pending.',
    EXPIRED: 'Not answered within 30 days of sending; still listed.',
  }),
});

export const Invitation = builder.loadableNode('Invitation', {
  description:
    'EXT-1: an invitation of an external organization (an account) to a project. Readable by its point of contact and by holders of the permissions of inviting.',
  id: { resolve: (i) => i.id },
  load: loadInvitations,
  sort: (i) => i.id,
  loaderOptions,
});

/** §9: the point of contact, and those who may invite for the project (EXT-1's permissions). */
async function canReadInvitation(ctx: Context, invitation: InvitationRow): Promise<boolean> {
  const project = await loadNode(ctx, 'Project', invitation.projectId);
  return ctx.can({
    action: 'invitation.read',
    pointOfContactEmail: invitation.pointOfContactEmail,
    project: await shared('projectFactsOf')(ctx, project),
  });
}

registerReadCheck(Invitation, canReadInvitation);

builder.objectFields(Invitation, (t) => ({
  status: t.field({
    type: InvitationStatusEnum,
    description: 'EXT-2, as of now (the request clock).',
    resolve: (i, _args, ctx) => invitationStatus(i, ctx.now),
  }),
  projectName: t.string({
    description: 'The inviting project’s name (§9: the point of contact reads it without reading the project).',
    resolve: async (i, _args, ctx) => (await loadNode(ctx, 'Project', i.projectId)).name,
  }),
  projectNumber: t.string({
    description: 'The inviting project’s number.',
    resolve: async (i, _args, ctx) => (await loadNode(ctx, 'Project', i.projectId)).number,
  }),
  project: t.field({
    type: 'Project',
    nullable: true,
    description: 'The inviting project, when you may read it (§9).',
    resolve: (i, _args, ctx) => visibleNode(ctx, 'Project', i.projectId),
  }),
  invitingAccount: t.field({
    type: 'Account',
    description: 'The inviting project’s account (an account’s name is readable by anyone signed in).',
    resolve: async (i, _args, ctx) => loadNode(ctx, 'Account', (await loadNode(ctx, 'Project', i.projectId)).accountId),
  }),
  invitedAccount: t.field({
    type: 'Account',
    description: 'EXT-1: the account invited.',
    resolve: (i, _args, ctx) => loadNode(ctx, 'Account', i.invitedAccountId),
  }),
  pointOfContactEmail: t.field({
    type: 'EmailAddress',
    description: 'EXT-1: who answers (EXT-2), in one of the invited account’s domains.',
    resolve: (i) => i.pointOfContactEmail,
  }),
  sentAt: t.expose('sentAt', { type: 'DateTime', description: 'When it was sent (UTC).' }),
  expiresAt: t.field({
    type: 'DateTime',
    description: 'EXT-2: 30 days after sending; an unanswered invitation is EXPIRED from then on.',
    resolve: (i) => new Date(i.sentAt.getTime() + INVITATION_LIFETIME_MS),
  }),
  answeredAt: t.expose('answeredAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When it was accepted, rejected or cancelled; null otherwise.',
  }),
}));

builder.objectField('Project', 'invitations', (t) =>
  t.connection({
    type: Invitation,
    nullable: true,
    description:
      'EXT-1 / EXT-2: the project’s invitations, newest first — expired and answered ones too. For holders of the permissions of inviting (§9); null with FORBIDDEN otherwise.',
    resolve: async (p, args, ctx) =>
      whenAllowed(
        ctx,
        { action: 'organization.invite', project: await shared('projectFactsOf')(ctx, p) },
        async () => await projectInvitationsPage(ctx.db, args, p.id),
      ),
  }),
);

builder.objectField('User', 'invitations', (t) =>
  t.connection({
    type: Invitation,
    nullable: true,
    description:
      'EXT-2: the pending invitations whose point of contact you are, newest first. Only on your own profile (viewer); null on anyone else’s.',
    resolve: async (u, args, ctx) =>
      ctx.viewer?.id === u.id ? await pendingInvitationsPage(ctx.db, args, u.email, ctx.now) : null,
  }),
);

const InvitationSuccess = successOf('invitation', Invitation, 'The invitation, as it is now.');

export const InviteExternalOrganizationInput = builder.inputType('InviteExternalOrganizationInput', {
  description: 'EXT-1: an account to invite to a project, and its point of contact.',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: nodeType('Project'), description: 'The project (DM enabled).' }),
    accountId: t.globalID({
      required: true,
      for: nodeType('Account'),
      description: 'The account to invite (not the project’s own).',
    }),
    pointOfContactEmail: t.field({
      type: 'EmailAddress',
      required: true,
      description: 'Who answers: an email in one of the invited account’s domains (POINT_OF_CONTACT_DOMAIN).',
    }),
  }),
});

defineMutation('inviteExternalOrganization', {
  description:
    'EXT-1: invite an external organization to a project with Deliverables Management. Needs INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS, ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT and MANAGE_EXTERNAL_ORGANIZATIONS together, or MANAGE_SETTINGS.',
  input: InviteExternalOrganizationInput,
  inputDescription: 'The project, the account and its point of contact.',
  success: InvitationSuccess(
    'InviteExternalOrganizationSuccess',
    'The invitation was sent; it is PENDING for 30 days.',
  ),
  authz: ['organization.invite'],
  resolve: async (input, ctx) => ({
    invitation: await organizations.inviteExternalOrganization(ctx.service(), {
      projectId: input.projectId.id,
      accountId: input.accountId.id,
      pointOfContactEmail: input.pointOfContactEmail,
    }),
  }),
});

export const CancelInvitationInput = builder.inputType('CancelInvitationInput', {
  description: 'EXT-2: a pending invitation to cancel.',
  fields: (t) => ({
    invitationId: t.globalID({ required: true, for: Invitation, description: 'The invitation.' }),
  }),
});

defineMutation('cancelInvitation', {
  description: 'EXT-2: cancel a pending invitation (the permissions of inviting); INVITATION_NOT_PENDING otherwise.',
  input: CancelInvitationInput,
  inputDescription: 'The invitation.',
  success: InvitationSuccess('CancelInvitationSuccess', 'The invitation is CANCELLED.'),
  authz: ['invitation.cancel'],
  resolve: async (input, ctx) => ({
    invitation: await organizations.cancelInvitation(ctx.service(), { invitationId: input.invitationId.id }),
  }),
});

export const RespondToInvitationInput = builder.inputType('RespondToInvitationInput', {
  description: 'EXT-2: the point of contact’s answer.',
  fields: (t) => ({
    invitationId: t.globalID({ required: true, for: Invitation, description: 'The invitation (addressed to you).' }),
    accept: t.boolean({ required: true, description: 'true accepts (a linked project), false rejects.' }),
    existingProjectId: t.globalID({
      for: nodeType('Project'),
      description:
        'On acceptance: link this existing project of your account that you own (NOT_PROJECT_OWNER otherwise) instead of creating one.',
    }),
  }),
});

const RespondSuccess = builder
  .objectRef<Awaited<ReturnType<typeof organizations.respondToInvitation>>>('RespondToInvitationSuccess')
  .implement({
    description: 'Answered. On acceptance the linked project is your account’s, with you as its Project Owner.',
    fields: (t) => ({
      invitation: t.field({
        type: Invitation,
        description: 'The invitation, as it is now.',
        resolve: (r) => r.invitation,
      }),
      linkedProject: t.field({
        type: 'Project',
        nullable: true,
        description: 'EXT-2: the linked project (created or named); null when rejected.',
        resolve: (r, _args, ctx) => visibleNode(ctx, 'Project', r.linkedProject?.id ?? null),
      }),
    }),
  });

defineMutation('respondToInvitation', {
  description:
    'EXT-2: accept or reject an invitation, once, as its point of contact and a member of the invited account. Accepting needs no IMS role: it creates the linked project (or links one of yours that you own).',
  input: RespondToInvitationInput,
  inputDescription: 'The invitation and the answer.',
  success: RespondSuccess,
  authz: ['invitation.answer'],
  resolve: async (input, ctx) =>
    await organizations.respondToInvitation(ctx.service(), {
      invitationId: input.invitationId.id,
      accept: input.accept,
      existingProjectId: input.existingProjectId?.id ?? null,
    }),
});
