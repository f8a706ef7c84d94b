// Environment → typed, validated configuration. The one place defaults live (API.md "Configuration").
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type CorsOrigins, parseCorsOrigins } from './ops/cors.js';
import { LOG_LEVELS, type LogLevel } from './ops/logger.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './ops/rate-limits.js';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  THRESHOLD_DATA_DIR: z.string().min(1).default('./data'),
  THRESHOLD_DATABASE: z.string().min(1).optional(),
  THRESHOLD_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'THRESHOLD_DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  THRESHOLD_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  THRESHOLD_DEMO: flag,
  THRESHOLD_GRAPHIQL: flag,
  THRESHOLD_INTROSPECTION: flag,
  THRESHOLD_JWT_SECRET: z.string().min(32, 'THRESHOLD_JWT_SECRET must be at least 32 characters').optional(),
  THRESHOLD_JWKS_URL: z.url().optional(),
  THRESHOLD_JWT_ISSUER: z.string().min(1).optional(),
  THRESHOLD_JWT_AUDIENCE: z.string().min(1).optional(),
  THRESHOLD_LICENSE_KEY: z.string().min(1).optional(),
  THRESHOLD_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  THRESHOLD_CORS_ORIGINS: z.string().optional(),
  THRESHOLD_PERSISTED_OPERATIONS: z.string().min(1).optional(),
  THRESHOLD_SIGN_IN_LIMIT: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.signInsPerMinute),
  THRESHOLD_BULK_CHECKOUT_LIMIT: z.coerce.number().int().min(0).default(DEFAULT_RATE_LIMITS.bulkCheckoutsPerHour),
  THRESHOLD_METRICS: flag,
  THRESHOLD_TOKEN_MAX_LIFETIME: z.coerce
    .number()
    .int()
    .min(60, 'THRESHOLD_TOKEN_MAX_LIFETIME is in seconds, at least 60')
    .optional(),
});

/** Production refuses tokens valid for longer than this from now, unless configured otherwise (§9). */
export const PRODUCTION_TOKEN_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/** `maxLifetimeSeconds`: tokens valid longer than this from now are refused (unset: no maximum). */
export type AuthConfig =
  | { kind: 'hs256'; secret: Uint8Array; issuer: string; audience: string; maxLifetimeSeconds?: number }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string; maxLifetimeSeconds?: number };

export interface Config {
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  /** PostgreSQL (issue 13: several instances on one database); null: SQLite at `databasePath`. */
  databaseUrl: string | null;
  /** Connections each instance keeps to PostgreSQL at most. */
  databasePoolSize: number;
  demo: boolean;
  graphiql: boolean;
  introspection: boolean;
  auth: AuthConfig;
  licenseKeyPem: string | undefined;
  /** One JSON line per request at `info`; `debug` adds the probes' requests; `silent` none. */
  logLevel: LogLevel;
  /** Prometheus metrics at /metrics (on unless THRESHOLD_METRICS=0). */
  metrics: boolean;
  /** Origins whose pages may call the API from a browser: THRESHOLD_CORS_ORIGINS; none by default in
   *  production, this machine's pages (`local`) in development. */
  corsOrigins: CorsOrigins;
  /** THRESHOLD_SIGN_IN_LIMIT (per viewer per minute), THRESHOLD_BULK_CHECKOUT_LIMIT (per hour); 0: none. */
  rateLimits: RateLimits;
  /** THRESHOLD_PERSISTED_OPERATIONS: a manifest file; only its operations run (read at start). */
  persistedOperationsFile: string | undefined;
}

/** Development tokens carry this issuer and audience unless configuration says otherwise. */
export const DEV_ISSUER = 'threshold-development';
export const DEV_AUDIENCE = 'threshold';

/**
 * The HS256 secret: from the environment, else generated once into the data dir (git-ignored) so
 * that `npm start` and `npm run token` agree without any setup.
 */
