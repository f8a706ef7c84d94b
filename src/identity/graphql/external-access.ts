// HIS-4…HIS-6 in the schema: an account's default expiry of the external access it grants, the review
// of every external person it lets in, and confirming or revoking that access for many at once.
import { z } from 'zod';
import type { AccountRow } from '../../db/schema.js';
import type { AppError } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { describedValues, ErrorCodeEnum } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { visibleNode } from '../../graphql/visibility.js';
import { EXTERNAL_ACCESS_DAYS } from '../rules.js';
import * as identity from '../service.js';
import { accountFacts } from '../use-cases/shared.js';
import { Account, Association, adminsOfAccount } from './nodes.js';

const GrantKindEnum = builder.enumType('ExternalGrantKind', {
  description: 'HIS-5: what lets an external person in.',
  values: describedValues(identity.GRANT_KINDS, {
    ASSOCIATION:
      'ID-5: an association with the account — sign-in to its data sources (ACC-3) and its licensing (LIC-1.4).',
    DATA_SOURCE_USER: "ACC-2: a data-source user of one of the account's data sources with the person's identity.",
  }),
});

const GrantType = builder.objectRef<identity.ExternalGrant>('ExternalGrant').implement({
  description: 'HIS-5: one thing that lets an external person in, with its expiry (HIS-4).',
  fields: (t) => ({
    kind: t.field({
      type: GrantKindEnum,
      description: 'An association or a data-source user.',
      resolve: (g) => g.kind,
    }),
    association: t.field({
      type: Association,
      nullable: true,
      description: 'The association (kind ASSOCIATION).',
      resolve: (g) => g.association,
    }),
    dataSource: t.field({
      type: 'DataSource',
      nullable: true,
      description: 'The data source (kind DATA_SOURCE_USER).',
      resolve: (g, _args, ctx) => visibleNode(ctx, 'DataSource', g.dataSource?.id),
    }),
    dataSourceUser: t.field({
      type: 'DataSourceUser',
      nullable: true,
      description: 'The data-source user (kind DATA_SOURCE_USER).',
      resolve: (g, _args, ctx) => visibleNode(ctx, 'DataSourceUser', g.dataSourceUser?.id),
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'HIS-4: from this instant on it no longer counts; null: never.',
    }),
    expired: t.exposeBoolean('expired', { description: 'HIS-4: expiresAt has passed.' }),
  }),
});

const ProductUseType = builder.objectRef<identity.ProductUse>('ExternalProductUse').implement({
  description: 'Usage billed to the account for one product.',
  fields: (t) => ({
    product: t.exposeString('product', { description: 'The product code.' }),
    uses: t.exposeInt('uses', { description: 'Usage records (LIC-2) billed to the account.' }),
  }),
});

const ExternalPersonType = builder.objectRef<identity.ExternalPerson>('ExternalPerson').implement({
  description: 'HIS-5: an external person the account lets in, and what lets them in.',
  fields: (t) => ({
    email: t.exposeString('email', { description: 'Their email (a data-source user’s identity, or their profile’s).' }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'Their profile; null when none is registered for the email (or you may not read it).',
      resolve: (p, _args, ctx) => visibleNode(ctx, 'User', p.user?.id),
    }),
    homeAccount: t.field({
      type: Account,
      nullable: true,
      description: 'Their home account (null: unaffiliated or unregistered).',
      resolve: (p) => p.user?.homeAccountId ?? null,
    }),
    grants: t.field({
      type: [GrantType],
      description: 'What lets them in: the association first, then data-source users by data source.',
      resolve: (p) => p.grants,
    }),
    lastSignInAt: t.expose('lastSignInAt', {
      type: 'DateTime',
      nullable: true,
      description: "Their last granted sign-in to one of the account's data sources (null: none recorded).",
    }),
    lastQuarter: t.exposeString('lastQuarter', { description: 'The previous calendar quarter (UTC), e.g. 2026-Q3.' }),
    billableUseLastQuarter: t.field({
      type: [ProductUseType],
      description:
        'Their usage billed to the account in lastQuarter, by product (LIC-4; not what it paid as licensing owner of another account’s data source, LIC-3).',
      resolve: (p) => p.billableUseLastQuarter,
    }),
    accessEndsAt: t.expose('accessEndsAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When all their access ends (the latest expiry); null while a grant that counts never expires. When expired, when it ended.',
    }),
    expired: t.exposeBoolean('expired', { description: 'Every grant has expired: they are no longer let in.' }),
  }),
});

