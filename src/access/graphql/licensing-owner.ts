import type { LicensingOwnerRequestRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { atMost, describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, nodeType, registerReadCheck, visibleNode, visibleOrNull } from '../../graphql/visibility.js';
import { loadLicensingOwnerRequests, requestsPage } from '../loaders.js';
import {
  LICENSING_OWNER_REQUEST_DAYS,
  LICENSING_OWNER_REQUEST_STATUSES,
  requestStatus,
} from '../rules/licensing-owner.js';
import * as licensingOwner from '../use-cases/licensing-owner.js';

export const LicensingOwnerRequestStatusEnum = builder.enumType('LicensingOwnerRequestStatus', {
  description: `LIC-3: where a licensing-owner request stands. EXPIRED: still pending ${LICENSING_OWNER_REQUEST_DAYS} days after it was made.`,
  values: describedValues(LICENSING_OWNER_REQUEST_STATUSES, {
    PENDING: `Waiting for the requested account's answer (at most ${LICENSING_OWNER_REQUEST_DAYS} days); nothing has changed yet.`,
    ACCEPTED: 'The requested account accepted: it became the licensing owner at that moment.',
    REJECTED: 'The requested account rejected it: nothing changed.',
    CANCELLED: 'The owner account withdrew it (or replaced the licensing owner directly): nothing changed.',
    EXPIRED: `Unanswered ${LICENSING_OWNER_REQUEST_DAYS} days after it was made: nothing changed; it can no longer be answered.`,
  }),
});

export const LicensingOwnerRequest = builder.loadableNode('LicensingOwnerRequest', {
  description:
    'LIC-3: the owner of a data source asks another account to become its licensing owner (to pay for owner-provided sign-ins). Nothing changes until an IMS admin of that account accepts.',
  id: { resolve: (r) => r.id },
  load: loadLicensingOwnerRequests,
  sort: (r) => r.id,
  loaderOptions,
});

// §9: IMS admins of the data source's owner account and of the requested account.
registerReadCheck(LicensingOwnerRequest, (ctx, r) =>
  ctx.can({
    action: 'licensingOwnerRequest.read',
    ownerAccountId: r.ownerAccountId,
    requestedAccountId: r.requestedAccountId,
  }),
);

/** The data source behind a request, unchecked: the request shows only its name and access settings. */
const requestedDataSource = (ctx: Context, r: LicensingOwnerRequestRow) => loadNode(ctx, 'DataSource', r.dataSourceId);

/**
 * LIC-3: what the request shows of its data source — live while it is pending (what the requested
 * account would pay for now), else as it was when the request was answered, cancelled or made (an old
 * request must not keep showing a data source its reader may no longer read).
 */
async function requestedTerms(ctx: Context, r: LicensingOwnerRequestRow) {
  const kept =
    requestStatus(r, ctx.now) === 'PENDING' || r.dataSourceName === null
      ? licensingOwner.snapshotOf(await requestedDataSource(ctx, r))
      : r;
  return {
    name: kept.dataSourceName ?? '',
    imsAuthEnabled: kept.imsAuthEnabled ?? false,
    dynamicCreationFilter: kept.dynamicCreationFilter,
    externalAccess: {
      allowExternalImsUsers: kept.allowExternalImsUsers ?? false,
      externalLicensing: kept.externalLicensing ?? 'DENY',
    },
  };
}

const AccessSettingsType = builder
  .objectRef<{ imsAuthEnabled: boolean; dynamicCreationFilter: string | null; externalAccess: never }>(
    'DataSourceAccessSettings',
  )
  .implement({
    description: 'A data source’s access settings (DS-2): what a licensing owner would pay for (LIC-3).',
    fields: (t) => ({
      imsAuthEnabled: t.exposeBoolean('imsAuthEnabled', { description: 'ACC-1: IMS sign-in is possible.' }),
      dynamicCreationFilter: t.exposeString('dynamicCreationFilter', {
        nullable: true,
        description: 'DS-2: members of the accounts it names get a data-source user at first sign-in.',
      }),
      externalAccess: t.field({
        type: 'ExternalAccess',
        description: 'DS-2: external IMS users, and whether the owner supplies their licenses.',
        resolve: (s) => s.externalAccess,
      }),
    }),
  });

builder.objectFields(LicensingOwnerRequest, (t) => ({
  status: t.field({
    type: LicensingOwnerRequestStatusEnum,
    description: 'Computed when read: a pending request is EXPIRED from its expiry instant on.',
    resolve: (r, _args, ctx) => requestStatus(r, ctx.now),
  }),
  dataSourceName: t.string({
    description:
      'The data source’s name (readable by both sides): as it is now while the request is pending, else as it was when the request was answered or cancelled.',
    resolve: async (r, _args, ctx) => (await requestedTerms(ctx, r)).name,
  }),
  ownerAccount: t.field({
    type: 'Account',
    description: 'The account that owns the data source and asks.',
    resolve: (r, _args, ctx) => loadNode(ctx, 'Account', r.ownerAccountId),
  }),
  requestedAccount: t.field({
    type: 'Account',
    description: 'The account asked to pay.',
    resolve: (r, _args, ctx) => loadNode(ctx, 'Account', r.requestedAccountId),
  }),
  accessSettings: t.field({
    type: AccessSettingsType,
    description:
      'The data source’s access settings — what the requested account would pay for: as they are now while the request is pending, else as they were when it was answered or cancelled.',
    resolve: async (r, _args, ctx) => {
      const terms = await requestedTerms(ctx, r);
      return {
        imsAuthEnabled: terms.imsAuthEnabled,
        dynamicCreationFilter: terms.dynamicCreationFilter,
        externalAccess: terms.externalAccess as never,
      };
    },
  }),
  dataSource: t.field({
    type: 'DataSource',
    nullable: true,
    description:
      'The data source itself, for those who may read it: its admins, and the requested account’s admins once it is the licensing owner (§9).',
    resolve: async (r, _args, ctx) => visibleOrNull(ctx, 'DataSource', await requestedDataSource(ctx, r)),
  }),
  requestedBy: t.field({
    type: 'User',
    nullable: true,
    description: 'The IMS admin who asked (null if you may not read their profile).',
    resolve: (r, _args, ctx) => visibleNode(ctx, 'User', r.requestedById),
  }),
  requestedAt: t.expose('requestedAt', { type: 'DateTime', description: 'When it was made (UTC).' }),
  expiresAt: t.expose('expiresAt', {
    type: 'DateTime',
    description: `${LICENSING_OWNER_REQUEST_DAYS} days after it was made; a pending request expires then.`,
  }),
  billingChangeAcknowledged: t.exposeBoolean('billingChangeAcknowledged', {
    description: 'Usage had been recorded against the data source, and the requester acknowledged the change.',
  }),
  answeredBy: t.field({
    type: 'User',
    nullable: true,
    description: 'Who accepted, rejected or cancelled it (null while pending, or if you may not read them).',
    resolve: (r, _args, ctx) => visibleNode(ctx, 'User', r.answeredById),
  }),
  answeredAt: t.expose('answeredAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When it was accepted, rejected or cancelled (UTC); null while pending or expired.',
  }),
}));

