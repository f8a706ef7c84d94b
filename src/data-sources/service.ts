// §2 and §5 use cases: data sources, their users, groups, user lists and work areas. Every function
// authorizes (IMS admins of the owner account, DS-1), runs in one transaction and writes an audit entry.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { appendAudit, type TargetRef } from '../audit/service.js';
import { assertAuthorized, authorize, loadSubject } from '../authz/authorize.js';
import { inTransaction, type Reader, type Tx } from '../db/client.js';
import {
  accounts,
  type ClientLicensing,
  type DataSourceGroupRow,
  type DataSourceRow,
  type DataSourceUserRow,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  type ExternalLicensing,
  groupMembers,
  type PrincipalKind,
  type UserListRow,
  userListMembers,
  userLists,
  type WorkAreaRole,
  type WorkAreaRow,
  workAreaParticipants,
  workAreas,
} from '../db/schema.js';
import { AppError } from '../errors.js';
import { normalizeEmail } from '../identity/rules.js';
import type { ServiceContext } from '../identity/service.js';
import { resolveIdentityFilter } from './rules/identity-filter.js';
import type { PrincipalGraph, PrincipalRef } from './rules/principals.js';

// ---------------------------------------------------------------------------------------------
// Loading and authorizing

/**
 * The data source, if the actor administers it (DS-1). §9: one they may not read answers NOT_FOUND
 * exactly like a missing one (no name); one they may read but not administer — as an IMS admin of its
 * licensing owner account (LIC-3) — answers FORBIDDEN.
 */
export function administeredDataSource(tx: Reader, ctx: ServiceContext, dataSourceId: string): DataSourceRow {
  const ds = tx.select().from(dataSources).where(eq(dataSources.id, dataSourceId)).get();
  const notFound = new AppError('NOT_FOUND', 'no such data source', ['input', 'dataSourceId']);
  if (!ds) throw notFound;
  assertAuthorized(loadSubject(tx, ctx.actor), administerRequest(ds), () => notFound);
  return ds;
}

const administerRequest = (ds: DataSourceRow) =>
  ({
    action: 'dataSource.administer',
    ownerAccountId: ds.ownerAccountId,
    licensingOwnerAccountId: ds.licensingOwnerAccountId,
  }) as const;

/**
 * A row inside a data source (user, group, list, work area) that the actor administers. Rows the
 * actor cannot see answer NOT_FOUND exactly like missing ones (§9).
 */
function administeredRow<T extends { dataSourceId: string }>(
  tx: Reader,
  ctx: ServiceContext,
  row: T | undefined,
  what: string,
  field: string,
): { row: T; ds: DataSourceRow } {
  const notFound = new AppError('NOT_FOUND', `no such ${what}`, ['input', field]);
  if (!row) throw notFound;
  const ds = tx.select().from(dataSources).where(eq(dataSources.id, row.dataSourceId)).get();
  // Nobody but its administrators reads what is inside a data source (not even its licensing owner).
  if (!ds || !authorize(loadSubject(tx, ctx.actor), administerRequest(ds)).allowed) throw notFound;
  return { row, ds };
}

const nameKey = (name: string) => name.trim().toLowerCase();

/** `*Everyone` is the built-in pseudo-group (DS-4): no group or list may take its name. */
function assertNotBuiltInName(name: string) {
  if (nameKey(name) === '*everyone') {
    throw new AppError('NAME_TAKEN', '"*Everyone" is the built-in group of every user of the data source', [
      'input',
      'name',
    ]);
  }
}

