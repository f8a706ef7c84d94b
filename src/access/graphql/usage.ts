// LIC-4 in the schema: account.usage — totals, billable users — and (issue 15) the records behind them:
// HIS-1 each record explains itself with the decision kept when it was made; HIS-2 drills down from a
// total or a person to the records, and reports per consuming user. The report is for the account's IMS
// admins (Account.usage checks); everything nested follows §9's read rules for that reader.

import { createContextCache } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { LicenseSource } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues, productCodeInput } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { registerExport } from '../../graphql/exports.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { listPage } from '../../graphql/pagination.js';
import { findNode, loadNode, nodeType, visibleNode } from '../../graphql/visibility.js';
import { type ParsedKept, parseKept, renderKept } from '../rules/kept-decision.js';
import { USAGE_KINDS, type UsageKind } from '../rules/usage.js';
import * as usage from '../use-cases/usage.js';
import { LicenseSourceEnum, StepType } from './access.js';

const UsageKindEnum = builder.enumType('UsageKind', {
  description: 'What a usage record (LIC-2) names.',
  values: describedValues(USAGE_KINDS, {
    DATA_SOURCE_SIGN_IN: 'A granted signInToDataSource: the record names the data source.',
    PROJECT_OPEN: 'EXT-5: a granted openProject: the record names the project.',
  }),
});

/** The usage record's kind (EXT-5: a record naming a project is the opening of a project). */
const kindOf = (r: usage.UsageRecordView): UsageKind => (r.projectId === null ? 'DATA_SOURCE_SIGN_IN' : 'PROJECT_OPEN');

/**
 * HIS-1: kept decisions by id, parsed. A record names its decision by id and many share one, so a page
 * (or an export batch) reads each distinct body once, in one statement. Parsed bodies are also kept
 * in an LRU across requests: a decision's id is the hash of its body, so an entry can never be stale,
 * and every instance reads the same bodies (ARCHITECTURE: no process-local state that matters).
 */
const parsedDecisions = new LRUCache<string, ParsedKept>({ max: 5000 });
const keptDecisions = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, ParsedKept | null>(async (ids) => {
      // Answered from a local map: an LRU entry found here may be evicted by the bodies read below.
      const found = new Map<string, ParsedKept>();
      for (const id of ids) {
        const kept = parsedDecisions.get(id);
        if (kept) found.set(id, kept);
      }
      const missing = ids.filter((id) => !found.has(id));
      const bodies = missing.length > 0 ? await usage.keptDecisionBodies(ctx.db, missing) : new Map<string, string>();
      for (const [id, body] of bodies) {
        const kept = parseKept(body);
        found.set(id, kept);
        parsedDecisions.set(id, kept);
      }
      return ids.map((id) => found.get(id) ?? null);
    }, loaderOptions),
);

/**
 * What the reader may see of a record's kept decision (HIS-1), decided now: the data source's names to
 * those who may read it, the login to those who may read the data-source user, the project's to those
 * who may read the project, and the person unless LIC-3 keeps them from the billed account.
 */
async function explanationOf(ctx: Context, r: usage.UsageRecordView) {
  if (r.decisionId === null) return null;
  const [kept, dataSource, dataSourceUser, project] = await Promise.all([
    keptDecisions(ctx).load(r.decisionId),
    visibleNode(ctx, 'DataSource', r.dataSourceId),
    visibleNode(ctx, 'DataSourceUser', r.dataSourceUserId),
    visibleNode(ctx, 'Project', r.projectId),
  ]);
  if (!kept) throw new Error(`usage record ${r.id} names a missing kept decision`);
  return renderKept(kept, {
    dataSource: dataSource !== null,
    login: dataSourceUser !== null,
    project: project !== null,
    person: !r.personHidden,
  });
}

/**
 * What the record was used in, for people and CSV: the data source's or project's name when the reader
 * may read it, else whose it is ("a data source of Northwind") — as the billed account's audit log says.
 */
