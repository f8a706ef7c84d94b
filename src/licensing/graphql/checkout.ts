// LIC-5…LIC-9 in the schema: LicenseCheckout, Account.checkouts and checkoutRestrictions, the
// licenseCheckout query, creating checkouts (one, or in bulk: LIC-8) and checking them in.
import { z } from 'zod';
import type { CheckoutProductRow, LicenseCheckoutRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import {
  atMost,
  describedValues,
  ErrorInterface,
  machineNameInput,
  productCodeInput,
  productVersionInput,
} from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { authzExtension, defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, nodeType, registerReadCheck, visibleNode } from '../../graphql/visibility.js';
import {
  type CheckoutNode,
  checkoutsPage,
  licenseFileOf,
  loadCheckoutProducts,
  loadCheckouts,
  restrictionsOf,
  userIdByEmail,
} from '../loaders.js';
import { CHECKOUT_STATUSES, checkoutStatus } from '../rules/checkouts.js';
import * as checkouts from '../service.js';
import { RestrictionType } from './restriction.js';

export const CheckoutStatusEnum = builder.enumType('CheckoutStatus', {
  description: 'LIC-9: where a license checkout stands, computed when read.',
  values: describedValues(CHECKOUT_STATUSES, {
    ACTIVE: 'Not checked in and not yet expired: it reserves the license (LIC-1.1 once imported).',
    CHECKED_IN: 'Checked in (LIC-9): it stopped counting at once and cannot be imported.',
    EXPIRED:
      'Its expiry has passed without a check-in: it no longer counts. Listed by default for 90 days after expiry.',
  }),
});

// Issue 14: the license exposure of an account names its outstanding checkouts.
declare module '../../graphql/builder.js' {
  interface SharedObjects {
    LicenseCheckout: CheckoutNode;
  }
}

export const LicenseCheckout = builder.loadableNode('LicenseCheckout', {
  description: 'A license reserved for one user (by email) on one machine, issued by an account (LIC-5).',
  id: { resolve: (c) => c.id },
  load: loadCheckouts as (ids: string[], ctx: Context) => Promise<CheckoutNode[]>,
  sort: (c) => c.id,
  loaderOptions,
});

registerReadCheck(LicenseCheckout, (ctx, c) =>
  ctx.can({ action: 'checkout.read', accountId: c.accountId, email: c.email }),
);

export const CheckoutProductType = builder.objectRef<CheckoutProductRow>('CheckoutProduct').implement({
  description: 'LIC-5: one product of a checkout, with its version.',
  fields: (t) => ({
    product: t.exposeString('productCode', { description: 'The product code, e.g. PW_EXPLORER.' }),
    version: t.exposeString('version', { description: 'Four-part version, e.g. 10.0.3.280.' }),
  }),
});

builder.objectFields(LicenseCheckout, (t) => ({
  account: t.field({
    type: 'Account',
    description: 'The issuing account (it pays).',
    resolve: (c, _args, ctx) => loadNode(ctx, 'Account', c.accountId),
  }),
  email: t.expose('email', {
    type: 'EmailAddress',
    description: 'The user it is reserved for (LIC-5; they need not be registered). Only they may import it.',
  }),
  user: t.field({
    type: 'User',
    nullable: true,
    description: 'The registered user with that email, if any and if you may see them.',
    resolve: async (c, _args, ctx) => visibleNode(ctx, 'User', await userIdByEmail(ctx).load(c.email)),
  }),
  machineName: t.exposeString('machineName', {
    description: 'The one machine it is reserved on, exactly as written (LIC-10 refuses another: WRONG_MACHINE).',
  }),
  products: t.loadableGroup({
    type: CheckoutProductType,
    description: 'The products reserved, each once with its version, by product code.',
    load: loadCheckoutProducts,
    group: (p) => p.checkoutId,
    resolve: (c) => c.id,
  }),
  entitlementCountry: t.expose('entitlementCountry', {
    type: 'CountryCode',
    description: 'The entitlement country whose entitlements pay for it (LIC-5).',
  }),
  issuedAt: t.expose('issuedAt', { type: 'DateTime', description: 'When it was created (UTC).' }),
  expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it stops counting (UTC), LIC-6.' }),
  status: t.field({
    type: CheckoutStatusEnum,
    description: 'ACTIVE, CHECKED_IN or EXPIRED, as of now.',
    resolve: (c, _args, ctx) => checkoutStatus(c, ctx.now),
  }),
  createdBy: t.field({
    type: 'User',
    nullable: true,
    description: 'The admin who created it; null if you may not read their profile (§9).',
    resolve: (c, _args, ctx) => visibleNode(ctx, 'User', c.createdById),
  }),
  checkedInAt: t.expose('checkedInAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When it was checked in (UTC); null while not checked in.',
  }),
  checkedInBy: t.field({
    type: 'User',
    nullable: true,
    description:
      'Who checked it in (an admin, or the user themselves); null while not checked in, or if you may not read them.',
    resolve: (c, _args, ctx) => visibleNode(ctx, 'User', c.checkedInById),
  }),
  licenseFile: t.string({
    nullable: true,
    description:
      'LIC-7: the signed license file to hand to the user. Issuing ACCOUNT_ADMINs and CO_ADMINISTRATORs only.',
    authScopes: (c) => ({ can: { action: 'checkout.issue', accountId: c.accountId } }),
    resolve: (c, _args, ctx) => (c.licenseFile !== undefined ? c.licenseFile : licenseFileOf(ctx, c)),
  }),
}));