function audit(tx: Tx, ctx: ServiceContext, ds: DataSourceRow, action: string, targets: TargetRef[], summary: string) {
  appendAudit(tx, {
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
export function filterAccountIds(tx: Reader, filter: string, path: string[]): string[] {
  return resolveIdentityFilter(
    filter,
    (name) =>
      tx
        .select({ id: accounts.id })
        .from(accounts)
        .where(eq(accounts.nameKey, nameKey(name)))
        .get()?.id,
    path,
  );
}

/** NAME_TAKEN unless no other row in `scope` has this name (ignoring case). */
function assertFreeName(
  tx: Reader,
  table: typeof dataSources | typeof dataSourceGroups | typeof userLists | typeof workAreas,
  scope: SQL | undefined,
  name: string,
  selfId: string | null,
  what: string,
) {
  const clash = tx
    .select({ id: table.id })
    .from(table)
    .where(and(scope, eq(table.nameKey, nameKey(name))))
    .get();
  if (clash && clash.id !== selfId) {
    throw new AppError('NAME_TAKEN', `${what} named "${name.trim()}" already exists`, ['input', 'name']);
  }
}

/** What differs between the kinds of principal that have rows (DS-3, DS-4). */
const PRINCIPALS = {
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

type RowKind = keyof typeof PRINCIPALS;

/** The label of a user, group or list of this data source, or undefined when there is none. */
function principalLabel(tx: Reader, dataSourceId: string, kind: RowKind, id: string): string | undefined {
  const { table, label } = PRINCIPALS[kind];
  return tx
    .select({ label })
    .from(table)
    .where(and(eq(table.id, id), eq(table.dataSourceId, dataSourceId)))
    .get()?.label;
}

/** The one foreign key a participant or list-member row sets, by kind (the others stay null). */
const foreignKeys = (kind: PrincipalKind, id: string) => ({
  userId: kind === 'USER' ? id : null,
  groupId: kind === 'GROUP' ? id : null,
  listId: kind === 'LIST' ? id : null,
});

// ---------------------------------------------------------------------------------------------
// DS-1 / DS-2 data sources and their settings

export interface ExternalAccessInput {
  allowExternalImsUsers?: boolean | null;
  externalLicensing?: ExternalLicensing | null;
}

export interface CreateDataSourceInput {
  accountId: string;
  name: string;
  imsAuthEnabled?: boolean | null;
  dynamicCreationFilter?: string | null;
  externalAccess?: ExternalAccessInput | null;
}

export function createDataSource(ctx: ServiceContext, input: CreateDataSourceInput): DataSourceRow {
  return inTransaction(ctx.db, (tx) => {
    const owner = tx.select().from(accounts).where(eq(accounts.id, input.accountId)).get();
    if (!owner) throw new AppError('NOT_FOUND', 'no such account', ['input', 'accountId']);
    assertAuthorized(loadSubject(tx, ctx.actor), { action: 'dataSource.create', accountId: owner.id });
    const name = input.name.trim();
    assertFreeName(
      tx,
      dataSources,
      eq(dataSources.ownerAccountId, owner.id),
      name,
      null,
      `a data source of ${owner.name}`,
    );
    if (input.dynamicCreationFilter != null) {
      filterAccountIds(tx, input.dynamicCreationFilter, ['input', 'dynamicCreationFilter']);
    }
    const ds = tx
      .insert(dataSources)
      .values({
        id: randomUUID(),
        name,
        nameKey: nameKey(name),
        ownerAccountId: owner.id,
        imsAuthEnabled: input.imsAuthEnabled ?? false,
        dynamicCreationFilter: input.dynamicCreationFilter?.trim() ?? null,
        licensingOwnerAccountId: null,
        allowExternalImsUsers: input.externalAccess?.allowExternalImsUsers ?? false,
        externalLicensing: input.externalAccess?.externalLicensing ?? 'DENY',
        createdAt: ctx.now,
      })
      .returning()
      .get();
    audit(tx, ctx, ds, 'createDataSource', [{ type: 'Account', id: owner.id }], `created data source "${name}"`);
    return ds;
  });
}

export interface UpdateDataSourceSettingsInput {
  dataSourceId: string;
  name?: string | null;
  imsAuthEnabled?: boolean | null;
  /** undefined: unchanged; null: removed. */
  dynamicCreationFilter?: string | null;
  externalAccess?: ExternalAccessInput | null;
}

/** DS-2: fields left out stay as they are; `dynamicCreationFilter: null` removes the filter. */
export function updateDataSourceSettings(ctx: ServiceContext, input: UpdateDataSourceSettingsInput): DataSourceRow {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    const changes: Partial<DataSourceRow> = {};
    const said: string[] = [];
    if (input.name != null && input.name.trim() !== ds.name) {
      const name = input.name.trim();
      assertFreeName(tx, dataSources, eq(dataSources.ownerAccountId, ds.ownerAccountId), name, ds.id, 'a data source');
      changes.name = name;
      changes.nameKey = nameKey(name);
      said.push(`name "${name}"`);
    }
    if (input.imsAuthEnabled != null) {
      changes.imsAuthEnabled = input.imsAuthEnabled;
      said.push(`IMS authentication ${input.imsAuthEnabled ? 'on' : 'off'}`);
    }
    if (input.dynamicCreationFilter !== undefined) {
      if (input.dynamicCreationFilter !== null) {
        filterAccountIds(tx, input.dynamicCreationFilter, ['input', 'dynamicCreationFilter']);
      }
      changes.dynamicCreationFilter = input.dynamicCreationFilter?.trim() ?? null;
      said.push(`identity filter ${changes.dynamicCreationFilter ? `'${changes.dynamicCreationFilter}'` : 'removed'}`);
    }
    if (input.externalAccess?.allowExternalImsUsers != null) {
      changes.allowExternalImsUsers = input.externalAccess.allowExternalImsUsers;
      said.push(`external IMS users ${changes.allowExternalImsUsers ? 'allowed' : 'not allowed'}`);
    }
    if (input.externalAccess?.externalLicensing != null) {
      changes.externalLicensing = input.externalAccess.externalLicensing;
      said.push(`external licensing ${changes.externalLicensing}`);
    }
    const updated =
      Object.keys(changes).length > 0
        ? tx.update(dataSources).set(changes).where(eq(dataSources.id, ds.id)).returning().get()
        : ds;
    audit(tx, ctx, updated, 'updateDataSourceSettings', [], `settings: ${said.join(', ') || 'no change'}`);
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// DS-3 data-source users

export interface DataSourceUserInput {
  login?: string | null;
  email?: string | null;
  identity?: string | null;
  clientLicensing?: ClientLicensing | null;
}

function assertUniqueUser(
  tx: Reader,
  dataSourceId: string,
  selfId: string | null,
  loginKey: string | null,
  identity: string | null,
) {
  if (loginKey !== null) {
    const clash = tx
      .select({ id: dataSourceUsers.id })
      .from(dataSourceUsers)
      .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), eq(dataSourceUsers.loginKey, loginKey)))
      .get();
    if (clash && clash.id !== selfId)
      throw new AppError('LOGIN_TAKEN', 'another user of this data source has that login', ['input', 'login']);
  }
  if (identity !== null) {
    const clash = tx
      .select({ id: dataSourceUsers.id })
      .from(dataSourceUsers)
      .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), eq(dataSourceUsers.identity, identity)))
      .get();
    if (clash && clash.id !== selfId) {
      throw new AppError('IDENTITY_TAKEN', `another user of this data source signs in as ${identity}`, [
        'input',
        'identity',
      ]);
    }
  }
}

