// What the access area lends to other areas' use cases: the facts every license decision ends with
// (LIC-1.3/LIC-1.4: the caller's accounts and which of them hold an entitlement) and the usage ledger
// (LIC-2). Opening a project (EXT-5, organizations/) decides and records through these, as sign-in does.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../db/client.js';
import { accounts, associations, entitlements, type UserRow, usageRecords } from '../db/schema.js';
import { entitlementActiveAt } from '../identity/service.js';
import type { AccountRef, EntitlementFacts } from './rules/access.js';

export function accountRef(tx: Reader, id: string | null): AccountRef | null {
  if (!id) return null;
  const row = tx.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, id)).get();
  return row ?? null;
}

/**
 * LIC-1.3/LIC-1.4 facts for `subject` and `product`: their home account, their associations (ID-5,
 * oldest first), and which of those — and of `alsoAccountIds` (EXT-5: the project's account) — hold
 * an entitlement for the product in the subject's usage country whose contract has not ended at `now`.
 */
export function entitlementFacts(
  tx: Reader,
  subject: UserRow,
  product: string,
  now: Date,
  alsoAccountIds: readonly string[] = [],
): EntitlementFacts & { caller: { email: string } } {
  const associated = tx
    .select({ id: accounts.id, name: accounts.name })
    .from(associations)
    .innerJoin(accounts, eq(accounts.id, associations.accountId))
    .where(eq(associations.userId, subject.id))
    .orderBy(asc(associations.createdAt), asc(sql`${associations}.rowid`))
    .all();
  const candidates = [
    ...new Set([
      ...(subject.homeAccountId ? [subject.homeAccountId] : []),
      ...associated.map((a) => a.id),
      ...alsoAccountIds,
    ]),
  ];
  const entitled = candidates.length
    ? tx
        .select({ accountId: entitlements.accountId })
        .from(entitlements)
        .where(
          and(
            inArray(entitlements.accountId, candidates),
            eq(entitlements.productCode, product),
            eq(entitlements.country, subject.usageCountry),
            entitlementActiveAt(now),
          ),
        )
        .all()
    : [];
  return {
    product,
    caller: {
      email: subject.email,
      usageCountry: subject.usageCountry,
      homeAccount: accountRef(tx, subject.homeAccountId),
    },
    associations: associated,
    entitledAccountIds: new Set(entitled.map((e) => e.accountId)),
  };
}

/** LIC-2 / EXT-5: one usage record, naming a data source (with its user and machine) or a project. */
export type UsageRecordInput = typeof usageRecords.$inferInsert &
  (
    | { dataSourceId: string; dataSourceUserId: string; machineName: string; projectId?: null }
    | { projectId: string; dataSourceId?: null; dataSourceUserId?: null }
  );

/** LIC-2: usage records are append-only; this is the only place that writes one. */
export function appendUsageRecord(tx: Tx, record: UsageRecordInput): void {
  tx.insert(usageRecords).values(record).run();
}
