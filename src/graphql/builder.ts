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
import { AppError } from '../domain/errors.js';
import { isCheckoutAdmin } from '../services/checkouts.js';
import type { Context } from './context.js';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

const pageSize = z.number().int().min(0, 'must not be negative').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: {
    /** A valid bearer token was presented. */
    signedIn: boolean;
    /** … and its email has a registered identity profile (ID-1). */
    registered: boolean;
    /** The viewer holds an IMS admin role in the account with this row id. */
    imsAdminOf: string;
    /** The viewer administers the data source with this row id (IMS admin of its owner, DS-1). */
    dataSourceAdmin: string;
    /** The viewer is an ACCOUNT_ADMIN or CO_ADMINISTRATOR of the account with this row id (LIC-5). */
    checkoutAdminOf: string;
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
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    clientMutationId: 'omit',
    cursorType: 'String',
    firstArgOptions: { validate: pageSize },
    lastArgOptions: { validate: pageSize },
    // node / nodes are defined in types/node.ts: a malformed id must read as missing (null), and
    // `nodes` needs a size limit — the plugin's fields refuse the first and cannot take the second.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      signedIn: ctx.auth.status === 'authenticated',
      registered: ctx.viewer !== null,
      imsAdminOf: async (accountId) => (await ctx.adminAccountIds()).has(accountId),
      dataSourceAdmin: async (dataSourceId) => ctx.administersDataSource(dataSourceId),
      checkoutAdminOf: async (accountId) => isCheckoutAdmin((await ctx.viewerRoles()).get(accountId) ?? []),
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
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Payload` },
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

type IssuePath = ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;

function pathParts(path: IssuePath): string[] {
  return (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p));
}

function issuePath(path: IssuePath): string {
  const parts = pathParts(path);
  return parts.length > 0 ? `${parts.join('.')}: ` : '';
}
