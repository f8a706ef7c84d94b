// createServer(config, db) → a yoga instance. Tests call `yoga.fetch` in-process; main.ts listens.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin } from 'graphql-yoga';
import { DEFAULT_FEED_OPTIONS, type FeedOptions } from './audit/feed.js';
import { createTokenVerifier, type TokenVerifier } from './auth/tokens.js';
import type { AuthConfig } from './config.js';
import type { Db } from './db/client.js';
import { graphiqlExampleTabs, renderGraphiQLPage, useGraphiQLAssets } from './graphiql.js';
import { useRequestBodyLimit } from './graphql/body-limit.js';
import { useConnectionCost } from './graphql/complexity.js';
import { type Context, createContext } from './graphql/context.js';
import { useDryRunRelease } from './graphql/dry-run.js';
import { useCsvExports } from './graphql/exports.js';
import { maskError } from './graphql/mask-errors.js';
import { useSpecExecutor } from './graphql/spec-executor.js';
import { useNoNulInText } from './graphql/text-input.js';
import { loadSigningKey } from './licensing/license-keys.js';
import { type CorsOrigins, corsPolicy, useVaryOrigin } from './ops/cors.js';
import { HEALTH_PATH, READY_PATH, useProbes } from './ops/health.js';
import { type Logger, yogaLoggerFor } from './ops/logger.js';
import { METRICS_PATH, type ServerMetrics } from './ops/metrics.js';
import { type PersistedOperations, usePersistedOperationsOnly } from './ops/persisted-operations.js';
import { type RateLimits, useRateLimits } from './ops/rate-limits.js';
import { useRequestLog } from './ops/request-log.js';
import { schema } from './schema.js';

export interface ServerOptions {
  db: Db;
  auth: AuthConfig;
  graphiql: boolean;
  introspection: boolean;
  /** Tests pin the clock; the server uses the wall clock. */
  clock?: () => Date;
  /** Tests may inject a verifier; by default one is built from `auth`. */
  verifyToken?: TokenVerifier;
  /** THRESHOLD_LICENSE_KEY; without it the key is generated on first start and kept in the database. */
  licenseKeyPem?: string | undefined;
  /** The largest request body accepted, in bytes (25 MB by default; tests lower it). */
  maxRequestBodyBytes?: number;
  /** One JSON line per request (src/ops/request-log.ts); none when null or left out. */
  logger?: Logger | null;
  /** Prometheus metrics at /metrics (src/ops/metrics.ts); none when null or left out. */
  metrics?: ServerMetrics | null;
  /** Origins whose pages may call from a browser (src/ops/cors.ts); none when left out. */
  corsOrigins?: CorsOrigins;
  /** Per-viewer limits on sign-ins and bulk checkouts (src/ops/rate-limits.ts); none when left out. */
  rateLimits?: RateLimits | null;
  /** Only these operations run, sent by id (src/ops/persisted-operations.ts); any document when left out. */
  persistedOperations?: PersistedOperations | null;
  /** HIS-7: how the audit feed tails the table (tests poll faster); DEFAULT_FEED_OPTIONS when left out. */
  auditFeed?: Partial<FeedOptions>;
}

export const GRAPHQL_PATH = '/graphql';
/** A full page of 500 items selecting ~50 fields each. */
export const MAX_QUERY_COST = 25_000;

const DEFAULT_QUERY = `# Threshold: who may enter which data, with which permissions, and whose license pays.
# Put a token in the Authorization header below (npm start prints tokens for the demo users).
# The other tabs hold the operations of schema/examples.
query WhoAmI {
  viewer {
    email
    displayName
    homeAccount { name emailDomains }
    imsRoles
    associations(first: 20) { totalCount edges { node { account { name } grantsLicensing } } }
  }
}
`;

/** Every tab asks for a token; `npm start` prints one per demo user. */
const TOKEN_HEADER = JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2);

export async function createServer(options: ServerOptions) {
  const verifyToken = options.verifyToken ?? createTokenVerifier(options.auth);
  const clock = options.clock ?? (() => new Date());
  const signingKey = await loadSigningKey(options.db, options.licenseKeyPem);
  const logger = options.logger ?? null;
  const metrics = options.metrics ?? null;
  const rateLimiter = options.rateLimits ? useRateLimits(options.rateLimits) : null;
  const contextDeps = {
    db: options.db,
    clock,
    verifyToken,
    metrics,
    areas: { signingKey },
    auditFeed: { ...DEFAULT_FEED_OPTIONS, ...options.auditFeed },
  };
  const plugins: Plugin[] = [
    // First: every request gets its id and its log line, probes and refusals included.
    useRequestLog(logger, { observer: metrics, quietPaths: [HEALTH_PATH, READY_PATH, METRICS_PATH] }),
    useProbes(options.db, logger),
    // HIS-3: CSV downloads beside /graphql, with the same token, context and authorization.
    useCsvExports(contextDeps, (message) => (logger ? logger.error(message) : console.error(message))),
    useVaryOrigin(),
    ...(metrics ? [metrics.plugin] : []),
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
      // Replaced by the connection-aware cost below (armor prices a page of 500 like a page of 1).
      costLimit: { enabled: false },
    }) as Plugin,
    ...(options.persistedOperations ? [usePersistedOperationsOnly(options.persistedOperations)] : []),
    useConnectionCost(MAX_QUERY_COST),
    ...(rateLimiter ? [rateLimiter] : []),
    useNoNulInText(),
    useSpecExecutor(),
    // Issue 14: a dry run's transaction is rolled back once its operation's result is complete.
    useDryRunRelease(),
  ];
  if (!options.introspection) plugins.push(useDisableIntrospection());
  if (options.graphiql) plugins.push(useGraphiQLAssets());
  // Last, as yoga places its own: it limits whichever request parser the plugins before it chose.
  plugins.push(useRequestBodyLimit(options.maxRequestBodyBytes));
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // Replaced by useRequestBodyLimit above: the same limit and errors, without re-streaming each body.
    maxRequestBodySize: false,
    healthCheckEndpoint: '/yoga-health',
    landingPage: false,
    ...(options.persistedOperations ? { extraParamNames: ['documentId'] } : {}),
    cors: corsPolicy(options.corsOrigins ?? []),
    ...(logger ? { logging: yogaLoggerFor(logger) } : {}),
    // Served from the package, not a CDN; opens on WhoAmI, one tab per example operation.
    graphiql: options.graphiql
      ? {
          title: 'Threshold',
          defaultQuery: DEFAULT_QUERY,
          defaultHeaders: TOKEN_HEADER,
          defaultTabs: [{ query: DEFAULT_QUERY, headers: TOKEN_HEADER }, ...graphiqlExampleTabs()],
        }
      : false,
    renderGraphiQL: renderGraphiQLPage,
    // Yoga masks every error that is not a GraphQLError (no stack, no SQL reaches a client).
    maskedErrors: { maskError },
    plugins,
    context: ({ request }) => createContext(contextDeps, request),
  });
}

export type ThresholdServer = Awaited<ReturnType<typeof createServer>>;
