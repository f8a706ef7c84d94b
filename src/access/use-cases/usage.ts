// LIC-4: what an account was billed for in a period — totals, billable users — and, issue 15, the
// records behind them: HIS-1 each record with the decision that produced it, HIS-2 drill-down from a
// total or a person to their records, and the report per consuming user. Reads only; the account's IMS
// admins only (the GraphQL fields and the export route authorize before calling these).
import {
  and,
  asc,
  count,
  countDistinct,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  max,
  min,
  not,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Reader } from '../../db/client.js';
import { dialectSql } from '../../db/dialect.js';
import { one, readIn } from '../../db/query.js';
import {
  dataSources,
  type LicenseSource,
  type UsageRecordRow,
  usageDecisions,
  usageRecords,
  users,
} from '../../db/schema.js';
import {
  keysOf,
  type PageArgs,
  type SortKey,
  type SqlSource,
  sortKeysSelection,
  sqlBatches,
  sqlPage,
} from '../../graphql/pagination.js';
import type { UsageKind } from '../rules/usage.js';

export interface UsageTotal {
  accountId: string;
  from: Date;
  to: Date;
  kind: UsageKind;
  productCode: string;
  licenseSource: LicenseSource;
  consumerAccountId: string | null;
  signIns: number;
  users: number;
}

export interface BillableUsers {
  productCode: string;
  quarter: string;
  users: number;
}

export interface UsageReport {
  accountId: string;
  from: Date;
  to: Date;
  totals: UsageTotal[];
  billableUsers: BillableUsers[];
}

/** EXT-5: a record naming a project is the opening of a project; any other, a sign-in (LIC-2). */
const kindSql = sql<UsageKind>`case when ${usageRecords.projectId} is null then 'DATA_SOURCE_SIGN_IN' else 'PROJECT_OPEN' end`;

/**
 * LIC-4's calendar quarter (UTC) of a record, computed in SQL so the grouping happens in the database;
 * rules/usage.ts defines the same quarter for code (and a test checks that both agree).
 */
const quarterSql = sql<string>`${dialectSql({
  sqlite: () =>
    sql`strftime('%Y', ${usageRecords.at} / 1000, 'unixepoch') || '-Q' || ((cast(strftime('%m', ${usageRecords.at} / 1000, 'unixepoch') as integer) + 2) / 3)`,
  postgresql: () => sql`to_char(${usageRecords.at} at time zone 'UTC', 'YYYY-"Q"Q')`,
})}`;

/**
 * HIS-2 / LIC-3: the person behind a record is kept from the billed account when it pays as the
 * licensing owner of a data source it does not own (it reads the data source, never its users): the
 * record is counted, its person not named. Needs the data source joined (HIS-5's billable use reads it too).
 */
export const personHiddenSql = sql<number>`case when ${usageRecords.licenseSource} = 'DATASOURCE_OWNER' and ${dataSources.ownerAccountId} <> ${usageRecords.billedAccountId} then 1 else 0 end`;

const billedIn = (accountId: string, from: Date, to: Date) =>
  and(eq(usageRecords.billedAccountId, accountId), gte(usageRecords.at, from), lt(usageRecords.at, to));

/** LIC-4: usage billed to an account in [from, to): by kind (sign-ins, project opens: EXT-5), product,
 *  source and consumer's account; and billable users — distinct users per product per calendar quarter. */
