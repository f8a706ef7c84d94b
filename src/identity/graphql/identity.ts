import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
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
import { AccessDenied } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { ImsRoleEnum, productCodeInput, tablePage, type Warning, WarningType } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import {
  groupedLoader,
  loadAccounts,
  loadAssociations,
  loadDomainsByAccount,
  loadEntitlements,
  loaderOptions,
  loadRolesByUser,
  loadUsers,
} from '../../graphql/loaders.js';
import { authzExtension, defineMutation } from '../../graphql/mutation.js';
import { type Key, keysOf, listPage, sortKeysSelection, sqlPage } from '../../graphql/pagination.js';
import { registerReadCheck, visibleOrNull } from '../../graphql/visibility.js';
import { isContractActive } from '../rules.js';
import * as identity from '../service.js';

// ---------------------------------------------------------------------------------------------
// Read rules (§9)

/** Each user's associations (ID-5), oldest first, batched per request. */
const associationsByUser = groupedLoader(
  (db, userIds) =>
    db
      .select({ row: associations, rowid: sql<number>`${associations}.rowid` })
      .from(associations)
      .where(inArray(associations.userId, userIds))
      .orderBy(asc(associations.createdAt), asc(sql`${associations}.rowid`))
      .all(),
  (r) => r.row.userId,
  (r) => ({ ...r.row, sortKey: [r.row.createdAt.getTime(), r.rowid] as Key[] }),
);

/** The accounts that issued a license checkout to each email (LIC-5), batched per request. */
const checkoutIssuersByEmail = groupedLoader(
  (db, emails) =>
    db
      .selectDistinct({ email: licenseCheckouts.email, accountId: licenseCheckouts.accountId })
      .from(licenseCheckouts)
      .where(inArray(licenseCheckouts.email, emails))
      .all(),
  (r) => r.email,
  (r) => r.accountId,
);

/** The owner accounts of the data sources that have a user signing in as each email (DS-3). */
const dataSourceOwnersByIdentity = groupedLoader(
  (db, emails) =>
    db
      .selectDistinct({ email: dataSourceUsers.identity, accountId: dataSources.ownerAccountId })
      .from(dataSourceUsers)
      .innerJoin(dataSources, eq(dataSources.id, dataSourceUsers.dataSourceId))
      .where(inArray(dataSourceUsers.identity, emails))
      .all(),
  (r) => r.email ?? '',
  (r) => r.accountId,
);

/**
 * §9 user.read: the facts authz needs about a user — the accounts they relate to (associated with,
 * issued a checkout to their email, or having a data-source user signing in as them) — loaded only
 * when the cheaper facts did not already decide.
 */
async function canReadUser(ctx: Context, user: UserRow): Promise<boolean> {
  const request = { action: 'user.read', userId: user.id, homeAccountId: user.homeAccountId } as const;
  if (ctx.can({ ...request, relatedAccountIds: [] })) return true;
  const [associated, issuers, owners] = await Promise.all([
    associationsByUser(ctx).load(user.id),
    checkoutIssuersByEmail(ctx).load(user.email),
    dataSourceOwnersByIdentity(ctx).load(user.email),
  ]);
  return ctx.can({ ...request, relatedAccountIds: [...associated.map((a) => a.accountId), ...issuers, ...owners] });
}

/** The accounts in whose audit log each entry shows (§10), batched per request. */
const accountsByAuditEntry = groupedLoader(
  (db, entryIds) =>
    db
      .select()
      .from(auditEntryAccounts)
      .where(inArray(auditEntryAccounts.entryId, entryIds.map(Number)))
      .all(),
  (r) => String(r.entryId),
  (r) => r.accountId,
);

