import { describe, expect, it } from 'vitest';
import {
  answerProblem,
  INVITATION_LIFETIME_MS,
  type InviteFacts,
  invitationStatus,
  inviteProblem,
} from '../../../src/organizations/rules/invitations.js';

const sentAt = new Date('2026-06-01T12:00:00.000Z');

describe('EXT-2 invitation status', () => {
  it('EXT-2 PENDING until 30 days after sending, EXPIRED from that instant on (exact)', () => {
    const waiting = { sentAt, answer: null };
    expect(invitationStatus(waiting, new Date(sentAt.getTime() + INVITATION_LIFETIME_MS - 1))).toBe('PENDING');
    expect(invitationStatus(waiting, new Date(sentAt.getTime() + INVITATION_LIFETIME_MS))).toBe('EXPIRED');
    expect(INVITATION_LIFETIME_MS).toBe(30 * 24 * 3600 * 1000);
  });

  it('EXT-2 an answer or a cancellation is final, whatever the time', () => {
    const late = new Date(sentAt.getTime() + 2 * INVITATION_LIFETIME_MS);
    expect(invitationStatus({ sentAt, answer: 'ACCEPTED' }, late)).toBe('ACCEPTED');
    expect(invitationStatus({ sentAt, answer: 'REJECTED' }, late)).toBe('REJECTED');
    expect(invitationStatus({ sentAt, answer: 'CANCELLED' }, sentAt)).toBe('CANCELLED');
  });
});

const ok: InviteFacts = {
  deliverablesEnabled: true,
  projectAccountId: 'harbor',
  invitedAccountId: 'northwind',
  invitedAccountDomains: ['northwind.example', 'nw.example'],
  pointOfContactEmail: 'dave@nw.example',
  pendingInvitation: false,
  alreadyLinked: false,
};

describe('EXT-1 inviting', () => {
  it('EXT-1 an invitation that satisfies every condition', () => {
    expect(inviteProblem(ok)).toBeNull();
  });

  it.each([
    ['DELIVERABLES_NOT_ENABLED', { deliverablesEnabled: false }],
    ['OWN_ACCOUNT', { invitedAccountId: 'harbor' }],
    ['POINT_OF_CONTACT_DOMAIN', { pointOfContactEmail: 'dave@gmail.example' }],
    ['ALREADY_LINKED', { alreadyLinked: true }],
    ['INVITATION_PENDING', { pendingInvitation: true }],
  ] as const)('EXT-1 %s on its own', (code, change) => {
    expect(inviteProblem({ ...ok, ...change })).toBe(code);
  });

  it('EXT-1 the order: DM first, then own account, domain, linked, pending', () => {
    expect(inviteProblem({ ...ok, deliverablesEnabled: false, invitedAccountId: 'harbor' })).toBe(
      'DELIVERABLES_NOT_ENABLED',
    );
    expect(inviteProblem({ ...ok, invitedAccountId: 'harbor', pointOfContactEmail: 'x@gmail.example' })).toBe(
      'OWN_ACCOUNT',
    );
    expect(inviteProblem({ ...ok, pointOfContactEmail: 'x@gmail.example', alreadyLinked: true })).toBe(
      'POINT_OF_CONTACT_DOMAIN',
    );
    expect(inviteProblem({ ...ok, alreadyLinked: true, pendingInvitation: true })).toBe('ALREADY_LINKED');
  });
});

describe('EXT-2 answering', () => {
  const answer = { status: 'PENDING' as const, answererIsMember: true, existingProject: null, accept: true };

  it('EXT-2 the point of contact, a member of the invited account, accepts or rejects a pending invitation', () => {
    expect(answerProblem(answer)).toBeNull();
    expect(answerProblem({ ...answer, accept: false })).toBeNull();
  });

  it.each(['ACCEPTED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const)(
    'EXT-2 INVITATION_NOT_PENDING once %s',
    (status) => {
      expect(answerProblem({ ...answer, status })).toBe('INVITATION_NOT_PENDING');
    },
  );

  it('EXT-2 NOT_ACCOUNT_MEMBER when the point of contact is no member of the invited account', () => {
    expect(answerProblem({ ...answer, answererIsMember: false })).toBe('NOT_ACCOUNT_MEMBER');
  });

  it('EXT-2 an existing project named on acceptance must be theirs and owned by them (NOT_PROJECT_OWNER)', () => {
    const mine = { ofInvitedAccount: true, answererIsOwner: true, alreadyLinked: false };
    expect(answerProblem({ ...answer, existingProject: mine })).toBeNull();
    expect(answerProblem({ ...answer, existingProject: { ...mine, answererIsOwner: false } })).toBe(
      'NOT_PROJECT_OWNER',
    );
    expect(answerProblem({ ...answer, existingProject: { ...mine, ofInvitedAccount: false } })).toBe(
      'NOT_PROJECT_OWNER',
    );
    // Rejecting does not look at a project.
    expect(
      answerProblem({ ...answer, accept: false, existingProject: { ...mine, answererIsOwner: false } }),
    ).toBeNull();
  });

  it('EXT-2 an existing project already linked to another inviting project: ALREADY_LINKED (after ownership)', () => {
    const linked = { ofInvitedAccount: true, answererIsOwner: true, alreadyLinked: true };
    expect(answerProblem({ ...answer, existingProject: linked })).toBe('ALREADY_LINKED');
    expect(answerProblem({ ...answer, existingProject: { ...linked, answererIsOwner: false } })).toBe(
      'NOT_PROJECT_OWNER',
    );
    expect(answerProblem({ ...answer, accept: false, existingProject: linked })).toBeNull();
    // The invitation's own state comes first.
    expect(answerProblem({ ...answer, status: 'ACCEPTED', existingProject: linked })).toBe('INVITATION_NOT_PENDING');
  });
});