export function createDataSourceUser(
  ctx: ServiceContext,
  input: DataSourceUserInput & { dataSourceId: string; login: string },
): DataSourceUserRow {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    const login = input.login.trim();
    const email = input.email != null ? normalizeEmail(input.email, ['input', 'email']) : null;
    const identity = input.identity != null ? normalizeEmail(input.identity, ['input', 'identity']) : null;
    assertUniqueUser(tx, ds.id, null, nameKey(login), identity);
    const user = tx
      .insert(dataSourceUsers)
      .values({
        id: randomUUID(),
        dataSourceId: ds.id,
        login,
        loginKey: nameKey(login),
        email,
        identity,
        clientLicensing: input.clientLicensing ?? 'OWN_ORGANIZATION',
        created: 'MANUAL',
        createdAt: ctx.now,
      })
      .returning()
      .get();
    audit(tx, ctx, ds, 'createDataSourceUser', [{ type: 'DataSourceUser', id: user.id }], `created user "${login}"`);
    return user;
  });
}

/** DS-3: fields left out stay; `email: null` / `identity: null` remove them. */
export function updateDataSourceUser(
  ctx: ServiceContext,
  input: DataSourceUserInput & { userId: string },
): DataSourceUserRow {
  return inTransaction(ctx.db, (tx) => {
    const { row, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(dataSourceUsers).where(eq(dataSourceUsers.id, input.userId)).get(),
      'data-source user',
      'userId',
    );
    const changes: Partial<DataSourceUserRow> = {};
    if (input.login != null) {
      changes.login = input.login.trim();
      changes.loginKey = nameKey(input.login);
    }
    if (input.email !== undefined)
      changes.email = input.email === null ? null : normalizeEmail(input.email, ['input', 'email']);
    if (input.identity !== undefined) {
      changes.identity = input.identity === null ? null : normalizeEmail(input.identity, ['input', 'identity']);
    }
    if (input.clientLicensing != null) changes.clientLicensing = input.clientLicensing;
    assertUniqueUser(tx, ds.id, row.id, changes.loginKey ?? null, changes.identity ?? null);
    const updated =
      Object.keys(changes).length > 0
        ? tx.update(dataSourceUsers).set(changes).where(eq(dataSourceUsers.id, row.id)).returning().get()
        : row;
    audit(
      tx,
      ctx,
      ds,
      'updateDataSourceUser',
      [{ type: 'DataSourceUser', id: row.id }],
      `updated user "${updated.login}" (${
        Object.keys(changes)
          .filter((k) => k !== 'loginKey')
          .join(', ') || 'no change'
      })`,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// DS-4 groups and user lists

function usersOfDataSource(tx: Reader, dataSourceId: string, userIds: readonly string[], field: string): string[] {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const found = tx
    .select({ id: dataSourceUsers.id })
    .from(dataSourceUsers)
    .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), inArray(dataSourceUsers.id, unique)))
    .all();
  if (found.length !== unique.length) {
    throw new AppError('NOT_FOUND', 'every member must be a user of this data source', ['input', field]);
  }
  return unique;
}

/** DS-4: group and list names are unique per data source, and `*Everyone` is reserved. */
function assertFreeGroupOrListName(
  tx: Reader,
  table: typeof dataSourceGroups | typeof userLists,
  dataSourceId: string,
  name: string,
) {
  assertNotBuiltInName(name);
  assertFreeName(tx, table, eq(table.dataSourceId, dataSourceId), name, null, 'a group or list');
}

/** DS-4: the group's members become exactly these users. */
function replaceGroupMembers(tx: Tx, groupId: string, userIds: readonly string[]) {
  tx.delete(groupMembers).where(eq(groupMembers.groupId, groupId)).run();
  if (userIds.length > 0) {
    tx.insert(groupMembers)
      .values(userIds.map((userId) => ({ groupId, userId })))
      .run();
  }
}

export function createGroup(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; userIds?: readonly string[] | null },
): DataSourceGroupRow {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    assertFreeGroupOrListName(tx, dataSourceGroups, ds.id, input.name);
    const members = usersOfDataSource(tx, ds.id, input.userIds ?? [], 'userIds');
    const group = tx
      .insert(dataSourceGroups)
      .values({
        id: randomUUID(),
        dataSourceId: ds.id,
        name: input.name.trim(),
        nameKey: nameKey(input.name),
        createdAt: ctx.now,
      })
      .returning()
      .get();
    replaceGroupMembers(tx, group.id, members);
    audit(
      tx,
      ctx,
      ds,
      'createGroup',
      [{ type: 'DataSourceGroup', id: group.id }],
      `created group "${group.name}" with ${members.length} member(s)`,
    );
    return group;
  });
}

