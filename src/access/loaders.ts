// The access area's reads for GraphQL: licensing-owner requests (LIC-3) addressed to an account or
// made for a data source, newest first, filtered by status.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { insertionOrder, licensingOwnerRequests } from '../db/schema.js';
import { tablePage } from '../graphql/common.js';
import { loadByIds } from '../graphql/loaders.js';
import type { PageArgs } from '../graphql/pagination.js';
import type { LicensingOwnerRequestStatus } from './rules/licensing-owner.js';
import { requestStatusIn } from './use-cases/licensing-owner.js';

const newestFirst = [
  { key: licensingOwnerRequests.requestedAt, desc: true },
  // Same-instant requests: the later one first (rowid is insertion order).
  { key: insertionOrder(licensingOwnerRequests), desc: true },
];

/** LIC-3: the requests addressed to an account, or made for a data source, with these statuses. */
export const requestsPage = async (
  db: Db,
  args: PageArgs,
  of: { requestedAccountId: string } | { dataSourceId: string },
  statuses: readonly LicensingOwnerRequestStatus[] | null | undefined,
  now: Date,
) =>
  await tablePage(
    db,
    args,
    licensingOwnerRequests,
    and(
      'requestedAccountId' in of
        ? eq(licensingOwnerRequests.requestedAccountId, of.requestedAccountId)
        : eq(licensingOwnerRequests.dataSourceId, of.dataSourceId),
      requestStatusIn(statuses, now),
    ),
    newestFirst,
  );

export const loadLicensingOwnerRequests = loadByIds(licensingOwnerRequests);
