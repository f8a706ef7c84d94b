// Per-request context: who is calling, the database, the clock, and the loader cache.
import { initContextCache } from '@pothos/core';
import { eq, sql } from 'drizzle-orm';
import { DEFAULT_FEED_OPTIONS, type FeedOptions } from '../audit/feed.js';
import type { Authentication, TokenVerifier } from '../auth/tokens.js';
import { type AuthzRequest, authorize, loadSubject, loadViewer, type Subject } from '../authz/authorize.js';
import type { Db } from '../db/client.js';
import { statements } from '../db/prepared.js';
import { dataSources, type UserRow } from '../db/schema.js';
import { AccessDenied } from '../errors.js';
import type { ServerMetrics } from '../ops/metrics.js';
import { type RequestReport, reportOf } from '../ops/request-log.js';
import type { ServiceContext } from '../service-context.js';

/**
 * What an area adds to every request's context (declaration merging, next to what it adds: licensing
 * adds its LIC-7 signing key). Start-up supplies the values (`ContextDeps.areas`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the areas (declaration merging)
export interface AreaContext {}

export interface Context extends AreaContext {
  db: Db;
  /** The request's clock; fixed once per request so every rule sees the same "now". */
  now: Date;
  auth: Authentication;
  /** What this request's log line will say (src/ops/request-log.ts); null without the request log. */
  report: RequestReport | null;
  /** Prometheus counters (src/ops/metrics.ts); null when the server has none. */
  metrics: ServerMetrics | null;
  /** The caller's identity profile, or null (anonymous, or a token whose email is not registered). */
  viewer: UserRow | null;
  /** Who is asking, for authz (their IMS roles by account), loaded once per request. */
  subject(): Subject;
  /** authz for this request: may the caller do this (§9)? The one question every read check asks. */
  can(request: AuthzRequest): boolean;
  /** HIS-7: how the audit feed tails the table. */
  auditFeed: FeedOptions;
  /** The accounts a data source answers to (owner, licensing owner), memoized per request. */
  dataSourceAccounts(dataSourceId: string): Promise<DataSourceAccounts | undefined>;
  /** authz `dataSource.administer` for a data source known by id (false when it is missing). */
  administersDataSource(dataSourceId: string): Promise<boolean>;
  /** What services need; throws UNAUTHENTICATED/FORBIDDEN when there is no registered viewer. */
  service(): ServiceContext;
  /**
   * Forgets what this request has read so far (loaders, the subject, data sources' accounts): called after
   * each mutation, so its payload — and the next mutation of the same document — read what it wrote.
   */
  afterWrite(): Promise<void>;
  /**
   * Issue 14 (dry runs): from now on this request reads through `handle` — an open transaction that
   * will be rolled back — so the payload shows the change as if it had been made.
   */
  readFrom(handle: Db): void;
  /** Settled when the operation's execution is over (its payload read); src/graphql/dry-run.ts waits for it. */
  operationDone: Promise<void>;
  /** Called once the operation's result is complete (the server's dry-run plugin). */
  endOperation(): void;
}

export interface DataSourceAccounts {
  ownerAccountId: string;
  licensingOwnerAccountId: string | null;
}

export interface ContextDeps {
  db: Db;
  areas: AreaContext;
  clock: () => Date;
  verifyToken: TokenVerifier;
  metrics?: ServerMetrics | null;
  auditFeed?: FeedOptions;
}

const hot = statements((db) => ({
  dataSourceAccounts: db
    .select({
      ownerAccountId: dataSources.ownerAccountId,
      licensingOwnerAccountId: dataSources.licensingOwnerAccountId,
    })
    .from(dataSources)
    .where(eq(dataSources.id, sql.placeholder('id'))),
}));

export async function createContext(deps: ContextDeps, request: Request): Promise<Context> {
  const auth = await deps.verifyToken(request.headers.get('authorization'));
  // The viewer and their IMS roles, read up front in one statement so that `can` stays a synchronous
  // question for read checks; read again after each mutation (afterWrite).
  // Where this request reads: the database, or a dry run's transaction (readFrom).
  let reads = deps.db;
  const readViewer = async () =>
    auth.status === 'authenticated'
      ? await loadViewer(reads, auth.identity.email)
      : { viewer: null, subject: await loadSubject(reads, null) };
  let { viewer, subject } = await readViewer();
  const now = deps.clock();
  const subjectOnce = () => subject;
  // The accounts of each data source asked about, once per request (read checks ask per row).
  // A pending read is shared: rows asking at once wait for the same statement.
  const dataSourceAccounts = new Map<string, Promise<DataSourceAccounts | undefined>>();
  const accountsOf = (dataSourceId: string) => {
    let accounts = dataSourceAccounts.get(dataSourceId);
    if (!accounts) {
      accounts = hot(reads).dataSourceAccounts.get({ id: dataSourceId });
      dataSourceAccounts.set(dataSourceId, accounts);
      // A failed read is not kept: the next row asking reads again (and fails on its own).
      accounts.catch(() => dataSourceAccounts.delete(dataSourceId));
    }
    return accounts;
  };
  const can = (authzRequest: AuthzRequest) => authorize(subjectOnce(), authzRequest).allowed;
  let endOperation = () => {};
  const operationDone = new Promise<void>((resolve) => {
    endOperation = resolve;
  });
  return {
    // Pothos' per-request loader cache (dataloader plugin) lives on this object.
    ...initContextCache(),
    db: deps.db,
    ...deps.areas,
    now,
    auth,
    auditFeed: deps.auditFeed ?? DEFAULT_FEED_OPTIONS,
    viewer,
    report: reportOf(request),
    metrics: deps.metrics ?? null,
    subject: subjectOnce,
    can,
    dataSourceAccounts: accountsOf,
    async administersDataSource(dataSourceId) {
      const accounts = await accountsOf(dataSourceId);
      return accounts !== undefined && can({ action: 'dataSource.administer', ...accounts });
    },
    readFrom(this: Context, handle: Db) {
      reads = handle;
      this.db = handle;
    },
    operationDone,
    endOperation: () => endOperation(),
    // `this`: the context the resolvers got (the server may hand them a copy of this object).
    async afterWrite(this: Context) {
      Object.assign(this, initContextCache());
      dataSourceAccounts.clear();
      try {
        ({ viewer, subject } = await readViewer());
      } catch {
        // The mutation has committed, so its answer stands; but the roles it may have changed could not
        // be read again. The rest of this request then reads as if the viewer held none (fail closed):
        // what needs a role answers FORBIDDEN, and a read that fails for the same fault reports it.
        subject = { viewer: subject.viewer, rolesByAccount: new Map() };
      }
      this.viewer = viewer;
    },
    service() {
      if (!viewer) {
        throw new AccessDenied(
          auth.status === 'authenticated' ? 'FORBIDDEN' : 'UNAUTHENTICATED',
          'a registered identity profile is required',
        );
      }
      return { db: reads, actor: viewer, now };
    },
  };
}
