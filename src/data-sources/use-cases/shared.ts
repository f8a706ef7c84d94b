// What the data-source use cases share: authorizing (DS-1, through authz), name rules, audit, the
// identity filter's accounts (DS-2), and what differs per kind of principal.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../../audit/service.js';
import { assertAuthorized, authorize, loadSubject } from '../../authz/authorize.js';
import type { Reader, Tx } from '../../db/client.js';
import { statements } from '../../db/prepared.js';
import { one } from '../../db/query.js';
import {
  accounts,
  type DataSourceRow,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  type PrincipalKind,
  userListMembers,
  userLists,
  workAreaParticipants,
  type workAreas,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../service-context.js';
import { identityFilterAccountNames, resolveIdentityFilter } from '../rules/identity-filter.js';

// ---------------------------------------------------------------------------------------------
// Loading and authorizing

/**
 * The data source, if the actor administers it (DS-1). §9: one they may not read answers NOT_FOUND
 * exactly like a missing one (no name); one they may read but not administer — as an IMS admin of its
 * licensing owner account (LIC-3) — answers FORBIDDEN.
 */
export async function administeredDataSource(
  tx: Reader,
  ctx: ServiceContext,
  dataSourceId: string,
): Promise<DataSourceRow> {
  const ds = await one(tx.select().from(dataSources).where(eq(dataSources.id, dataSourceId)));
  const notFound = new AppError('NOT_FOUND', 'no such data source', ['input', 'dataSourceId']);
  if (!ds) throw notFound;
  assertAuthorized(await loadSubject(tx, ctx.actor), administerRequest(ds), () => notFound);
  return ds;
}

export const administerRequest = (ds: DataSourceRow) =>
  ({
    action: 'dataSource.administer',
    ownerAccountId: ds.ownerAccountId,
    licensingOwnerAccountId: ds.licensingOwnerAccountId,
  }) as const;

/**
 * A row inside a data source (user, group, list, work area) that the actor administers. Rows the
 * actor cannot see answer NOT_FOUND exactly like missing ones (§9).
 */
export async function administeredRow<T extends { dataSourceId: string }>(
  tx: Reader,
  ctx: ServiceContext,
  row: T | undefined,
  what: string,
  field: string,
  /** What a caller who may not administer it gets, when the input did not name it (default: NOT_FOUND). */
  denied?: () => Error,
): Promise<{ row: T; ds: DataSourceRow }> {
  const notFound = new AppError('NOT_FOUND', `no such ${what}`, ['input', field]);
  if (!row) throw notFound;
  const ds = await one(tx.select().from(dataSources).where(eq(dataSources.id, row.dataSourceId)));
  // Nobody but its administrators reads what is inside a data source (not even its licensing owner).
  if (!ds || !authorize(await loadSubject(tx, ctx.actor), administerRequest(ds)).allowed)
    throw denied ? denied() : notFound;
  return { row, ds };
}

export const nameKey = (name: string) => name.trim().toLowerCase();

/** `*Everyone` is the built-in pseudo-group (DS-4): no group or list may take its name. */
export function assertNotBuiltInName(name: string) {
  if (nameKey(name) === '*everyone') {
    throw new AppError('NAME_TAKEN', '"*Everyone" is the built-in group of every user of the data source', [
      'input',
      'name',
    ]);
  }
}

export async function audit(
  tx: Tx,
  ctx: ServiceContext,
  ds: DataSourceRow,
  action: string,
  targets: TargetRef[],
  summary: string,
) {
  await appendAudit(tx, {
    at: ctx.now,
    actor: ctx.actor,
    action,
    accountIds: [ds.ownerAccountId],
    targets: [...targets, { type: 'DataSource', id: ds.id }],
    summary: `${ctx.actor.email}: ${summary} (data source "${ds.name}")`,
  });
}

/** DS-2: the accounts an identity filter names (INVALID_IDENTITY_FILTER when it does not parse or
 *  names an unknown account). Used when a filter is set and at every sign-in. */
const hot = statements((db) => ({
  accountByNameKey: db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.nameKey, sql.placeholder('nameKey'))),
}));

