// Per-request context: who is calling, the database, the clock, and the loader cache.
import { initContextCache } from '@pothos/core';
import { eq } from 'drizzle-orm';
import type { Authentication, TokenVerifier } from '../auth/tokens.js';
import type { Db } from '../db/client.js';
import { dataSources, type UserRow, users } from '../db/schema.js';
import { AccessDenied } from '../domain/errors.js';
import { adminAccountIds, type ServiceContext } from '../services/identity.js';
import type { SigningKey } from '../services/license-keys.js';

export interface Context {
  db: Db;
  /** The request's clock; fixed once per request so every rule sees the same "now". */
  now: Date;
  auth: Authentication;
  /** LIC-7: the license signing key (its private half is used by services only, never returned). */
  signingKey: SigningKey;
  /** The caller's identity profile, or null (anonymous, or a token whose email is not registered). */
  viewer: UserRow | null;
  /** Row ids of the accounts in which the viewer is an IMS admin (loaded once per request). */
  adminAccountIds(): Promise<Set<string>>;
  /** Whether the viewer is an IMS admin of the data source's owner account (DS-1). */
  administersDataSource(dataSourceId: string): Promise<boolean>;
  /** What services need; throws UNAUTHENTICATED/FORBIDDEN when there is no registered viewer. */
  service(): ServiceContext;
}

export interface ContextDeps {
  db: Db;
  signingKey: SigningKey;
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
  const adminAccountIdsOnce = () => {
    adminIds ??= Promise.resolve(viewer ? adminAccountIds(deps.db, viewer.id) : new Set<string>());
    return adminIds;
  };
  return {
    // Pothos' per-request loader cache (dataloader plugin) lives on this object.
    ...initContextCache(),
    db: deps.db,
    signingKey: deps.signingKey,
    now,
    auth,
    viewer,
    adminAccountIds: adminAccountIdsOnce,
    async administersDataSource(dataSourceId) {
      const owner = deps.db
        .select({ ownerAccountId: dataSources.ownerAccountId })
        .from(dataSources)
        .where(eq(dataSources.id, dataSourceId))
        .get();
      return owner !== undefined && (await adminAccountIdsOnce()).has(owner.ownerAccountId);
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