builder.objectFields('Account', (t) => ({
  checkouts: t.connection({
    type: LicenseCheckout,
    nullable: true,
    description:
      'LIC-9: the account’s checkouts, newest first. By default active, checked-in, and expired ones up to 90 days after expiry; includeHistory: true shows every checkout ever made. IMS admins only.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    args: {
      status: t.arg({
        type: [CheckoutStatusEnum],
        description: 'Only checkouts with these statuses. Default (null or empty): all.',
        validate: atMost(CHECKOUT_STATUSES.length, 'statuses'),
      }),
      includeHistory: t.arg.boolean({
        description:
          'Also list checkouts that expired more than 90 days ago (LIC-9: history is kept forever). Default false.',
      }),
    },
    resolve: async (a, args, ctx) =>
      await checkoutsPage(
        ctx.db,
        args,
        a.id,
        args.status && args.status.length > 0 ? args.status : CHECKOUT_STATUSES,
        args.includeHistory ?? false,
        ctx.now,
      ),
  }),
  checkoutRestrictions: t.field({
    type: [RestrictionType],
    nullable: true,
    description:
      'LIC-6: restrictions by entitlement country (countries without a row: enabled, 365 days). IMS admins only.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    resolve: async (a, _args, ctx) => await restrictionsOf(ctx.db, a.id),
  }),
}));

builder.queryField('licenseCheckout', (t) =>
  t.field({
    extensions: authzExtension(['checkout.read']),
    type: LicenseCheckout,
    nullable: true,
    description:
      'A checkout, if you are an IMS admin of the issuing account or the user it was issued to (§9); null otherwise.',
    authScopes: { registered: true },
    args: {
      id: t.arg.globalID({ required: true, for: LicenseCheckout, description: 'Global id of a LicenseCheckout.' }),
    },
    resolve: async (_root, args, ctx) => visibleNode(ctx, 'LicenseCheckout', args.id.id),
  }),
);

// ---------------------------------------------------------------------------------------------
// Mutations

export const CheckoutProductInput = builder.inputType('CheckoutProductInput', {
  description: 'LIC-5: a product to check out, with its version.',
  fields: (t) => ({
    product: t.string({
      required: true,
      description: 'Product code (e.g. PW_EXPLORER); the account needs an active entitlement for it in the country.',
      validate: productCodeInput,
    }),
    version: t.string({
      required: true,
      description: 'Four-part version, e.g. 10.0.3.280.',
      validate: productVersionInput,
    }),
  }),
});

export const productsField = z.array(z.any()).min(1, 'give at least one product').max(50, 'at most 50 products');

export const MACHINE = 'The machine, 1–255 characters, compared exactly as written.';

export const PRODUCTS = '1–50 products, each once (DUPLICATE_CHECKOUT).';

export const COUNTRY =
  'The entitlement country (ISO 3166-1 alpha-2) whose entitlements pay (NOT_ENTITLED when one is missing).';

export const EXPIRES_AT =
  'LIC-6: when it stops counting. Default and maximum: the earlier of now + the restriction’s maxDurationDays (365 without one) and the end of each product’s contract (later: CHECKOUT_TOO_LONG; not after now: EXPIRY_IN_PAST).';

export const CreateLicenseCheckoutInput = builder.inputType('CreateLicenseCheckoutInput', {
  description: 'LIC-5: one user, one machine, one or more products, one country.',
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: nodeType('Account'), description: 'The issuing account (it pays).' }),
    email: t.field({ type: 'EmailAddress', required: true, description: 'The user (need not be registered).' }),
    machineName: t.string({ required: true, description: MACHINE, validate: machineNameInput }),
    products: t.field({ type: [CheckoutProductInput], required: true, description: PRODUCTS, validate: productsField }),
    entitlementCountry: t.field({ type: 'CountryCode', required: true, description: COUNTRY }),
    expiresAt: t.field({
      type: 'DateTime',
      description: EXPIRES_AT,
    }),
  }),
});