export async function usageReport(db: Reader, accountId: string, from: Date, to: Date): Promise<UsageReport> {
  const inRange = billedIn(accountId, from, to);
  const totals = await db
    .select({
      kind: kindSql,
      productCode: usageRecords.productCode,
      licenseSource: usageRecords.licenseSource,
      consumerAccountId: usageRecords.consumerAccountId,
      signIns: count(),
      users: countDistinct(usageRecords.userId),
    })
    .from(usageRecords)
    .where(inRange)
    .groupBy(kindSql, usageRecords.productCode, usageRecords.licenseSource, usageRecords.consumerAccountId)
    .orderBy(
      asc(kindSql),
      asc(usageRecords.productCode),
      asc(usageRecords.licenseSource),
      asc(usageRecords.consumerAccountId),
    );
  const billableUsers = await db
    .select({ productCode: usageRecords.productCode, quarter: quarterSql, users: countDistinct(usageRecords.userId) })
    .from(usageRecords)
    .where(inRange)
    .groupBy(usageRecords.productCode, quarterSql)
    .orderBy(asc(usageRecords.productCode), asc(quarterSql));
  return {
    accountId,
    from,
    to,
    totals: totals.map((t) => ({ ...t, accountId, from, to })),
    billableUsers,
  };
}

// ---------------------------------------------------------------------------------------------
// HIS-1 / HIS-2: the records

/**
 * HIS-1: the kept decisions with these ids (records name theirs by id: many records share one, so a page
 * or an export batch reads each distinct body once instead of once per record).
 */
export async function keptDecisionBodies(db: Reader, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readIn(ids, (chunk) => db.select().from(usageDecisions).where(inArray(usageDecisions.id, chunk)));
  return new Map(rows.map((r) => [r.id, r.body]));
}

/** Which of an account's records in a period to list; each field narrows, absent fields do not. */
export interface UsageQuery {
  accountId: string;
  from: Date;
  to: Date;
  kind?: UsageKind | null;
  productCode?: string | null;
  licenseSource?: LicenseSource | null;
  /** A consumer account; `null` (not undefined) for records of unaffiliated users. */
  consumerAccountId?: string | null;
  /** true: only records of users who belonged to an account (any) when they used it. */
  affiliated?: boolean;
  /** One person's records; never those that keep the person from the account (LIC-3). */
  userId?: string | null;
  /** Only records whose person is kept from the account (true), or only named ones (false). */
  personHidden?: boolean | null;
}

/** A usage record as its reader sees it: the row (with its kept decision's id, HIS-1), and whom it may name. */
export interface UsageRecordView extends UsageRecordRow {
  /** LIC-3 (HIS-2): the person is not named to the billed account. */
  personHidden: boolean;
  /** The consumer's email now (null when personHidden). */
  email: string | null;
}

function recordsWhere(query: UsageQuery): SQL {
  const hidden = sql`${personHiddenSql} = 1`;
  return and(
    billedIn(query.accountId, query.from, query.to),
    query.kind ? eq(kindSql, query.kind) : undefined,
    query.productCode ? eq(usageRecords.productCode, query.productCode) : undefined,
    query.licenseSource ? eq(usageRecords.licenseSource, query.licenseSource) : undefined,
    query.consumerAccountId === null
      ? isNull(usageRecords.consumerAccountId)
      : query.consumerAccountId
        ? eq(usageRecords.consumerAccountId, query.consumerAccountId)
        : undefined,
    query.affiliated ? isNotNull(usageRecords.consumerAccountId) : undefined,
    // Asking for one person's records never finds those that keep the person from the account.
    query.userId ? and(eq(usageRecords.userId, query.userId), not(hidden)) : undefined,
    query.personHidden === true ? hidden : query.personHidden === false ? not(hidden) : undefined,
  ) as SQL;
}

/** Oldest first: the order they were recorded in (id breaks ties between records of one instant). */
const chronological: SortKey[] = [{ key: usageRecords.at }, { key: usageRecords.id }];

const recordSelection = {
  record: usageRecords,
  personHidden: personHiddenSql,
  email: users.email,
};

function recordsFrom(db: Reader) {
  return db
    .select({ ...recordSelection, ...sortKeysSelection(chronological) })
    .from(usageRecords)
    .leftJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
    .innerJoin(users, eq(users.id, usageRecords.userId));
}

function view(row: { record: UsageRecordRow; personHidden: number; email: string }) {
  const personHidden = Number(row.personHidden) === 1;
  return {
    ...row.record,
    personHidden,
    email: personHidden ? null : row.email,
  } satisfies UsageRecordView;
}

