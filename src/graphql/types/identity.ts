// §1 Identity in the schema: User, Account, Association, Entitlement, AuditEntry; their queries and
// mutations. Resolvers stay thin: parse → service → shape the payload.
import { createContextCache } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AccountRow,
  type AssociationRow,
  associations,
  auditEntries,
  auditEntryAccounts,
  dataSources,
  dataSourceUsers,
  type EntitlementRow,
  entitlements,
  licenseCheckouts,
  type UserRow,
  users,
} from '../../db/schema.js';
import { AccessDenied } from '../../domain/errors.js';
import { isContractActive } from '../../domain/identity.js';
import * as identity from '../../services/identity.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import {
  groupBy,
  loadAccounts,
  loadAssociations,
  loadDomainsByAccount,
  loadEntitlements,
  loaderOptions,
  loadRolesByUser,
  loadUsers,
} from '../loaders.js';
import { type Key, keysOf, listPage, sortKeysSelection, sqlPage } from '../pagination.js';
import { registerReadCheck, visibleOrNull } from '../visibility.js';
import { ImsRoleEnum, productCodeInput, tablePage, type Warning, WarningType } from './common.js';

// ---------------------------------------------------------------------------------------------
// Read rules (§9)

/** Each user's associations (ID-5), oldest first, batched per request. */
const associationsByUser = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (userIds: readonly string[]) => {
      const rows = ctx.db
        .select({ row: associations, rowid: sql<number>`${associations}.rowid` })
        .from(associations)
        .where(inArray(associations.userId, [...userIds]))
        .orderBy(asc(associations.createdAt), asc(sql`${associations}.rowid`))
        .all();
      return groupBy(
        userIds,
        rows,
        (r) => r.row.userId,
        (r) => ({ ...r.row, sortKey: [r.row.createdAt.getTime(), r.rowid] as Key[] }),
      );
    }, loaderOptions),
);

/** The accounts that issued a license checkout to each email (LIC-5), batched per request. */
const checkoutIssuersByEmail = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (emails: readonly string[]) => {
      const rows = ctx.db
        .selectDistinct({ email: licenseCheckouts.email, accountId: licenseCheckouts.accountId })
        .from(licenseCheckouts)
        .where(inArray(licenseCheckouts.email, [...emails]))
        .all();
      return groupBy(
        emails,
        rows,
        (r) => r.email,
        (r) => r.accountId,
      );
    }, loaderOptions),
);

/** The owner accounts of the data sources that have a user signing in as each email (DS-3). */
const dataSourceOwnersByIdentity = createContextCache(
  (ctx: Context) =>
    new DataLoader(async (emails: readonly string[]) => {
      const rows = ctx.db
        .selectDistinct({ email: dataSourceUsers.identity, accountId: dataSources.ownerAccountId })
        .from(dataSourceUsers)
        .innerJoin(dataSources, eq(dataSources.id, dataSourceUsers.dataSourceId))
        .where(inArray(dataSourceUsers.identity, [...emails]))
        .all();
      return groupBy(
        emails,
        rows,
        (r) => r.email ?? '',
        (r) => r.accountId,
      );
    }, loaderOptions),
);

async function canReadUser(ctx: Context, user: UserRow): Promise<boolean> {
  if (!ctx.viewer) return false;
  if (ctx.viewer.id === user.id) return true;
  const adminOf = await ctx.adminAccountIds();
  if (user.homeAccountId && adminOf.has(user.homeAccountId)) return true;
  if (adminOf.size === 0) return false;
  // IMS admins see the external users associated with their account…
  if ((await associationsByUser(ctx).load(user.id)).some((a) => adminOf.has(a.accountId))) return true;
  // …the users their account issued a license checkout to (LIC-9: who holds it, who checked it in)…
  if ((await checkoutIssuersByEmail(ctx).load(user.email)).some((accountId) => adminOf.has(accountId))) return true;
  // …and the identities their data sources' users sign in as (DS-3 `identity`; explainAccess for them).
  return (await dataSourceOwnersByIdentity(ctx).load(user.email)).some((accountId) => adminOf.has(accountId));
}

