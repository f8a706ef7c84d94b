// Issue 15, external access that expires and its review: HIS-4 an account's default expiry of the
// external access it grants; HIS-5 the review of every external person the account lets in (what lets
// them in, last sign-in, billable use last quarter, expiry); HIS-6 confirming (extending) and revoking
// that access for many people at once, with a result per person.
//
// "External access" an account grants: its associations (ID-5: sign-in to its data sources, ACC-3, and
// its licensing, LIC-1.4), and the data-source users of its data sources whose identity is an external
// person (ACC-2 admits them by identity).
import { and, count, eq, gte, inArray, isNotNull, lt, max, sql } from 'drizzle-orm';
import { quarterOf } from '../../access/rules/usage.js';
import { personHiddenSql } from '../../access/use-cases/usage.js';
import { inTransaction, type Reader, type Tx } from '../../db/client.js';
import { readIn } from '../../db/query.js';
import {
  type AccountRow,
  type AssociationRow,
  accounts,
  associations,
  type DataSourceRow,
  type DataSourceUserRow,
  dataSources,
  dataSourceUsers,
  type UserRow,
  usageRecords,
  users,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { EXTERNAL_ACCESS_DAYS, emailDomain, grantActive, grantExpiry, normalizeEmail } from '../rules.js';
import { accountFacts, auditAccount, requireImsAdmin } from './shared.js';

// ---------------------------------------------------------------------------------------------
// HIS-4: the account's default

/** HIS-4: sets (or, with null, removes) the days new external access granted by the account lasts. */
export async function setExternalAccessDays(
  ctx: ServiceContext,
  input: { accountId: string; days: number | null },
): Promise<AccountRow> {
  return inTransaction(ctx.db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, ctx.actor, account);
    const { days } = input;
    if (
      days !== null &&
      (!Number.isInteger(days) || days < EXTERNAL_ACCESS_DAYS.min || days > EXTERNAL_ACCESS_DAYS.max)
    ) {
      throw new AppError(
        'INVALID_EXPIRY_DAYS',
        `the default expiry must be ${EXTERNAL_ACCESS_DAYS.min}–${EXTERNAL_ACCESS_DAYS.max} days, or none`,
        ['input', 'days'],
      );
    }
    const [row] = await tx
      .update(accounts)
      .set({ externalAccessDays: days })
      .where(eq(accounts.id, account.id))
      .returning();
    const before = account.row.externalAccessDays;
    await auditAccount(
      tx,
      ctx,
      account.id,
      'setExternalAccessDays',
      [{ type: 'Account', id: account.id }],
      before === days
        ? `${ctx.actor.email} set the default expiry of external access to ${describeDays(days)} again (no change)`
        : `${ctx.actor.email} changed the default expiry of external access granted by ${account.name} from ${describeDays(before)} to ${describeDays(days)} (new grants only)`,
    );
    return row as AccountRow;
  });
}

const describeDays = (days: number | null) => (days === null ? 'none' : `${days} days`);

// ---------------------------------------------------------------------------------------------
// HIS-5: the review

export const GRANT_KINDS = ['ASSOCIATION', 'DATA_SOURCE_USER'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

/** One thing that lets an external person in: an association, or a data-source user with their identity. */
export interface ExternalGrant {
  kind: GrantKind;
  association: AssociationRow | null;
  dataSourceUser: DataSourceUserRow | null;
  dataSource: DataSourceRow | null;
  expiresAt: Date | null;
  expired: boolean;
}

export interface ProductUse {
  product: string;
  uses: number;
}

/** HIS-5: one external person the account lets in. */
export interface ExternalPerson {
  accountId: string;
  email: string;
  /** Null when no profile is registered for the email (a data-source user may name anyone). */
  user: UserRow | null;
  grants: ExternalGrant[];
  /** The last granted sign-in to one of the account's data sources. */
  lastSignInAt: Date | null;
  /** The previous calendar quarter (UTC), e.g. 2026-Q2, and their usage billed to the account in it. */
  lastQuarter: string;
  billableUseLastQuarter: ProductUse[];
  /** When all their access ends: null while any grant that counts never expires. */
  accessEndsAt: Date | null;
  /** Every grant has expired. */
  expired: boolean;
}

/** The previous calendar quarter (UTC) before `now`: its name and [start, end). */
export function previousQuarter(now: Date): { name: string; from: Date; to: Date } {
  const currentStartMonth = Math.floor(now.getUTCMonth() / 3) * 3;
  const to = new Date(Date.UTC(now.getUTCFullYear(), currentStartMonth, 1));
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 3, 1));
  return { name: quarterOf(from), from, to };
}