/** Account fields restricted to the account's IMS admins (§9). */
const adminsOfAccount = (account: AccountRow) => ({
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
registerReadCheck(Account, (ctx) => ctx.can({ action: 'account.read' }));
registerReadCheck(Association, (ctx, a) =>
  ctx.can({ action: 'association.read', accountId: a.accountId, userId: a.userId }),
);
registerReadCheck(Entitlement, (ctx, e) => ctx.can({ action: 'entitlement.read', accountId: e.accountId }));
registerReadCheck(AuditEntry, async (ctx, entry) =>
  ctx.can({ action: 'auditEntry.read', accountIds: await accountsByAuditEntry(ctx).load(String(entry.id)) }),
);

/** A user through the per-request loader, or null when missing or not readable by the viewer (§9). */
export async function visibleUser(ctx: Context, userId: string | null) {
  return userId ? visibleOrNull(ctx, 'User', await User.getDataloader(ctx).load(userId)) : null;
}

builder.objectFields(Account, (t) => ({
  name: t.exposeString('name', {
    description:
      'Unique ignoring case (ID-2); identity filters name accounts by it (DS-2). Readable by anyone signed in.',
  }),
  emailDomains: t.loadableList({
    type: 'String',
    description:
      "The account's email domains, lower-case, unique across all accounts (ID-2); members' emails are in one of them (ID-3).",
    load: async (ids: string[], ctx) => loadDomainsByAccount(ctx.db, ids),
    resolve: (a) => a.id,
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created (UTC).' }),
  members: t.connection({
    type: User,
    nullable: true,
    description:
      "The account's members (users whose home account it is, ID-3), by email. IMS admins of the account only (§9); null with a FORBIDDEN error for anyone else.",
    authScopes: adminsOfAccount,
    resolve: (account, args, ctx) =>
      tablePage(ctx.db, args, users, eq(users.homeAccountId, account.id), [{ key: users.email }]),
  }),
  externalUsers: t.connection({
    type: Association,
    nullable: true,
    description:
      'External users associated with the account (ID-5), oldest first — the order in which LIC-1.4 bills them. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
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
    description:
      "The account's entitlements (ID-6), by product code, then country. IMS admins only (§9); null with a FORBIDDEN error for anyone else.",
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
    description:
      'Every mutation that concerned the account (§10), newest first. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
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
  email: t.expose('email', {
    type: 'EmailAddress',
    description: 'The one email that identifies the person, lower-case and unique (ID-1).',
  }),
  displayName: t.exposeString('displayName', {
    description: "The name shown for the person; changed with updateProfile (defaults to the token's name claim).",
  }),
  usageCountry: t.expose('usageCountry', {
    type: 'CountryCode',
    description:
      'Where the person uses licenses (ISO 3166-1 alpha-2): which entitlements pay for them (LIC-1.3, LIC-1.4).',
  }),
  homeAccount: t.field({
    type: Account,
    nullable: true,
    description: 'The one account the user belongs to; null = unaffiliated (ID-3).',
    resolve: (u) => u.homeAccountId,
  }),
  imsRoles: t.loadableList({
    type: ImsRoleEnum,
    nullable: true,
    description:
      'IMS roles held in the home account (ID-4); empty for unaffiliated users and members without a role. §9: the user and the IMS admins of their home account only (an account’s members and their roles are its admins’ to read); null with FORBIDDEN for others.',
    authScopes: (u) => ({ can: { action: 'user.readRoles', userId: u.id, homeAccountId: u.homeAccountId } }),
    load: async (ids: string[], ctx) => loadRolesByUser(ctx.db, ids),
    resolve: (u) => u.id,
  }),
  associations: t.connection({
    type: Association,
    description:
      'Accounts this user is associated with as an external user (ID-5), oldest first. The user sees all of theirs; an IMS admin only those with their own accounts.',
    resolve: async (u, args, ctx) => {
      const rows = await associationsByUser(ctx).load(u.id);
      const visible = rows.filter((a) =>
        ctx.can({ action: 'association.read', accountId: a.accountId, userId: a.userId }),
      );
      return listPage(visible, args, (a) => a.sortKey);
    },
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the profile was registered (UTC).' }),
}));

builder.objectFields(Association, (t) => ({
  account: t.field({
    type: Account,
    description: 'The account the user is associated with (whose data sources and licensing it opens).',
    resolve: (a) => a.accountId,
  }),
  user: t.field({ type: User, description: 'The external user.', resolve: (a) => a.userId }),
  grantsLicensing: t.boolean({
    description: "Always true: an association also grants the account's licensing (ID-5).",
    resolve: () => true,
  }),
  createdAt: t.expose('createdAt', {
    type: 'DateTime',
    description: 'When the association was made (UTC); the oldest is billed first (LIC-1.4).',
  }),
  createdBy: t.field({
    type: User,
    nullable: true,
    description: 'The IMS admin who made the association (null if you may not see them).',
    resolve: (a, _args, ctx) => visibleUser(ctx, a.createdById),
  }),
}));

builder.objectFields(Entitlement, (t) => ({
  account: t.field({ type: Account, description: 'The entitled account (it pays).', resolve: (e) => e.accountId }),
  productCode: t.exposeString('productCode', {
    description: 'Upper-case product identifier, e.g. PW_EXPLORER or MICROSTATION (ID-6).',
  }),
  country: t.expose('country', {
    type: 'CountryCode',
    description: 'Entitlement country: it pays for users whose usageCountry it is, and for checkouts in it (LIC-5).',
  }),
  contractEndDate: t.expose('contractEndDate', {
    type: 'LocalDate',
    description: 'Last day the contract counts (inclusive, UTC calendar day).',
  }),
  active: t.boolean({
    description: 'The contract has not ended (its end date is today or later, UTC).',
    resolve: (e, _args, ctx) => isContractActive(e.contractEndDate, ctx.now),
  }),
}));

builder.objectFields(AuditEntry, (t) => ({
  at: t.expose('at', { type: 'DateTime', description: 'When the mutation ran (UTC).' }),
  actorEmail: t.expose('actorEmail', {
    type: 'EmailAddress',
    description: 'Who ran it: their email as it was at the time.',
  }),
  action: t.exposeString('action', { description: 'The mutation name, e.g. grantImsRole.' }),
  targetIds: t.idList({
    description: 'Global ids of the objects the action concerned (some may no longer exist).',
    resolve: (e) =>
      e.targetIds.map((ref) => {
        const cut = ref.indexOf(':');
        return encodeGlobalID(ref.slice(0, cut), ref.slice(cut + 1));
      }),
  }),
  summary: t.exposeString('summary', {
    description: 'What happened, for people (a refused sign-in says why; a change that changed nothing says so).',
  }),
}));

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryFields((t) => ({
  viewer: t.field({
    extensions: authzExtension(['self']),
    type: User,
    nullable: true,
    description: 'Your own profile; null while your token has no registered profile (call registerProfile).',
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
  account: t.field({
    extensions: authzExtension(['account.read']),
    type: Account,
    nullable: true,
    description: 'An account by id: anyone signed in may read its name (§9); null when there is none.',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: Account, description: 'Global id of an Account.' }) },
    resolve: async (_root, args, ctx) =>
      visibleOrNull(ctx, 'Account', await Account.getDataloader(ctx).load(args.id.id)),
  }),
  user: t.field({
    extensions: authzExtension(['user.read', 'user.readRoles']),
    type: User,
    nullable: true,
    description:
      'A user by id, if you may see them (§9: yourself; as an IMS admin, members and associated users of your account, users your account issued a checkout to, identities of your data sources); null otherwise.',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: User, description: 'Global id of a User.' }) },
    resolve: (_root, args, ctx) => visibleUser(ctx, args.id.id),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Mutations

const displayName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const RegisterProfileInput = builder.inputType('RegisterProfileInput', {
  description: "ID-1: your profile. The email is your token's email claim; nobody registers someone else.",
  fields: (t) => ({
    displayName: t.string({
      description: "1–100 characters. Default: the token's name claim, else the email's local part.",
      validate: displayName,
    }),
    usageCountry: t.field({
      type: 'CountryCode',
      required: true,
      description: 'Where you use licenses (ISO 3166-1 alpha-2, any case): decides which entitlements pay for you.',
    }),
  }),
});

const UserPayload = (name: string, description: string) =>
  builder.objectRef<{ user: UserRow }>(name).implement({
    description,
    fields: (t) => ({
      user: t.field({ type: User, description: 'The user, as they are now.', resolve: (r) => r.user }),
    }),
  });

const RegisterProfileSuccess = UserPayload('RegisterProfileSuccess', 'Your profile was registered.');
const UpdateProfileSuccess = UserPayload('UpdateProfileSuccess', 'Your profile was updated.');
const AddAccountMemberSuccess = UserPayload('AddAccountMemberSuccess', 'The new member.');
const RemoveAccountMemberSuccess = UserPayload('RemoveAccountMemberSuccess', 'The former member, now unaffiliated.');
const GrantImsRoleSuccess = UserPayload('GrantImsRoleSuccess', 'The member, with their roles as they are now.');
const RevokeImsRoleSuccess = UserPayload('RevokeImsRoleSuccess', 'The member, with their roles as they are now.');

defineMutation('registerProfile', {
  description: 'ID-1: register your own identity profile under the email of your token.',
  input: RegisterProfileInput,
  inputDescription: 'Your profile.',
  success: RegisterProfileSuccess,
  authz: ['self'],
  caller: 'signedIn',
  resolve: (input, ctx) => {
    if (ctx.auth.status !== 'authenticated') throw new AccessDenied('UNAUTHENTICATED', 'not signed in');
    return { user: identity.registerProfile(ctx.db, ctx.auth.identity, input, ctx.now) };
  },
});

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Your own profile; fields left out stay as they are.',
  fields: (t) => ({
    displayName: t.string({ description: 'New display name, 1–100 characters.', validate: displayName }),
    usageCountry: t.field({
      type: 'CountryCode',
      description: 'New usage country (ISO 3166-1 alpha-2): from now on it decides which entitlements pay for you.',
    }),
  }),
});

const accountName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  description: 'ID-2: a new account, created by an unaffiliated registered user.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: '1–100 characters, unique ignoring case (ACCOUNT_NAME_TAKEN).',
      validate: accountName,
    }),
    emailDomains: t.stringList({
      required: true,
      description:
        '1–50 domains (e.g. harbor.example); one must be your own email domain (CREATOR_DOMAIN_REQUIRED). Trimmed and lower-cased, a leading "@" dropped; INVALID_DOMAIN, DOMAIN_TAKEN.',
      validate: z
        .array(z.string().max(253, 'a domain has at most 253 characters'))
        .min(1, 'give at least one domain')
        .max(50, 'at most 50 domains'),
    }),
  }),
});

const CreateAccountSuccess = builder.objectRef<{ account: AccountRow }>('CreateAccountSuccess').implement({
  description: 'The account was created; you are its member and ACCOUNT_ADMIN.',
  fields: (t) => ({ account: t.field({ type: Account, description: 'The new account.', resolve: (r) => r.account }) }),
});

const AccountEmailInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      accountId: t.globalID({
        required: true,
        for: Account,
        description: 'The account (you are one of its IMS admins).',
      }),
      email: t.field({
        type: 'EmailAddress',
        required: true,
        description: "The user's email (their registered profile).",
      }),
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
  description: 'ID-3: the member to remove; they become unaffiliated and lose their IMS roles in the account.',
  fields: (t) => ({
    accountId: t.globalID({
      required: true,
      for: Account,
      description: 'The account (you are one of its IMS admins).',
    }),
    userId: t.globalID({ required: true, for: User, description: 'The member to remove.' }),
  }),
});