function developmentSecret(dataDir: string, fromEnv: string | undefined): Uint8Array {
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = resolve(e.THRESHOLD_DATA_DIR);
  const databaseUrl = e.THRESHOLD_DATABASE_URL ?? null;
  if (databaseUrl && e.THRESHOLD_DATABASE) {
    throw new Error(
      'invalid configuration: THRESHOLD_DATABASE (an SQLite file) and THRESHOLD_DATABASE_URL (PostgreSQL) are both set; set one',
    );
  }
  // Several instances share one PostgreSQL database: each must verify the others' tokens, so the secret
  // is configuration, never one generated into one instance's data directory.
  if (databaseUrl && !e.THRESHOLD_JWKS_URL && !e.THRESHOLD_JWT_SECRET) {
    throw new Error(
      'invalid configuration: THRESHOLD_DATABASE_URL needs THRESHOLD_JWT_SECRET or THRESHOLD_JWKS_URL (a generated secret would be known to one instance only)',
    );
  }
  const databasePath = e.THRESHOLD_DATABASE ?? join(dataDir, 'threshold.db');
  if (!databaseUrl && databasePath !== ':memory:') mkdirSync(dataDir, { recursive: true });

  let corsOrigins: CorsOrigins = production ? [] : 'local';
  if (e.THRESHOLD_CORS_ORIGINS !== undefined) {
    const parsed = parseCorsOrigins(e.THRESHOLD_CORS_ORIGINS);
    if (!Array.isArray(parsed)) {
      throw new Error(
        `invalid configuration: THRESHOLD_CORS_ORIGINS: "${parsed.invalid}" is not an origin (e.g. https://app.example.com, no path)`,
      );
    }
    corsOrigins = parsed;
  }

  const maxLifetime =
    e.THRESHOLD_TOKEN_MAX_LIFETIME ?? (production ? PRODUCTION_TOKEN_MAX_LIFETIME_SECONDS : undefined);
  const lifetime = maxLifetime === undefined ? {} : { maxLifetimeSeconds: maxLifetime };
  let auth: AuthConfig;
  if (e.THRESHOLD_JWKS_URL) {
    if (!e.THRESHOLD_JWT_ISSUER || !e.THRESHOLD_JWT_AUDIENCE) {
      throw new Error(
        'invalid configuration: THRESHOLD_JWKS_URL needs THRESHOLD_JWT_ISSUER and THRESHOLD_JWT_AUDIENCE',
      );
    }
    auth = {
      kind: 'jwks',
      jwksUrl: e.THRESHOLD_JWKS_URL,
      issuer: e.THRESHOLD_JWT_ISSUER,
      audience: e.THRESHOLD_JWT_AUDIENCE,
      ...lifetime,
    };
  } else {
    if (production && !e.THRESHOLD_JWT_SECRET) {
      throw new Error('invalid configuration: production needs THRESHOLD_JWKS_URL or THRESHOLD_JWT_SECRET');
    }
    auth = {
      kind: 'hs256',
      secret: developmentSecret(dataDir, e.THRESHOLD_JWT_SECRET),
      issuer: e.THRESHOLD_JWT_ISSUER ?? DEV_ISSUER,
      audience: e.THRESHOLD_JWT_AUDIENCE ?? DEV_AUDIENCE,
      ...lifetime,
    };
  }

  return {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath,
    databaseUrl,
    databasePoolSize: e.THRESHOLD_DATABASE_POOL_SIZE,
    demo: e.THRESHOLD_DEMO ?? !production,
    graphiql: e.THRESHOLD_GRAPHIQL ?? !production,
    introspection: e.THRESHOLD_INTROSPECTION ?? !production,
    auth,
    licenseKeyPem: e.THRESHOLD_LICENSE_KEY,
    logLevel: e.THRESHOLD_LOG_LEVEL,
    metrics: e.THRESHOLD_METRICS ?? true,
    corsOrigins,
    persistedOperationsFile: e.THRESHOLD_PERSISTED_OPERATIONS,
    rateLimits: { signInsPerMinute: e.THRESHOLD_SIGN_IN_LIMIT, bulkCheckoutsPerHour: e.THRESHOLD_BULK_CHECKOUT_LIMIT },
  };
}