export const CreateBulkLicenseCheckoutInput = builder.inputType('CreateBulkLicenseCheckoutInput', {
  description: 'LIC-8: one checkout per CSV row, all with the same products, country and expiry.',
  fields: (t) => ({
    accountId: t.globalID({ required: true, for: nodeType('Account'), description: 'The issuing account (it pays).' }),
    csv: t.string({
      required: true,
      description:
        'CSV with a header row "email,machineName" (any case) and 1–5,000 rows, at most 2 MB; quotes, a BOM and blank lines are allowed.',
      validate: z.string().min(1, 'the file is empty').max(2_000_000, 'the file is larger than 2 MB'),
    }),
    products: t.field({
      type: [CheckoutProductInput],
      required: true,
      description: `${PRODUCTS} For every row.`,
      validate: productsField,
    }),
    entitlementCountry: t.field({ type: 'CountryCode', required: true, description: COUNTRY }),
    expiresAt: t.field({ type: 'DateTime', description: EXPIRES_AT }),
  }),
});

export const BulkRowErrorType = builder.objectRef<checkouts.BulkRowError>('BulkCheckoutRowError').implement({
  description: 'LIC-8: what is wrong with one row of a bulk checkout file.',
  fields: (t) => ({
    row: t.exposeInt('row', { description: 'The line of the file (the header is line 1).' }),
    column: t.exposeString('column', { nullable: true, description: 'email or machineName; null for the whole row.' }),
    message: t.exposeString('message', {
      description:
        'What is wrong: invalid email, empty machine name, repeated row, existing active checkout, wrong column count.',
    }),
  }),
});

builder.objectType(checkouts.BulkCheckoutError, {
  name: 'BulkCheckoutError',
  description: 'LIC-8: the file has bad rows; nothing was checked out.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof checkouts.BulkCheckoutError,
  fields: (t) => ({
    rows: t.field({
      type: [BulkRowErrorType],
      description: 'One entry per bad row, in file order.',
      resolve: (e) => e.rows,
    }),
  }),
});

export const CheckInLicenseInput = builder.inputType('CheckInLicenseInput', {
  description: 'LIC-9: the checkout to check in; it must be ACTIVE (else CHECKED_IN or EXPIRED).',
  fields: (t) => ({
    checkoutId: t.globalID({ required: true, for: LicenseCheckout, description: 'Global id of the LicenseCheckout.' }),
  }),
});

export const CheckoutSuccess = successOf('checkout', LicenseCheckout, 'The checkout, as it is now.');

export const BulkSuccess = builder
  // The rows arrive as promises released a few hundred per turn (LIC-8: building a 5,000-item response
  // in one go would hold the event loop).
  .objectRef<{ checkouts: readonly Promise<LicenseCheckoutRow>[] }>('CreateBulkLicenseCheckoutSuccess')
  .implement({
    description: 'Every row was checked out, in one transaction.',
    fields: (t) => ({
      count: t.int({
        description: 'How many checkouts were created (one per row).',
        resolve: (r) => r.checkouts.length,
      }),
      checkouts: t.field({
        type: [LicenseCheckout],
        description: 'The new checkouts, in file order.',
        resolve: (r) => r.checkouts,
      }),
    }),
  });

defineMutation('createLicenseCheckout', {
  description: 'LIC-5 … LIC-7: reserve a license for one user on one machine. ACCOUNT_ADMIN or CO_ADMINISTRATOR.',
  input: CreateLicenseCheckoutInput,
  inputDescription: 'The checkout to create.',
  success: CheckoutSuccess(
    'CreateLicenseCheckoutSuccess',
    'The checkout; select licenseFile to hand the signed file to the user.',
  ),
  authz: ['checkout.issue'],
  resolve: async (input, ctx) => ({
    checkout: await checkouts.createLicenseCheckout(ctx.service(), ctx.signingKey, {
      ...input,
      accountId: input.accountId.id,
    }),
  }),
});

defineMutation('createBulkLicenseCheckout', {
  description: 'LIC-8: one checkout per CSV row, all or nothing.',
  input: CreateBulkLicenseCheckoutInput,
  inputDescription: 'The CSV and terms.',
  success: BulkSuccess,
  authz: ['checkout.issue'],
  errorTypes: [checkouts.BulkCheckoutError],
  resolve: async (input, ctx) => {
    const created = await checkouts.createBulkLicenseCheckout(ctx.service(), ctx.signingKey, {
      ...input,
      accountId: input.accountId.id,
    });
    // LIC-8: completing 5,000 checkouts (global ids, the licenseFile scope check) in one go would
    // stall every other request. graphql-js completes list items given as promises as each settles,
    // so they are released a slice per turn of the event loop; clients see the same list. The
    // payload's type names the settled rows, hence the cast.
    return { checkouts: checkouts.releaseInTurns(created) };
  },
});

defineMutation('checkInLicense', {
  description: 'LIC-9: by the issuing ACCOUNT_ADMIN / CO_ADMINISTRATOR, or by the user it was issued to.',
  input: CheckInLicenseInput,
  inputDescription: 'The checkout.',
  success: CheckoutSuccess('CheckInLicenseSuccess', 'The checkout, now CHECKED_IN: it stops counting at once.'),
  authz: ['checkout.checkIn'],
  resolve: async (input, ctx) => ({
    checkout: await checkouts.checkInLicense(ctx.service(), { checkoutId: input.checkoutId.id }),
  }),
});