const ImsRoleInput = builder.inputType('ImsRoleInput', {
  description: 'ID-4: one IMS role of one member of the account.',
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: Account, description: 'The account the role is held in.' }),
    userId: t.globalID({
      required: true,
      for: User,
      description: 'A member of that account (NOT_A_MEMBER otherwise).',
    }),
    role: t.field({ type: ImsRoleEnum, required: true, description: 'The role to grant or revoke.' }),
  }),
});

const AssociateExternalUserSuccess = builder
  .objectRef<{ association: AssociationRow; warnings: Warning[] }>('AssociateExternalUserSuccess')
  .implement({
    description: "The association was made. It grants the account's licensing: see `warnings`.",
    fields: (t) => ({
      association: t.field({ type: Association, description: 'The new association.', resolve: (r) => r.association }),
      grantsLicensing: t.boolean({
        description: "Always true: the association also grants the user the account's licensing (ID-5, LIC-1.4).",
        resolve: () => true,
      }),
      warnings: t.field({
        type: [WarningType],
        description: 'GRANTS_LICENSING, saying whose licensing the user now has.',
        resolve: (r) => r.warnings,
      }),
    }),
  });

const RemoveExternalAssociationInput = builder.inputType('RemoveExternalAssociationInput', {
  description: 'ID-5: the association to remove (an IMS admin of its account; the associated user may not).',
  fields: (t) => ({
    associationId: t.globalID({ required: true, for: Association, description: 'Global id of the Association.' }),
  }),
});

