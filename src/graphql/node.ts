import { builder, MAX_PAGE_SIZE } from './builder.js';
import { atMost } from './common.js';
import { authzExtension } from './mutation.js';
import { readNode } from './visibility.js';

const NodeInterface = builder.nodeInterfaceRef();

/** The read check of every node type (§9), one of which decides each id. */
const READ_CHECKS = [
  'account.read',
  'user.read',
  'association.read',
  'entitlement.read',
  'auditEntry.read',
  'checkout.read',
  'dataSource.read',
  'dataSource.administer',
  'dataSourceUser.read',
  'licensingOwnerRequest.read',
  'project.read',
  'invitation.read',
] as const;

builder.queryFields((t) => ({
  node: t.field({
    extensions: authzExtension(READ_CHECKS),
    type: NodeInterface,
    nullable: true,
    description:
      'Anything with a global id, if you may read it; null when it is missing, hidden from you or malformed.',
    authScopes: { registered: true },
    args: { id: t.arg.id({ required: true, description: 'A global id, as every `id` field returns it.' }) },
    resolve: (_root, { id }, ctx) => readNode(ctx, String(id)),
  }),
  nodes: t.field({
    extensions: authzExtension(READ_CHECKS),
    type: [NodeInterface],
    nullable: { list: false, items: true },
    description: `Several objects by global id, in the order asked (at most ${MAX_PAGE_SIZE}); each is null when \`node\` would be.`,
    authScopes: { registered: true },
    args: {
      ids: t.arg.idList({
        required: true,
        description: `At most ${MAX_PAGE_SIZE} global ids.`,
        validate: atMost(MAX_PAGE_SIZE, 'ids'),
      }),
    },
    resolve: (_root, { ids }, ctx) => Promise.all(ids.map((id) => readNode(ctx, String(id)))),
  }),
}));