/** The records the query selects, as a keyset source (sqlPage and sqlBatches share it). */
function recordsFetch(db: Reader, where: SQL): SqlSource<UsageRecordView>['fetch'] {
  return async (seek, orderBy, limit) =>
    (
      await recordsFrom(db)
        .where(and(where, seek))
        .orderBy(...orderBy)
        .limit(limit)
    ).map((row) => ({ node: view(row), keys: keysOf(row, chronological) }));
}

/** HIS-2: a page of the records the query selects, oldest first. */
export async function usageRecordsPage(db: Reader, query: UsageQuery, args: PageArgs) {
  const where = recordsWhere(query);
  return await sqlPage(args, chronological, {
    count: async () =>
      (
        await one(
          db
            .select({ n: count() })
            .from(usageRecords)
            .leftJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
            .where(where),
        )
      )?.n ?? 0,
    fetch: recordsFetch(db, where),
  });
}

/** HIS-3: every record the query selects, oldest first, `batch` at a time: what the CSV export streams. */
export function usageRecordsInBatches(db: Reader, query: UsageQuery, batch = EXPORT_BATCH) {
  return sqlBatches(chronological, recordsFetch(db, recordsWhere(query)), batch);
}

/** How many rows an export reads at a time. */
export const EXPORT_BATCH = 1000;

/** HIS-3: one person billed for one product in one quarter (LIC-4's billable users, one row each). */
export interface BillableUserRow {
  quarter: string;
  productCode: string;
  personHidden: boolean;
  /** Null when personHidden (LIC-3). */
  email: string | null;
  consumerAccountId: string | null;
  uses: number;
}

/**
 * HIS-3: LIC-4's billable users one by one — each (quarter, product, person) charged in [from, to), so
 * that the rows of a quarter and product number `billableUsers.users` — by quarter, product, then person
 * (an order that says nothing about who they are), read `batch` at a time by keyset on that order. A
 * person is named when any of their uses there may name them (`uses` then counts those); a person LIC-3
 * keeps unnamed everywhere there has a row without email.
 */
export function billableUsersInBatches(
  db: Reader,
  accountId: string,
  from: Date,
  to: Date,
  batch = EXPORT_BATCH,
): AsyncGenerator<BillableUserRow[]> {
  const order: SortKey[] = [{ key: quarterSql }, { key: usageRecords.productCode }, { key: usageRecords.userId }];
  const groups = order.map((o) => o.key);
  const namedUses = sql<number>`sum(case when ${personHiddenSql} = 1 then 0 else 1 end)`.mapWith(Number);
  return sqlBatches<BillableUserRow>(
    order,
    async (seek, orderBy, limit) =>
      (
        await db
          .select({
            quarter: quarterSql,
            productCode: usageRecords.productCode,
            email: max(users.email),
            consumerAccountId: max(usageRecords.consumerAccountId),
            namedUses,
            uses: count(),
            ...sortKeysSelection(order),
          })
          .from(usageRecords)
          .leftJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
          .innerJoin(users, eq(users.id, usageRecords.userId))
          .where(and(billedIn(accountId, from, to), seek))
          .groupBy(...groups)
          .orderBy(...orderBy)
          .limit(limit)
      ).map((row) => {
        const personHidden = row.namedUses === 0;
        return {
          node: {
            quarter: row.quarter,
            productCode: row.productCode,
            personHidden,
            email: personHidden ? null : row.email,
            consumerAccountId: row.consumerAccountId,
            uses: personHidden ? row.uses : row.namedUses,
          },
          keys: keysOf(row, order),
        };
      }),
    batch,
  );
}

// ---------------------------------------------------------------------------------------------
// HIS-2: per consuming user