const RemoveExternalAssociationSuccess = builder
  .objectRef<{ association: AssociationRow }>('RemoveExternalAssociationSuccess')
  .implement({
    description: 'The association is gone, and with it sign-in and licensing through it.',
    fields: (t) => ({
      removedAssociationId: t.id({
        description: 'Global id of the association that no longer exists.',
        resolve: (r) => encodeGlobalID('Association', r.association.id),
      }),
      account: t.field({
        type: Account,
        description: 'The account the user was associated with.',
        resolve: (r) => r.association.accountId,
      }),
    }),
  });

const AddEntitlementInput = builder.inputType('AddEntitlementInput', {
  description: 'ID-6: one entitlement per (account, product, country): DUPLICATE_ENTITLEMENT otherwise.',
  fields: (t) => ({
    accountId: t.globalID({
      required: true,
      for: Account,
      description: 'The entitled account (you are one of its IMS admins).',
    }),
    productCode: t.string({
      required: true,
      description: 'Upper-case product identifier, 2–40 characters: letters, digits, "_" (e.g. PW_EXPLORER).',
      validate: productCodeInput,
    }),
    country: t.field({ type: 'CountryCode', required: true, description: 'Entitlement country (ISO 3166-1 alpha-2).' }),
    contractEndDate: t.field({
      type: 'LocalDate',
      required: true,
      description: 'Last day the contract counts (YYYY-MM-DD, UTC); not before today (CONTRACT_ENDED).',
    }),
  }),
});

