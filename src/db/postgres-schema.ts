// Issue 13: the PostgreSQL tables, derived from the SQLite tables of every area (src/db/schema.ts, the
// one description of the model) — never written twice, so the two cannot drift. drizzle-kit reads this
// file to generate the PostgreSQL migrations (drizzle/postgresql/), and
// test/api/postgres-schema.test.ts compares every table, column, key, index and check of both.
//
// Storage types: text stays text; SQLite's integer milliseconds become `timestamptz(3)` (the same
// Date in the application, a real timestamp for whoever reads the database); integer booleans become
// `boolean`; JSON text becomes `jsonb`; an auto-increment integer key becomes a `bigint` identity (and
// so do the columns that refer to one); the tables src/db/insertion-order.ts lists get an
// `insertion_order` identity in place of SQLite's rowid. Defaults keep their value; the SQL default of `created_at`
// (SQLite's `unixepoch`) becomes `now()`. Anything else is refused here, at import, rather than
// translated wrongly.
//
// (Written by hand: drizzle has no dialect-neutral table builder, and no tool converts one dialect's
// tables into another's — drizzle-kit only introspects a live database.)
import { createHash } from 'node:crypto';
import { Column, is, SQL } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { INSERTION_ORDER_COLUMN, INSERTION_ORDERED } from './insertion-order.js';
import * as sqliteSchema from './sqlite-schema.js';

// biome-ignore lint/suspicious/noExplicitAny: the derived tables are typed by their SQLite twins (see tablesFor)
type AnyPgTable = PgTableWithColumns<any>;

/** The SQLite tables of the model, by their export name. */
export const sqliteTables: Record<string, SQLiteTable> = Object.fromEntries(
  Object.entries(sqliteSchema).filter(([, value]) => is(value, SQLiteTable)),
) as Record<string, SQLiteTable>;

const derived = new Map<SQLiteTable, AnyPgTable>();

/** The key of the insertion-order column in a PostgreSQL twin (no SQLite column has it). */
export const INSERTION_ORDER_KEY = 'insertionOrder';

/** PostgreSQL cuts identifiers at 63 bytes (silently): a longer name is shortened here, recognisably
 *  and uniquely (its first 54 characters and 8 of its SHA-256), so a later migration names it right. */
