// Issue 14, IMP-6 in the schema: Account.licenseExposure — who can bill us, and through what.
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import { listPage } from '../../graphql/pagination.js';
import { visibleNode, visibleOrNull } from '../../graphql/visibility.js';
import {
  EXPOSURE_KINDS,
  type ExposedPerson,
  type ExposureEntry,
  exposureKey,
  licenseExposure,
  type ProductUse,
} from '../use-cases/license-exposure.js';

const ExposureKindEnum = builder.enumType('LicenseExposureKind', {
  description: 'IMP-6: a path by which someone outside an account can consume its licensing.',
  values: describedValues(EXPOSURE_KINDS, {
    ASSOCIATION:
      'An external user associated with the account (ID-5): wherever they sign in without a license of their own, its entitlements pay (LIC-1.4).',
    LICENSING_OWNER:
      'A data source the account is the licensing owner of, which supplies licenses to external users (SUPPLY) or has OWNER_PROVIDES users: those sign-ins are billed to it (LIC-1.2).',
    RESERVED_CHECKOUT:
      'An outstanding reserved checkout the account issued to someone outside it (LIC-1.1): sign-ins on that machine are billed to it.',
    PROVIDED_LICENSES:
      'A project of the account providing its licenses to other organizations or unaffiliated users (EXT-4): their openings of the project are billed to it (EXT-5).',
  }),
});

const ProductUseType = builder.objectRef<ProductUse>('ProductUse').implement({
  description: 'Recorded use of one product billed to the account through this path, over the last 90 days.',
  fields: (t) => ({
    product: t.exposeString('product', { description: 'The product code.' }),
    uses: t.exposeInt('uses', { description: 'Sign-ins (or openings of a project) recorded.' }),
  }),
});

const ExposedPersonType = builder.objectRef<ExposedPerson>('ExposedPerson').implement({
  description: 'A person behind a path, and their billable use of it over the last 90 days.',
  fields: (t) => ({
    email: t.field({
      type: 'EmailAddress',
      nullable: true,
      description:
        'Who it is; null where the account may not know (LIC-3: the users of a data source it is only the licensing owner of).',
      resolve: (p) => p.email,
    }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'Their profile, when there is one you may read (§9).',
      resolve: (p, _args, ctx) => visibleNode(ctx, 'User', p.userId),
    }),
    billableUse: t.field({
      type: [ProductUseType],
      description: 'Their use billed to the account through this path, by product (empty: none recorded).',
      resolve: (p) => p.use,
    }),
  }),
});

const ExposureType = builder.objectRef<ExposureEntry>('LicenseExposure').implement({
  description:
    'IMP-6: one path by which people outside the account can consume its licensing, with the people behind it.',
  fields: (t) => ({
    kind: t.field({ type: ExposureKindEnum, description: 'What kind of path.', resolve: (e) => e.kind }),
    detail: t.exposeString('detail', { description: 'The path, for people: what it is and why it bills the account.' }),
    dataSource: t.field({
      type: 'DataSource',
      nullable: true,
      description: 'LICENSING_OWNER: the data source (its licensing owner’s admins read it, LIC-3); null otherwise.',
      resolve: (e, _args, ctx) => visibleOrNull(ctx, 'DataSource', e.dataSource),
    }),
    project: t.field({
      type: 'Project',
      nullable: true,
      description: 'PROVIDED_LICENSES: the project; null otherwise.',
      resolve: (e, _args, ctx) => visibleOrNull(ctx, 'Project', e.project),
    }),
    checkout: t.field({
      type: 'LicenseCheckout',
      nullable: true,
      description: 'RESERVED_CHECKOUT: the checkout; null otherwise.',
      resolve: (e, _args, ctx) => visibleNode(ctx, 'LicenseCheckout', e.checkoutId),
    }),
    peopleCount: t.exposeInt('peopleCount', {
      description: 'How many people the path is open to now (for a data source: those it would bill now, PW_EXPLORER).',
    }),
    people: t.field({
      type: [ExposedPersonType],
      description:
        'The people behind it, each with their billable use (a data source’s lines through the filter are counted, not named).',
      resolve: (e) => e.people,
    }),
  }),
});

builder.objectField('Account', 'licenseExposure', (t) =>
  t.connection({
    type: ExposureType,
    nullable: true,
    description:
      'IMP-6 "who can bill us": every path by which someone outside the account can consume its licensing — associations, data sources it is the licensing owner of under SUPPLY or with OWNER_PROVIDES users, outstanding reserved checkouts, provided licenses — by kind, each with the people behind it and their billable use over the last 90 days. Its IMS admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    resolve: async (a, args, ctx) =>
      listPage(
        'Account.licenseExposure',
        await licenseExposure(ctx.db, ctx.subject(), a.id, ctx.now),
        args,
        exposureKey,
      ),
  }),
);
