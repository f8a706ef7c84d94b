// §3 in the schema: signInToDataSource and explainAccess share one decision type; account.usage (LIC-4).
import { z } from 'zod';
import { LICENSE_SOURCES } from '../../db/schema.js';
import { DENIAL_REASONS, STEP_OUTCOMES, type Step } from '../../domain/access.js';
import { AppError } from '../../domain/errors.js';
import * as access from '../../services/access.js';
import { builder } from '../builder.js';
import { visibleOrNull } from '../visibility.js';
import { machineNameInput, productCodeInput } from './common.js';
import { DataSource, DataSourceUser } from './data-sources.js';
import { Account, User, visibleUser } from './identity.js';

export const LicenseSourceEnum = builder.enumType('LicenseSource', { values: LICENSE_SOURCES });
const DenialReasonEnum = builder.enumType('AccessDenialReason', { values: DENIAL_REASONS });
const StepOutcomeEnum = builder.enumType('AccessStepOutcome', {
  description:
    'PASSED/FAILED: a check; APPLIED: the license source that decided who pays; SKIPPED: did not apply; IGNORED: a setting overruled by another rule.',
  values: STEP_OUTCOMES,
});

const StepType = builder.objectRef<Step>('AccessStep').implement({
  description: 'One check made, in order, with the rule id it comes from (docs/DOMAIN.md).',
  fields: (t) => ({
    rule: t.exposeString('rule'),
    outcome: t.field({ type: StepOutcomeEnum, resolve: (s) => s.outcome }),
    detail: t.exposeString('detail'),
  }),
});

export const AccessDecisionType = builder.objectRef<access.ExplainedAccess>('AccessDecision').implement({
  description:
    'May this user sign in to this data source with this product on this machine, and who pays — with the reasons.',
  fields: (t) => ({
    granted: t.boolean({ resolve: (a) => a.decision.granted }),
    denialReason: t.field({ type: DenialReasonEnum, nullable: true, resolve: (a) => a.decision.denialReason }),
    dataSource: t.field({
      type: DataSource,
      nullable: true,
      description: 'The data source; null unless you may read it (§9: its admins, and its licensing owner’s admins).',
      resolve: (a, _args, ctx) => visibleOrNull(ctx, 'DataSource', a.dataSource),
    }),
    user: t.field({
      type: User,
      description: 'Whose access was decided (you, or a user you may read).',
      resolve: (a) => a.subject,
    }),
    dataSourceUser: t.field({
      type: DataSourceUser,
      nullable: true,
      description:
        'The data-source user signed in as (null when none exists yet — see willCreateDataSourceUser — or you may not read it).',
      resolve: (a, _args, ctx) => visibleOrNull(ctx, 'DataSourceUser', a.dataSourceUser),
    }),
    willCreateDataSourceUser: t.boolean({
      description:
        'ACC-2: no data-source user exists yet; a real sign-in creates one (DYNAMIC) through the identity filter.',
      resolve: (a) => a.decision.dataSourceUser === 'CREATE' && a.dataSourceUser === null,
    }),
    external: t.boolean({
      description: 'ACC-3: the user’s home account is not the data source’s owner.',
      resolve: (a) => a.decision.external,
    }),
    licenseSource: t.field({ type: LicenseSourceEnum, nullable: true, resolve: (a) => a.decision.licenseSource }),
    billedAccount: t.field({ type: Account, nullable: true, resolve: (a) => a.decision.billedAccount?.id ?? null }),
    grantsLicensingThroughAssociation: t.boolean({
      description: 'ID-5: the bill goes to an account only because the user is associated with it.',
      resolve: (a) => a.decision.licenseSource === 'ASSOCIATED_ACCOUNT',
    }),
    steps: t.field({ type: [StepType], resolve: (a) => a.decision.steps }),
  }),
});

const SignInInput = builder.inputType('SignInToDataSourceInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    machineName: t.string({ required: true, validate: machineNameInput }),
    product: t.string({ description: 'Default PW_EXPLORER.', validate: productCodeInput }),
  }),
});

const ExplainAccessInput = builder.inputType('ExplainAccessInput', {
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource }),
    machineName: t.string({ required: true, validate: machineNameInput }),
    product: t.string({ description: 'Default PW_EXPLORER.', validate: productCodeInput }),
    userId: t.globalID({
      for: User,
      description: 'Explain for another user: IMS admins of the data source’s owner account only. Default: you.',
    }),
  }),
});

