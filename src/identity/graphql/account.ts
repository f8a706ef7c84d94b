import { z } from 'zod';
import type { AccountRow } from '../../db/schema.js';
import { builder, type Types } from '../../graphql/builder.js';
import { ImsRoleEnum } from '../../graphql/common.js';
import { authzExtension, defineMutation } from '../../graphql/mutation.js';
import { visibleNode } from '../../graphql/visibility.js';
import { auditLogPage, domainsOfAccount, entitlementsPage, externalUsersPage, membersPage } from '../loaders.js';
import * as identity from '../service.js';
import { Account, Association, AuditEntry, adminsOfAccount, Entitlement, User } from './nodes.js';
import { UserPayload } from './user.js';

builder.objectFields(Account, (t) => ({
  name: t.exposeString('name', {
    description:
      'Unique ignoring case (ID-2); identity filters name accounts by it (DS-2). Readable by anyone signed in.',
  }),
  emailDomains: t.stringList({
    nullable: true,
    description:
      "The account's email domains, lower-case, unique across all accounts (ID-2); members' emails are in one of them (ID-3). §9: its members and IMS admins (anyone else: null with FORBIDDEN — an account's name is all they may read).",
    authScopes: (a) => ({ can: { action: 'account.readDetails', accountId: a.id } }),
    resolve: (a, _args, ctx) => domainsOfAccount(ctx, a),
  }),
  createdAt: t.expose('createdAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When the account was created (UTC). §9: its members and IMS admins.',
    authScopes: (a) => ({ can: { action: 'account.readDetails', accountId: a.id } }),
  }),
  members: t.connection({
    type: User,
    nullable: true,
    description:
      "The account's members (users whose home account it is, ID-3), by email. IMS admins of the account only (§9); null with a FORBIDDEN error for anyone else.",
    authScopes: adminsOfAccount,
    resolve: async (account, args, ctx) => await membersPage(ctx.db, args, account.id),
  }),
  externalUsers: t.connection({
    type: Association,
    nullable: true,
    description:
      'External users associated with the account (ID-5), oldest first — the order in which LIC-1.4 bills them. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: adminsOfAccount,
    resolve: async (account, args, ctx) => await externalUsersPage(ctx.db, args, account.id),
  }),
  entitlements: t.connection({
    type: Entitlement,
    nullable: true,
    description:
      "The account's entitlements (ID-6), by product code, then country. IMS admins only (§9); null with a FORBIDDEN error for anyone else.",
    authScopes: adminsOfAccount,
    resolve: async (account, args, ctx) => await entitlementsPage(ctx.db, args, account.id),
  }),
  auditLog: t.connection({
    type: AuditEntry,
    nullable: true,
    description:
      'Every mutation that concerned the account (§10), newest first. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: adminsOfAccount,
    resolve: async (account, args, ctx) => await auditLogPage(ctx.db, args, account.id),
  }),
}));

export const AddAccountMemberSuccess = UserPayload('AddAccountMemberSuccess', 'The new member.');

export const RemoveAccountMemberSuccess = UserPayload(
  'RemoveAccountMemberSuccess',
  'The former member, now unaffiliated.',
);

export const GrantImsRoleSuccess = UserPayload('GrantImsRoleSuccess', 'The member, with their roles as they are now.');

export const RevokeImsRoleSuccess = UserPayload(
  'RevokeImsRoleSuccess',
  'The member, with their roles as they are now.',
);

export const accountName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const CreateAccountInput = builder.inputType('CreateAccountInput', {
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

export const CreateAccountSuccess = builder.objectRef<{ account: AccountRow }>('CreateAccountSuccess').implement({
  description: 'The account was created; you are its member and ACCOUNT_ADMIN.',
  fields: (t) => ({ account: t.field({ type: Account, description: 'The new account.', resolve: (r) => r.account }) }),
});

/** The fields of an input naming an account and a user by email (members, associations). */
export const accountEmailFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
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
});

export const AccountEmailInput = (name: string, description: string) =>
  builder.inputType(name, { description, fields: accountEmailFields });

export const AddAccountMemberInput = AccountEmailInput(
  'AddAccountMemberInput',
  'A registered, unaffiliated user whose email domain is one of the account’s (ID-3).',
);

export const RemoveAccountMemberInput = builder.inputType('RemoveAccountMemberInput', {
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

export const ImsRoleInput = builder.inputType('ImsRoleInput', {
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

defineMutation('createAccount', {
  description: 'ID-2: an unaffiliated user creates an account and becomes its ACCOUNT_ADMIN.',
  input: CreateAccountInput,
  inputDescription: 'The new account.',
  success: CreateAccountSuccess,
  authz: ['self'],
  resolve: async (input, ctx) => ({ account: await identity.createAccount(ctx.service(), input) }),
});

defineMutation('addAccountMember', {
  description: "ID-3: an IMS admin adds an unaffiliated user of one of the account's domains.",
  input: AddAccountMemberInput,
  inputDescription: 'The account and the user to add.',
  success: AddAccountMemberSuccess,
  authz: ['account.administer'],
  resolve: async (input, ctx) => ({
    user: await identity.addAccountMember(ctx.service(), { accountId: input.accountId.id, email: input.email }),
  }),
});

defineMutation('removeAccountMember', {
  description: 'An IMS admin removes a member (and their IMS roles); the account keeps an ACCOUNT_ADMIN.',
  input: RemoveAccountMemberInput,
  inputDescription: 'The account and the member to remove.',
  success: RemoveAccountMemberSuccess,
  dryRun: true,
  authz: ['account.administer', 'account.removeMember'],
  resolve: async (input, ctx) => ({
    user: await identity.removeAccountMember(ctx.service(), { accountId: input.accountId.id, userId: input.userId.id }),
  }),
});

defineMutation('grantImsRole', {
  description: 'ID-4: ACCOUNT_ADMIN grants any role; CO_ADMINISTRATOR any but ACCOUNT_ADMIN.',
  input: ImsRoleInput,
  inputDescription: 'The account, the member and the role.',
  success: GrantImsRoleSuccess,
  authz: ['account.administer', 'account.manageRole'],
  resolve: async (input, ctx) => ({
    user: await identity.grantImsRole(ctx.service(), {
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
  resolve: async (input, ctx) => ({
    user: await identity.revokeImsRole(ctx.service(), {
      accountId: input.accountId.id,
      userId: input.userId.id,
      role: input.role,
    }),
  }),
});

builder.queryField('account', (t) =>
  t.field({
    extensions: authzExtension(['account.read', 'account.readDetails', 'account.administer']),
    type: Account,
    nullable: true,
    description: 'An account by id: anyone signed in may read its name (§9); null when there is none.',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: Account, description: 'Global id of an Account.' }) },
    resolve: async (_root, args, ctx) => visibleNode(ctx, 'Account', args.id.id),
  }),
);
