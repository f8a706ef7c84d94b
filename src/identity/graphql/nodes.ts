// The identity area's node types (Account, User, Association, Entitlement, AuditEntry) and who may
// read each (§9, through authz).
import type { AccountRow, UserRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { registerReadCheck, visibleNode } from '../../graphql/visibility.js';
import {
  accountsByAuditEntry,
  associationsByUser,
  checkoutIssuersByEmail,
  dataSourceOwnersByIdentity,
  loadAccounts,
  loadAssociations,
  loadAuditEntries,
  loadEntitlements,
  loadUsers,
} from '../loaders.js';

// Other areas name these types (their fields on Account and User, ids of them in inputs).
declare module '../../graphql/builder.js' {
  interface SharedObjects {
    Account: AccountRow;
    User: UserRow;
  }
}

/**
 * §9 user.read: the facts authz needs about a user — the accounts they relate to (associated with,
 * issued a checkout to their email, or having a data-source user signing in as them) — loaded only
 * when the cheaper facts did not already decide.
 */
export async function canReadUser(ctx: Context, user: UserRow): Promise<boolean> {
  const request = { action: 'user.read', userId: user.id, homeAccountId: user.homeAccountId } as const;
  if (ctx.can({ ...request, relatedAccountIds: [] })) return true;
  const [associated, issuers, owners] = await Promise.all([
    associationsByUser(ctx).load(user.id),
    checkoutIssuersByEmail(ctx).load(user.email),
    dataSourceOwnersByIdentity(ctx).load(user.email),
  ]);
  return ctx.can({ ...request, relatedAccountIds: [...associated.map((a) => a.accountId), ...issuers, ...owners] });
}

/** Account fields restricted to the account's IMS admins (§9). */
export const adminsOfAccount = (account: AccountRow) => ({
  can: { action: 'account.administer', accountId: account.id } as const,
});

// ---------------------------------------------------------------------------------------------
// Object types

export const Account = builder.loadableNode('Account', {
  description: 'An organization registered in the identity service (ID-2).',
  id: { resolve: (a) => a.id },
  load: loadAccounts,
  sort: (a) => a.id,
  loaderOptions,
});

export const User = builder.loadableNode('User', {
  description: "A person's identity profile (ID-1). Visible to the person and to IMS admins of their account.",
  id: { resolve: (u) => u.id },
  load: loadUsers,
  sort: (u) => u.id,
  loaderOptions,
});

export const Association = builder.loadableNode('Association', {
  description:
    "A User Management association of an external user with an account (ID-5): it lets them sign in to the account's data sources AND grants them the account's licensing.",
  id: { resolve: (a) => a.id },
  load: loadAssociations,
  sort: (a) => a.id,
  loaderOptions,
});

export const Entitlement = builder.loadableNode('Entitlement', {
  description: 'A product an account is entitled to in one country until its contract ends (ID-6).',
  id: { resolve: (e) => e.id },
  load: loadEntitlements,
  sort: (e) => e.id,
  loaderOptions,
});

export const AuditEntry = builder.loadableNode('AuditEntry', {
  description: 'One mutation, recorded in the same transaction as its effect (§10).',
  id: { resolve: (e) => String(e.id) },
  load: loadAuditEntries,
  sort: (e) => String(e.id),
  loaderOptions,
});

registerReadCheck(User, canReadUser);

// "read an account's name: anyone signed in" (a registered viewer is checked by visibleOrNull).
registerReadCheck(Account, (ctx) => ctx.can({ action: 'account.read' }));

registerReadCheck(Association, (ctx, a) =>
  ctx.can({ action: 'association.read', accountId: a.accountId, userId: a.userId }),
);

registerReadCheck(Entitlement, (ctx, e) => ctx.can({ action: 'entitlement.read', accountId: e.accountId }));

registerReadCheck(AuditEntry, async (ctx, entry) =>
  ctx.can({ action: 'auditEntry.read', accountIds: await accountsByAuditEntry(ctx).load(String(entry.id)) }),
);

/** A user through the per-request loader, or null when missing or not readable by the viewer (§9). */
export function visibleUser(ctx: Context, userId: string | null) {
  return visibleNode<UserRow>(ctx, 'User', userId);
}
