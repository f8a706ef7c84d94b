// §10 in the schema: AuditEntry, as an account's audit log shows it.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { AuditEntry } from './nodes.js';

builder.objectFields(AuditEntry, (t) => ({
  at: t.expose('at', { type: 'DateTime', description: 'When the mutation ran (UTC).' }),
  actorEmail: t.expose('actorEmail', {
    type: 'EmailAddress',
    description: 'Who ran it: their email as it was at the time.',
  }),
  action: t.exposeString('action', { description: 'The mutation name, e.g. grantImsRole.' }),
  targetIds: t.idList({
    description: 'Global ids of the objects the action concerned (some may no longer exist).',
    resolve: (e) =>
      e.targetIds.map((ref) => {
        const cut = ref.indexOf(':');
        return encodeGlobalID(ref.slice(0, cut), ref.slice(cut + 1));
      }),
  }),
  summary: t.exposeString('summary', {
    description: 'What happened, for people (a refused sign-in says why; a change that changed nothing says so).',
  }),
}));
