// ID-6 in the schema: Entitlement, adding and removing one.
import type { EntitlementRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { productCodeInput } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { isContractActive } from '../rules.js';
import * as identity from '../service.js';
import { Account, Entitlement } from './nodes.js';

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

export const AddEntitlementInput = builder.inputType('AddEntitlementInput', {
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

export const EntitlementSuccess = (name: string, description: string, entitlementDescription: string) =>
  builder.objectRef<{ entitlement: EntitlementRow }>(name).implement({
    description,
    fields: (t) => ({
      entitlement: t.field({ type: Entitlement, description: entitlementDescription, resolve: (r) => r.entitlement }),
    }),
  });

export const AddEntitlementSuccess = EntitlementSuccess(
  'AddEntitlementSuccess',
  'The entitlement was recorded; it pays from now until its contract ends.',
  'The new entitlement.',
);

export const RemoveEntitlementSuccess = EntitlementSuccess(
  'RemoveEntitlementSuccess',
  'The entitlement was removed; it no longer pays for anything.',
  'The entitlement as it was (its id no longer resolves).',
);

export const RemoveEntitlementInput = builder.inputType('RemoveEntitlementInput', {
  description: 'ID-6: the entitlement to remove (an IMS admin of its account).',
  fields: (t) => ({
    entitlementId: t.globalID({ required: true, for: Entitlement, description: 'Global id of the Entitlement.' }),
  }),
});

defineMutation('addEntitlement', {
  description: 'ID-6: an IMS admin records an entitlement of the account.',
  input: AddEntitlementInput,
  inputDescription: 'The entitlement.',
  success: AddEntitlementSuccess,
  dryRun: true,
  authz: ['account.administer'],
  resolve: async (input, ctx) => ({
    entitlement: await identity.addEntitlement(ctx.service(), { ...input, accountId: input.accountId.id }),
  }),
});

defineMutation('removeEntitlement', {
  description: 'ID-6: an IMS admin removes an entitlement of the account.',
  input: RemoveEntitlementInput,
  inputDescription: 'The entitlement to remove.',
  success: RemoveEntitlementSuccess,
  dryRun: true,
  authz: ['entitlement.read'],
  resolve: async (input, ctx) => ({
    entitlement: await identity.removeEntitlement(ctx.service(), { entitlementId: input.entitlementId.id }),
  }),
});