export async function usedInOf(ctx: Context, r: usage.UsageRecordView): Promise<string> {
  if (r.projectId !== null) {
    const readable = await visibleNode(ctx, 'Project', r.projectId);
    if (readable) return `project ${readable.number} "${readable.name}"`;
    const project = await findNode(ctx, 'Project', r.projectId);
    const owner = project ? await loadNode(ctx, 'Account', project.accountId) : null;
    return `a project of ${owner?.name ?? 'another account'}`;
  }
  const readable = await visibleNode(ctx, 'DataSource', r.dataSourceId);
  if (readable) return `"${readable.name}"`;
  const dataSource = r.dataSourceId === null ? null : await findNode(ctx, 'DataSource', r.dataSourceId);
  const owner = dataSource ? await loadNode(ctx, 'Account', dataSource.ownerAccountId) : null;
  return `a data source of ${owner?.name ?? 'another account'}`;
}

const UsageRecordType = builder.objectRef<usage.UsageRecordView>('UsageRecord').implement({
  description:
    'LIC-2: one granted sign-in to a data source, or one granted opening of a project (EXT-5), billed to the account — with the decision that produced it (HIS-1).',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When it was granted.' }),
    kind: t.field({ type: UsageKindEnum, description: 'A sign-in, or the opening of a project.', resolve: kindOf }),
    product: t.exposeString('productCode', { description: 'The product code used.' }),
    machineName: t.string({
      nullable: true,
      description:
        'The machine signed in from; null for the opening of a project (EXT-5 names no machine), and when personHidden (a machine name often names its person).',
      resolve: (r) => (r.personHidden ? null : r.machineName),
    }),
    licenseSource: t.field({
      type: LicenseSourceEnum,
      description: 'LIC-1 / EXT-5: why the account was billed.',
      resolve: (r) => r.licenseSource,
    }),
    billedAccount: t.field({
      type: 'Account',
      description: 'The account billed (the one whose usage this is).',
      resolve: (r, _args, ctx) => loadNode(ctx, 'Account', r.billedAccountId),
    }),
    consumerAccount: t.field({
      type: 'Account',
      nullable: true,
      description: 'The consuming user’s home account when it was used (null: unaffiliated).',
      resolve: (r, _args, ctx) => loadNode(ctx, 'Account', r.consumerAccountId),
    }),
    personHidden: t.boolean({
      description:
        'LIC-3: the account paid as the licensing owner of a data source it does not own, which lets it read the data source but never its users — the record is counted, its person not named.',
      resolve: (r) => r.personHidden,
    }),
    email: t.string({
      nullable: true,
      description: 'The consuming user’s email (null when personHidden).',
      resolve: (r) => r.email,
    }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'The consuming user, if you may read them (§9); null when personHidden.',
      resolve: (r, _args, ctx) => (r.personHidden ? null : visibleNode(ctx, 'User', r.userId)),
    }),
    usedIn: t.string({
      description:
        'What was used, in words: the data source’s or project’s name if you may read it, else whose it is ("a data source of Northwind").',
      resolve: (r, _args, ctx) => usedInOf(ctx, r),
    }),
    dataSource: t.field({
      type: 'DataSource',
      nullable: true,
      description: 'The data source signed in to, if you may read it (§9: its admins and its licensing owner’s).',
      resolve: (r, _args, ctx) => visibleNode(ctx, 'DataSource', r.dataSourceId),
    }),
    dataSourceUser: t.field({
      type: 'DataSourceUser',
      nullable: true,
      description: 'The data-source user signed in as, if you may read it (the data source’s admins).',
      resolve: (r, _args, ctx) => (r.personHidden ? null : visibleNode(ctx, 'DataSourceUser', r.dataSourceUserId)),
    }),
    project: t.field({
      type: 'Project',
      nullable: true,
      description: 'The project opened (EXT-5), if you may read it (§9).',
      resolve: (r, _args, ctx) => visibleNode(ctx, 'Project', r.projectId),
    }),
    explanation: t.field({
      type: [StepType],
      nullable: true,
      description:
        'HIS-1: the decision that produced the record, step by step, as explainAccess (or explainProjectAccess) gave it at that moment — with the names you may not read now replaced by neutral labels. Null only for records made before explanations were kept (migration 0011).',
      resolve: (r, _args, ctx) => explanationOf(ctx, r),
    }),
  }),
});