/** DS-4: replaces the group's members with exactly these users. */
export function setGroupMembers(
  ctx: ServiceContext,
  input: { groupId: string; userIds: readonly string[] },
): DataSourceGroupRow {
  return inTransaction(ctx.db, (tx) => {
    const { row: group, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(dataSourceGroups).where(eq(dataSourceGroups.id, input.groupId)).get(),
      'group',
      'groupId',
    );
    const members = usersOfDataSource(tx, ds.id, input.userIds, 'userIds');
    replaceGroupMembers(tx, group.id, members);
    audit(
      tx,
      ctx,
      ds,
      'setGroupMembers',
      [{ type: 'DataSourceGroup', id: group.id }],
      `group "${group.name}" now has ${members.length} member(s)`,
    );
    return group;
  });
}

/** A member of a user list, as the API names it: a user, a group or another list of the data source. */
export interface ListMemberRef {
  kind: RowKind;
  id: string;
}

/** DS-4: the list's members become exactly these (each must be of the same data source). */
function replaceListMembers(tx: Tx, ds: DataSourceRow, listId: string, members: readonly ListMemberRef[]): number {
  const unique = [...new Map(members.map((m) => [`${m.kind}:${m.id}`, m])).values()];
  const rows = unique.map((m) => {
    if (principalLabel(tx, ds.id, m.kind, m.id) === undefined) {
      throw new AppError('NOT_FOUND', 'every member must be a user, group or list of this data source', [
        'input',
        'members',
      ]);
    }
    const { userId, groupId, listId: childListId } = foreignKeys(m.kind, m.id);
    return { listId, kind: m.kind, memberId: m.id, userId, groupId, childListId };
  });
  tx.delete(userListMembers).where(eq(userListMembers.listId, listId)).run();
  if (rows.length > 0) tx.insert(userListMembers).values(rows).run();
  return rows.length;
}