export function postgresName(name: string): string {
  if (Buffer.byteLength(name) <= 63) return name;
  return `${name.slice(0, 54)}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** Integer columns that hold an auto-increment key, or refer to one: 64-bit in PostgreSQL. */
function identityColumns(): Set<SQLiteColumn> {
  const keys = new Set<SQLiteColumn>();
  for (const table of Object.values(sqliteTables)) {
    for (const column of getTableConfig(table).columns) {
      if ((column as unknown as { autoIncrement?: boolean }).autoIncrement) keys.add(column);
    }
  }
  for (const table of Object.values(sqliteTables)) {
    for (const fk of getTableConfig(table).foreignKeys) {
      const { columns, foreignColumns } = fk.reference();
      columns.forEach((column, i) => {
        if (keys.has(foreignColumns[i] as SQLiteColumn)) keys.add(column);
      });
    }
  }
  return keys;
}
const IDENTITY = identityColumns();

function columnFor(column: SQLiteColumn): PgColumnBuilderBase {
  const name = column.name;
  // biome-ignore lint/suspicious/noExplicitAny: the builders of several column types, chained below
  let builder: any;
  switch (column.columnType) {
    case 'SQLiteText':
      builder = text(name);
      break;
    case 'SQLiteTextJson':
      builder = jsonb(name);
      break;
    case 'SQLiteBoolean':
      builder = boolean(name);
      break;
    case 'SQLiteTimestamp':
      builder = timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
      break;
    case 'SQLiteInteger':
      if (IDENTITY.has(column)) {
        builder = bigint(name, { mode: 'number' });
        if ((column as unknown as { autoIncrement?: boolean }).autoIncrement) {
          builder = builder.generatedByDefaultAsIdentity();
        }
      } else {
        builder = integer(name);
      }
      break;
    default:
      throw new Error(`postgres-schema: no PostgreSQL type for ${column.columnType} (${name})`);
  }
  if (column.primary) builder = builder.primaryKey();
  if (column.notNull && !column.primary) builder = builder.notNull();
  if (column.isUnique) builder = builder.unique(column.uniqueName);
  if (column.defaultFn) builder = builder.$defaultFn(column.defaultFn);
  if (column.onUpdateFn) builder = builder.$onUpdateFn(column.onUpdateFn);
  if (column.hasDefault && column.default !== undefined) {
    if (is(column.default, SQL)) {
      if (column.columnType !== 'SQLiteTimestamp') {
        throw new Error(`postgres-schema: no PostgreSQL translation of the SQL default of ${name}`);
      }
      builder = builder.defaultNow();
    } else {
      builder = builder.default(column.default);
    }
  }
  return builder as PgColumnBuilderBase;
}

/** A table's columns under their keys (the names the application uses). */
function columnsByKey(table: SQLiteTable): [string, SQLiteColumn][] {
  const { columns } = getTableConfig(table);
  return Object.entries(table).filter(([, value]) => columns.includes(value as SQLiteColumn)) as [
    string,
    SQLiteColumn,
  ][];
}

/**
 * The PostgreSQL twin of a SQLite column: the column of the same key in its table's twin — or, for
 * the table being configured, in `own` (drizzle hands its extra config its own column objects, which
 * indexes need).
 */
function twinOf(column: SQLiteColumn, own?: { table: SQLiteTable; columns: AnyPgTable }) {
  const table = column.table as SQLiteTable;
  const key = columnsByKey(table).find(([, c]) => c === column)?.[0];
  if (!key) throw new Error(`postgres-schema: ${column.name} is not a column of its table`);
  return own?.table === table ? own.columns[key] : postgresTableOf(table)[key];
}

/** The same SQL with every SQLite column replaced by its PostgreSQL twin. */
function translateSql(value: SQL): SQL {
  return new SQL(
    value.queryChunks.map((chunk) => {
      if (is(chunk, SQL)) return translateSql(chunk);
      if (is(chunk, Column)) return twinOf(chunk as SQLiteColumn);
      return chunk;
    }),
  );
}

/** The PostgreSQL twin of one SQLite table (and, lazily, of the tables its keys refer to). */
export function postgresTableOf(table: SQLiteTable): AnyPgTable {
  const known = derived.get(table);
  if (known) return known;
  const config = getTableConfig(table);
  const result: AnyPgTable = pgTable(
    config.name,
    {
      ...Object.fromEntries(columnsByKey(table).map(([key, column]) => [key, columnFor(column)])),
      // SQLite's rowid, for the listings that break ties by insertion order (src/db/insertion-order.ts).
      ...(INSERTION_ORDERED.includes(table)
        ? { [INSERTION_ORDER_KEY]: bigint(INSERTION_ORDER_COLUMN, { mode: 'number' }).generatedAlwaysAsIdentity() }
        : {}),
    },
    // The extra config is built lazily (by drizzle-kit and getTableConfig), after this table and the
    // tables its keys refer to are known, so every column there is found by twinOf.
    (columns) => {
      const twin = (c: unknown) => twinOf(c as SQLiteColumn, { table, columns: columns as AnyPgTable });
      const twins = (cs: unknown[]) => cs.map(twin) as never;
      return [
        ...config.primaryKeys.map((pk) =>
          primaryKey({
            name: postgresName(pk.getName()),
            columns: twins(pk.columns),
          }),
        ),
        ...config.indexes.map((ix) => {
          const { name, columns, unique, where } = ix.config;
          const on = columns.map((c) => (is(c, SQL) ? translateSql(c) : twin(c)));
          const built = (unique ? uniqueIndex(postgresName(name)) : index(postgresName(name))).on(
            ...(on as [never, ...never[]]),
          );
          return where ? built.where(translateSql(where)) : built;
        }),
        ...config.foreignKeys.map((fk) => {
          const { columns, foreignColumns } = fk.reference();
          let built = foreignKey({
            name: postgresName(fk.getName()),
            columns: twins(columns),
            foreignColumns: twins(foreignColumns),
          });
          if (fk.onDelete) built = built.onDelete(fk.onDelete);
          if (fk.onUpdate) built = built.onUpdate(fk.onUpdate);
          return built;
        }),
        ...config.checks.map((c) => check(postgresName(c.name), translateSql(c.value))),
      ];
    },
  );
  derived.set(table, result);
  return result;
}

const runtime = new Map<SQLiteTable, AnyPgTable>();

/**
 * The twin the services' statements use at run time (src/db/schema.ts): the same columns under the same
 * keys, without the insertion-order column — so rows read from PostgreSQL have exactly the SQLite
 * row's fields (listings name that column through `insertionOrder`, by name) — and without the keys,
 * indexes and checks, which only migrations need.
 */
export function postgresRuntimeTableOf(table: SQLiteTable): AnyPgTable {
  let twin = runtime.get(table);
  if (!twin) {
    twin = pgTable(
      getTableConfig(table).name,
      Object.fromEntries(columnsByKey(table).map(([key, column]) => [key, columnFor(column)])),
    );
    runtime.set(table, twin);
  }
  return twin;
}

/** Every PostgreSQL table, under the export name of its SQLite twin. */
export const postgresTables: Record<string, AnyPgTable> = Object.fromEntries(
  Object.entries(sqliteTables).map(([key, table]) => [key, postgresTableOf(table)]),
);

// drizzle-kit finds tables among a module's named exports, so each is exported by name (the test
// fails when a table of the model is missing here).
export const accountDomains = postgresTableOf(sqliteSchema.accountDomains);
export const accounts = postgresTableOf(sqliteSchema.accounts);
export const associations = postgresTableOf(sqliteSchema.associations);
export const auditEntries = postgresTableOf(sqliteSchema.auditEntries);
export const auditEntryAccounts = postgresTableOf(sqliteSchema.auditEntryAccounts);
export const checkoutRestrictions = postgresTableOf(sqliteSchema.checkoutRestrictions);
export const connectorEntries = postgresTableOf(sqliteSchema.connectorEntries);
export const connectors = postgresTableOf(sqliteSchema.connectors);
export const customRoles = postgresTableOf(sqliteSchema.customRoles);
export const dataSourceGroups = postgresTableOf(sqliteSchema.dataSourceGroups);
export const dataSourceUsers = postgresTableOf(sqliteSchema.dataSourceUsers);
export const dataSources = postgresTableOf(sqliteSchema.dataSources);
export const entitlements = postgresTableOf(sqliteSchema.entitlements);
export const groupMembers = postgresTableOf(sqliteSchema.groupMembers);
export const imsRoles = postgresTableOf(sqliteSchema.imsRoles);
export const installedLicenses = postgresTableOf(sqliteSchema.installedLicenses);
export const invitations = postgresTableOf(sqliteSchema.invitations);
export const licenseCheckoutProducts = postgresTableOf(sqliteSchema.licenseCheckoutProducts);
export const licenseCheckouts = postgresTableOf(sqliteSchema.licenseCheckouts);
export const licensingOwnerRequests = postgresTableOf(sqliteSchema.licensingOwnerRequests);
export const memberRoles = postgresTableOf(sqliteSchema.memberRoles);
export const projectLinks = postgresTableOf(sqliteSchema.projectLinks);
export const projects = postgresTableOf(sqliteSchema.projects);
export const providedLicenseFlags = postgresTableOf(sqliteSchema.providedLicenseFlags);
export const providedLicenses = postgresTableOf(sqliteSchema.providedLicenses);
export const serverKeys = postgresTableOf(sqliteSchema.serverKeys);
export const syncRecords = postgresTableOf(sqliteSchema.syncRecords);
export const teamMembers = postgresTableOf(sqliteSchema.teamMembers);
export const usageDecisions = postgresTableOf(sqliteSchema.usageDecisions);
export const usageRecords = postgresTableOf(sqliteSchema.usageRecords);
export const userListMembers = postgresTableOf(sqliteSchema.userListMembers);
export const userLists = postgresTableOf(sqliteSchema.userLists);
export const users = postgresTableOf(sqliteSchema.users);
export const workAreaParticipants = postgresTableOf(sqliteSchema.workAreaParticipants);
export const workAreas = postgresTableOf(sqliteSchema.workAreas);