/**
 * HIS-5: the external people `account` lets in — its associations, and the data-source users of its data
 * sources whose identity is not one of its members (a registered user of another account or none; an
 * unregistered email outside the account's domains) — each with their grants, expired ones included.
 */
export async function externalPeople(db: Reader, account: { id: string; domains: readonly string[] }, now: Date) {
  const people = await externalGrants(db, account, now);
  await withUse(db, account.id, people, now);
  return people;
}

/**
 * HIS-5 / HIS-6: the external people and their grants (what confirm and revoke act on); their use and
 * the ends of their access are the review's (withUse).
 */
async function externalGrants(
  db: Reader,
  account: { id: string; domains: readonly string[] },
  now: Date,
): Promise<ExternalPerson[]> {
  const associated = await db
    .select({ association: associations, user: users })
    .from(associations)
    .innerJoin(users, eq(users.id, associations.userId))
    .where(eq(associations.accountId, account.id));
  const admitted = await db
    .select({ dsUser: dataSourceUsers, ds: dataSources, user: users })
    .from(dataSourceUsers)
    .innerJoin(dataSources, eq(dataSources.id, dataSourceUsers.dataSourceId))
    .leftJoin(users, eq(users.email, dataSourceUsers.identity))
    .where(
      and(
        eq(dataSources.ownerAccountId, account.id),
        isNotNull(dataSourceUsers.identity),
        // A member of the account is not external (nor, below, an unregistered email of its domains).
        sql`coalesce(${users.homeAccountId}, '') <> ${account.id}`,
      ),
    );
  const people = new Map<string, ExternalPerson>();
  const personOf = (email: string, user: UserRow | null) => {
    let person = people.get(email);
    if (!person) {
      person = {
        accountId: account.id,
        email,
        user,
        grants: [],
        lastSignInAt: null,
        lastQuarter: '',
        billableUseLastQuarter: [],
        accessEndsAt: null,
        expired: false,
      };
      people.set(email, person);
    }
    person.user ??= user;
    return person;
  };
  for (const { association, user } of associated) {
    personOf(user.email, user).grants.push({
      kind: 'ASSOCIATION',
      association,
      dataSourceUser: null,
      dataSource: null,
      expiresAt: association.expiresAt,
      expired: !grantActive(association.expiresAt, now),
    });
  }
  for (const { dsUser, ds, user } of admitted) {
    const email = dsUser.identity as string;
    if (!user && account.domains.includes(emailDomain(email))) continue;
    personOf(email, user).grants.push({
      kind: 'DATA_SOURCE_USER',
      association: null,
      dataSourceUser: dsUser,
      dataSource: ds,
      expiresAt: dsUser.expiresAt,
      expired: !grantActive(dsUser.expiresAt, now),
    });
  }
  for (const person of people.values()) {
    const active = person.grants.filter((g) => !g.expired);
    person.expired = active.length === 0;
    person.accessEndsAt =
      active.length === 0
        ? (maxDate(person.grants.map((g) => g.expiresAt)) ?? null)
        : active.some((g) => g.expiresAt === null)
          ? null
          : maxDate(active.map((g) => g.expiresAt));
    person.grants.sort((a, b) => grantOrder(a).localeCompare(grantOrder(b)));
  }
  return [...people.values()];
}

