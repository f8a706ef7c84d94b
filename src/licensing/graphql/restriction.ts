// LIC-6 in the schema: checkout restrictions per account and entitlement country, and setting them.
import { z } from 'zod';
import type { CheckoutRestrictionRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { productCodeInput } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { nodeType } from '../../graphql/visibility.js';
import * as checkouts from '../service.js';

export const RestrictionType = builder.objectRef<CheckoutRestrictionRow>('CheckoutRestriction').implement({
  description: 'LIC-6: checkout restrictions of an account in one entitlement country.',
  fields: (t) => ({
    country: t.expose('country', { type: 'CountryCode', description: 'The entitlement country it applies to.' }),
    checkoutsEnabled: t.exposeBoolean('checkoutsEnabled', {
      description: 'False: new checkouts are refused (CHECKOUTS_DISABLED); existing ones stay valid. Default true.',
    }),
    maxDurationDays: t.exposeInt('maxDurationDays', {
      description:
        'Longest checkout allowed, in days from its creation (1–365, default 365); longer is CHECKOUT_TOO_LONG.',
    }),
    products: t.stringList({
      nullable: true,
      description: 'The products it applies to; null = all.',
      resolve: (r) => r.products,
    }),
  }),
});

export const SetCheckoutRestrictionsInput = builder.inputType('SetCheckoutRestrictionsInput', {
  description: 'Fields left out keep their value (defaults: enabled, 365 days, all products); products: null = all.',
  fields: (t) => ({
    accountId: t.globalID({
      required: true,
      for: nodeType('Account'),
      description: 'The account (you are its ACCOUNT_ADMIN or CO_ADMINISTRATOR).',
    }),
    country: t.field({
      type: 'CountryCode',
      required: true,
      description: 'The entitlement country (one restriction each).',
    }),
    checkoutsEnabled: t.boolean({ description: 'False stops new checkouts (existing ones stay valid). Default true.' }),
    maxDurationDays: t.int({
      description: 'Longest checkout in days, 1–365. Default 365.',
      validate: z.number().int().min(1, 'at least 1 day').max(365, 'at most 365 days'),
    }),
    products: t.stringList({
      description: 'Product codes it applies to (at most 100); null = all products.',
      validate: z.array(productCodeInput).max(100, 'at most 100 products'),
    }),
  }),
});

export const RestrictionSuccess = builder
  .objectRef<{ restriction: CheckoutRestrictionRow }>('SetCheckoutRestrictionsSuccess')
  .implement({
    description: 'The restriction was saved; it applies to new checkouts from now on.',
    fields: (t) => ({
      restriction: t.field({
        type: RestrictionType,
        description: 'The restriction, as it is now.',
        resolve: (r) => r.restriction,
      }),
    }),
  });

defineMutation('setCheckoutRestrictions', {
  description: 'LIC-6: per entitlement country. ACCOUNT_ADMIN or CO_ADMINISTRATOR.',
  input: SetCheckoutRestrictionsInput,
  inputDescription: 'The account, country and restriction.',
  success: RestrictionSuccess,
  authz: ['checkout.issue'],
  resolve: async (input, ctx) => ({
    restriction: await checkouts.setCheckoutRestrictions(ctx.service(), { ...input, accountId: input.accountId.id }),
  }),
});