export async function filterAccountIds(tx: Reader, filter: string, path: string[]): Promise<string[]> {
  const known = new Map<string, string>();
  for (const name of identityFilterAccountNames(filter)) {
    const account = await hot(tx).accountByNameKey.get({ nameKey: nameKey(name) });
    if (account) known.set(nameKey(name), account.id);
  }
  return resolveIdentityFilter(filter, (name) => known.get(nameKey(name)), path);
}

/** NAME_TAKEN unless no other row in `scope` has this name (ignoring case). */
export async function assertFreeName(
  tx: Reader,
  table: typeof dataSources | typeof dataSourceGroups | typeof userLists | typeof workAreas,
  scope: SQL | undefined,
  name: string,
  selfId: string | null,
  what: string,
) {
  const clash = await one(
    tx
      .select({ id: table.id })
      .from(table)
      .where(and(scope, eq(table.nameKey, nameKey(name)))),
  );
  if (clash && clash.id !== selfId) {
    throw new AppError('NAME_TAKEN', `${what} named "${name.trim()}" already exists`, ['input', 'name']);
  }
}

/** What differs between the kinds of principal that have rows (DS-3, DS-4). */
export const PRINCIPALS = {
  USER: {
    table: dataSourceUsers,
    label: dataSourceUsers.login,
    what: 'data-source user',
    type: 'DataSourceUser',
    participantColumn: workAreaParticipants.userId,
    listMemberColumn: userListMembers.userId,
  },
  GROUP: {
    table: dataSourceGroups,
    label: dataSourceGroups.name,
    what: 'group',
    type: 'DataSourceGroup',
    participantColumn: workAreaParticipants.groupId,
    listMemberColumn: userListMembers.groupId,
  },
  LIST: {
    table: userLists,
    label: userLists.name,
    what: 'user list',
    type: 'UserList',
    participantColumn: workAreaParticipants.listId,
    listMemberColumn: userListMembers.childListId,
  },
} as const;

export type RowKind = keyof typeof PRINCIPALS;

/** The label of a user, group or list of this data source, or undefined when there is none. */
export async function principalLabel(
  tx: Reader,
  dataSourceId: string,
  kind: RowKind,
  id: string,
): Promise<string | undefined> {
  const { table, label } = PRINCIPALS[kind];
  return (
    await one(
      tx
        .select({ label })
        .from(table)
        .where(and(eq(table.id, id), eq(table.dataSourceId, dataSourceId))),
    )
  )?.label;
}

/** The one foreign key a participant or list-member row sets, by kind (the others stay null). */
export const foreignKeys = (kind: PrincipalKind, id: string) => ({
  userId: kind === 'USER' ? id : null,
  groupId: kind === 'GROUP' ? id : null,
  listId: kind === 'LIST' ? id : null,
});

// ---------------------------------------------------------------------------------------------
// DS-4 groups and user lists

export async function usersOfDataSource(
  tx: Reader,
  dataSourceId: string,
  userIds: readonly string[],
  field: string,
): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const found = await tx
    .select({ id: dataSourceUsers.id })
    .from(dataSourceUsers)
    .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), inArray(dataSourceUsers.id, unique)));
  if (found.length !== unique.length) {
    throw new AppError('NOT_FOUND', 'every member must be a user of this data source', ['input', field]);
  }
  return unique;
}

/** DS-4: group and list names are unique per data source, and `*Everyone` is reserved. */
export async function assertFreeGroupOrListName(
  tx: Reader,
  table: typeof dataSourceGroups | typeof userLists,
  dataSourceId: string,
  name: string,
) {
  assertNotBuiltInName(name);
  await assertFreeName(tx, table, eq(table.dataSourceId, dataSourceId), name, null, 'a group or list');
}
