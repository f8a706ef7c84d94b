// What the access area lends to other areas' use cases: the facts every license decision ends with
// (LIC-1.3/LIC-1.4: the caller's accounts and which of them hold an entitlement) and the usage ledger
// (LIC-2). Opening a project (EXT-5, organizations/) decides and records through these, as sign-in does.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../db/client.js';
import { idList, inIdList, statements } from '../db/prepared.js';
import {
  accounts,
  associations,
  type ClientLicensing,
  entitlements,
  insertionOrder,
  type UserRow,
  usageDecisions,
  usageRecords,
  users,
} from '../db/schema.js';
import { grantActive, isoDate } from '../identity/rules.js';
import { entitlementActiveAt } from '../identity/service.js';
import type { AccessFacts, AccountRef, EntitlementFacts } from './rules/access.js';
import type { KeptDecision } from './rules/kept-decision.js';

const hot = statements((db) => ({
  user: db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id'))),
  userWithHome: db
    .select({ user: users, homeAccountName: accounts.name })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.homeAccountId))
    .where(eq(users.id, sql.placeholder('id'))),
  accountRef: db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, sql.placeholder('id'))),
  associationsOf: db
    .select({ id: accounts.id, name: accounts.name, expiresAt: associations.expiresAt })
    .from(associations)
    .innerJoin(accounts, eq(accounts.id, associations.accountId))
    .where(eq(associations.userId, sql.placeholder('userId')))
    .orderBy(asc(associations.createdAt), asc(insertionOrder(associations))),
  entitledAmong: db
    .select({ accountId: entitlements.accountId })
    .from(entitlements)
    .where(
      and(
        inIdList(entitlements.accountId, 'accountIds'),
        eq(entitlements.productCode, sql.placeholder('product')),
        eq(entitlements.country, sql.placeholder('country')),
        entitlementActiveAt(sql.placeholder('today')),
      ),
    ),
  keepDecision: db
    .insert(usageDecisions)
    .values({ id: sql.placeholder('id'), body: sql.placeholder('body') })
    .onConflictDoNothing(),
  insertUsage: db.insert(usageRecords).values({
    at: sql.placeholder('at'),
    userId: sql.placeholder('userId'),
    consumerAccountId: sql.placeholder('consumerAccountId'),
    dataSourceId: sql.placeholder('dataSourceId'),
    dataSourceUserId: sql.placeholder('dataSourceUserId'),
    projectId: sql.placeholder('projectId'),
    productCode: sql.placeholder('productCode'),
    machineName: sql.placeholder('machineName'),
    licenseSource: sql.placeholder('licenseSource'),
    billedAccountId: sql.placeholder('billedAccountId'),
    checkoutId: sql.placeholder('checkoutId'),
    decisionId: sql.placeholder('decisionId'),
  }),
}));

/**
 * The user as stored now. A decision about the caller reads their profile inside its own transaction
 * (their home account or usage country may have changed since the request began); explaining for
 * another user reads theirs.
 */
export async function userById(tx: Reader, id: string): Promise<UserRow | null> {
  return (await hot(tx).user.get({ id })) ?? null;
}

/** The user as stored now with their home account's name (LIC-1.3 names it): one statement. */
export async function userWithHomeAccount(
  tx: Reader,
  id: string,
): Promise<{ user: UserRow; homeAccount: AccountRef | null } | null> {
  const row = await hot(tx).userWithHome.get({ id });
  if (!row) return null;
  const homeId = row.user.homeAccountId;
  return {
    user: row.user,
    homeAccount: homeId && row.homeAccountName !== null ? { id: homeId, name: row.homeAccountName } : null,
  };
}

export async function accountRef(tx: Reader, id: string | null): Promise<AccountRef | null> {
  if (!id) return null;
  return (await hot(tx).accountRef.get({ id })) ?? null;
}