/** Account fields restricted to the account's IMS admins (§9). */
const adminsOfAccount = (account: AccountRow) => ({ imsAdminOf: account.id });

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
  load: async (ids: string[], ctx: Context) =>
    ctx.db
      .select()
      .from(auditEntries)
      .where(
        inArray(
          auditEntries.id,
          ids.map((id) => Number(id)).filter((n) => Number.isSafeInteger(n)),
        ),
      )
      .all(),
  sort: (e) => String(e.id),
  loaderOptions,
});

registerReadCheck(User, canReadUser);
// "read an account's name: anyone signed in" (a registered viewer is checked by visibleOrNull).
registerReadCheck(Account, () => true);
registerReadCheck(
  Association,
  async (ctx, a) => a.userId === ctx.viewer?.id || (await ctx.adminAccountIds()).has(a.accountId),
);
registerReadCheck(Entitlement, async (ctx, e) => (await ctx.adminAccountIds()).has(e.accountId));
registerReadCheck(AuditEntry, async (ctx, entry) => {
  const adminOf = await ctx.adminAccountIds();
  if (adminOf.size === 0) return false;
  const row = ctx.db
    .select({ accountId: auditEntryAccounts.accountId })
    .from(auditEntryAccounts)
    .where(and(eq(auditEntryAccounts.entryId, entry.id), inArray(auditEntryAccounts.accountId, [...adminOf])))
    .get();
  return row !== undefined;
});

/** A user through the per-request loader, or null when missing or not readable by the viewer (§9). */
export async function visibleUser(ctx: Context, userId: string | null) {
  return userId ? visibleOrNull(ctx, 'User', await User.getDataloader(ctx).load(userId)) : null;
}

