// Tables whose listings break ties of time by the order rows were inserted in (participants in the order
// they were added, and so on). SQLite keeps that order in every table's `rowid`; PostgreSQL has no such
// column, so each of these tables' PostgreSQL twin gets an `insertion_order` identity
// (src/db/postgres-schema.ts). Listings name it through `insertionOrder(table)` (src/db/schema.ts).
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  associations,
  invitations,
  licenseCheckouts,
  licensingOwnerRequests,
  userListMembers,
  workAreaParticipants,
} from './sqlite-schema.js';

export const INSERTION_ORDERED: readonly SQLiteTable[] = [
  associations,
  invitations,
  licenseCheckouts,
  licensingOwnerRequests,
  userListMembers,
  workAreaParticipants,
];

/** The PostgreSQL column that keeps the insertion order of the tables above. */
export const INSERTION_ORDER_COLUMN = 'insertion_order';