const statusArg = {
  description: 'Only requests with these statuses (default: all).',
  validate: atMost(LICENSING_OWNER_REQUEST_STATUSES.length, 'statuses'),
} as const;

builder.objectField('Account', 'licensingOwnerRequests', (t) =>
  t.connection({
    type: LicensingOwnerRequest,
    nullable: true,
    description: 'LIC-3: requests asking this account to pay for a data source, newest first. IMS admins only.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    args: { status: t.arg({ type: [LicensingOwnerRequestStatusEnum], ...statusArg }) },
    resolve: async (a, args, ctx) =>
      await requestsPage(ctx.db, args, { requestedAccountId: a.id }, args.status, ctx.now),
  }),
);

builder.objectField('DataSource', 'licensingOwnerRequests', (t) =>
  t.connection({
    type: LicensingOwnerRequest,
    nullable: true,
    description: 'LIC-3: the requests made for this data source, newest first. Its admins only.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    args: { status: t.arg({ type: [LicensingOwnerRequestStatusEnum], ...statusArg }) },
    resolve: async (d, args, ctx) => await requestsPage(ctx.db, args, { dataSourceId: d.id }, args.status, ctx.now),
  }),
);

// ---------------------------------------------------------------------------------------------
// Mutations

const SetLicensingOwnerInput = builder.inputType('SetLicensingOwnerInput', {
  description: 'LIC-3: set the owner account itself as licensing owner, or remove the licensing owner.',
  fields: (t) => ({
    dataSourceId: t.globalID({
      required: true,
      for: nodeType('DataSource'),
      description: 'The data source (you are an IMS admin of its owner account).',
    }),
    accountId: t.globalID({
      for: nodeType('Account'),
      description:
        'The owner account itself, or null to remove the licensing owner. Another account: requestLicensingOwner.',
    }),
    acknowledgeBillingChange: t.boolean({
      description:
        'Must be true once usage has been recorded against the data source (LIC-3: both accounts may be billed in that period), else BILLING_OWNER_LOCKED. Default false.',
    }),
  }),
});

const RequestLicensingOwnerInput = builder.inputType('RequestLicensingOwnerInput', {
  description: `LIC-3: ask another account to become the licensing owner; the request expires after ${LICENSING_OWNER_REQUEST_DAYS} days.`,
  fields: (t) => ({
    dataSourceId: t.globalID({
      required: true,
      for: nodeType('DataSource'),
      description: 'The data source (you are an IMS admin of its owner account).',
    }),
    accountId: t.globalID({
      required: true,
      for: nodeType('Account'),
      description: 'The account asked to pay: not the owner account (OWN_ACCOUNT), not the current licensing owner.',
    }),
    acknowledgeBillingChange: t.boolean({
      description:
        'Must be true once usage has been recorded against the data source (LIC-3), else BILLING_OWNER_LOCKED. Default false; accepting needs no further acknowledgement.',
    }),
  }),
});