const SignInSuccess = builder.objectRef<access.ExplainedAccess>('SignInToDataSourceSuccess').implement({
  description:
    'The decision. When granted, one usage record was appended (LIC-2); when denied, nothing but the audit entry.',
  fields: (t) => ({ decision: t.field({ type: AccessDecisionType, resolve: (a) => a }) }),
});

builder.mutationField('signInToDataSource', (t) =>
  t.field({
    type: SignInSuccess,
    description:
      'What a desktop client calls after the user signed in with their identity (ACC-1…ACC-3, LIC-1, LIC-2).',
    authScopes: { registered: true },
    args: { input: t.arg({ type: SignInInput, required: true }) },
    errors: {},
    resolve: (_root, { input }, ctx) =>
      access.signInToDataSource(ctx.service(), {
        dataSourceId: input.dataSourceId.id,
        machineName: input.machineName,
        product: input.product ?? 'PW_EXPLORER',
      }),
  }),
);

builder.queryField('explainAccess', (t) =>
  t.field({
    type: AccessDecisionType,
    nullable: true,
    description:
      'The same decision as signInToDataSource, recording nothing. Null when the data source or user does not exist.',
    authScopes: { registered: true },
    args: { input: t.arg({ type: ExplainAccessInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      // §9: explaining for another user reveals their email, country and home account in the steps, so
      // that user must be one you may read; anyone else reads as missing (after the admin check).
      const other = input.userId && input.userId.id !== ctx.viewer?.id ? input.userId.id : null;
      const subjectReadable = other === null || (await visibleUser(ctx, other)) !== null;
      try {
        return access.explainAccess(ctx.service(), {
          dataSourceId: input.dataSourceId.id,
          machineName: input.machineName,
          product: input.product ?? 'PW_EXPLORER',
          userId: input.userId?.id ?? null,
          subjectReadable,
        });
      } catch (error) {
        // A query has no payload for typed errors: a missing data source or user reads as null.
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
    },
  }),
);

// ---------------------------------------------------------------------------------------------
// LIC-4 usage

const UsageTotalType = builder.objectRef<access.UsageTotal>('UsageTotal').implement({
  description: 'Sign-ins billed to the account, by product, license source and the consuming user’s home account.',
  fields: (t) => ({
    product: t.exposeString('productCode'),
    licenseSource: t.field({
      type: LicenseSourceEnum,
      resolve: (u) => u.licenseSource as (typeof LICENSE_SOURCES)[number],
    }),
    consumerAccount: t.field({
      type: Account,
      nullable: true,
      description: 'The consuming users’ home account (null: unaffiliated users).',
      resolve: (u) => u.consumerAccountId,
    }),
    signIns: t.exposeInt('signIns'),
    users: t.exposeInt('users', { description: 'Distinct users among those sign-ins.' }),
  }),
});

const BillableUsersType = builder.objectRef<access.BillableUsers>('BillableUsers').implement({
  description: 'LIC-4: an account is charged at most once per user, product and calendar quarter.',
  fields: (t) => ({
    product: t.exposeString('productCode'),
    quarter: t.exposeString('quarter', { description: 'Calendar quarter (UTC), e.g. 2026-Q2.' }),
    users: t.exposeInt('users'),
  }),
});

const UsageReportType = builder.objectRef<access.UsageReport>('UsageReport').implement({
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    totals: t.field({ type: [UsageTotalType], resolve: (r) => r.totals }),
    billableUsers: t.field({ type: [BillableUsersType], resolve: (r) => r.billableUsers }),
  }),
});

builder.objectField(Account, 'usage', (t) =>
  t.field({
    type: UsageReportType,
    nullable: true,
    description: 'LIC-4: usage billed to the account in [from, to). IMS admins only.',
    authScopes: (a) => ({ imsAdminOf: a.id }),
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    validate: z
      .object({ from: z.date(), to: z.date() })
      .refine((a) => a.from < a.to, { message: '"from" must be before "to"', path: ['to'] }),
    resolve: (a, args, ctx) => access.usageReport(ctx.db, a.id, args.from, args.to),
  }),
);
