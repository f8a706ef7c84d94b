// §10 in the schema: AuditEntry, as an account's audit log shows it.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { auditEntriesInBatches } from '../../audit/service.js';
import type { AuditEntryRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { registerExport } from '../../graphql/exports.js';
import { AuditEntry } from './nodes.js';

/** The stored "Type:id" references as the global ids clients use. */
const globalTargetIds = (entry: AuditEntryRow) =>
  entry.targetIds.map((ref) => {
    const cut = ref.indexOf(':');
    return encodeGlobalID(ref.slice(0, cut), ref.slice(cut + 1));
  });

builder.objectFields(AuditEntry, (t) => ({
  at: t.expose('at', { type: 'DateTime', description: 'When the mutation ran (UTC).' }),
  actorEmail: t.field({
    type: 'EmailAddress',
    nullable: true,
    description:
      "Who ran it: their email as it was at the time. Null in an entry kept from the log's account who acted (LIC-3: a licensing owner's log shows a sign-in it paid for, not who signed in).",
    resolve: (e) => (e.actorEmail === '' ? null : e.actorEmail),
  }),
  action: t.exposeString('action', { description: 'The mutation name, e.g. grantImsRole.' }),
  targetIds: t.idList({
    description: 'Global ids of the objects the action concerned (some may no longer exist).',
    resolve: (e) => globalTargetIds(e),
  }),
  summary: t.exposeString('summary', {
    description: 'What happened, for people (a refused sign-in says why; a change that changed nothing says so).',
  }),
}));

// HIS-3: the audit log as CSV, oldest first, for the account's IMS admins (as Account.auditLog).
registerExport('audit-log', {
  columns: ['at', 'actor_email', 'action', 'target_ids', 'summary'],
  period: 'optional',
  authorize: (accountId) => ({ action: 'account.administer', accountId }),
  async *batches(ctx, request) {
    for await (const batch of auditEntriesInBatches(ctx.db, request.accountId, request)) {
      yield batch.map((e) => [e.at, e.actorEmail, e.action, globalTargetIds(e).join(' '), e.summary]);
    }
  },
});