export const LicensingOwnerAnswerEnum = builder.enumType('LicensingOwnerAnswer', {
  description: 'LIC-3: the requested account’s answer.',
  values: { ACCEPT: { description: 'Become the licensing owner now.' }, REJECT: { description: 'Nothing changes.' } },
});

const RespondInput = builder.inputType('RespondToLicensingOwnerRequestInput', {
  description: "LIC-3: the requested account's answer to a pending request (REQUEST_NOT_PENDING otherwise).",
  fields: (t) => ({
    requestId: t.globalID({
      required: true,
      for: LicensingOwnerRequest,
      description: 'A request addressed to your account (you are one of its IMS admins).',
    }),
    answer: t.field({ type: LicensingOwnerAnswerEnum, required: true, description: 'ACCEPT or REJECT.' }),
  }),
});

const CancelInput = builder.inputType('CancelLicensingOwnerRequestInput', {
  description: 'LIC-3: the pending request to withdraw (REQUEST_NOT_PENDING otherwise).',
  fields: (t) => ({
    requestId: t.globalID({
      required: true,
      for: LicensingOwnerRequest,
      description: 'A request for a data source of your account (you are one of its IMS admins).',
    }),
  }),
});

const RequestSuccess = successOf('request', LicensingOwnerRequest, 'The request, as it is now.');

const RespondSuccess = builder
  .objectRef<Awaited<ReturnType<typeof licensingOwner.respondToLicensingOwnerRequest>>>(
    'RespondToLicensingOwnerRequestSuccess',
  )
  .implement({
    description: 'The answered request; on ACCEPT your account now pays for owner-provided sign-ins.',
    fields: (t) => ({
      request: t.field({
        type: LicensingOwnerRequest,
        description: 'The request, now ACCEPTED or REJECTED.',
        resolve: (r) => r.request,
      }),
      dataSource: t.field({
        type: 'DataSource',
        nullable: true,
        description:
          'The data source if you may read it now (§9): after ACCEPT your account’s IMS admins read its name, owner and access settings; after REJECT usually null.',
        resolve: (r, _args, ctx) => visibleOrNull(ctx, 'DataSource', r.dataSource),
      }),
    }),
  });

defineMutation('setLicensingOwner', {
  description:
    'LIC-3: an IMS admin of the owner account makes the owner account itself the licensing owner, or removes it (a pending request is cancelled). Another account pays only with its consent: requestLicensingOwner. Locked once usage exists unless acknowledged.',
  input: SetLicensingOwnerInput,
  inputDescription: 'The data source and its new licensing owner (or none).',
  success: successOf(
    'dataSource',
    'DataSource',
    'The data source, as it is now.',
  )('SetLicensingOwnerSuccess', 'The data source with its licensing owner as it is now.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    dataSource: await licensingOwner.setLicensingOwner(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      accountId: input.accountId?.id ?? null,
      acknowledgeBillingChange: input.acknowledgeBillingChange ?? null,
    }),
  }),
});

defineMutation('requestLicensingOwner', {
  description: `LIC-3: an IMS admin of the owner account asks another account to pay; one pending request per data source, expiring after ${LICENSING_OWNER_REQUEST_DAYS} days.`,
  input: RequestLicensingOwnerInput,
  inputDescription: 'The data source and the account asked.',
  success: RequestSuccess(
    'RequestLicensingOwnerSuccess',
    'The pending request; the requested account’s admins see it.',
  ),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    request: await licensingOwner.requestLicensingOwner(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      accountId: input.accountId.id,
      acknowledgeBillingChange: input.acknowledgeBillingChange ?? null,
    }),
  }),
});

defineMutation('respondToLicensingOwnerRequest', {
  description: 'LIC-3: an IMS admin of the requested account accepts (it pays from now on) or rejects; once.',
  input: RespondInput,
  inputDescription: 'The request and your answer.',
  success: RespondSuccess,
  dryRun: true,
  authz: ['licensingOwnerRequest.answer'],
  resolve: async (input, ctx) =>
    await licensingOwner.respondToLicensingOwnerRequest(ctx.service(), {
      requestId: input.requestId.id,
      accept: input.answer === 'ACCEPT',
    }),
});

defineMutation('cancelLicensingOwnerRequest', {
  description: 'LIC-3: any IMS admin of the owner account withdraws a pending request.',
  input: CancelInput,
  inputDescription: 'The request to cancel.',
  success: RequestSuccess('CancelLicensingOwnerRequestSuccess', 'The request, now CANCELLED.'),
  authz: ['licensingOwnerRequest.cancel'],
  resolve: async (input, ctx) => ({
    request: await licensingOwner.cancelLicensingOwnerRequest(ctx.service(), { requestId: input.requestId.id }),
  }),
});