builder.objectFields(Account, (t) => ({
  name: t.exposeString('name'),
  emailDomains: t.loadableList({
    type: 'String',
    description: "The account's email domains; members' emails are in one of them.",
    load: async (ids: string[], ctx) => loadDomainsByAccount(ctx.db, ids),
    resolve: (a) => a.id,
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
  members: t.connection({
    type: User,
    nullable: true,
    description: "The account's members, by email. IMS admins only.",
    authScopes: adminsOfAccount,
    resolve: (account, args, ctx) =>
      tablePage(ctx.db, args, users, eq(users.homeAccountId, account.id), [{ key: users.email }]),
  }),
  externalUsers: t.connection({
    type: Association,
    nullable: true,
    description: 'External users associated with the account (ID-5), oldest first. IMS admins only.',
    authScopes: adminsOfAccount,
    resolve: (account, args, ctx) =>
      tablePage(ctx.db, args, associations, eq(associations.accountId, account.id), [
        { key: associations.createdAt },
        { key: sql`${associations}.rowid` },
      ]),
  }),
  entitlements: t.connection({
    type: Entitlement,
    nullable: true,
    description: "The account's entitlements by product and country. IMS admins only.",
    authScopes: adminsOfAccount,
    resolve: (account, args, ctx) =>
      tablePage(ctx.db, args, entitlements, eq(entitlements.accountId, account.id), [
        { key: entitlements.productCode },
        { key: entitlements.country },
      ]),
  }),
  auditLog: t.connection({
    type: AuditEntry,
    nullable: true,
    description: 'Every mutation that concerned the account, newest first. IMS admins only.',
    authScopes: adminsOfAccount,
    resolve: (account, args, ctx) => {
      const mine = eq(auditEntryAccounts.accountId, account.id);
      const newestFirst = [{ key: auditEntryAccounts.entryId, desc: true }];
      return sqlPage(args, newestFirst, {
        count: () => ctx.db.select({ n: count() }).from(auditEntryAccounts).where(mine).get()?.n ?? 0,
        fetch: (seek, orderBy, limit) =>
          ctx.db
            .select({ entry: auditEntries, ...sortKeysSelection(newestFirst) })
            .from(auditEntryAccounts)
            .innerJoin(auditEntries, eq(auditEntries.id, auditEntryAccounts.entryId))
            .where(and(mine, seek))
            .orderBy(...orderBy)
            .limit(limit)
            .all()
            .map((r) => ({ node: r.entry, keys: keysOf(r, newestFirst) })),
      });
    },
  }),
}));

builder.objectFields(User, (t) => ({
  email: t.expose('email', { type: 'EmailAddress' }),
  displayName: t.exposeString('displayName'),
  usageCountry: t.expose('usageCountry', {
    type: 'CountryCode',
    description: 'Where the person uses licenses (ISO 3166-1 alpha-2); decides which entitlements apply.',
  }),
  homeAccount: t.field({
    type: Account,
    nullable: true,
    description: 'The one account the user belongs to; null = unaffiliated (ID-3).',
    resolve: (u) => u.homeAccountId,
  }),
  imsRoles: t.loadableList({
    type: ImsRoleEnum,
    description: 'IMS roles held in the home account (ID-4).',
    load: async (ids: string[], ctx) => loadRolesByUser(ctx.db, ids),
    resolve: (u) => u.id,
  }),
  associations: t.connection({
    type: Association,
    description:
      'Accounts this user is associated with as an external user (ID-5), oldest first. The user sees all; an IMS admin sees those with their own accounts.',
    resolve: async (u, args, ctx) => {
      const rows = await associationsByUser(ctx).load(u.id);
      const adminOf = ctx.viewer?.id === u.id ? null : await ctx.adminAccountIds();
      const visible = adminOf ? rows.filter((a) => adminOf.has(a.accountId)) : rows;
      return listPage(visible, args, (a) => a.sortKey);
    },
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
}));

builder.objectFields(Association, (t) => ({
  account: t.field({ type: Account, resolve: (a) => a.accountId }),
  user: t.field({ type: User, resolve: (a) => a.userId }),
  grantsLicensing: t.boolean({
    description: "Always true: an association also grants the account's licensing (ID-5).",
    resolve: () => true,
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime' }),
  createdBy: t.field({
    type: User,
    nullable: true,
    description: 'The IMS admin who made the association (null if you may not see them).',
    resolve: (a, _args, ctx) => visibleUser(ctx, a.createdById),
  }),
}));

builder.objectFields(Entitlement, (t) => ({
  account: t.field({ type: Account, resolve: (e) => e.accountId }),
  productCode: t.exposeString('productCode'),
  country: t.expose('country', { type: 'CountryCode' }),
  contractEndDate: t.expose('contractEndDate', { type: 'LocalDate' }),
  active: t.boolean({
    description: 'The contract has not ended (its end date is today or later, UTC).',
    resolve: (e, _args, ctx) => isContractActive(e.contractEndDate, ctx.now),
  }),
}));

builder.objectFields(AuditEntry, (t) => ({
  at: t.expose('at', { type: 'DateTime' }),
  actorEmail: t.expose('actorEmail', { type: 'EmailAddress' }),
  action: t.exposeString('action', { description: 'The mutation name.' }),
  targetIds: t.idList({
    description: 'Global ids of the objects the action concerned (some may no longer exist).',
    resolve: (e) =>
      e.targetIds.map((ref) => {
        const cut = ref.indexOf(':');
        return encodeGlobalID(ref.slice(0, cut), ref.slice(cut + 1));
      }),
  }),
  summary: t.exposeString('summary'),
}));

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryFields((t) => ({
  viewer: t.field({
    type: User,
    nullable: true,
    description: 'Your own profile; null while your token has no registered profile (call registerProfile).',
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
  account: t.field({
    type: Account,
    nullable: true,
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: Account }) },
    resolve: async (_root, args, ctx) =>
      visibleOrNull(ctx, 'Account', await Account.getDataloader(ctx).load(args.id.id)),
  }),
  user: t.field({
    type: User,
    nullable: true,
    description: 'A user by id, if you may see them (yourself, or as an IMS admin of their account).',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: User }) },
    resolve: (_root, args, ctx) => visibleUser(ctx, args.id.id),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Mutations

const displayName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const RegisterProfileInput = builder.inputType('RegisterProfileInput', {
  fields: (t) => ({
    displayName: t.string({
      description: "Defaults to the token's name claim, else the email's local part.",
      validate: displayName,
    }),
    usageCountry: t.field({ type: 'CountryCode', required: true }),
  }),
});

const UserPayload = (name: string, description: string) =>
  builder.objectRef<{ user: UserRow }>(name).implement({
    description,
    fields: (t) => ({ user: t.field({ type: User, resolve: (r) => r.user }) }),
  });

const RegisterProfileSuccess = UserPayload('RegisterProfileSuccess', 'Your profile was registered.');
const UpdateProfileSuccess = UserPayload('UpdateProfileSuccess', 'Your profile was updated.');
const AddAccountMemberSuccess = UserPayload('AddAccountMemberSuccess', 'The new member.');
const RemoveAccountMemberSuccess = UserPayload('RemoveAccountMemberSuccess', 'The former member, now unaffiliated.');
const GrantImsRoleSuccess = UserPayload('GrantImsRoleSuccess', 'The member, with their roles as they are now.');
const RevokeImsRoleSuccess = UserPayload('RevokeImsRoleSuccess', 'The member, with their roles as they are now.');

builder.mutationFields((t) => ({
  registerProfile: t.field({
    type: RegisterProfileSuccess,
    description: 'ID-1: register your own identity profile under the email of your token.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: RegisterProfileInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => {
      if (ctx.auth.status !== 'authenticated') throw new AccessDenied('UNAUTHENTICATED', 'not signed in');
      return { user: identity.registerProfile(ctx.db, ctx.auth.identity, input, ctx.now) };
    },
  }),
}));

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    displayName: t.string({ validate: displayName }),
    usageCountry: t.field({ type: 'CountryCode' }),
  }),
});

const accountName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: accountName }),
    emailDomains: t.stringList({
      required: true,
      description: 'At least one; one of them must be your own email domain.',
      validate: z
        .array(z.string().max(253, 'a domain has at most 253 characters'))
        .min(1, 'give at least one domain')
        .max(50, 'at most 50 domains'),
    }),
  }),
});

