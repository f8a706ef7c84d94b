// §3 for many at once (issue 14: dry-run impact, access reports): the decision of decideAccess for any
// number of (user, data source, product, machine) questions, its facts gathered in a fixed number of
// statements whatever the number of questions — the same facts signInToDataSource and explainAccess
// gather one by one (sign-in.ts), so the answers are the same (a test compares them on generated worlds).
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { authorize, type Subject } from '../../authz/authorize.js';
import { filterAccountIds } from '../../data-sources/service.js';
import type { Reader } from '../../db/client.js';
import { readIn } from '../../db/query.js';
import {
  accounts,
  associations,
  dataSources,
  dataSourceUsers,
  entitlements,
  insertionOrder,
  installedLicenses,
  licenseCheckoutProducts,
  licenseCheckouts,
  type UserRow,
  users,
} from '../../db/schema.js';
import { entitlementActiveAt } from '../../identity/service.js';
import { activeCheckoutAt } from '../../licensing/service.js';
import { type AccessDecision, type AccountRef, decideAccess } from '../rules/access.js';
import { dataSourceUserFacts, splitAssociations } from '../service.js';
import { dataSourceFacts, namedAccounts } from './sign-in.js';

export interface AccessQuestion {
  userId: string;
  dataSourceId: string;
  product: string;
  /** The machine signed in from; null: a machine without an imported reserved license (LIC-1.1 skipped). */
  machineName: string | null;
}

export interface AnsweredQuestion extends AccessQuestion {
  user: UserRow;
  decision: AccessDecision;
}

const ownerAccount = alias(accounts, 'owner_account');
const licensingOwnerAccount = alias(accounts, 'licensing_owner_account');

const inIds = (column: Parameters<typeof inArray>[0], ids: string[]): SQL => inArray(column, ids);

/**
 * The decisions, in the order asked, for `viewer` (the explanation names a data source and its
 * accounts only when the viewer may read it, as explainAccess does). Questions about users or data
 * sources that do not exist are left out.
 */