/** HIS-5: each person's last sign-in to the account's data sources and their use billed last quarter. */
async function withUse(db: Reader, accountId: string, people: readonly ExternalPerson[], now: Date) {
  const registered = people.flatMap((p) => (p.user ? [p.user.id] : []));
  const lastSignIns = await readIn(registered, (ids) =>
    db
      .select({ userId: usageRecords.userId, at: max(usageRecords.at) })
      .from(usageRecords)
      .innerJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
      .where(and(eq(dataSources.ownerAccountId, accountId), inArray(usageRecords.userId, ids)))
      .groupBy(usageRecords.userId),
  );
  const lastSignInOf = new Map(lastSignIns.map((r) => [r.userId, r.at ? new Date(r.at) : null]));
  const quarter = previousQuarter(now);
  const billed = await readIn(registered, (ids) =>
    db
      .select({ userId: usageRecords.userId, product: usageRecords.productCode, uses: count() })
      .from(usageRecords)
      .leftJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
      .where(
        and(
          eq(usageRecords.billedAccountId, accountId),
          gte(usageRecords.at, quarter.from),
          lt(usageRecords.at, quarter.to),
          inArray(usageRecords.userId, ids),
          // LIC-3 (as HIS-2): what the account paid as licensing owner of another's data source is not
          // its to attribute to a person.
          sql`${personHiddenSql} = 0`,
        ),
      )
      .groupBy(usageRecords.userId, usageRecords.productCode),
  );
  const billedOf = new Map<string, ProductUse[]>();
  for (const b of billed)
    billedOf.set(b.userId, [...(billedOf.get(b.userId) ?? []), { product: b.product, uses: b.uses }]);
  for (const person of people) {
    person.lastQuarter = quarter.name;
    if (person.user) {
      person.lastSignInAt = lastSignInOf.get(person.user.id) ?? null;
      person.billableUseLastQuarter = (billedOf.get(person.user.id) ?? []).sort((a, b) =>
        a.product.localeCompare(b.product),
      );
    }
  }
}

const grantOrder = (g: ExternalGrant) =>
  g.kind === 'ASSOCIATION' ? '0' : `1\u0000${g.dataSource?.name ?? ''}\u0000${g.dataSourceUser?.login ?? ''}`;

function maxDate(dates: readonly (Date | null)[]): Date | null {
  let latest: Date | null = null;
  for (const d of dates) if (d && (!latest || d > latest)) latest = d;
  return latest;
}

// ---------------------------------------------------------------------------------------------
// HIS-6: confirming and revoking, many at once

export const EXTERNAL_ACCESS_BATCH = 500;

export interface ExternalAccessRowResult {
  email: string;
  /** The rule refused this person (nothing changed for them): NOT_FOUND when the account grants them nothing. */
  error: AppError | null;
  /** The grants changed for this person. */
  changed: number;
  /** Their expiry now (confirm); null after a revoke or when it no longer expires. */
  expiresAt: Date | null;
}

async function grantsOf(tx: Reader, account: { id: string; domains: readonly string[] }, now: Date) {
  const people = await externalGrants(tx, account, now);
  return new Map(people.map((p) => [p.email, p]));
}

/** The emails asked about, each once, normalized; a malformed one answers its own row (INVALID_EMAIL). */
function askedFor(emails: readonly string[]): { email: string; error: AppError | null }[] {
  const seen = new Set<string>();
  const out: { email: string; error: AppError | null }[] = [];
  emails.forEach((raw, i) => {
    let email: string;
    try {
      email = normalizeEmail(raw, ['input', 'emails', String(i)]);
    } catch (error) {
      if (error instanceof AppError) {
        out.push({ email: raw, error });
        return;
      }
      throw error;
    }
    if (seen.has(email)) return;
    seen.add(email);
    out.push({ email, error: null });
  });
  return out;
}

const notGranted = (email: string) =>
  new AppError('NOT_FOUND', `the account grants ${email} no external access`, ['input', 'emails']);