const EntitlementSuccess = (name: string, description: string, entitlementDescription: string) =>
  builder.objectRef<{ entitlement: EntitlementRow }>(name).implement({
    description,
    fields: (t) => ({
      entitlement: t.field({ type: Entitlement, description: entitlementDescription, resolve: (r) => r.entitlement }),
    }),
  });
const AddEntitlementSuccess = EntitlementSuccess(
  'AddEntitlementSuccess',
  'The entitlement was recorded; it pays from now until its contract ends.',
  'The new entitlement.',
);
const RemoveEntitlementSuccess = EntitlementSuccess(
  'RemoveEntitlementSuccess',
  'The entitlement was removed; it no longer pays for anything.',
  'The entitlement as it was (its id no longer resolves).',
);

const RemoveEntitlementInput = builder.inputType('RemoveEntitlementInput', {
  description: 'ID-6: the entitlement to remove (an IMS admin of its account).',
  fields: (t) => ({
    entitlementId: t.globalID({ required: true, for: Entitlement, description: 'Global id of the Entitlement.' }),
  }),
});

defineMutation('updateProfile', {
  description: 'Change your own display name or usage country.',
  input: UpdateProfileInput,
  inputDescription: 'Your changes.',
  success: UpdateProfileSuccess,
  authz: ['self'],
  resolve: (input, ctx) => ({ user: identity.updateProfile(ctx.service(), input) }),
});

defineMutation('createAccount', {
  description: 'ID-2: an unaffiliated user creates an account and becomes its ACCOUNT_ADMIN.',
  input: CreateAccountInput,
  inputDescription: 'The new account.',
  success: CreateAccountSuccess,
  authz: ['self'],
  resolve: (input, ctx) => ({ account: identity.createAccount(ctx.service(), input) }),
});

