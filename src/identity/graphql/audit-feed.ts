// HIS-7 in the schema: `auditEvents(accountId, after)` — an account's audit entries as they are
// committed (src/audit/feed.ts tails the table, so entries written by any instance arrive), for its IMS
// admins; each event carries a cursor to resume with after a reconnect, without loss or duplicate.

import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { decodeFeedCursor, type FeedEvent, feedStart, tailAuditLog } from '../../audit/feed.js';
import { authorize, loadSubject } from '../../authz/authorize.js';
import { AccessDenied } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { authzExtension } from '../../graphql/mutation.js';
import { Account, AuditEntry } from './nodes.js';

const AuditEventType = builder.objectRef<FeedEvent>('AuditEvent').implement({
  description: 'HIS-7: one audit entry of the account, delivered after its transaction committed.',
  fields: (t) => ({
    entry: t.field({
      type: AuditEntry,
      description: 'The entry, as account.auditLog shows it.',
      resolve: (e) => e.entry,
    }),
    cursor: t.exposeString('cursor', {
      description:
        'Subscribe again with `after: cursor` to go on after this event, missing nothing and repeating nothing.',
    }),
  }),
});

builder.subscriptionField('auditEvents', (t) =>
  t.field({
    type: AuditEventType,
    extensions: authzExtension(['account.administer']),
    description:
      "HIS-7: the account's audit entries (§10) as they are committed — by this instance or any other on the same database — oldest first. Without `after`, from the moment of subscribing; with the cursor of the last event received, from just after it. The account's IMS admins only (FORBIDDEN otherwise; the stream ends with FORBIDDEN if the role is lost while listening).",
    authScopes: { registered: true },
    args: {
      accountId: t.arg.globalID({
        required: true,
        for: Account,
        description: 'The account (you are one of its IMS admins).',
      }),
      after: t.arg.string({ description: 'The cursor of the last event received (resume after a reconnect).' }),
    },
    subscribe: async (_root, args, ctx) => {
      const accountId = args.accountId.id;
      const allowed = async () => {
        // Read again before every read of the table: a role revoked while listening ends the stream.
        const subject = await loadSubject(ctx.db, ctx.viewer);
        if (!authorize(subject, { action: 'account.administer', accountId }).allowed) {
          throw new AccessDenied('FORBIDDEN', "the account's audit feed is for its IMS admins");
        }
      };
      // Refusals before the stream starts are the subscription's answer (not an event): UNAUTHENTICATED
      // or FORBIDDEN without a registered viewer (as ctx.service() says), then the account's rule.
      ctx.service();
      await allowed();
      const position = args.after ? decodeFeedCursor(args.after) : await feedStart(ctx.db);
      if (!position) {
        throw new GraphQLError('invalid input: "after" is not a cursor of this feed (use one it returned)', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      // A Repeater (as yoga uses) rather than an async generator: when the client goes away, `stop`
      // settles at once and the tail stops polling — a generator would learn of it only at its next event.
      return new Repeater<FeedEvent>(async (push, stop) => {
        const ended = new AbortController();
        void stop.then(() => ended.abort());
        try {
          for await (const event of tailAuditLog(ctx.db, accountId, position, ctx.auditFeed, allowed, ended.signal)) {
            await push(event);
          }
          stop();
        } catch (error) {
          // After the client went away there is nobody to tell (a read cut short by a shutdown, say).
          stop(ended.signal.aborted ? undefined : error);
        }
      });
    },
    resolve: (event: FeedEvent) => event,
  }),
);
