// The tables services name: each answers the SQLite table or its PostgreSQL twin, whichever dialect this
// process opened (src/db/dialect.ts) — so one service code path builds its statements for either. The
// types are the SQLite tables' (src/db/sqlite-schema.ts, the one description of the model); row types,
// enums and constants are re-exported from there unchanged.
//
// A table here is a Proxy over the SQLite table that forwards every read to the current dialect's
// table (Drizzle finds a table's name, columns and kind through its properties and constructor). Each
// table of the model must be listed (test/api/postgres-schema.test.ts checks that none is missing).
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { currentDialect, dialectSql } from './dialect.js';
import { INSERTION_ORDER_COLUMN, INSERTION_ORDERED } from './insertion-order.js';
import { postgresRuntimeTableOf } from './postgres-schema.js';
import * as sqlite from './sqlite-schema.js';

export * from './sqlite-schema.js';

/** The SQLite tables behind these (for the test that none is missing). */
export const dialectTables = new Map<object, SQLiteTable>();

function dialectTable<T extends SQLiteTable>(table: T): T {
  let twin: object | undefined;
  const target = (): object => {
    if (currentDialect() === 'sqlite') return table;
    twin ??= postgresRuntimeTableOf(table);
    return twin;
  };
  const proxy = new Proxy(table, {
    get: (_, property) => Reflect.get(target(), property),
    has: (_, property) => Reflect.has(target(), property),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), property);
      // A Proxy may not report a property its own target lacks as non-configurable.
      if (descriptor) descriptor.configurable = true;
      return descriptor;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
  dialectTables.set(proxy, table);
  return proxy;
}

/**
 * The order rows of a table were inserted in (a tiebreak after time): SQLite's `rowid`, PostgreSQL's
 * `insertion_order` identity (src/db/insertion-order.ts lists the tables that keep one).
 */
export function insertionOrder(table: SQLiteTable): SQL {
  const own = dialectTables.get(table) ?? table;
  if (!INSERTION_ORDERED.includes(own))
    throw new Error('insertionOrder: a table not listed in src/db/insertion-order.ts');
  return sql`${dialectSql({
    sqlite: () => sql`${table}.rowid`,
    postgresql: () => sql`${table}.${sql.identifier(INSERTION_ORDER_COLUMN)}`,
  })}`;
}

export const accountDomains = dialectTable(sqlite.accountDomains);
export const accounts = dialectTable(sqlite.accounts);
export const associations = dialectTable(sqlite.associations);
export const auditEntries = dialectTable(sqlite.auditEntries);
export const auditEntryAccounts = dialectTable(sqlite.auditEntryAccounts);
export const checkoutRestrictions = dialectTable(sqlite.checkoutRestrictions);
export const connectorEntries = dialectTable(sqlite.connectorEntries);
export const connectors = dialectTable(sqlite.connectors);
export const customRoles = dialectTable(sqlite.customRoles);
export const dataSourceGroups = dialectTable(sqlite.dataSourceGroups);
export const dataSourceUsers = dialectTable(sqlite.dataSourceUsers);
export const dataSources = dialectTable(sqlite.dataSources);
export const entitlements = dialectTable(sqlite.entitlements);
export const groupMembers = dialectTable(sqlite.groupMembers);
export const imsRoles = dialectTable(sqlite.imsRoles);
export const installedLicenses = dialectTable(sqlite.installedLicenses);
export const invitations = dialectTable(sqlite.invitations);
export const licenseCheckoutProducts = dialectTable(sqlite.licenseCheckoutProducts);
export const licenseCheckouts = dialectTable(sqlite.licenseCheckouts);
export const licensingOwnerRequests = dialectTable(sqlite.licensingOwnerRequests);
export const memberRoles = dialectTable(sqlite.memberRoles);
export const projectLinks = dialectTable(sqlite.projectLinks);
export const projects = dialectTable(sqlite.projects);
export const providedLicenseFlags = dialectTable(sqlite.providedLicenseFlags);
export const providedLicenses = dialectTable(sqlite.providedLicenses);
export const serverKeys = dialectTable(sqlite.serverKeys);
export const syncRecords = dialectTable(sqlite.syncRecords);
export const teamMembers = dialectTable(sqlite.teamMembers);
export const usageDecisions = dialectTable(sqlite.usageDecisions);
export const usageRecords = dialectTable(sqlite.usageRecords);
export const userListMembers = dialectTable(sqlite.userListMembers);
export const userLists = dialectTable(sqlite.userLists);
export const users = dialectTable(sqlite.users);
export const workAreaParticipants = dialectTable(sqlite.workAreaParticipants);
export const workAreas = dialectTable(sqlite.workAreas);
