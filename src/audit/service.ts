// §10: every mutation appends one audit entry inside its own transaction.
import type { Tx } from '../db/client.js';
import { auditEntries, auditEntryAccounts } from '../db/schema.js';

/** A reference to an object an action concerned: its type name and row id ("Account", "…"). */
export interface TargetRef {
  type: string;
  id: string;
}

export interface AuditInput {
  at: Date;
  actor: { id: string; email: string } | null;
  /** Fallback when the actor has no profile yet (registerProfile): the token's email. */
  actorEmail?: string;
  action: string;
  /** The accounts whose audit logs show this entry. */
  accountIds: readonly string[];
  targets: readonly TargetRef[];
  summary: string;
}

export function appendAudit(tx: Tx, entry: AuditInput): void {
  const inserted = tx
    .insert(auditEntries)
    .values({
      at: entry.at,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? entry.actorEmail ?? 'unknown',
      action: entry.action,
      targetIds: entry.targets.map((t) => `${t.type}:${t.id}`),
      summary: entry.summary,
    })
    .returning({ id: auditEntries.id })
    .get();
  const accountIds = [...new Set(entry.accountIds)];
  if (accountIds.length > 0) {
    tx.insert(auditEntryAccounts)
      .values(accountIds.map((accountId) => ({ entryId: inserted.id, accountId })))
      .run();
  }
}
