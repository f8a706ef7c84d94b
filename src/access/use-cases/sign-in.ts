// §3 use cases: gather the facts of a sign-in, decide through domain/access.ts, and — for a real
// sign-in only — create the dynamic data-source user and append the usage record (LIC-2), all in one
// transaction. LIC-4's usage report is in usage.ts.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { appendAudit, UNNAMED_ACTOR } from '../../audit/service.js';
import { accountAdminsMay, assertAuthorized, authorize, loadSubject, type Subject } from '../../authz/authorize.js';
import { filterAccountIds } from '../../data-sources/service.js';
import { inTransaction, type Reader } from '../../db/client.js';
import { statements, timeParam } from '../../db/prepared.js';
import { only } from '../../db/query.js';
import {
  accounts,
  type DataSourceRow,
  type DataSourceUserRow,
  dataSources,
  dataSourceUsers,
  installedLicenses,
  licenseCheckoutProducts,
  licenseCheckouts,
  type UserRow,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { grantExpiry } from '../../identity/rules.js';
import { activeCheckoutAt } from '../../licensing/service.js';
import type { ServiceContext } from '../../service-context.js';
import { type AccessDecision, type AccessFacts, type AccountRef, decideAccess } from '../rules/access.js';
import { type KeptDecision, keepDecision, placeholder } from '../rules/kept-decision.js';
import { personKeptFromBilled } from '../rules/usage.js';
import {
  accountRef,
  appendUsageRecord,
  dataSourceUserFacts,
  entitlementFacts,
  userById,
  userWithHomeAccount,
} from '../service.js';

export interface AccessRequest {
  dataSourceId: string;
  machineName: string;
  product: string;
  /** explainAccess only: decide for this user (admins of the data source's owner account). */
  userId?: string | null;
}

export interface ExplainedAccess {
  decision: AccessDecision;
  dataSource: DataSourceRow;
  /** The data-source user used (or created); null when none (denied at ACC-2, or explain before creation). */
  dataSourceUser: DataSourceUserRow | null;
  subject: UserRow;
}

const ownerAccount = alias(accounts, 'owner_account');
const licensingOwnerAccount = alias(accounts, 'licensing_owner_account');

const hot = statements((db) => ({
  /** LIC-1.1: a verified import of a checkout for this product on this machine, not checked in or expired. */
  reservedCheckout: db
    .select({ checkoutId: licenseCheckouts.id, accountId: licenseCheckouts.accountId })
    .from(installedLicenses)
    .innerJoin(licenseCheckouts, eq(licenseCheckouts.id, installedLicenses.checkoutId))
    .innerJoin(licenseCheckoutProducts, eq(licenseCheckoutProducts.checkoutId, licenseCheckouts.id))
    .where(
      and(
        eq(installedLicenses.userId, sql.placeholder('userId')),
        eq(installedLicenses.machineName, sql.placeholder('machineName')),
        eq(licenseCheckouts.machineName, sql.placeholder('machineName')),
        eq(licenseCheckoutProducts.productCode, sql.placeholder('product')),
        activeCheckoutAt(sql.placeholder('now')),
      ),
    )
    // No LIMIT: `.get()` reads the first row only, and SQLite's `LIMIT ?` (a bound limit) made this
    // empty look-up twenty times slower (18 µs against 0.9 µs, measured).
    // Two issued at the same instant: the lower id first (decideMany reads them in the same order).
    .orderBy(asc(licenseCheckouts.issuedAt), asc(licenseCheckouts.id)),
  dataSourceUserByIdentity: db
    .select()
    .from(dataSourceUsers)
    .where(
      and(
        eq(dataSourceUsers.dataSourceId, sql.placeholder('dataSourceId')),
        eq(dataSourceUsers.identity, sql.placeholder('identity')),
      ),
    ),
  /** The data source with the names of its owner and licensing owner (the decision's steps name them). */
  dataSource: db
    .select({
      ds: dataSources,
      ownerName: ownerAccount.name,
      ownerExternalAccessDays: ownerAccount.externalAccessDays,
      licensingOwnerName: licensingOwnerAccount.name,
    })
    .from(dataSources)
    .innerJoin(ownerAccount, eq(ownerAccount.id, dataSources.ownerAccountId))
    .leftJoin(licensingOwnerAccount, eq(licensingOwnerAccount.id, dataSources.licensingOwnerAccountId))
    .where(eq(dataSources.id, sql.placeholder('id'))),
}));

async function reservedCheckout(tx: Reader, userId: string, machineName: string, product: string, now: Date) {
  return (await hot(tx).reservedCheckout.get({ userId, machineName, product, now: timeParam(now) })) ?? null;
}

/**
 * §9: the explanation names the data source, its owner and its licensing owner only to those who may
 * read the data source; anyone else (a user signing in to a data source they do not administer) gets
 * the same checks and outcomes with neutral names. Ids are untouched (the bill is the caller's to see).
 */
function redacted(ref: AccountRef | null, label: string, readable: boolean): AccountRef | null {
  return ref && !readable ? { id: ref.id, name: label } : ref;
}

/** §9 / DS-1: reading the data source (its admins, and its licensing owner's). */
const readRequest = (ds: DataSourceRow) =>
  ({
    action: 'dataSource.read',
    ownerAccountId: ds.ownerAccountId,
    licensingOwnerAccountId: ds.licensingOwnerAccountId,
  }) as const;

/** The accounts a data source answers to, by name (the decision's steps and the audit name them). */
export interface NamedAccounts {
  owner: AccountRef;
  licensingOwner: AccountRef | null;
}

/** The accounts of a data source read with their names (the licensing owner's null when none is set). */
export function namedAccounts(ds: DataSourceRow, ownerName: string, licensingOwnerName: string | null): NamedAccounts {
  return {
    owner: { id: ds.ownerAccountId, name: ownerName },
    licensingOwner:
      ds.licensingOwnerAccountId !== null && licensingOwnerName !== null
        ? { id: ds.licensingOwnerAccountId, name: licensingOwnerName }
        : null,
  };
}

/**
 * The data source as decideAccess sees it, explained to `viewer`: its real names only when the viewer
 * may read it (§9), for sign-in, explainAccess and decideMany alike.
 */
export function dataSourceFacts(
  viewer: Subject,
  ds: DataSourceRow,
  named: NamedAccounts,
  filterAccountIds: readonly string[] | null,
): AccessFacts['dataSource'] {
  const readable = authorize(viewer, readRequest(ds)).allowed;
  return {
    name: readable ? ds.name : 'this data source',
    owner: redacted(named.owner, "the data source's owner account", readable) as AccountRef,
    imsAuthEnabled: ds.imsAuthEnabled,
    filterAccountIds,
    licensingOwner: redacted(named.licensingOwner, 'its licensing owner account', readable),
    allowExternalImsUsers: ds.allowExternalImsUsers,
    externalLicensing: ds.externalLicensing,
  };
}

/** The decision for `subject`, explained to `viewer` (the caller: the subject, or an admin asking). */
async function gatherAndDecide(
  tx: Reader,
  viewer: Subject,
  subject: UserRow,
  found: FoundDataSource,
  request: AccessRequest,
  now: Date,
  homeAccount?: AccountRef | null,
) {
  const { ds, named } = found;
  const filterAccounts =
    ds.dynamicCreationFilter === null ? null : await filterAccountIds(tx, ds.dynamicCreationFilter, []);
  const dsUser = (await hot(tx).dataSourceUserByIdentity.get({ dataSourceId: ds.id, identity: subject.email })) ?? null;
  const license = await entitlementFacts(
    tx,
    subject,
    request.product,
    now,
    homeAccount === undefined ? {} : { homeAccount },
  );
  const reserved = await reservedCheckout(tx, subject.id, request.machineName, request.product, now);
  const facts: AccessFacts = {
    ...license,
    machineName: request.machineName,
    // The real names are for the audit; the decision's steps get them only when the viewer may read them.
    dataSource: dataSourceFacts(viewer, ds, named, filterAccounts),
    dataSourceUser: dataSourceUserFacts(dsUser, now),
    reservedCheckout: reserved
      ? { checkoutId: reserved.checkoutId, issuer: (await accountRef(tx, reserved.accountId)) as AccountRef }
      : null,
  };
  return { decision: decideAccess(facts), dsUser, facts };
}

/**
 * HIS-1: the decision as its usage record keeps it — the same facts decided again with placeholders
 * where a later reader may have to be spared a name (the data source and its accounts, the person, the
 * login), and the real names beside them. The decision depends on ids only, so its outcome is the same.
 */
function keptSignIn(facts: AccessFacts, found: FoundDataSource, subject: UserRow): KeptDecision {
  const { ds, named } = found;
  const { steps } = decideAccess({
    ...facts,
    machineName: placeholder('machine'),
    caller: { ...facts.caller, email: placeholder('email') },
    dataSource: {
      ...facts.dataSource,
      name: placeholder('dataSource'),
      owner: { id: named.owner.id, name: placeholder('owner') },
      licensingOwner: named.licensingOwner && { id: named.licensingOwner.id, name: placeholder('licensingOwner') },
    },
    dataSourceUser: facts.dataSourceUser && { ...facts.dataSourceUser, login: placeholder('login') },
  });
  return keepDecision(steps, {
    dataSource: ds.name,
    owner: named.owner.name,
    licensingOwner: named.licensingOwner?.name,
    email: subject.email,
    login: facts.dataSourceUser?.login,
    machine: facts.machineName,
  });
}

/**
 * ACC-2: the login of a dynamically created user is the email; should a manual user already have that
 * login (without the identity), the first free "email#2", "email#3", … is used instead.
 */
async function freeLogin(tx: Reader, dataSourceId: string, email: string): Promise<string> {
  const taken = new Set(
    (
      await tx
        .select({ key: dataSourceUsers.loginKey })
        .from(dataSourceUsers)
        .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), like(dataSourceUsers.loginKey, `${email}%`)))
    ).map((r) => r.key),
  );
  let login = email;
  for (let n = 2; taken.has(login); n += 1) login = `${email}#${n}`;
  return login;
}