/**
 * HIS-6 confirm: every grant of each person (expired or not) counts until `expiresAt` — or, without
 * one, now + the account's default days, or (no default) no longer expires.
 */
export async function confirmExternalAccess(
  ctx: ServiceContext,
  input: { accountId: string; emails: readonly string[]; expiresAt?: Date | null },
): Promise<ExternalAccessRowResult[]> {
  return inTransaction(ctx.db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, ctx.actor, account);
    const expiresAt = grantExpiry(input.expiresAt, account.row.externalAccessDays, ctx.now);
    const people = await grantsOf(tx, account, ctx.now);
    const results: ExternalAccessRowResult[] = [];
    for (const { email, error } of askedFor(input.emails)) {
      const person = people.get(email);
      if (error || !person) {
        results.push({ email, error: error ?? notGranted(email), changed: 0, expiresAt: null });
        continue;
      }
      for (const grant of person.grants) await setExpiry(tx, grant, expiresAt);
      results.push({ email, error: null, changed: person.grants.length, expiresAt });
    }
    await auditRows(
      tx,
      ctx,
      account,
      'confirmExternalAccess',
      results,
      (done) =>
        `${ctx.actor.email} confirmed the external access of ${done} until ${expiresAt ? expiresAt.toISOString() : 'further notice (no expiry)'}`,
    );
    return results;
  });
}

/**
 * HIS-6 revoke: each person's association is removed (as removeExternalAssociation) and their
 * data-source users on the account's data sources expire now (kept, with their groups and work areas,
 * so that a confirmation can give the access back).
 */
export async function revokeExternalAccess(
  ctx: ServiceContext,
  input: { accountId: string; emails: readonly string[] },
): Promise<ExternalAccessRowResult[]> {
  return inTransaction(ctx.db, async (tx) => {
    const account = await accountFacts(tx, input.accountId);
    await requireImsAdmin(tx, ctx.actor, account);
    const people = await grantsOf(tx, account, ctx.now);
    const results: ExternalAccessRowResult[] = [];
    for (const { email, error } of askedFor(input.emails)) {
      const person = people.get(email);
      if (error || !person) {
        results.push({ email, error: error ?? notGranted(email), changed: 0, expiresAt: null });
        continue;
      }
      let changed = 0;
      for (const grant of person.grants) {
        if (grant.association) {
          await tx.delete(associations).where(eq(associations.id, grant.association.id));
          changed += 1;
        } else if (!grant.expired) {
          await setExpiry(tx, grant, ctx.now);
          changed += 1;
        }
      }
      results.push({ email, error: null, changed, expiresAt: null });
    }
    await auditRows(
      tx,
      ctx,
      account,
      'revokeExternalAccess',
      results,
      (done) =>
        `${ctx.actor.email} revoked the external access of ${done} (associations removed, data-source users expired)`,
    );
    return results;
  });
}

async function setExpiry(tx: Tx, grant: ExternalGrant, expiresAt: Date | null) {
  if (grant.association) {
    await tx.update(associations).set({ expiresAt }).where(eq(associations.id, grant.association.id));
  } else if (grant.dataSourceUser) {
    await tx.update(dataSourceUsers).set({ expiresAt }).where(eq(dataSourceUsers.id, grant.dataSourceUser.id));
  }
}

/** §10: one entry for the mutation, naming whom it changed and whom it refused. */
async function auditRows(
  tx: Tx,
  ctx: ServiceContext,
  account: { id: string; name: string },
  action: string,
  results: readonly ExternalAccessRowResult[],
  summary: (done: string) => string,
) {
  const done = results.filter((r) => !r.error);
  const refused = results.length - done.length;
  const names = done.length ? done.map((r) => r.email).join(', ') : 'nobody';
  await auditAccount(
    tx,
    ctx,
    account.id,
    action,
    [{ type: 'Account', id: account.id }],
    `${summary(names)} in ${account.name}${refused ? `; ${refused} refused` : ''}`,
  );
}
