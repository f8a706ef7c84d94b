// Per-request context: who is calling, the database, the clock, and the loader cache.
import { initContextCache } from '@pothos/core';
import { eq } from 'drizzle-orm';
import type { Authentication, TokenVerifier } from '../auth/tokens.js';
import type { Db } from '../db/client.js';
import { dataSources, type ImsRole, type UserRow, users } from '../db/schema.js';
import { AccessDenied } from '../domain/errors.js';
import { isImsAdmin } from '../domain/identity.js';
import { rolesByAccount, type ServiceContext } from '../services/identity.js';
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
  /** The viewer's IMS roles by account row id (loaded once per request). */
  viewerRoles(): Promise<Map<string, ImsRole[]>>;
  /** Row ids of the accounts in which the viewer is an IMS admin (derived from viewerRoles). */
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
  let roles: Promise<Map<string, ImsRole[]>> | undefined;
  const viewerRoles = () => {
    roles ??= Promise.resolve(viewer ? rolesByAccount(deps.db, viewer.id) : new Map<string, ImsRole[]>());
    return roles;
  };
  let admins: Promise<Set<string>> | undefined;
  const adminAccountIds = () => {
    admins ??= viewerRoles().then(
      (byAccount) => new Set([...byAccount].filter(([, held]) => isImsAdmin(held)).map(([accountId]) => accountId)),
    );
    return admins;
  };
  // The owner of each data source asked about, once per request (read checks ask per row).
  const owners = new Map<string, string | undefined>();
  return {
    // Pothos' per-request loader cache (dataloader plugin) lives on this object.
    ...initContextCache(),
    db: deps.db,
    signingKey: deps.signingKey,
    now,
    auth,
    viewer,
    viewerRoles,
    adminAccountIds,
    async administersDataSource(dataSourceId) {
      if (!owners.has(dataSourceId)) {
        owners.set(
          dataSourceId,
          deps.db
            .select({ ownerAccountId: dataSources.ownerAccountId })
            .from(dataSources)
            .where(eq(dataSources.id, dataSourceId))
            .get()?.ownerAccountId,
        );
      }
      const owner = owners.get(dataSourceId);
      return owner !== undefined && (await adminAccountIds()).has(owner);
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