const UsageRecordFilter = builder.inputType('UsageRecordFilter', {
  description: 'HIS-2: narrows a list of usage records; every field given must match.',
  fields: (t) => ({
    kind: t.field({ type: UsageKindEnum, description: 'Sign-ins or project opens.' }),
    product: t.string({ description: 'One product code.', validate: productCodeInput }),
    licenseSource: t.field({ type: LicenseSourceEnum, description: 'One license source.' }),
    consumerAccountId: t.globalID({
      for: nodeType('Account'),
      description: 'Records of users whose home account it was.',
    }),
    unaffiliated: t.boolean({
      description:
        'true: only records of users who belonged to no account then (a total whose consumerAccount is null); false: only those who did. Not with consumerAccountId (BAD_USER_INPUT).',
    }),
    userId: t.globalID({
      for: nodeType('User'),
      description: 'One person’s records (never those LIC-3 keeps unnamed: personHidden).',
    }),
  }),
});

const UsageTotalType = builder.objectRef<usage.UsageTotal>('UsageTotal').implement({
  description:
    'Usage billed to the account, by kind (sign-ins, project opens), product, license source and the consuming user’s home account.',
  fields: (t) => ({
    kind: t.field({
      type: UsageKindEnum,
      description: 'Sign-ins to data sources, or openings of projects (EXT-5).',
      resolve: (u) => u.kind,
    }),
    product: t.exposeString('productCode', { description: 'The product code signed in with.' }),
    licenseSource: t.field({
      type: LicenseSourceEnum,
      description: 'LIC-1: why the account was billed.',
      resolve: (u) => u.licenseSource,
    }),
    consumerAccount: t.field({
      type: 'Account',
      nullable: true,
      description: 'The consuming users’ home account (null: unaffiliated users).',
      resolve: (u, _args, ctx) => loadNode(ctx, 'Account', u.consumerAccountId),
    }),
    signIns: t.exposeInt('signIns', {
      description: 'Usage records (LIC-2) in the period: granted sign-ins, or granted openings of a project (kind).',
    }),
    users: t.exposeInt('users', { description: 'Distinct users among those sign-ins.' }),
    records: t.connection({
      type: UsageRecordType,
      description: 'HIS-2: the records this total counts, oldest first.',
      resolve: async (u, args, ctx) =>
        await usage.usageRecordsPage(
          ctx.db,
          {
            accountId: u.accountId,
            from: u.from,
            to: u.to,
            kind: u.kind,
            productCode: u.productCode,
            licenseSource: u.licenseSource,
            consumerAccountId: u.consumerAccountId,
          },
          args,
        ),
    }),
  }),
});

const BillableUsersType = builder.objectRef<usage.BillableUsers>('BillableUsers').implement({
  description: 'LIC-4: an account is charged at most once per user, product and calendar quarter.',
  fields: (t) => ({
    product: t.exposeString('productCode', { description: 'The product code.' }),
    quarter: t.exposeString('quarter', { description: 'Calendar quarter (UTC), e.g. 2026-Q2.' }),
    users: t.exposeInt('users', { description: 'Distinct users billed for the product in that quarter.' }),
  }),
});