/** One person's use of one product billed to the account in the period (or, personHidden, a count). */
export interface UsageByUser {
  accountId: string;
  from: Date;
  to: Date;
  /** Null for a row of people kept from the account (LIC-3): their records counted, not named. */
  userId: string | null;
  email: string | null;
  personHidden: boolean;
  /** The consumer's home account as of their latest record (for a hidden row, the account grouped by). */
  consumerAccountId: string | null;
  productCode: string;
  /**
   * How many people the row stands for: 1 for a named person; for an unnamed row, the people never named
   * for the product in the period (its `uses` still counts every unnamed use).
   */
  users: number;
  uses: number;
  /** LIC-4: the quarters the account is charged for this person and product (hidden rows: any of them). */
  quarters: string[];
  firstAt: Date;
  lastAt: Date;
}

/**
 * HIS-2: the report per consuming user — each named person and product with their uses, first and last
 * use and billable quarters; the people LIC-3 keeps from the account grouped by their home account.
 * Named people first (by email), then the hidden groups.
 */
export async function usageByUser(db: Reader, accountId: string, from: Date, to: Date): Promise<UsageByUser[]> {
  const rows = await db
    .select({
      userId: usageRecords.userId,
      email: users.email,
      personHidden: personHiddenSql,
      consumerAccountId: usageRecords.consumerAccountId,
      productCode: usageRecords.productCode,
      quarter: quarterSql,
      uses: count(),
      firstAt: min(usageRecords.at),
      lastAt: max(usageRecords.at),
    })
    .from(usageRecords)
    .leftJoin(dataSources, eq(dataSources.id, usageRecords.dataSourceId))
    .innerJoin(users, eq(users.id, usageRecords.userId))
    .where(billedIn(accountId, from, to))
    .groupBy(
      usageRecords.userId,
      users.email,
      personHiddenSql,
      usageRecords.consumerAccountId,
      usageRecords.productCode,
      quarterSql,
    );
  // A person named for a product (any use of theirs that may name them) is not counted again among the
  // unnamed: LIC-4 charges them once, and the unnamed row must not stand for someone named above.
  const named = new Set(
    rows.filter((r) => Number(r.personHidden) !== 1).map((r) => `${r.userId}\u0000${r.productCode}`),
  );
  const groups = new Map<string, UsageByUser & { people: Set<string>; latestAt: number }>();
  for (const row of rows) {
    const hidden = Number(row.personHidden) === 1;
    const key = hidden
      ? `h\u0000${row.consumerAccountId ?? ''}\u0000${row.productCode}`
      : `n\u0000${row.userId}\u0000${row.productCode}`;
    const firstAt = new Date(row.firstAt as Date | number);
    const lastAt = new Date(row.lastAt as Date | number);
    let group = groups.get(key);
    if (!group) {
      group = {
        accountId,
        from,
        to,
        userId: hidden ? null : row.userId,
        email: hidden ? null : row.email,
        personHidden: hidden,
        consumerAccountId: row.consumerAccountId,
        productCode: row.productCode,
        users: 0,
        uses: 0,
        quarters: [],
        firstAt,
        lastAt,
        people: new Set(),
        latestAt: lastAt.getTime(),
      };
      groups.set(key, group);
    }
    if (!hidden || !named.has(`${row.userId}\u0000${row.productCode}`)) group.people.add(row.userId);
    group.uses += row.uses;
    if (!group.quarters.includes(row.quarter)) group.quarters.push(row.quarter);
    if (firstAt < group.firstAt) group.firstAt = firstAt;
    if (lastAt > group.lastAt) group.lastAt = lastAt;
    // A named person who moved between accounts: the account of their latest record.
    if (!hidden && lastAt.getTime() > group.latestAt) {
      group.latestAt = lastAt.getTime();
      group.consumerAccountId = row.consumerAccountId;
    }
  }
  return [...groups.values()].map(({ people, latestAt: _latest, ...group }) => ({
    ...group,
    users: people.size,
    quarters: group.quarters.sort(),
  }));
}