const CreateAccountSuccess = builder.objectRef<{ account: AccountRow }>('CreateAccountSuccess').implement({
  description: 'The account was created; you are its member and ACCOUNT_ADMIN.',
  fields: (t) => ({ account: t.field({ type: Account, resolve: (r) => r.account }) }),
});

const AccountEmailInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      accountId: t.globalID({ required: true, for: Account }),
      email: t.field({ type: 'EmailAddress', required: true }),
    }),
  });

const AddAccountMemberInput = AccountEmailInput(
  'AddAccountMemberInput',
  'A registered, unaffiliated user whose email domain is one of the account’s (ID-3).',
);
const AssociateExternalUserInput = AccountEmailInput(
  'AssociateExternalUserInput',
  'A registered user whose home account is another one, or none (ID-5).',
);

const RemoveAccountMemberInput = builder.inputType('RemoveAccountMemberInput', {
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: Account }),
    userId: t.globalID({ required: true, for: User }),
  }),
});

const ImsRoleInput = builder.inputType('ImsRoleInput', {
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: Account }),
    userId: t.globalID({ required: true, for: User }),
    role: t.field({ type: ImsRoleEnum, required: true }),
  }),
});

const AssociateExternalUserSuccess = builder
  .objectRef<{ association: AssociationRow; warnings: Warning[] }>('AssociateExternalUserSuccess')
  .implement({
    description: "The association was made. It grants the account's licensing: see `warnings`.",
    fields: (t) => ({
      association: t.field({ type: Association, resolve: (r) => r.association }),
      grantsLicensing: t.boolean({ resolve: () => true }),
      warnings: t.field({ type: [WarningType], resolve: (r) => r.warnings }),
    }),
  });

const RemoveExternalAssociationInput = builder.inputType('RemoveExternalAssociationInput', {
  fields: (t) => ({ associationId: t.globalID({ required: true, for: Association }) }),
});

const RemoveExternalAssociationSuccess = builder
  .objectRef<{ association: AssociationRow }>('RemoveExternalAssociationSuccess')
  .implement({
    description: 'The association is gone, and with it sign-in and licensing through it.',
    fields: (t) => ({
      removedAssociationId: t.id({
        resolve: (r) => encodeGlobalID('Association', r.association.id),
      }),
      account: t.field({ type: Account, resolve: (r) => r.association.accountId }),
    }),
  });

const AddEntitlementInput = builder.inputType('AddEntitlementInput', {
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: Account }),
    productCode: t.string({ required: true, validate: productCodeInput }),
    country: t.field({ type: 'CountryCode', required: true }),
    contractEndDate: t.field({ type: 'LocalDate', required: true }),
  }),
});

