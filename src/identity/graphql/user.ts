// ID-1 in the schema: User, the viewer and user queries, registering and updating your own profile.
import { z } from 'zod';
import { AccessDenied } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { ImsRoleEnum } from '../../graphql/common.js';
import { authzExtension, defineMutation, successOf } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { associationsByUser, homeAccountOf, rolesOfUser } from '../loaders.js';
import * as identity from '../service.js';
import { Account, Association, User, visibleUser } from './nodes.js';

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
    resolve: (u, _args, ctx) => homeAccountOf(ctx, u),
  }),
  imsRoles: t.field({
    type: [ImsRoleEnum],
    nullable: true,
    description:
      'IMS roles held in the home account (ID-4); empty for unaffiliated users and members without a role. §9: the user and the IMS admins of their home account only (an account’s members and their roles are its admins’ to read); null with FORBIDDEN for others.',
    authScopes: (u) => ({ can: { action: 'user.readRoles', userId: u.id, homeAccountId: u.homeAccountId } }),
    resolve: (u, _args, ctx) => rolesOfUser(ctx, u),
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
      return listPage('User.associations', visible, args, (a) => a.sortKey);
    },
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the profile was registered (UTC).' }),
}));

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryField('viewer', (t) =>
  t.field({
    extensions: authzExtension(['self']),
    type: User,
    nullable: true,
    description: 'Your own profile; null while your token has no registered profile (call registerProfile).',
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
);

builder.queryField('user', (t) =>
  t.field({
    extensions: authzExtension(['user.read', 'user.readRoles']),
    type: User,
    nullable: true,
    description:
      'A user by id, if you may see them (§9: yourself; as an IMS admin, members and associated users of your account, users your account issued a checkout to, identities of your data sources); null otherwise.',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: User, description: 'Global id of a User.' }) },
    resolve: (_root, args, ctx) => visibleUser(ctx, args.id.id),
  }),
);

// ---------------------------------------------------------------------------------------------
// Mutations

export const displayName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const RegisterProfileInput = builder.inputType('RegisterProfileInput', {
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

export const UserPayload = successOf('user', User, 'The user, as they are now.');

export const RegisterProfileSuccess = UserPayload('RegisterProfileSuccess', 'Your profile was registered.');

export const UpdateProfileSuccess = UserPayload('UpdateProfileSuccess', 'Your profile was updated.');

defineMutation('registerProfile', {
  description: 'ID-1: register your own identity profile under the email of your token.',
  input: RegisterProfileInput,
  inputDescription: 'Your profile.',
  success: RegisterProfileSuccess,
  authz: ['self'],
  caller: 'signedIn',
  resolve: async (input, ctx) => {
    if (ctx.auth.status !== 'authenticated') throw new AccessDenied('UNAUTHENTICATED', 'not signed in');
    return { user: await identity.registerProfile(ctx.db, ctx.auth.identity, input, ctx.now) };
  },
});

export const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Your own profile; fields left out stay as they are.',
  fields: (t) => ({
    displayName: t.string({ description: 'New display name, 1–100 characters.', validate: displayName }),
    usageCountry: t.field({
      type: 'CountryCode',
      description: 'New usage country (ISO 3166-1 alpha-2): from now on it decides which entitlements pay for you.',
    }),
  }),
});

defineMutation('updateProfile', {
  description: 'Change your own display name or usage country.',
  input: UpdateProfileInput,
  inputDescription: 'Your changes.',
  success: UpdateProfileSuccess,
  authz: ['self'],
  resolve: async (input, ctx) => ({ user: await identity.updateProfile(ctx.service(), input) }),
});