const UsageByUserType = builder.objectRef<usage.UsageByUser>('UsageByUser').implement({
  description:
    'HIS-2 / LIC-4 per consuming user: one person’s use of one product billed to the account in the period — or, where LIC-3 keeps the people from the account (personHidden), how many people of one home account.',
  fields: (t) => ({
    email: t.exposeString('email', { nullable: true, description: 'The person’s email; null when personHidden.' }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'The person, if you may read them (§9); null when personHidden.',
      resolve: (u, _args, ctx) => visibleNode(ctx, 'User', u.userId),
    }),
    personHidden: t.exposeBoolean('personHidden', {
      description:
        'LIC-3: people who used a data source the account pays for as its licensing owner but does not own: counted, not named.',
    }),
    consumerAccount: t.field({
      type: 'Account',
      nullable: true,
      description: 'Their home account (as of their latest use in the period); null: unaffiliated.',
      resolve: (u, _args, ctx) => loadNode(ctx, 'Account', u.consumerAccountId),
    }),
    product: t.exposeString('productCode', { description: 'The product code.' }),
    users: t.exposeInt('users', { description: 'How many people the row stands for (1 for a named person).' }),
    uses: t.exposeInt('uses', { description: 'Usage records in the period.' }),
    quarters: t.exposeStringList('quarters', {
      description: 'LIC-4: the calendar quarters (UTC) the account is charged for this person and product.',
    }),
    firstUseAt: t.expose('firstAt', { type: 'DateTime', description: 'The first use in the period.' }),
    lastUseAt: t.expose('lastAt', { type: 'DateTime', description: 'The last use in the period.' }),
    records: t.connection({
      type: UsageRecordType,
      description: 'HIS-2: the records behind the row, oldest first.',
      resolve: async (u, args, ctx) =>
        await usage.usageRecordsPage(
          ctx.db,
          u.personHidden
            ? {
                accountId: u.accountId,
                from: u.from,
                to: u.to,
                productCode: u.productCode,
                consumerAccountId: u.consumerAccountId,
                personHidden: true,
              }
            : { accountId: u.accountId, from: u.from, to: u.to, productCode: u.productCode, userId: u.userId },
          args,
        ),
    }),
  }),
});

const UsageReportType = builder.objectRef<usage.UsageReport>('UsageReport').implement({
  description: 'LIC-4: the usage billed to an account in a period, for its IMS admins.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime', description: 'Start of the period (inclusive).' }),
    to: t.expose('to', { type: 'DateTime', description: 'End of the period (exclusive).' }),
    totals: t.field({
      type: [UsageTotalType],
      description: 'Sign-ins grouped by product, license source and consumer account.',
      resolve: (r) => r.totals,
    }),
    billableUsers: t.field({
      type: [BillableUsersType],
      description: 'Distinct users per product per calendar quarter (UTC) within the period.',
      resolve: (r) => r.billableUsers,
    }),
    byUser: t.connection({
      type: UsageByUserType,
      description:
        'HIS-2: the report per consuming user — named people by email, then the unnamed (LIC-3) groups by home account.',
      resolve: async (r, args, ctx) =>
        listPage('usageByUser', await usage.usageByUser(ctx.db, r.accountId, r.from, r.to), args, (u) =>
          u.personHidden
            ? [1, u.consumerAccountId ?? '', u.productCode]
            : [0, u.email ?? '', u.productCode, u.userId ?? ''],
        ),
    }),
    records: t.connection({
      type: UsageRecordType,
      description: 'HIS-2: the records in the period, oldest first, narrowed by `filter`.',
      args: {
        filter: t.arg({ type: UsageRecordFilter, description: 'Which records; all by default.' }),
      },
      resolve: async (r, args, ctx) => {
        const filter = args.filter;
        if (filter?.consumerAccountId && filter.unaffiliated != null) {
          throw new GraphQLError('invalid input: give "consumerAccountId" or "unaffiliated", not both', {
            extensions: { code: 'BAD_USER_INPUT' },
          });
        }
        return await usage.usageRecordsPage(
          ctx.db,
          {
            accountId: r.accountId,
            from: r.from,
            to: r.to,
            kind: filter?.kind ?? null,
            productCode: filter?.product ?? null,
            licenseSource: (filter?.licenseSource as LicenseSource | null | undefined) ?? null,
            // HIS-2: null is "unaffiliated" (as a total's consumer account); undefined narrows nothing.
            consumerAccountId: filter?.unaffiliated === true ? null : filter?.consumerAccountId?.id,
            affiliated: filter?.unaffiliated === false ? true : undefined,
            userId: filter?.userId?.id ?? null,
          },
          args,
        );
      },
    }),
  }),
});