const AccessReviewFilter = builder.inputType('AccessReviewFilter', {
  description: 'HIS-5: narrows the review; every field given must match.',
  fields: (t) => ({
    expired: t.boolean({ description: 'true: only people whose access has ended; false: only those still let in.' }),
    expiringBefore: t.field({
      type: 'DateTime',
      description: 'Only people with a grant that counts now and expires before this instant (expiring soon).',
    }),
  }),
});

builder.objectField(Account, 'externalAccessDays', (t) =>
  t.int({
    nullable: true,
    description:
      'HIS-4: the days new external access granted by the account lasts (associations, external data-source users); null: it does not expire. IMS admins only.',
    authScopes: adminsOfAccount,
    resolve: (a: AccountRow) => a.externalAccessDays,
  }),
);

builder.objectField(Account, 'accessReview', (t) =>
  t.connection({
    type: ExternalPersonType,
    nullable: true,
    description:
      'HIS-5: every external person the account lets in — associated with it, or a data-source user of one of its data sources — with what lets them in, their last sign-in, their billable use last quarter and their expiry; expired grants included. By email. IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: adminsOfAccount,
    args: { filter: t.arg({ type: AccessReviewFilter, description: 'Which people; all by default.' }) },
    resolve: async (account, args, ctx) => {
      const facts = await accountFacts(ctx.db, account.id);
      const people = (await identity.externalPeople(ctx.db, facts, ctx.now)).filter((p) => {
        if (args.filter?.expired != null && p.expired !== args.filter.expired) return false;
        const before = args.filter?.expiringBefore;
        if (before) {
          return p.grants.some((g) => !g.expired && g.expiresAt !== null && g.expiresAt < before);
        }
        return true;
      });
      return listPage('accessReview', people, args, (p) => [p.email]);
    },
  }),
);

// ---------------------------------------------------------------------------------------------
// Mutations

const accountIdField = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) =>
  t.globalID({ required: true, for: Account, description: 'The account (you are one of its IMS admins).' });

defineMutation('setExternalAccessDays', {
  description:
    'HIS-4: how long new external access granted by the account lasts by default (existing grants keep theirs).',
  input: builder.inputType('SetExternalAccessDaysInput', {
    description: 'The account and its default.',
    fields: (t) => ({
      accountId: accountIdField(t),
      days: t.int({
        description: `Days, ${EXTERNAL_ACCESS_DAYS.min}–${EXTERNAL_ACCESS_DAYS.max} (INVALID_EXPIRY_DAYS otherwise); null: new grants do not expire.`,
      }),
    }),
  }),
  inputDescription: 'The account and its default expiry.',
  success: builder.objectRef<{ account: AccountRow }>('SetExternalAccessDaysSuccess').implement({
    description: 'The default is set.',
    fields: (t) => ({
      account: t.field({ type: Account, description: 'The account, as it is now.', resolve: (r) => r.account }),
    }),
  }),
  authz: ['account.administer'],
  resolve: async (input, ctx) => ({
    account: await identity.setExternalAccessDays(ctx.service(), {
      accountId: input.accountId.id,
      days: input.days ?? null,
    }),
  }),
});

/**
 * Why nothing changed for one person. A plain object, not the AppError itself: graphql-js takes an Error
 * returned by a resolver for a fault of the field.
 */