export function createUserList(
  ctx: ServiceContext,
  input: { dataSourceId: string; name: string; members?: readonly ListMemberRef[] | null },
): UserListRow {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    assertFreeGroupOrListName(tx, userLists, ds.id, input.name);
    const id = randomUUID();
    const list = tx
      .insert(userLists)
      .values({ id, dataSourceId: ds.id, name: input.name.trim(), nameKey: nameKey(input.name), createdAt: ctx.now })
      .returning()
      .get();
    const count = replaceListMembers(tx, ds, id, input.members ?? []);
    audit(
      tx,
      ctx,
      ds,
      'createUserList',
      [{ type: 'UserList', id }],
      `created user list "${list.name}" with ${count} member(s)`,
    );
    return list;
  });
}

/** DS-4: replaces the list's members. Nesting (even the list itself, or a cycle) is allowed. */
export function setUserListMembers(
  ctx: ServiceContext,
  input: { listId: string; members: readonly ListMemberRef[] },
): UserListRow {
  return inTransaction(ctx.db, (tx) => {
    const { row: list, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(userLists).where(eq(userLists.id, input.listId)).get(),
      'user list',
      'listId',
    );
    const count = replaceListMembers(tx, ds, list.id, input.members);
    audit(
      tx,
      ctx,
      ds,
      'setUserListMembers',
      [{ type: 'UserList', id: list.id }],
      `user list "${list.name}" now has ${count} member(s)`,
    );
    return list;
  });
}

// ---------------------------------------------------------------------------------------------
// DS-5 deletion: IN_USE unless force; force removes the references in the same transaction

interface Reference {
  what: string;
}

function referencesTo(tx: Reader, kind: RowKind, id: string): Reference[] {
  const { participantColumn, listMemberColumn: memberColumn } = PRINCIPALS[kind];
  const refs: Reference[] = [
    ...tx
      .select({ name: workAreas.name })
      .from(workAreaParticipants)
      .innerJoin(workAreas, eq(workAreas.id, workAreaParticipants.workAreaId))
      .where(eq(participantColumn, id))
      .all()
      .map((r) => ({ what: `participant of work area "${r.name}"` })),
    ...tx
      .select({ name: userLists.name })
      .from(userListMembers)
      .innerJoin(userLists, eq(userLists.id, userListMembers.listId))
      .where(eq(memberColumn, id))
      .all()
      .map((r) => ({ what: `member of user list "${r.name}"` })),
  ];
  if (kind === 'USER') {
    refs.push(
      ...tx
        .select({ name: dataSourceGroups.name })
        .from(groupMembers)
        .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
        .where(eq(groupMembers.userId, id))
        .all()
        .map((r) => ({ what: `member of group "${r.name}"` })),
    );
  }
  return refs;
}

