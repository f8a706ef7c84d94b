// Rate limits per viewer (issue 12, "Operator settings"), through envelop's rate-limiter plugin: the
// sign-ins that record usage (signInToDataSource, and openProject: EXT-5) and bulk checkouts (LIC-8,
// thousands of signatures each). A viewer over the limit gets a top-level RATE_LIMITED error (HTTP 429
// with Retry-After) and the operation does nothing; other viewers are not affected. Counts are kept in
// this process (one instance on SQLite; several instances share nothing yet: issue 13).
import { useRateLimiter } from '@envelop/rate-limiter';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface RateLimits {
  /** signInToDataSource and openProject, each, per viewer per minute (0: no limit). */
  signInsPerMinute: number;
  /** createBulkLicenseCheckout per viewer per hour (0: no limit). */
  bulkCheckoutsPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { signInsPerMinute: 120, bulkCheckoutsPerHour: 20 };

interface Limited {
  field: string;
  max: number;
  window: '1m' | '1h';
  retryAfterSeconds: number;
  what: string;
}

export function useRateLimits(limits: RateLimits): Plugin | null {
  const limited: Limited[] = [
    {
      field: 'signInToDataSource',
      max: limits.signInsPerMinute,
      window: '1m',
      retryAfterSeconds: 60,
      what: 'sign-ins',
    },
    {
      field: 'openProject',
      max: limits.signInsPerMinute,
      window: '1m',
      retryAfterSeconds: 60,
      what: 'project openings',
    },
    {
      field: 'createBulkLicenseCheckout',
      max: limits.bulkCheckoutsPerHour,
      window: '1h',
      retryAfterSeconds: 3600,
      what: 'bulk checkouts',
    },
  ].filter((l): l is Limited => l.max > 0);
  if (limited.length === 0) return null;
  const byMessage = new Map(limited.map((l) => [messageOf(l), l]));
  return useRateLimiter({
    // Per viewer; callers without a profile share one count per token state (they are refused anyway).
    identifyFn: (context) => {
      const { viewer, auth } = context as { viewer?: { id: string } | null; auth?: { status: string } };
      return viewer ? `user:${viewer.id}` : `unregistered:${auth?.status ?? 'anonymous'}`;
    },
    configByField: limited.map((l) => ({
      type: 'Mutation',
      field: l.field,
      max: l.max,
      window: l.window,
      message: messageOf(l),
      // A refused call does not count: a client retrying too fast is not locked out for longer.
      uncountRejected: true,
    })),
    transformError: (message) => {
      const retryAfter = byMessage.get(message)?.retryAfterSeconds ?? 60;
      return new GraphQLError(message, {
        extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
      });
    },
  }) as Plugin;
}

function messageOf(l: Limited): string {
  return `too many ${l.what}: at most ${l.max} per ${l.window === '1m' ? 'minute' : 'hour'} for each user; try again later`;
}
