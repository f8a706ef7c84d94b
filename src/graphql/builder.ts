// The Pothos SchemaBuilder and its plugins. Order matters (ARCHITECTURE "Plugin order"): relay first so
// auth scopes see parsed global ids; scope-auth before errors so auth failures stay top-level; errors
// before validation/dataloader so what they throw from resolvers is caught.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { AuthzRequest } from '../authz/actions.js';
import { AppError } from '../errors.js';
import type { Context } from './context.js';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

const pageSize = z.number().int().min(0, 'must not be negative').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Object types that one area defines and other areas name (`type: 'Account'`,
 * `builder.objectField('Account', …)`): an area never imports another area's graphql/ (ARCHITECTURE
 * "Layout"), so the defining area adds its type's shape here by declaration merging, next to the type.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the areas (declaration merging)
export interface SharedObjects {}

export const builder = new SchemaBuilder<{
  Context: Context;
  Objects: SharedObjects;
  AuthScopes: {
    /** A valid bearer token was presented. */
    signedIn: boolean;
    /** … and its email has a registered identity profile (ID-1). */
    registered: boolean;
    /** authz allows this request (§9; authz/rules.ts decides). */
    can: AuthzRequest;
    /** authz allows administering the data source with this row id (DS-1; its accounts looked up). */
    dataSourceAdmin: string;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    CountryCode: { Input: string; Output: string };
    LocalDate: { Input: string; Output: string };
  };
  Connection: { totalCount: number };
  // Fields are non-null unless they say otherwise; connection edges and their nodes too.
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    // Descriptions of what the plugin generates (Node, ids, PageInfo, connections, edges, paging
    // arguments): GraphiQL's explorer is where administrators learn the API.
    nodeTypeOptions: {
      description:
        'Anything with a global id (Relay). Fetch it again with `node(id:)`; what you may not read (§9) resolves to null, exactly like a missing id.',
    },
    idFieldOptions: {
      description: 'Opaque global id: pass it back to `node(id:)` and to inputs as it is; do not parse it.',
    },
    pageInfoTypeOptions: { description: 'Where this page sits in the whole list, and the cursors to page on from.' },
    hasNextPageFieldOptions: {
      description: 'More items follow the last one of this page (page on with `after: endCursor`).',
    },
    hasPreviousPageFieldOptions: {
      description: 'Items precede the first one of this page (page back with `before: startCursor`).',
    },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null when the page is empty.' },
    defaultConnectionTypeOptions: {
      description: `One page of a list, in the list's order: \`edges\` (items with cursors), \`pageInfo\` and \`totalCount\`. Pages hold ${DEFAULT_PAGE_SIZE} items unless \`first\`/\`last\` say otherwise (at most ${MAX_PAGE_SIZE}).`,
    },
    defaultEdgeTypeOptions: { description: 'One item of a page, with the cursor that marks its place in the list.' },
    edgesFieldOptions: { nullable: { list: false, items: false }, description: 'The items of this page, in order.' },
    pageInfoFieldOptions: { description: 'Whether there are more pages, and the cursors to fetch them.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: {
      description:
        'Opaque cursor of this item: pass it as `after` (or `before`) to fetch the items following (preceding) it.',
    },
    clientMutationId: 'omit',
    cursorType: 'String',
    firstArgOptions: {
      validate: pageSize,
      description: `Page forward: the first n items (after \`after\`, if given). Default ${DEFAULT_PAGE_SIZE} when neither \`first\` nor \`last\` is given; at most ${MAX_PAGE_SIZE} (more is BAD_USER_INPUT).`,
    },
    lastArgOptions: {
      validate: pageSize,
      description: `Page backward: the last n items (before \`before\`, if given). At most ${MAX_PAGE_SIZE} (more is BAD_USER_INPUT).`,
    },
    afterArgOptions: {
      description:
        'Start after the item with this cursor (an `endCursor` or edge `cursor` this list returned); a foreign cursor is BAD_USER_INPUT.',
    },
    beforeArgOptions: {
      description:
        'End before the item with this cursor (a `startCursor` or edge `cursor` this list returned); a foreign cursor is BAD_USER_INPUT.',
    },
    // node / nodes are defined in types/node.ts: a malformed id must read as missing (null), and
    // `nodes` needs a size limit — the plugin's fields refuse the first and cannot take the second.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      signedIn: ctx.auth.status === 'authenticated',
      registered: ctx.viewer !== null,
      can: (request) => ctx.can(request),
      dataSourceAdmin: async (dataSourceId) => await ctx.administersDataSource(dataSourceId),
    }),
    unauthorizedError: (_parent, ctx, _info, result) => {
      if (ctx.auth.status === 'invalid') {
        return new GraphQLError(`not signed in: ${ctx.auth.reason}`, { extensions: { code: 'UNAUTHENTICATED' } });
      }
      if (ctx.auth.status === 'anonymous') {
        return new GraphQLError('not signed in: send "Authorization: Bearer <token>"', {
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
      if (!ctx.viewer) {
        return new GraphQLError('register your identity profile first (registerProfile)', {
          extensions: { code: 'FORBIDDEN' },
        });
      }
      return new GraphQLError(`not allowed: ${result.message}`, { extensions: { code: 'FORBIDDEN' } });
    },
  },
  errors: {
    // Only our own AppError becomes schema data; anything else (a SqliteError, a bug) stays a
    // top-level error that yoga masks.
    defaultTypes: [AppError],
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Payload`,
      description:
        "The mutation's result (§10): its `…Success` type when it was done, or an `Error` (`UserError`; `BulkCheckoutError` for a bulk checkout) when a business rule refused it and nothing was written.",
    },
  },
  validation: {
    // Structural input limits fail before the resolver runs: a top-level BAD_USER_INPUT error listing
    // every issue with its path. (Business rules come back as typed UserErrors in the payload.)
    validationError: (failure) =>
      new GraphQLError(`invalid input: ${failure.issues.map((i) => `${issuePath(i.path)}${i.message}`).join('; ')}`, {
        extensions: {
          code: 'BAD_USER_INPUT',
          issues: failure.issues.map((i) => ({ path: pathParts(i.path), message: i.message })),
        },
      }),
  },
});

/** The builder's schema types, for helpers that take or return Pothos refs. */
export type Types = typeof builder.$inferSchemaTypes;

type IssuePath = ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;

function pathParts(path: IssuePath): string[] {
  return (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p));
}

function issuePath(path: IssuePath): string {
  const parts = pathParts(path);
  return parts.length > 0 ? `${parts.join('.')}: ` : '';
}