/**
 * LIC-1.3/LIC-1.4 facts for `subject` and `product`: their home account, their associations (ID-5,
 * oldest first), and which of those — and of `also.accountIds` (EXT-5: the project's account) — hold
 * an entitlement for the product in the subject's usage country whose contract has not ended at `now`.
 * `also.homeAccount`: the subject's home account when the caller has read it already (userWithHomeAccount).
 */
export async function entitlementFacts(
  tx: Reader,
  subject: UserRow,
  product: string,
  now: Date,
  also: { accountIds?: readonly string[]; homeAccount?: AccountRef | null } = {},
): Promise<EntitlementFacts & { caller: { email: string } }> {
  const alsoAccountIds = also.accountIds ?? [];
  // HIS-4: an association counts until it expires; the expired ones are named by a step.
  const { active: associated, expired } = splitAssociations(
    await hot(tx).associationsOf.all({ userId: subject.id }),
    now,
  );
  const candidates = [
    ...new Set([
      ...(subject.homeAccountId ? [subject.homeAccountId] : []),
      ...associated.map((a) => a.id),
      ...alsoAccountIds,
    ]),
  ];
  const entitled = candidates.length
    ? await hot(tx).entitledAmong.all({
        accountIds: idList(candidates),
        product,
        country: subject.usageCountry,
        today: isoDate(now),
      })
    : [];
  return {
    product,
    caller: {
      email: subject.email,
      usageCountry: subject.usageCountry,
      homeAccount: also.homeAccount !== undefined ? also.homeAccount : await accountRef(tx, subject.homeAccountId),
    },
    associations: associated,
    expiredAssociations: expired,
    entitledAccountIds: new Set(entitled.map((e) => e.accountId)),
  };
}

/**
 * HIS-4: a user's associations (oldest first) split into those that still count at `now` and those that
 * have expired — what every access decision's facts say about ID-5 (sign-in, decideMany, project access).
 */
export function splitAssociations(
  rows: readonly { id: string; name: string; expiresAt: Date | null }[],
  now: Date,
): { active: AccountRef[]; expired: { account: AccountRef; expiredAt: Date }[] } {
  const active: AccountRef[] = [];
  const expired: { account: AccountRef; expiredAt: Date }[] = [];
  for (const { id, name, expiresAt } of rows) {
    if (grantActive(expiresAt, now)) active.push({ id, name });
    else expired.push({ account: { id, name }, expiredAt: expiresAt as Date });
  }
  return { active, expired };
}

/** HIS-4: the data-source user as an access decision sees it: `expiredAt` set once its access expired. */
export function dataSourceUserFacts(
  row: { id: string; login: string; clientLicensing: ClientLicensing; expiresAt: Date | null } | null,
  now: Date,
): AccessFacts['dataSourceUser'] {
  if (!row) return null;
  return {
    id: row.id,
    login: row.login,
    clientLicensing: row.clientLicensing,
    expiredAt: grantActive(row.expiresAt, now) ? null : row.expiresAt,
  };
}

/**
 * LIC-2 / EXT-5: one usage record, naming a data source (with its user and machine) or a project, and
 * HIS-1: the decision that produced it.
 */
export type UsageRecordInput = Omit<typeof usageRecords.$inferInsert, 'decisionId'> & { decision: KeptDecision } & (
    | { dataSourceId: string; dataSourceUserId: string; machineName: string; projectId?: null }
    | { projectId: string; dataSourceId?: null; dataSourceUserId?: null }
  );

/** LIC-2: usage records are append-only; this is the only place that writes one. */
export async function appendUsageRecord(tx: Tx, record: UsageRecordInput): Promise<void> {
  const { decision, ...fields } = record;
  // HIS-1: content-addressed, so a decision already kept (the same steps and names) is not stored again.
  await hot(tx).keepDecision.run({ id: decision.id, body: decision.body });
  await hot(tx).insertUsage.run({
    dataSourceId: null,
    dataSourceUserId: null,
    projectId: null,
    machineName: null,
    consumerAccountId: null,
    checkoutId: null,
    ...fields,
    decisionId: decision.id,
  });
}
