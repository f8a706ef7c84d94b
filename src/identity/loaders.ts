// The identity area's reads for GraphQL: what authz needs to know about users (associations,
// checkout issuers, data-source identities) and audit entries' accounts, batched per request.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { associations, auditEntryAccounts, dataSources, dataSourceUsers, licenseCheckouts } from '../db/schema.js';
import { groupedLoader } from '../graphql/loaders.js';
import type { Key } from '../graphql/pagination.js';

// ---------------------------------------------------------------------------------------------
// Read rules (§9)

/** Each user's associations (ID-5), oldest first, batched per request. */
export const associationsByUser = groupedLoader(
  (db, userIds) =>
    db
      .select({ row: associations, rowid: sql<number>`${associations}.rowid` })
      .from(associations)
      .where(inArray(associations.userId, userIds))
      .orderBy(asc(associations.createdAt), asc(sql`${associations}.rowid`))
      .all(),
  (r) => r.row.userId,
  (r) => ({ ...r.row, sortKey: [r.row.createdAt.getTime(), r.rowid] as Key[] }),
);

/** The accounts that issued a license checkout to each email (LIC-5), batched per request. */
export const checkoutIssuersByEmail = groupedLoader(
  (db, emails) =>
    db
      .selectDistinct({ email: licenseCheckouts.email, accountId: licenseCheckouts.accountId })
      .from(licenseCheckouts)
      .where(inArray(licenseCheckouts.email, emails))
      .all(),
  (r) => r.email,
  (r) => r.accountId,
);

/** The owner accounts of the data sources that have a user signing in as each email (DS-3). */
export const dataSourceOwnersByIdentity = groupedLoader(
  (db, emails) =>
    db
      .selectDistinct({ email: dataSourceUsers.identity, accountId: dataSources.ownerAccountId })
      .from(dataSourceUsers)
      .innerJoin(dataSources, eq(dataSources.id, dataSourceUsers.dataSourceId))
      .where(inArray(dataSourceUsers.identity, emails))
      .all(),
  (r) => r.email ?? '',
  (r) => r.accountId,
);

/** The accounts in whose audit log each entry shows (§10), batched per request. */
export const accountsByAuditEntry = groupedLoader(
  (db, entryIds) =>
    db
      .select()
      .from(auditEntryAccounts)
      .where(inArray(auditEntryAccounts.entryId, entryIds.map(Number)))
      .all(),
  (r) => String(r.entryId),
  (r) => r.accountId,
);