export async function decideMany(
  tx: Reader,
  viewer: Subject,
  questions: readonly AccessQuestion[],
  now: Date,
): Promise<AnsweredQuestion[]> {
  if (questions.length === 0) return [];
  const dsRows = await readIn(
    questions.map((q) => q.dataSourceId),
    (ids) =>
      tx
        .select({ ds: dataSources, ownerName: ownerAccount.name, licensingOwnerName: licensingOwnerAccount.name })
        .from(dataSources)
        .innerJoin(ownerAccount, eq(ownerAccount.id, dataSources.ownerAccountId))
        .leftJoin(licensingOwnerAccount, eq(licensingOwnerAccount.id, dataSources.licensingOwnerAccountId))
        .where(inIds(dataSources.id, ids)),
  );
  const dataSourceById = new Map(dsRows.map((r) => [r.ds.id, r]));
  const filters = new Map<string, readonly string[] | null>();
  for (const { ds } of dsRows) {
    filters.set(
      ds.id,
      ds.dynamicCreationFilter === null ? null : await filterAccountIds(tx, ds.dynamicCreationFilter, []),
    );
  }
  const userRows = await readIn(
    questions.map((q) => q.userId),
    (ids) =>
      tx
        .select({ user: users, homeAccountName: accounts.name })
        .from(users)
        .leftJoin(accounts, eq(accounts.id, users.homeAccountId))
        .where(inIds(users.id, ids)),
  );
  const userById = new Map(userRows.map((r) => [r.user.id, r]));
  const emails = userRows.map((r) => r.user.email);
  const dsUsers = await readIn(emails, (some) =>
    tx
      .select()
      .from(dataSourceUsers)
      .where(
        and(inIds(dataSourceUsers.dataSourceId, [...dataSourceById.keys()]), inIds(dataSourceUsers.identity, some)),
      ),
  );
  const dsUserOf = new Map(dsUsers.map((u) => [`${u.dataSourceId}\u0000${u.identity}`, u]));
  const associated = await readIn([...userById.keys()], (ids) =>
    tx
      .select({ userId: associations.userId, id: accounts.id, name: accounts.name, expiresAt: associations.expiresAt })
      .from(associations)
      .innerJoin(accounts, eq(accounts.id, associations.accountId))
      .where(inIds(associations.userId, ids))
      .orderBy(asc(associations.createdAt), asc(insertionOrder(associations))),
  );
  const associatedRows = new Map<string, (typeof associated)[number][]>();
  for (const a of associated) associatedRows.set(a.userId, [...(associatedRows.get(a.userId) ?? []), a]);
  // HIS-4: as sign-in reads them — the associations that still count, and the expired ones for a step.
  const associationsOf = new Map(
    [...associatedRows].map(([userId, rows]) => [userId, splitAssociations(rows, now)] as const),
  );
  const accountIds = [
    ...userRows.flatMap((r) => (r.user.homeAccountId ? [r.user.homeAccountId] : [])),
    ...[...associationsOf.values()].flatMap((a) => a.active.map((account) => account.id)),
  ];
  const products = [...new Set(questions.map((q) => q.product))];
  const entitled = await readIn(accountIds, (ids) =>
    tx
      .select({ accountId: entitlements.accountId, product: entitlements.productCode, country: entitlements.country })
      .from(entitlements)
      .where(
        and(inIds(entitlements.accountId, ids), inIds(entitlements.productCode, products), entitlementActiveAt(now)),
      ),
  );
  const entitlementKeys = new Set(entitled.map((e) => `${e.accountId}\u0000${e.product}\u0000${e.country}`));
  const withMachine = questions.filter((q) => q.machineName !== null);
  const reserved = withMachine.length
    ? await readIn(
        withMachine.map((q) => q.userId),
        (ids) =>
          tx
            .select({
              userId: installedLicenses.userId,
              machineName: installedLicenses.machineName,
              product: licenseCheckoutProducts.productCode,
              checkoutId: licenseCheckouts.id,
              issuer: { id: accounts.id, name: accounts.name },
            })
            .from(installedLicenses)
            .innerJoin(licenseCheckouts, eq(licenseCheckouts.id, installedLicenses.checkoutId))
            .innerJoin(licenseCheckoutProducts, eq(licenseCheckoutProducts.checkoutId, licenseCheckouts.id))
            .innerJoin(accounts, eq(accounts.id, licenseCheckouts.accountId))
            .where(
              and(
                inIds(installedLicenses.userId, ids),
                eq(licenseCheckouts.machineName, installedLicenses.machineName),
                activeCheckoutAt(now),
              ),
            )
            .orderBy(asc(licenseCheckouts.issuedAt), asc(licenseCheckouts.id)),
      )
    : [];
  const reservedOf = new Map<string, (typeof reserved)[number]>();
  for (const r of reserved) {
    const key = `${r.userId}\u0000${r.machineName}\u0000${r.product}`;
    if (!reservedOf.has(key)) reservedOf.set(key, r); // the earliest issued, as sign-in's `.get()` reads
  }

  const answers: AnsweredQuestion[] = [];
  for (const q of questions) {
    const found = dataSourceById.get(q.dataSourceId);
    const person = userById.get(q.userId);
    if (!found || !person) continue;
    const { ds } = found;
    const { user } = person;
    const homeAccount: AccountRef | null =
      user.homeAccountId && person.homeAccountName !== null
        ? { id: user.homeAccountId, name: person.homeAccountName }
        : null;
    const { active: userAssociations, expired: expiredAssociations } = associationsOf.get(user.id) ?? {
      active: [],
      expired: [],
    };
    const entitledAccountIds = new Set(
      [...(homeAccount ? [homeAccount.id] : []), ...userAssociations.map((a) => a.id)].filter((id) =>
        entitlementKeys.has(`${id}\u0000${q.product}\u0000${user.usageCountry}`),
      ),
    );
    const withIdentity = dsUserOf.get(`${ds.id}\u0000${user.email}`) ?? null;
    // §9 / LIC-3: a data-source user's login is for the data source's administrators (the person asking
    // about themselves is never here: decideMany answers administrators and reports).
    const administers = authorize(viewer, {
      action: 'dataSource.administer',
      ownerAccountId: ds.ownerAccountId,
      licensingOwnerAccountId: ds.licensingOwnerAccountId,
    }).allowed;
    const dsUser = dataSourceUserFacts(
      withIdentity && !administers ? { ...withIdentity, login: '(hidden)' } : withIdentity,
      now,
    );
    const reservation =
      q.machineName === null ? undefined : reservedOf.get(`${user.id}\u0000${q.machineName}\u0000${q.product}`);
    const decision = decideAccess({
      product: q.product,
      machineName: q.machineName ?? 'an unreserved machine',
      caller: { email: user.email, usageCountry: user.usageCountry, homeAccount },
      dataSource: dataSourceFacts(
        viewer,
        ds,
        namedAccounts(ds, found.ownerName, found.licensingOwnerName),
        filters.get(ds.id) ?? null,
      ),
      dataSourceUser: dsUser,
      associations: userAssociations,
      expiredAssociations,
      reservedCheckout: reservation ? { checkoutId: reservation.checkoutId, issuer: reservation.issuer } : null,
      entitledAccountIds,
    });
    answers.push({ ...q, user, decision });
  }
  return answers;
}