const RowErrorType = builder
  .objectRef<{ code: AppError['code']; message: string; path: string[] | null }>('ExternalAccessRowError')
  .implement({
    description: 'HIS-6: the rule that refused one person of the batch (the others are unaffected).',
    fields: (t) => ({
      code: t.field({ type: ErrorCodeEnum, description: 'Which rule refused it (stable).', resolve: (e) => e.code }),
      message: t.exposeString('message', { description: 'What went wrong, for people.' }),
      path: t.exposeStringList('path', { nullable: true, description: 'The input field concerned.' }),
    }),
  });

const RowResultType = builder.objectRef<identity.ExternalAccessRowResult>('ExternalAccessResult').implement({
  description: 'HIS-6: what happened for one person asked about.',
  fields: (t) => ({
    email: t.exposeString('email', { description: 'The email as asked (normalized when valid).' }),
    applied: t.boolean({ description: 'The change was made for this person.', resolve: (r) => r.error === null }),
    error: t.field({
      type: RowErrorType,
      nullable: true,
      description:
        'Why nothing changed for this person: NOT_FOUND (the account grants them no external access), INVALID_EMAIL.',
      resolve: (r) => (r.error ? { code: r.error.code, message: r.error.message, path: r.error.path ?? null } : null),
    }),
    changedGrants: t.exposeInt('changed', { description: 'How many of their grants changed.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Confirm: their access now counts until then (null: it no longer expires). Revoke: null.',
    }),
  }),
});

const EmailsField = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) =>
  t.stringList({
    required: true,
    description: `The people, by email: 1–${identity.EXTERNAL_ACCESS_BATCH} (a repeated one is answered once).`,
    validate: z.array(z.string().max(320)).min(1).max(identity.EXTERNAL_ACCESS_BATCH),
  });

const resultsSuccess = (name: string, description: string) =>
  builder.objectRef<{ results: identity.ExternalAccessRowResult[] }>(name).implement({
    description,
    fields: (t) => ({
      results: t.field({
        type: [RowResultType],
        description: 'One result per person asked about, in the order asked.',
        resolve: (r) => r.results,
      }),
    }),
  });

defineMutation('confirmExternalAccess', {
  description:
    'HIS-6: extends the external access of many people at once — every grant of each (association, data-source users; expired ones too) counts until expiresAt. One transaction; a result per person.',
  input: builder.inputType('ConfirmExternalAccessInput', {
    description: 'The account, the people, and until when.',
    fields: (t) => ({
      accountId: accountIdField(t),
      emails: EmailsField(t),
      expiresAt: t.field({
        type: 'DateTime',
        description:
          "Later than now (EXPIRY_IN_PAST otherwise). Default: now + the account's externalAccessDays; without one, the access no longer expires.",
      }),
    }),
  }),
  inputDescription: 'Whose access, and until when.',
  success: resultsSuccess('ConfirmExternalAccessSuccess', 'What happened for each person.'),
  authz: ['account.administer'],
  resolve: async (input, ctx) => ({
    results: await identity.confirmExternalAccess(ctx.service(), {
      accountId: input.accountId.id,
      emails: input.emails,
      expiresAt: input.expiresAt ?? null,
    }),
  }),
});

defineMutation('revokeExternalAccess', {
  description:
    "HIS-6: ends the external access of many people at once — each one's association is removed and their data-source users on the account's data sources expire now. One transaction; a result per person.",
  input: builder.inputType('RevokeExternalAccessInput', {
    description: 'The account and the people.',
    fields: (t) => ({ accountId: accountIdField(t), emails: EmailsField(t) }),
  }),
  inputDescription: 'Whose access to end.',
  success: resultsSuccess('RevokeExternalAccessSuccess', 'What happened for each person.'),
  authz: ['account.administer'],
  resolve: async (input, ctx) => ({
    results: await identity.revokeExternalAccess(ctx.service(), {
      accountId: input.accountId.id,
      emails: input.emails,
    }),
  }),
});
