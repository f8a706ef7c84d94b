// Issue 14, IMP-5 "who can get in": every identity that can sign in to a data source today, each with
// the decision of signInToDataSource (decideMany) and who would pay. Its data-source users with a
// registered identity one by one; the members of the accounts its identity filter names who have no
// data-source user yet (ACC-2 would create one) summarized by account and outcome.
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { AccessDecision } from '../../access/rules/access.js';
import { decideMany } from '../../access/use-cases/decisions.js';
import type { Subject } from '../../authz/authorize.js';
import { filterAccountIds } from '../../data-sources/service.js';
import type { Reader } from '../../db/client.js';
import { accounts, type DataSourceRow, dataSourceUsers, type UserRow, users } from '../../db/schema.js';

export const ACCESS_REPORT_KINDS = ['DATA_SOURCE_USER', 'ADMITTED_BY_FILTER'] as const;
export type AccessReportKind = (typeof ACCESS_REPORT_KINDS)[number];

export interface AccessReportEntry {
  kind: AccessReportKind;
  /** DATA_SOURCE_USER: the person. ADMITTED_BY_FILTER: the first of the summarized members, by email. */
  user: UserRow;
  dataSourceUserId: string | null;
  /** ADMITTED_BY_FILTER: the account whose members are summarized. */
  account: { id: string; name: string } | null;
  /** How many people the entry stands for (1 for a data-source user). */
  people: number;
  decision: AccessDecision;
}

export interface AccessReportFilter {
  product: string;
  /** Only entries granted (true) or denied (false). */
  granted?: boolean | null;
  /** Only entries billed to this account. */
  billedAccountId?: string | null;
}

/** Sort keys: data-source users by email, then the summaries by account name and outcome. */
export function reportKey(entry: AccessReportEntry): [number, string, string] {
  return entry.kind === 'DATA_SOURCE_USER'
    ? [0, entry.user.email, '']
    : [
        1,
        `${entry.account?.name.toLowerCase() ?? ''}\u0000${entry.account?.id ?? ''}`,
        `${entry.decision.granted ? 0 : 1}\u0000${entry.decision.denialReason ?? ''}\u0000${entry.decision.licenseSource ?? ''}\u0000${entry.decision.billedAccount?.id ?? ''}`,
      ];
}

/**
 * IMP-5: the report's entries, filtered (a fixed number of statements whatever the page: every
 * identity is decided so that the filters and the summaries count them all).
 */
export async function accessReport(
  tx: Reader,
  viewer: Subject,
  ds: DataSourceRow,
  filter: AccessReportFilter,
  now: Date,
): Promise<AccessReportEntry[]> {
  const people = await tx
    .select({ user: users, dataSourceUserId: dataSourceUsers.id })
    .from(dataSourceUsers)
    .innerJoin(users, eq(users.email, dataSourceUsers.identity))
    .where(and(eq(dataSourceUsers.dataSourceId, ds.id), isNotNull(dataSourceUsers.identity)))
    .orderBy(asc(users.email));
  const admittedAccountIds = ds.dynamicCreationFilter ? await filterAccountIds(tx, ds.dynamicCreationFilter, []) : [];
  const admitted = admittedAccountIds.length
    ? await tx
        .select({ user: users, accountName: accounts.name })
        .from(users)
        .innerJoin(accounts, eq(accounts.id, users.homeAccountId))
        .where(inArray(users.homeAccountId, admittedAccountIds))
        .orderBy(asc(users.email))
    : [];
  // ACC-2 uses the data-source user whose identity is theirs when there is one (listed above).
  const listed = new Set(people.map((p) => p.user.email));
  const admittedOnly = admitted.filter((a) => !listed.has(a.user.email));
  const questions = [...people.map((p) => p.user), ...admittedOnly.map((a) => a.user)].map((user) => ({
    userId: user.id,
    dataSourceId: ds.id,
    product: filter.product,
    machineName: null,
  }));
  const decided = new Map((await decideMany(tx, viewer, questions, now)).map((a) => [a.userId, a.decision]));
  const entries: AccessReportEntry[] = [];
  for (const p of people) {
    const decision = decided.get(p.user.id);
    if (decision) {
      entries.push({
        kind: 'DATA_SOURCE_USER',
        user: p.user,
        dataSourceUserId: p.dataSourceUserId,
        account: null,
        people: 1,
        decision,
      });
    }
  }
  // ADMITTED_BY_FILTER: one entry per account and outcome (granted, reason, source, billed account).
  const groups = new Map<string, AccessReportEntry>();
  for (const a of admittedOnly) {
    const decision = decided.get(a.user.id);
    const accountId = a.user.homeAccountId;
    if (!decision || !accountId) continue;
    const key = `${accountId}\u0000${decision.granted}\u0000${decision.denialReason}\u0000${decision.licenseSource}\u0000${decision.billedAccount?.id ?? ''}`;
    const group = groups.get(key);
    if (group) group.people += 1;
    else {
      // §9: the line stands for members the admin may not read; its steps name the account, not them.
      const member = `a member of ${a.accountName}`;
      groups.set(key, {
        kind: 'ADMITTED_BY_FILTER',
        user: a.user,
        dataSourceUserId: null,
        account: { id: accountId, name: a.accountName },
        people: 1,
        decision: {
          ...decision,
          steps: decision.steps.map((s) => ({ ...s, detail: s.detail.replaceAll(a.user.email, member) })),
        },
      });
    }
  }
  entries.push(...groups.values());
  return entries.filter(
    (e) =>
      (filter.granted == null || e.decision.granted === filter.granted) &&
      (filter.billedAccountId == null || e.decision.billedAccount?.id === filter.billedAccountId),
  );
}