function assertDeletable(refs: Reference[], label: string, force: boolean) {
  if (refs.length > 0 && !force) {
    throw new AppError(
      'IN_USE',
      `${label} is still referenced — ${refs.map((r) => r.what).join('; ')}. Remove the references, or delete with force: true to remove them too.`,
      ['input', 'force'],
    );
  }
}

/** Deleting removes the references through the schema's ON DELETE CASCADE, in this same transaction. */
function deletePrincipal(
  ctx: ServiceContext,
  kind: RowKind,
  id: string,
  force: boolean,
  action: string,
  field: string,
): { id: string; dataSourceId: string } {
  const { table, label: labelColumn, what, type } = PRINCIPALS[kind];
  return inTransaction(ctx.db, (tx) => {
    const found = tx
      .select({ id: table.id, dataSourceId: table.dataSourceId, label: labelColumn })
      .from(table)
      .where(eq(table.id, id))
      .get();
    const { row, ds } = administeredRow(tx, ctx, found, what, field);
    const refs = referencesTo(tx, kind, row.id);
    const label = `${what} "${row.label}"`;
    assertDeletable(refs, label, force);
    tx.delete(table).where(eq(table.id, row.id)).run();
    audit(
      tx,
      ctx,
      ds,
      action,
      [{ type, id: row.id }],
      `deleted ${label}${refs.length ? ` and ${refs.length} reference(s) to it` : ''}`,
    );
    return { id: row.id, dataSourceId: ds.id };
  });
}