interface FoundDataSource {
  ds: DataSourceRow;
  named: NamedAccounts;
  /** HIS-4: the owner account's default expiry of external access, in days (null: none). */
  ownerExternalAccessDays: number | null;
}

async function dataSourceById(tx: Reader, id: string): Promise<FoundDataSource> {
  const row = await hot(tx).dataSource.get({ id });
  if (!row) throw new AppError('NOT_FOUND', 'no such data source', ['input', 'dataSourceId']);
  const { ds } = row;
  return {
    ds,
    named: namedAccounts(ds, row.ownerName, row.licensingOwnerName),
    ownerExternalAccessDays: row.ownerExternalAccessDays,
  };
}

/**
 * explainAccess: the same decision as signInToDataSource, recording nothing. For another user, only
 * IMS admins of the data source's owner account may ask.
 */
export async function explainAccess(
  ctx: ServiceContext,
  request: AccessRequest & {
    /** §9: whether the actor may read the other user (else NOT_FOUND). */ subjectReadable: boolean;
  },
): Promise<ExplainedAccess> {
  const tx = ctx.db;
  const found = await dataSourceById(tx, request.dataSourceId);
  const { ds } = found;
  const actor = await loadSubject(tx, ctx.actor);
  let subject = ctx.actor;
  if (request.userId && request.userId !== ctx.actor.id) {
    const other = await userById(tx, request.userId);
    const notFound = () => new AppError('NOT_FOUND', 'no such user', ['input', 'userId']);
    // §9: about another user, a data source you may not read answers exactly as a missing one.
    assertAuthorized(
      actor,
      readRequest(ds),
      () => new AppError('NOT_FOUND', 'no such data source', ['input', 'dataSourceId']),
    );
    assertAuthorized(
      actor,
      { action: 'access.explainFor', ownerAccountId: ds.ownerAccountId, subjectReadable: request.subjectReadable },
      notFound,
    );
    if (!other) throw notFound();
    subject = other;
  }
  const { decision, dsUser } = await gatherAndDecide(tx, actor, subject, found, request, ctx.now);
  return { decision, dataSource: ds, dataSourceUser: dsUser, subject };
}

