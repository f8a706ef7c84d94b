// DS-3 use cases: data-source users (unique login and identity; email optional).
// DM-1: a changed email means the user is not synchronized with it (NO_ACCESS_YET until the next sync).

import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { inTransaction, type Reader } from '../../db/client.js';
import { one, only } from '../../db/query.js';
import {
  accountDomains,
  accounts,
  type ClientLicensing,
  type DataSourceUserRow,
  dataSourceUsers,
  users,
} from '../../db/schema.js';
import { forgetSynchronizationOf } from '../../deliverables/use-cases/facts.js';
import { AppError } from '../../errors.js';
import { emailDomain, grantExpiry, normalizeEmail } from '../../identity/rules.js';
import type { ServiceContext } from '../../service-context.js';
import { deletePrincipal } from './deletion.js';
import { administeredDataSource, administeredRow, audit, nameKey } from './shared.js';

// ---------------------------------------------------------------------------------------------
// DS-3 data-source users

export interface DataSourceUserInput {
  login?: string | null;
  email?: string | null;
  identity?: string | null;
  clientLicensing?: ClientLicensing | null;
}

export async function assertUniqueUser(
  tx: Reader,
  dataSourceId: string,
  selfId: string | null,
  loginKey: string | null,
  identity: string | null,
) {
  if (loginKey !== null) {
    const clash = await one(
      tx
        .select({ id: dataSourceUsers.id })
        .from(dataSourceUsers)
        .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), eq(dataSourceUsers.loginKey, loginKey))),
    );
    if (clash && clash.id !== selfId)
      throw new AppError('LOGIN_TAKEN', 'another user of this data source has that login', ['input', 'login']);
  }
  if (identity !== null) {
    const clash = await one(
      tx
        .select({ id: dataSourceUsers.id })
        .from(dataSourceUsers)
        .where(and(eq(dataSourceUsers.dataSourceId, dataSourceId), eq(dataSourceUsers.identity, identity))),
    );
    if (clash && clash.id !== selfId) {
      throw new AppError('IDENTITY_TAKEN', `another user of this data source signs in as ${identity}`, [
        'input',
        'identity',
      ]);
    }
  }
}

export async function createDataSourceUser(
  ctx: ServiceContext,
  input: DataSourceUserInput & { dataSourceId: string; login: string; expiresAt?: Date | null },
): Promise<DataSourceUserRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    const login = input.login.trim();
    const email = input.email != null ? normalizeEmail(input.email, ['input', 'email']) : null;
    const identity = input.identity != null ? normalizeEmail(input.identity, ['input', 'identity']) : null;
    await assertUniqueUser(tx, ds.id, null, nameKey(login), identity);
    const owner = await only(
      tx
        .select({ externalAccessDays: accounts.externalAccessDays })
        .from(accounts)
        .where(eq(accounts.id, ds.ownerAccountId)),
    );
    // HIS-4: an external identity gets the owner's default expiry; one asked for applies to anyone.
    const external = identity !== null && (await isExternalIdentity(tx, ds.ownerAccountId, identity));
    const expiresAt = grantExpiry(input.expiresAt, external ? owner.externalAccessDays : null, ctx.now);
    const user = await only(
      tx
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
          expiresAt,
        })
        .returning(),
    );
    await audit(
      tx,
      ctx,
      ds,
      'createDataSourceUser',
      [{ type: 'DataSourceUser', id: user.id }],
      `created user "${login}"${expiresAt ? ` (admits ${identity} until ${expiresAt.toISOString()}, HIS-4)` : ''}`,
    );
    return user;
  });
}

/** DS-3: fields left out stay; `email: null` / `identity: null` remove them. */
export async function updateDataSourceUser(
  ctx: ServiceContext,
  input: DataSourceUserInput & { userId: string },
): Promise<DataSourceUserRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { row, ds } = await administeredRow(
      tx,
      ctx,
      await one(tx.select().from(dataSourceUsers).where(eq(dataSourceUsers.id, input.userId))),
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
    await assertUniqueUser(tx, ds.id, row.id, changes.loginKey ?? null, changes.identity ?? null);
    const updated =
      Object.keys(changes).length > 0
        ? await only(tx.update(dataSourceUsers).set(changes).where(eq(dataSourceUsers.id, row.id)).returning())
        : row;
    if (changes.email !== undefined && changes.email !== row.email) await forgetSynchronizationOf(tx, row.id);
    await audit(
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

export const deleteDataSourceUser = (ctx: ServiceContext, input: { userId: string; force?: boolean | null }) =>
  deletePrincipal(ctx, 'USER', input.userId, input.force ?? false, 'deleteDataSourceUser', 'userId');

/**
 * HIS-4: whether an identity is external to the data source's owner account — a registered user whose
 * home account is another (or none), or an unregistered email outside the account's domains (who could
 * not become its member on registering).
 */
export async function isExternalIdentity(tx: Reader, ownerAccountId: string, identity: string): Promise<boolean> {
  const user = await one(
    tx.select({ homeAccountId: users.homeAccountId }).from(users).where(eq(users.email, identity)),
  );
  if (user) return user.homeAccountId !== ownerAccountId;
  const domain = await one(
    tx
      .select({ domain: accountDomains.domain })
      .from(accountDomains)
      .where(and(eq(accountDomains.accountId, ownerAccountId), eq(accountDomains.domain, emailDomain(identity)))),
  );
  return domain === undefined;
}