const EntitlementSuccess = (name: string) =>
  builder.objectRef<{ entitlement: EntitlementRow }>(name).implement({
    fields: (t) => ({ entitlement: t.field({ type: Entitlement, resolve: (r) => r.entitlement }) }),
  });
const AddEntitlementSuccess = EntitlementSuccess('AddEntitlementSuccess');
const RemoveEntitlementSuccess = EntitlementSuccess('RemoveEntitlementSuccess');

const RemoveEntitlementInput = builder.inputType('RemoveEntitlementInput', {
  fields: (t) => ({ entitlementId: t.globalID({ required: true, for: Entitlement }) }),
});

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UpdateProfileSuccess,
    description: 'Change your own display name or usage country.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({ user: identity.updateProfile(ctx.service(), input) }),
  }),
  createAccount: t.field({
    type: CreateAccountSuccess,
    description: 'ID-2: an unaffiliated user creates an account and becomes its ACCOUNT_ADMIN.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({ account: identity.createAccount(ctx.service(), input) }),
  }),
  addAccountMember: t.field({
    type: AddAccountMemberSuccess,
    description: "ID-3: an IMS admin adds an unaffiliated user of one of the account's domains.",
    authScopes: { registered: true },
    args: { input: t.arg({ type: AddAccountMemberInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: identity.addAccountMember(ctx.service(), { accountId: input.accountId.id, email: input.email }),
    }),
  }),
  removeAccountMember: t.field({
    type: RemoveAccountMemberSuccess,
    description: 'An IMS admin removes a member (and their IMS roles); the account keeps an ACCOUNT_ADMIN.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: RemoveAccountMemberInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: identity.removeAccountMember(ctx.service(), { accountId: input.accountId.id, userId: input.userId.id }),
    }),
  }),
  grantImsRole: t.field({
    type: GrantImsRoleSuccess,
    description: 'ID-4: ACCOUNT_ADMIN grants any role; CO_ADMINISTRATOR any but ACCOUNT_ADMIN.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: ImsRoleInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: identity.grantImsRole(ctx.service(), {
        accountId: input.accountId.id,
        userId: input.userId.id,
        role: input.role,
      }),
    }),
  }),
  revokeImsRole: t.field({
    type: RevokeImsRoleSuccess,
    description: 'ID-4: as grantImsRole; the account keeps at least one ACCOUNT_ADMIN.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: ImsRoleInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      user: identity.revokeImsRole(ctx.service(), {
        accountId: input.accountId.id,
        userId: input.userId.id,
        role: input.role,
      }),
    }),
  }),
  associateExternalUser: t.field({
    type: AssociateExternalUserSuccess,
    description:
      "ID-5: lets an external user sign in to the account's data sources — and grants them the account's licensing.",
    authScopes: { registered: true },
    args: { input: t.arg({ type: AssociateExternalUserInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => {
      const result = identity.associateExternalUser(ctx.service(), {
        accountId: input.accountId.id,
        email: input.email,
      });
      return {
        association: result.association,
        warnings: [{ code: 'GRANTS_LICENSING' as const, message: result.licensingNotice }],
      };
    },
  }),
  removeExternalAssociation: t.field({
    type: RemoveExternalAssociationSuccess,
    description: 'ID-5: removes the association: both sign-in through it and licensing through it.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: RemoveExternalAssociationInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      association: identity.removeExternalAssociation(ctx.service(), { associationId: input.associationId.id }),
    }),
  }),
  addEntitlement: t.field({
    type: AddEntitlementSuccess,
    description: 'ID-6: an IMS admin records an entitlement of the account.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: AddEntitlementInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      entitlement: identity.addEntitlement(ctx.service(), { ...input, accountId: input.accountId.id }),
    }),
  }),
  removeEntitlement: t.field({
    type: RemoveEntitlementSuccess,
    description: 'ID-6: an IMS admin removes an entitlement of the account.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: RemoveEntitlementInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) => ({
      entitlement: identity.removeEntitlement(ctx.service(), { entitlementId: input.entitlementId.id }),
    }),
  }),
}));