export const deleteDataSourceUser = (ctx: ServiceContext, input: { userId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'USER', input.userId, input.force ?? false, 'deleteDataSourceUser', 'userId');
export const deleteGroup = (ctx: ServiceContext, input: { groupId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'GROUP', input.groupId, input.force ?? false, 'deleteGroup', 'groupId');
export const deleteUserList = (ctx: ServiceContext, input: { listId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'LIST', input.listId, input.force ?? false, 'deleteUserList', 'listId');

// ---------------------------------------------------------------------------------------------
// WA-1 work areas and their participants

export function createWorkArea(ctx: ServiceContext, input: { dataSourceId: string; name: string }): WorkAreaRow {
  return inTransaction(ctx.db, (tx) => {
    const ds = administeredDataSource(tx, ctx, input.dataSourceId);
    const name = input.name.trim();
    assertFreeName(tx, workAreas, eq(workAreas.dataSourceId, ds.id), name, null, 'a work area');
    const area = tx
      .insert(workAreas)
      .values({ id: randomUUID(), dataSourceId: ds.id, name, nameKey: nameKey(name), createdAt: ctx.now })
      .returning()
      .get();
    audit(tx, ctx, ds, 'createWorkArea', [{ type: 'WorkArea', id: area.id }], `created work area "${name}"`);
    return area;
  });
}

function principalOf(tx: Reader, ds: DataSourceRow, principal: PrincipalRef): string {
  const label =
    principal.kind === 'EVERYONE'
      ? principal.id === ds.id
        ? '*Everyone'
        : undefined
      : principalLabel(tx, ds.id, principal.kind, principal.id);
  if (label === undefined) {
    throw new AppError(
      'NOT_FOUND',
      'the participant must be a user, group, list or *Everyone of the same data source',
      ['input', 'principalId'],
    );
  }
  return label;
}

/** WA-1: adds the principal with this role, or changes its role (a principal appears once). */
export function setWorkAreaParticipant(
  ctx: ServiceContext,
  input: { workAreaId: string; principal: PrincipalRef; role: WorkAreaRole },
): WorkAreaRow {
  return inTransaction(ctx.db, (tx) => {
    const { row: area, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(workAreas).where(eq(workAreas.id, input.workAreaId)).get(),
      'work area',
      'workAreaId',
    );
    const label = principalOf(tx, ds, input.principal);
    const { kind, id } = input.principal;
    tx.insert(workAreaParticipants)
      .values({
        workAreaId: area.id,
        kind,
        principalId: id,
        ...foreignKeys(kind, id),
        role: input.role,
        createdAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [workAreaParticipants.workAreaId, workAreaParticipants.kind, workAreaParticipants.principalId],
        set: { role: input.role },
      })
      .run();
    audit(
      tx,
      ctx,
      ds,
      'setWorkAreaParticipant',
      [{ type: 'WorkArea', id: area.id }],
      `${label} is ${input.role} in work area "${area.name}"`,
    );
    return area;
  });
}

export function removeWorkAreaParticipant(
  ctx: ServiceContext,
  input: { workAreaId: string; principal: PrincipalRef },
): WorkAreaRow {
  return inTransaction(ctx.db, (tx) => {
    const { row: area, ds } = administeredRow(
      tx,
      ctx,
      tx.select().from(workAreas).where(eq(workAreas.id, input.workAreaId)).get(),
      'work area',
      'workAreaId',
    );
    const where = and(
      eq(workAreaParticipants.workAreaId, area.id),
      eq(workAreaParticipants.kind, input.principal.kind),
      eq(workAreaParticipants.principalId, input.principal.id),
    );
    const existing = tx.select({ role: workAreaParticipants.role }).from(workAreaParticipants).where(where).get();
    if (!existing)
      throw new AppError('NOT_A_PARTICIPANT', 'that principal is not a participant of the work area', [
        'input',
        'principalId',
      ]);
    tx.delete(workAreaParticipants).where(where).run();
    audit(
      tx,
      ctx,
      ds,
      'removeWorkAreaParticipant',
      [{ type: 'WorkArea', id: area.id }],
      `removed a participant (${input.principal.kind}) from work area "${area.name}"`,
    );
    return area;
  });
}

// ---------------------------------------------------------------------------------------------
// Reads shared by the API and later use cases (Deliverables reuses the expansion)

/** The principal graph (DS-4) of each data source: three statements however many data sources. */
export function principalGraphs(db: Reader, dataSourceIds: readonly string[]): Map<string, PrincipalGraph> {
  const ids = [...dataSourceIds];
  const graphs = new Map<
    string,
    { allUserIds: string[]; groupMembers: Map<string, string[]>; listMembers: Map<string, PrincipalRef[]> }
  >(ids.map((id) => [id, { allUserIds: [], groupMembers: new Map(), listMembers: new Map() }]));
  for (const u of db
    .select({ id: dataSourceUsers.id, ds: dataSourceUsers.dataSourceId })
    .from(dataSourceUsers)
    .where(inArray(dataSourceUsers.dataSourceId, ids))
    .orderBy(dataSourceUsers.loginKey)
    .all()) {
    graphs.get(u.ds)?.allUserIds.push(u.id);
  }
  for (const m of db
    .select({ groupId: groupMembers.groupId, userId: groupMembers.userId, ds: dataSourceGroups.dataSourceId })
    .from(groupMembers)
    .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
    .where(inArray(dataSourceGroups.dataSourceId, ids))
    .all()) {
    const map = graphs.get(m.ds)?.groupMembers;
    map?.set(m.groupId, [...(map.get(m.groupId) ?? []), m.userId]);
  }
  for (const m of db
    .select({
      listId: userListMembers.listId,
      kind: userListMembers.kind,
      memberId: userListMembers.memberId,
      ds: userLists.dataSourceId,
    })
    .from(userListMembers)
    .innerJoin(userLists, eq(userLists.id, userListMembers.listId))
    .where(inArray(userLists.dataSourceId, ids))
    .orderBy(sql`${userListMembers}.rowid`)
    .all()) {
    const map = graphs.get(m.ds)?.listMembers;
    map?.set(m.listId, [...(map.get(m.listId) ?? []), { kind: m.kind, id: m.memberId }]);
  }
  return graphs;
}