defineMutation('addAccountMember', {
  description: "ID-3: an IMS admin adds an unaffiliated user of one of the account's domains.",
  input: AddAccountMemberInput,
  inputDescription: 'The account and the user to add.',
  success: AddAccountMemberSuccess,
  authz: ['account.administer'],
  resolve: (input, ctx) => ({
    user: identity.addAccountMember(ctx.service(), { accountId: input.accountId.id, email: input.email }),
  }),
});

defineMutation('removeAccountMember', {
  description: 'An IMS admin removes a member (and their IMS roles); the account keeps an ACCOUNT_ADMIN.',
  input: RemoveAccountMemberInput,
  inputDescription: 'The account and the member to remove.',
  success: RemoveAccountMemberSuccess,
  authz: ['account.administer', 'account.removeMember'],
  resolve: (input, ctx) => ({
    user: identity.removeAccountMember(ctx.service(), { accountId: input.accountId.id, userId: input.userId.id }),
  }),
});

defineMutation('grantImsRole', {
  description: 'ID-4: ACCOUNT_ADMIN grants any role; CO_ADMINISTRATOR any but ACCOUNT_ADMIN.',
  input: ImsRoleInput,
  inputDescription: 'The account, the member and the role.',
  success: GrantImsRoleSuccess,
  authz: ['account.administer', 'account.manageRole'],
  resolve: (input, ctx) => ({
    user: identity.grantImsRole(ctx.service(), {
      accountId: input.accountId.id,
      userId: input.userId.id,
      role: input.role,
    }),
  }),
});

defineMutation('revokeImsRole', {
  description: 'ID-4: as grantImsRole; the account keeps at least one ACCOUNT_ADMIN.',
  input: ImsRoleInput,
  inputDescription: 'The account, the member and the role.',
  success: RevokeImsRoleSuccess,
  authz: ['account.administer', 'account.manageRole'],
  resolve: (input, ctx) => ({
    user: identity.revokeImsRole(ctx.service(), {
      accountId: input.accountId.id,
      userId: input.userId.id,
      role: input.role,
    }),
  }),
});

defineMutation('associateExternalUser', {
  description:
    "ID-5: lets an external user sign in to the account's data sources — and grants them the account's licensing.",
  input: AssociateExternalUserInput,
  inputDescription: 'The account and the external user.',
  success: AssociateExternalUserSuccess,
  authz: ['account.administer'],
  resolve: (input, ctx) => {
    const result = identity.associateExternalUser(ctx.service(), {
      accountId: input.accountId.id,
      email: input.email,
    });
    return {
      association: result.association,
      warnings: [{ code: 'GRANTS_LICENSING' as const, message: result.licensingNotice }],
    };
  },
});

defineMutation('removeExternalAssociation', {
  description: 'ID-5: removes the association: both sign-in through it and licensing through it.',
  input: RemoveExternalAssociationInput,
  inputDescription: 'The association to remove.',
  success: RemoveExternalAssociationSuccess,
  authz: ['association.remove'],
  resolve: (input, ctx) => ({
    association: identity.removeExternalAssociation(ctx.service(), { associationId: input.associationId.id }),
  }),
});

defineMutation('addEntitlement', {
  description: 'ID-6: an IMS admin records an entitlement of the account.',
  input: AddEntitlementInput,
  inputDescription: 'The entitlement.',
  success: AddEntitlementSuccess,
  authz: ['account.administer'],
  resolve: (input, ctx) => ({
    entitlement: identity.addEntitlement(ctx.service(), { ...input, accountId: input.accountId.id }),
  }),
});

defineMutation('removeEntitlement', {
  description: 'ID-6: an IMS admin removes an entitlement of the account.',
  input: RemoveEntitlementInput,
  inputDescription: 'The entitlement to remove.',
  success: RemoveEntitlementSuccess,
  authz: ['entitlement.read'],
  resolve: (input, ctx) => ({
    entitlement: identity.removeEntitlement(ctx.service(), { entitlementId: input.entitlementId.id }),
  }),
});