builder.objectField('Account', 'usage', (t) =>
  t.field({
    type: UsageReportType,
    nullable: true,
    description:
      'LIC-4: usage billed to the account in [from, to). IMS admins only (§9); null with a FORBIDDEN error for anyone else.',
    authScopes: (a) => ({ can: { action: 'account.administer', accountId: a.id } }),
    args: {
      from: t.arg({ type: 'DateTime', required: true, description: 'Start of the period, inclusive (UTC instant).' }),
      to: t.arg({
        type: 'DateTime',
        required: true,
        description: 'End of the period, exclusive; must be after `from` (BAD_USER_INPUT otherwise).',
      }),
    },
    validate: z
      .object({ from: z.date(), to: z.date() })
      .refine((a) => a.from < a.to, { message: '"from" must be before "to"', path: ['to'] }),
    resolve: async (a, args, ctx) => await usage.usageReport(ctx.db, a.id, args.from, args.to),
  }),
);

// ---------------------------------------------------------------------------------------------
// HIS-3: the same rows as CSV (src/graphql/exports.ts serves them), for the account's IMS admins.

const accountName = async (ctx: Context, id: string | null) => (id ? (await loadNode(ctx, 'Account', id)).name : null);

/** The explanation in one cell: one step per line, "RULE OUTCOME: detail". */
const explanationCell = (steps: { rule: string; outcome: string; detail: string }[] | null) =>
  steps ? steps.map((s) => `${s.rule} ${s.outcome}: ${s.detail}`).join('\n') : null;

registerExport('usage-records', {
  columns: [
    'at',
    'kind',
    'product',
    'machine_name',
    'license_source',
    'billed_account',
    'consumer_account',
    'email',
    'person_hidden',
    'used_in',
    'data_source_id',
    'project_id',
    'explanation',
  ],
  period: 'required',
  authorize: (accountId) => ({ action: 'account.administer', accountId }),
  async *batches(ctx, request) {
    const query = { accountId: request.accountId, from: request.from as Date, to: request.to as Date };
    for await (const batch of usage.usageRecordsInBatches(ctx.db, query)) {
      yield await Promise.all(
        batch.map(async (r) => {
          const [billed, consumer, usedIn, dataSource, project, explanation] = await Promise.all([
            accountName(ctx, r.billedAccountId),
            accountName(ctx, r.consumerAccountId),
            usedInOf(ctx, r),
            visibleNode(ctx, 'DataSource', r.dataSourceId),
            visibleNode(ctx, 'Project', r.projectId),
            explanationOf(ctx, r),
          ]);
          return [
            r.at,
            kindOf(r),
            r.productCode,
            r.personHidden ? null : r.machineName,
            r.licenseSource,
            billed,
            consumer,
            r.email,
            r.personHidden,
            usedIn,
            dataSource ? encodeGlobalID('DataSource', dataSource.id) : null,
            project ? encodeGlobalID('Project', project.id) : null,
            explanationCell(explanation),
          ];
        }),
      );
    }
  },
});

registerExport('billable-users', {
  columns: ['quarter', 'product', 'email', 'person_hidden', 'consumer_account', 'uses'],
  period: 'required',
  authorize: (accountId) => ({ action: 'account.administer', accountId }),
  async *batches(ctx, request) {
    const rows = usage.billableUsersInBatches(ctx.db, request.accountId, request.from as Date, request.to as Date);
    for await (const batch of rows) {
      yield await Promise.all(
        batch.map(async (b) => [
          b.quarter,
          b.productCode,
          b.email,
          b.personHidden,
          await accountName(ctx, b.consumerAccountId),
          b.uses,
        ]),
      );
    }
  },
});
