// Per-request context: who is calling, the database, the clock, and the loader cache.
import { initContextCache } from '@pothos/core';
import { eq } from 'drizzle-orm';
import type { Authentication, TokenVerifier } from '../auth/tokens.js';
import type { Db } from '../db/client.js';
import { type UserRow, users } from '../db/schema.js';
import { AccessDenied } from '../domain/errors.js';
import { adminAccountIds, type ServiceContext } from '../services/identity.js';

export interface Context {
  db: Db;
  /** The request's clock; fixed once per request so every rule sees the same "now". */
  now: Date;
  auth: Authentication;
  /** The caller's identity profile, or null (anonymous, or a token whose email is not registered). */
  viewer: UserRow | null;
  /** Row ids of the accounts in which the viewer is an IMS admin (loaded once per request). */
  adminAccountIds(): Promise<Set<string>>;
  /** What services need; throws UNAUTHENTICATED/FORBIDDEN when there is no registered viewer. */
  service(): ServiceContext;
}

export interface ContextDeps {
  db: Db;
  clock: () => Date;
  verifyToken: TokenVerifier;
}

export async function createContext(deps: ContextDeps, request: Request): Promise<Context> {
  const auth = await deps.verifyToken(request.headers.get('authorization'));
  const viewer =
    auth.status === 'authenticated'
      ? (deps.db.select().from(users).where(eq(users.email, auth.identity.email)).get() ?? null)
      : null;
  const now = deps.clock();
  let adminIds: Promise<Set<string>> | undefined;
  return {
    // Pothos' per-request loader cache (dataloader plugin) lives on this object.
    ...initContextCache(),
    db: deps.db,
    now,
    auth,
    viewer,
    adminAccountIds() {
      adminIds ??= Promise.resolve(viewer ? adminAccountIds(deps.db, viewer.id) : new Set<string>());
      return adminIds;
    },
    service() {
      if (!viewer) {
        throw new AccessDenied(
          auth.status === 'authenticated' ? 'FORBIDDEN' : 'UNAUTHENTICATED',
          'a registered identity profile is required',
        );
      }
      return { db: deps.db, actor: viewer, now };
    },
  };
}
