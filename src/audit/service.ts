// §10: every mutation appends one audit entry inside its own transaction.
import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../db/client.js';
import { statements } from '../db/prepared.js';
import { type AuditEntryRow, auditEntries, auditEntryAccounts } from '../db/schema.js';

/** A reference to an object an action concerned: its type name and row id ("Account", "…"). */
export interface TargetRef {
  type: string;
  id: string;
}

export interface AuditInput {
  at: Date;
  /** Who acted; `UNNAMED_ACTOR` for an entry whose log may not know who it was (LIC-3, HIS-1). */
  actor: { id: string; email: string } | typeof UNNAMED_ACTOR | null;
  /** Fallback when the actor has no profile yet (registerProfile): the token's email. */
  actorEmail?: string;
  action: string;
  /** The accounts whose audit logs show this entry. */
  accountIds: readonly string[];
  targets: readonly TargetRef[];
  summary: string;
}

const hot = statements((db) => ({
  entry: db
    .insert(auditEntries)
    .values({
      at: sql.placeholder('at'),
      actorId: sql.placeholder('actorId'),
      actorEmail: sql.placeholder('actorEmail'),
      action: sql.placeholder('action'),
      targetIds: sql.placeholder('targetIds'),
      summary: sql.placeholder('summary'),
    })
    .returning({ id: auditEntries.id }),
  shownTo: db
    .insert(auditEntryAccounts)
    .values({ entryId: sql.placeholder('entryId'), accountId: sql.placeholder('accountId') }),
}));

/**
 * LIC-3: the actor of an entry shown only to an account that may not know who acted (a licensing owner
 * billed for a sign-in to a data source it does not own). Stored as an empty email, read as null.
 */
export const UNNAMED_ACTOR = 'unnamed' as const;

export async function appendAudit(tx: Tx, entry: AuditInput): Promise<void> {
  const statements = hot(tx);
  const actor = entry.actor === UNNAMED_ACTOR ? null : entry.actor;
  const inserted = await statements.entry.get({
    at: entry.at,
    actorId: actor?.id ?? null,
    actorEmail: entry.actor === UNNAMED_ACTOR ? '' : (actor?.email ?? entry.actorEmail ?? 'unknown'),
    action: entry.action,
    targetIds: entry.targets.map((t) => `${t.type}:${t.id}`),
    summary: entry.summary,
  });
  if (!inserted) throw new Error('the audit entry was not written');
  for (const accountId of new Set(entry.accountIds)) await statements.shownTo.run({ entryId: inserted.id, accountId });
}

/**
 * HIS-3: the entries an account's log shows, oldest first, in [from, to) when given, `batch` at a time
 * by keyset on the entry id (the order they were written in): what the CSV export streams.
 */
export async function* auditEntriesInBatches(
  db: Reader,
  accountId: string,
  period: { from: Date | null; to: Date | null },
  batch = 1000,
): AsyncGenerator<AuditEntryRow[]> {
  let afterId = 0;
  for (;;) {
    const rows = (
      await db
        .select({ entry: auditEntries })
        .from(auditEntryAccounts)
        .innerJoin(auditEntries, eq(auditEntries.id, auditEntryAccounts.entryId))
        .where(
          and(
            eq(auditEntryAccounts.accountId, accountId),
            gt(auditEntryAccounts.entryId, afterId),
            period.from ? gte(auditEntries.at, period.from) : undefined,
            period.to ? lt(auditEntries.at, period.to) : undefined,
          ),
        )
        .orderBy(asc(auditEntryAccounts.entryId))
        .limit(batch)
    ).map((r) => r.entry);
    if (rows.length > 0) yield rows;
    if (rows.length < batch) return;
    afterId = (rows[rows.length - 1] as AuditEntryRow).id;
  }
}