/**
 * signInToDataSource (ACC-2, LIC-2): decides for the caller; when granted, creates the dynamic
 * data-source user if needed and appends one usage record. Every attempt, granted or denied, is
 * audited in the owner's log (and the billed account's), so administrators can see who was refused.
 */
export async function signInToDataSource(
  ctx: ServiceContext,
  request: Omit<AccessRequest, 'userId'>,
): Promise<ExplainedAccess> {
  return inTransaction(ctx.db, async (tx) => {
    const found = await dataSourceById(tx, request.dataSourceId);
    const { ds, named } = found;
    // The caller as stored now (their home account or usage country may have changed since the
    // request began), with their home account's name: the decision reads both.
    const stored = await userWithHomeAccount(tx, ctx.actor.id);
    const subject = stored?.user ?? ctx.actor;
    const { decision, dsUser, facts } = await gatherAndDecide(
      tx,
      await loadSubject(tx, subject),
      subject,
      found,
      request,
      ctx.now,
      stored ? stored.homeAccount : undefined,
    );
    let used = dsUser;
    if (decision.granted && decision.dataSourceUser === 'CREATE') {
      const login = await freeLogin(tx, ds.id, subject.email);
      used = await only(
        tx
          .insert(dataSourceUsers)
          .values({
            id: randomUUID(),
            dataSourceId: ds.id,
            login,
            loginKey: login,
            email: subject.email,
            identity: subject.email,
            clientLicensing: 'OWN_ORGANIZATION',
            created: 'DYNAMIC',
            createdAt: ctx.now,
            // HIS-4: an external person admitted by the identity filter gets the owner's default expiry.
            expiresAt: decision.external ? grantExpiry(null, found.ownerExternalAccessDays, ctx.now) : null,
          })
          .returning(),
      );
    }
    if (decision.granted && used && decision.licenseSource && decision.billedAccount) {
      await appendUsageRecord(tx, {
        at: ctx.now,
        userId: subject.id,
        consumerAccountId: subject.homeAccountId,
        dataSourceId: ds.id,
        dataSourceUserId: used.id,
        productCode: request.product,
        machineName: request.machineName,
        licenseSource: decision.licenseSource,
        billedAccountId: decision.billedAccount.id,
        checkoutId: decision.checkoutId,
        decision: keptSignIn(facts, found, subject),
      });
    }
    // LIC-3: a licensing owner that does not own the data source pays, but may not know who signed in:
    // its log gets an entry of its own, without the person (HIS-1: as its usage records).
    const billed = decision.billedAccount;
    const personKept = personKeptFromBilled(decision.licenseSource, billed?.id ?? null, ds.ownerAccountId);
    await appendAudit(tx, {
      at: ctx.now,
      actor: subject,
      action: 'signInToDataSource',
      accountIds: [ds.ownerAccountId, ...(billed && !personKept ? [billed.id] : [])],
      targets: [{ type: 'DataSource', id: ds.id }, ...(used ? [{ type: 'DataSourceUser', id: used.id }] : [])],
      summary: signInSummary(subject, ds, named, request, decision),
    });
    if (personKept && billed) {
      const home = stored?.homeAccount ?? null;
      await appendAudit(tx, {
        at: ctx.now,
        actor: UNNAMED_ACTOR,
        action: 'signInToDataSource',
        accountIds: [billed.id],
        targets: [{ type: 'DataSource', id: ds.id }],
        summary: `a user of ${home ? home.name : 'no account'} signed in to "${ds.name}" with ${request.product}: DATASOURCE_OWNER, billed to ${named.licensingOwner?.name ?? billed.name} (LIC-3: the licensing owner is not told who)`,
      });
    }
    return { decision, dataSource: ds, dataSourceUser: used, subject };
  });
}

/**
 * The audit summary. The entry shows in the owner's log and the billed account's: the data source is
 * named only when the billed account may read it (§9: the owner, or its licensing owner), else it is
 * "a data source of <owner>".
 */
function signInSummary(
  subject: UserRow,
  ds: DataSourceRow,
  accounts: NamedAccounts,
  request: Omit<AccessRequest, 'userId'>,
  decision: AccessDecision,
): string {
  const billedId = decision.billedAccount?.id ?? null;
  // Only the licensing owner's name can have been redacted in the decision (LIC-1.2 bills it).
  const billedName =
    billedId !== null && billedId === accounts.licensingOwner?.id
      ? accounts.licensingOwner.name
      : decision.billedAccount?.name;
  const billedReads = billedId === null || accountAdminsMay(billedId, readRequest(ds));
  const where = billedReads ? `"${ds.name}"` : `a data source of ${accounts.owner.name}`;
  return decision.granted
    ? `${subject.email} signed in to ${where} with ${request.product} on ${request.machineName}: ${decision.licenseSource}, billed to ${billedName}`
    : `${subject.email} was refused sign-in to ${where}: ${decision.denialReason}`;
}
