// createServer(config, db) → a yoga instance. Tests call `yoga.fetch` in-process; main.ts listens.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { createTokenVerifier, type TokenVerifier } from './auth/tokens.js';
import type { AuthConfig } from './config.js';
import { type Db, schemaVersion } from './db/client.js';
import { AccessDenied } from './domain/errors.js';
import { type Context, createContext } from './graphql/context.js';
import { schema } from './graphql/schema.js';

export interface ServerOptions {
  db: Db;
  auth: AuthConfig;
  graphiql: boolean;
  introspection: boolean;
  /** Tests pin the clock; the server uses the wall clock. */
  clock?: () => Date;
  /** Tests may inject a verifier; by default one is built from `auth`. */
  verifyToken?: TokenVerifier;
}

export const GRAPHQL_PATH = '/graphql';

const DEFAULT_QUERY = `# Threshold: who may enter which data, with which permissions, and whose license pays.
# Add a header {"Authorization": "Bearer <token>"} below (npm start prints demo tokens).
query WhoAmI {
  viewer {
    email
    displayName
    homeAccount { name emailDomains }
    imsRoles
    associations { account { name } grantsLicensing }
  }
}
`;

/** /health answers 200 with the schema (migration) version, without touching GraphQL. */
function useHealth(version: string): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/health') {
        endResponse(
          new fetchAPI.Response(JSON.stringify({ status: 'ok', schemaVersion: version }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
    },
  };
}

/**
 * Access failures thrown by services (AccessDenied) become top-level UNAUTHENTICATED / FORBIDDEN errors
 * with their message; every other unexpected error is masked by yoga (no stack, no SQL).
 */
function maskErrors(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof AccessDenied) {
    return new GraphQLError(original.message, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: original.code },
    });
  }
  return maskError(error, message, isDev);
}

export function createServer(options: ServerOptions) {
  const verifyToken = options.verifyToken ?? createTokenVerifier(options.auth);
  const clock = options.clock ?? (() => new Date());
  const plugins: Plugin[] = [
    useHealth(schemaVersion()),
    // A browser can only send a request that skips CORS preflight with a "simple" content type;
    // such requests must carry the x-graphql-yoga-csrf header (JSON requests pass as they are).
    useCSRFPrevention(),
    EnvelopArmorPlugin({
      // Each Relay `edges { node }` hop adds two levels: account → members → edges → node → homeAccount
      // → auditLog → edges → node … is 10–12 deep in real use; 15 leaves room without allowing abuse.
      maxDepth: { n: 15 },
      maxAliases: { n: 30 },
      maxDirectives: { n: 50 },
      maxTokens: { n: 5000 },
      costLimit: { maxCost: 20000 },
    }) as Plugin,
  ];
  if (!options.introspection) plugins.push(useDisableIntrospection());
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/yoga-health',
    landingPage: false,
    graphiql: options.graphiql ? { title: 'Threshold', defaultQuery: DEFAULT_QUERY } : false,
    maskedErrors: { maskError: maskErrors },
    plugins,
    context: ({ request }) => createContext({ db: options.db, clock, verifyToken }, request),
  });
}

export type ThresholdServer = ReturnType<typeof createServer>;
