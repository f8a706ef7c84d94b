// Issue 14, IMP-5 in the schema: DataSource.accessReport — who can get in, and who would pay.
import { builder } from '../../graphql/builder.js';
import { describedValues, productCodeInput } from '../../graphql/common.js';
import { listPage } from '../../graphql/pagination.js';
import { loadNode, nodeType, visibleNode, visibleOrNull } from '../../graphql/visibility.js';
import { ACCESS_REPORT_KINDS, type AccessReportEntry, accessReport, reportKey } from '../use-cases/access-report.js';
import { AccessOutcomeType } from './impact.js';

const AccessReportKindEnum = builder.enumType('AccessReportKind', {
  description: 'IMP-5: what a line of the access report stands for.',
  values: describedValues(ACCESS_REPORT_KINDS, {
    DATA_SOURCE_USER: 'A data-source user whose identity is a registered profile: one person.',
    ADMITTED_BY_FILTER:
      'Members of an account the identity filter names who have no data-source user yet (ACC-2 creates one at their first sign-in), summarized: every such member of the account with the same outcome and the same billed account.',
  }),
});

const AccessOutcomeFilterEnum = builder.enumType('AccessReportOutcome', {
  description: 'IMP-5: which decisions to list.',
  values: describedValues(['GRANTED', 'DENIED'] as const, {
    GRANTED: 'Only those who may sign in.',
    DENIED: 'Only those who may not.',
  }),
});

const AccessReportEntryType = builder.objectRef<AccessReportEntry>('AccessReportEntry').implement({
  description:
    'IMP-5: one line of a data source’s access report — a person, or the members of an admitted account with one outcome — with the decision signInToDataSource would make now (on a machine without a reserved license) and who would pay.',
  fields: (t) => ({
    kind: t.field({ type: AccessReportKindEnum, description: 'What the line stands for.', resolve: (e) => e.kind }),
    people: t.exposeInt('people', { description: 'How many people the line stands for (1 for a data-source user).' }),
    email: t.field({
      type: 'EmailAddress',
      nullable: true,
      description:
        'DATA_SOURCE_USER: the identity (a data source’s admins read its users’ identities). ADMITTED_BY_FILTER: null — the members are another account’s, summarized.',
      resolve: (e) => (e.kind === 'DATA_SOURCE_USER' ? e.user.email : null),
    }),
    user: t.field({
      type: 'User',
      nullable: true,
      description:
        'DATA_SOURCE_USER: the person’s profile, when you may read it (§9); null otherwise and for a summary.',
      resolve: (e, _args, ctx) => (e.kind === 'DATA_SOURCE_USER' ? visibleOrNull(ctx, 'User', e.user) : null),
    }),
    dataSourceUser: t.field({
      type: 'DataSourceUser',
      nullable: true,
      description: 'The data-source user signed in as; null for ADMITTED_BY_FILTER (none exists yet).',
      resolve: (e, _args, ctx) => visibleNode(ctx, 'DataSourceUser', e.dataSourceUserId),
    }),
    account: t.field({
      type: 'Account',
      nullable: true,
      description: 'ADMITTED_BY_FILTER: the account whose members the line summarizes; null otherwise.',
      resolve: (e, _args, ctx) => loadNode(ctx, 'Account', e.account?.id ?? null),
    }),
    decision: t.field({
      type: AccessOutcomeType,
      description:
        'Granted or not, who pays, and the steps of explainAccess (for a summary: those of one of its members, who is named as "a member of" the account).',
      resolve: (e) => e.decision,
    }),
  }),
});

builder.objectField('DataSource', 'accessReport', (t) =>
  t.connection({
    type: AccessReportEntryType,
    nullable: true,
    description:
      'IMP-5 "who can get in": every identity that can sign in today — its data-source users with a registered identity, by email, then the members of the accounts its identity filter admits who have no data-source user yet, summarized by account and outcome — each with the decision and who would pay. The data source’s admins only (§9); null with a FORBIDDEN error otherwise.',
    authScopes: (d) => ({ dataSourceAdmin: d.id }),
    args: {
      product: t.arg.string({
        description: 'The product decided for. Default PW_EXPLORER.',
        validate: productCodeInput,
      }),
      outcome: t.arg({ type: AccessOutcomeFilterEnum, description: 'Only granted, or only denied, lines.' }),
      billedAccountId: t.arg.globalID({
        for: nodeType('Account'),
        description: 'Only lines billed to this account.',
      }),
    },
    resolve: async (d, args, ctx) =>
      listPage(
        'DataSource.accessReport',
        await accessReport(
          ctx.db,
          ctx.subject(),
          d,
          {
            product: args.product ?? 'PW_EXPLORER',
            granted: args.outcome == null ? null : args.outcome === 'GRANTED',
            billedAccountId: args.billedAccountId?.id ?? null,
          },
          ctx.now,
        ),
        args,
        reportKey,
      ),
  }),
);
