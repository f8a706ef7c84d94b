// The organizations area's reads for GraphQL: invitations by id, a project's invitations, and the
// pending invitations addressed to a user.
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { insertionOrder, invitations, projectLinks, providedLicenseFlags, providedLicenses } from '../db/schema.js';
import { tablePage } from '../graphql/common.js';
import { groupedLoader, loadByIds } from '../graphql/loaders.js';
import type { PageArgs } from '../graphql/pagination.js';
import { INVITATION_LIFETIME_MS } from './rules/invitations.js';

export const loadInvitations = loadByIds(invitations);

const newestFirst = [
  { key: invitations.sentAt, desc: true },
  // Same-instant invitations: the later one first (rowid is insertion order).
  { key: insertionOrder(invitations), desc: true },
];

/** EXT-2: every invitation of the project (expired and answered ones are still listed), newest first. */
export const projectInvitationsPage = async (db: Db, args: PageArgs, projectId: string) =>
  await tablePage(db, args, invitations, eq(invitations.projectId, projectId), newestFirst);

/** The invitations waiting for this point of contact's answer (pending: unanswered, not expired). */
export const pendingInvitationsPage = async (db: Db, args: PageArgs, email: string, now: Date) =>
  await tablePage(
    db,
    args,
    invitations,
    and(
      eq(invitations.pointOfContactEmail, email),
      isNull(invitations.answer),
      gt(invitations.sentAt, new Date(now.getTime() - INVITATION_LIFETIME_MS)),
    ),
    newestFirst,
  );

/** EXT-2: each project's links as the inviting project, and as the linked one, batched per request. */
export const linksFrom = groupedLoader(
  async (db, projectIds) => await db.select().from(projectLinks).where(inArray(projectLinks.projectId, projectIds)),
  (l) => l.projectId,
  (l) => l,
);
export const linksTo = groupedLoader(
  async (db, projectIds) =>
    await db.select().from(projectLinks).where(inArray(projectLinks.linkedProjectId, projectIds)),
  (l) => l.linkedProjectId,
  (l) => l,
);

/** EXT-4: each project's provided-license setting (accounts, UNAFFILIATED), batched per request. */
export const providedAccountsOf = groupedLoader(
  async (db, projectIds) =>
    await db.select().from(providedLicenses).where(inArray(providedLicenses.projectId, projectIds)),
  (r) => r.projectId,
  (r) => r.accountId,
);
export const providedFlagOf = groupedLoader(
  async (db, projectIds) =>
    await db.select().from(providedLicenseFlags).where(inArray(providedLicenseFlags.projectId, projectIds)),
  (r) => r.projectId,
  (r) => r.unaffiliated,
);
