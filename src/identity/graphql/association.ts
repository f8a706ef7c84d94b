// ID-5 in the schema: Association (it also grants the account's licensing), associating and removing.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { AssociationRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { type Warning, WarningType } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { grantActive } from '../rules.js';
import * as identity from '../service.js';
import { accountEmailFields } from './account.js';
import { Account, Association, User, visibleUser } from './nodes.js';

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
  expiresAt: t.expose('expiresAt', {
    type: 'DateTime',
    nullable: true,
    description:
      'HIS-4: from this instant on the association no longer counts for sign-in (ACC-3) or licensing (LIC-1.4); null: it does not expire.',
  }),
  expired: t.boolean({
    description: 'HIS-4: expiresAt has passed (it is kept, listed and may be confirmed again).',
    resolve: (a, _args, ctx) => !grantActive(a.expiresAt, ctx.now),
  }),
}));

export const AssociateExternalUserInput = builder.inputType('AssociateExternalUserInput', {
  description: 'A registered user whose home account is another one, or none (ID-5).',
  fields: (t) => ({
    ...accountEmailFields(t),
    expiresAt: t.field({
      type: 'DateTime',
      description:
        "HIS-4: when the association stops counting (later than now, else EXPIRY_IN_PAST). Default: now + the account's externalAccessDays, or never when it has none.",
    }),
  }),
});

export const AssociateExternalUserSuccess = builder
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

export const RemoveExternalAssociationInput = builder.inputType('RemoveExternalAssociationInput', {
  description: 'ID-5: the association to remove (an IMS admin of its account; the associated user may not).',
  fields: (t) => ({
    associationId: t.globalID({ required: true, for: Association, description: 'Global id of the Association.' }),
  }),
});

export const RemoveExternalAssociationSuccess = builder
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

defineMutation('associateExternalUser', {
  description:
    "ID-5: lets an external user sign in to the account's data sources — and grants them the account's licensing.",
  input: AssociateExternalUserInput,
  inputDescription: 'The account and the external user.',
  success: AssociateExternalUserSuccess,
  dryRun: true,
  authz: ['account.administer'],
  resolve: async (input, ctx) => {
    const result = await identity.associateExternalUser(ctx.service(), {
      accountId: input.accountId.id,
      email: input.email,
      expiresAt: input.expiresAt ?? null,
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
  dryRun: true,
  authz: ['association.remove'],
  resolve: async (input, ctx) => ({
    association: await identity.removeExternalAssociation(ctx.service(), { associationId: input.associationId.id }),
  }),
});
