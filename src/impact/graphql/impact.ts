// Issue 14 in the schema: ChangeImpact, the `impact` of a dry-run payload (src/graphql/dry-run.ts adds
// `dryRun` and `impact` to every mutation declared with `dryRun: true`).
import type { AccessDecision, Step } from '../../access/rules/access.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { registerImpactProbe } from '../../graphql/dry-run.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, visibleOrNull } from '../../graphql/visibility.js';
import { builtInRoleId } from '../../projects/service.js';
import { ACCESS_CHANGE_KINDS, type BillableUsersChange, TEAM_CHANGE_KINDS } from '../rules/impact.js';
import { type ChangeImpactShape, impactProbe, type ProjectAccessChange, type TeamChange } from '../use-cases/probe.js';
import type { TeamSide } from '../use-cases/team.js';

registerImpactProbe(impactProbe);

declare module '../../graphql/builder.js' {
  interface SharedObjects {
    ChangeImpact: ChangeImpactShape;
  }
}

const AccessChangeKindEnum = builder.enumType('AccessChangeKind', {
  description: 'IMP-2: how one person’s entry to a data source changes.',
  values: describedValues(ACCESS_CHANGE_KINDS, {
    GAINS_ENTRY: 'Denied before the change, granted after it.',
    LOSES_ENTRY: 'Granted before the change, denied after it.',
    BILLING_CHANGES: 'Granted before and after, but the license source or the billed account changes.',
  }),
});

export const AccessOutcomeType = builder
  .objectRef<Pick<AccessDecision, 'granted' | 'denialReason' | 'licenseSource' | 'billedAccount' | 'steps'>>(
    'AccessOutcome',
  )
  .implement({
    description:
      'One side of an access change: the decision of signInToDataSource (§3) — or of openProject (EXT-5) — in that state, with the same steps explainAccess (explainProjectAccess) shows.',
    fields: (t) => ({
      granted: t.exposeBoolean('granted', { description: 'The person may sign in.' }),
      denialReason: t.field({
        type: shared('AccessDenialReason'),
        nullable: true,
        description: 'Why they are denied; null when granted.',
        resolve: (d) => d.denialReason,
      }),
      licenseSource: t.field({
        type: shared('LicenseSource'),
        nullable: true,
        description: 'LIC-1: where the license comes from; null when denied.',
        resolve: (d) => d.licenseSource,
      }),
      billedAccount: t.field({
        type: 'Account',
        nullable: true,
        description: 'The account billed for the sign-in; null when denied.',
        resolve: (d, _args, ctx) => loadNode(ctx, 'Account', d.billedAccount?.id ?? null),
      }),
      steps: t.field({
        type: [shared('AccessStep')],
        description: 'Every check made, in order — the steps of explainAccess.',
        resolve: (d) => d.steps,
      }),
    }),
  });

/** A row about one person: who they are is shown when the row says the caller may know, or they may read them. */
interface PersonRow {
  userId: string;
  email: string;
  identifiable: boolean;
}

async function identified(ctx: Context, row: PersonRow): Promise<boolean> {
  return (
    row.identifiable || (await loadNode(ctx, 'User', row.userId).then((u) => visibleOrNull(ctx, 'User', u))) !== null
  );
}

/** The steps with the person's email replaced, for a caller who may not know who they are (§9). */
async function sideFor<D extends { steps: Step[] }>(ctx: Context, row: PersonRow, decision: D): Promise<D> {
  if (await identified(ctx, row)) return decision;
  return {
    ...decision,
    steps: decision.steps.map((s) => ({ ...s, detail: s.detail.replaceAll(row.email, 'this person') })),
  };
}

const PERSON_EMAIL =
  'The person (their identity profile’s email); null unless you administer the data source they have a user in, read the project’s team, or may read them (§9) — a row shown to you only because it moves your bill does not say who.';

/** The fields of a row about one person, resolved once for every kind of row (IMP-2). */
const PersonImpact = builder.interfaceRef<PersonRow>('PersonImpact').implement({
  description: 'IMP-2: a row of an impact about one person, who is named only to those who may know them (§9).',
  fields: (t) => ({
    email: t.field({
      type: 'EmailAddress',
      nullable: true,
      description: PERSON_EMAIL,
      resolve: async (c, _args, ctx) => ((await identified(ctx, c)) ? c.email : null),
    }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'The person’s profile; null unless you may read it (§9).',
      resolve: (c, _args, ctx) => loadNode(ctx, 'User', c.userId).then((u) => visibleOrNull(ctx, 'User', u)),
    }),
  }),
});

const AccessChangeType = builder.objectRef<ChangeImpactShape['access'][number]>('AccessChange').implement({
  interfaces: [PersonImpact],
  description:
    'IMP-2: a person whose entry to a data source, or whose bill for it, the change would change — for one product (PW_EXPLORER, and every product they used there in the last 90 days), on a machine without a reserved license.',
  fields: (t) => ({
    kind: t.field({ type: AccessChangeKindEnum, description: 'What changes.', resolve: (c) => c.kind }),
    dataSource: t.field({
      type: 'DataSource',
      nullable: true,
      description:
        'The data source; null unless you may read it (the row is shown to you because it moves a bill you may read).',
      resolve: (c, _args, ctx) => visibleOrNull(ctx, 'DataSource', c.dataSource),
    }),
    product: t.exposeString('product', { description: 'The product code decided for.' }),
    before: t.field({
      type: AccessOutcomeType,
      description: 'The decision before the change.',
      resolve: (c, _args, ctx) => sideFor(ctx, c, c.before),
    }),
    after: t.field({
      type: AccessOutcomeType,
      description: 'The decision after the change.',
      resolve: (c, _args, ctx) => sideFor(ctx, c, c.after),
    }),
  }),
});

const ProjectAccessChangeType = builder.objectRef<ProjectAccessChange>('ProjectAccessChange').implement({
  interfaces: [PersonImpact],
  description:
    'IMP-2 for projects: a team member whose opening of a project (EXT-5) the change would grant or deny, or whose bill for it would move — for PW_EXPLORER and every product they opened it with in the last 90 days.',
  fields: (t) => ({
    kind: t.field({ type: AccessChangeKindEnum, description: 'What changes.', resolve: (c) => c.kind }),
    project: t.field({
      type: 'Project',
      nullable: true,
      description: 'The project; null unless you may read it.',
      resolve: (c, _args, ctx) => visibleOrNull(ctx, 'Project', c.project),
    }),
    product: t.exposeString('product', { description: 'The product code decided for.' }),
    before: t.field({
      type: AccessOutcomeType,
      description: 'openProject’s decision before the change.',
      resolve: (c, _args, ctx) => sideFor(ctx, c, c.before),
    }),
    after: t.field({
      type: AccessOutcomeType,
      description: 'openProject’s decision after the change.',
      resolve: (c, _args, ctx) => sideFor(ctx, c, c.after),
    }),
  }),
});

const TeamChangeKindEnum = builder.enumType('TeamChangeKind', {
  description: 'IMP-4: how one person’s place in a project’s team changes.',
  values: describedValues(TEAM_CHANGE_KINDS, {
    JOINS_TEAM: 'Not a team member before the change, a member after it.',
    LEAVES_TEAM: 'A team member before the change, not after it.',
    ROLES_CHANGE: 'A team member before and after, holding other roles or other DM permissions.',
  }),
});

const TeamOutcomeType = builder.objectRef<TeamSide & { projectId: string }>('TeamOutcome').implement({
  description: 'One side of a team change: membership, roles and DM permissions in that state, and why.',
  fields: (t) => ({
    teamMember: t.exposeBoolean('member', { description: 'On the project’s team.' }),
    source: t.string({
      nullable: true,
      description:
        'How they joined: WORK_AREA (a synchronization, DM-5…DM-7) or TEAM (added directly, PRJ-7); null when not a member.',
      resolve: (side) => side.source,
    }),
    roles: t.field({
      type: ['ProjectRole'],
      description: 'The roles they hold (PRJ-4).',
      resolve: (side) =>
        side.roles.map((role) =>
          role.kind === 'BUILT_IN'
            ? { id: builtInRoleId(side.projectId, role.key), projectId: side.projectId, role }
            : { id: role.id, projectId: side.projectId, role },
        ),
    }),
    dmPermissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      description: 'PRJ-5/PRJ-8: the Deliverables Management permissions they hold in the project.',
      resolve: (side) => side.dmPermissions,
    }),
    steps: t.field({
      type: [shared('AccessStep')],
      description:
        'Why: for a named user of the project’s connector, the steps of explainParticipant (WA-1/WA-1b, DM-1, DM-4, DM-3, DM-10); otherwise their membership (PRJ-7).',
      resolve: (side) => side.steps,
    }),
  }),
});

const TeamChangeType = builder.objectRef<TeamChange>('TeamChange').implement({
  description:
    'IMP-4: a person who would join or leave a project’s team, or change roles or DM permissions there. Shown to those who may read the team (§9: ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS; each member their own).',
  fields: (t) => ({
    kind: t.field({ type: TeamChangeKindEnum, description: 'What changes.', resolve: (c) => c.kind }),
    email: t.field({ type: 'EmailAddress', description: 'The person.', resolve: (c) => c.email }),
    user: t.field({
      type: 'User',
      nullable: true,
      description: 'The person’s profile; null unless you may read it (§9).',
      resolve: (c, _args, ctx) => loadNode(ctx, 'User', c.userId).then((u) => visibleOrNull(ctx, 'User', u)),
    }),
    project: t.field({
      type: 'Project',
      nullable: true,
      description: 'The project; null unless you may read it.',
      resolve: (c, _args, ctx) => visibleOrNull(ctx, 'Project', c.project),
    }),
    before: t.field({
      type: TeamOutcomeType,
      description: 'Before the change.',
      resolve: (c) => ({ ...c.before, projectId: c.project.id }),
    }),
    after: t.field({
      type: TeamOutcomeType,
      description: 'After the change.',
      resolve: (c) => ({ ...c.after, projectId: c.project.id }),
    }),
  }),
});

const BillableUsersChangeType = builder.objectRef<BillableUsersChange>('BillableUsersChange').implement({
  description:
    'IMP-3: an account’s billable users of one product (LIC-4: distinct users) over the last 90 days of recorded usage, before → after: each recorded sign-in the change concerns is decided again in each state; every other use counts as it was billed.',
  fields: (t) => ({
    account: t.field({
      type: 'Account',
      description: 'The billed account (you are one of its IMS admins).',
      resolve: (c, _args, ctx) => loadNode(ctx, 'Account', c.accountId),
    }),
    product: t.exposeString('product', { description: 'The product code.' }),
    before: t.exposeInt('before', { description: 'Billable users without the change.' }),
    after: t.exposeInt('after', { description: 'Billable users had the change been in place over the period.' }),
  }),
});

builder.objectType('ChangeImpact', {
  description:
    'Issue 14: what a change would do, computed by running it and rolling it back (dryRun: true). Rows you may not read are left out (§9).',
  fields: (t) => ({
    access: t.field({
      type: [AccessChangeType],
      description:
        'IMP-2: who gains or loses entry to which data source, and whose license source or billed account changes — by data source, then email.',
      resolve: (i) => i.access,
    }),
    team: t.field({
      type: [TeamChangeType],
      description:
        'IMP-4: who joins or leaves the team of a project the change concerns (named, or whose connector reaches a data source it names), or changes roles or DM permissions there — by project number, then email.',
      resolve: (i) => i.team,
    }),
    projectAccess: t.field({
      type: [ProjectAccessChangeType],
      description:
        'IMP-2 for projects: who gains or loses the opening of a concerned project (EXT-5), or whose license source or billed account for it changes — by project number, then email. Shown to those who may read its team, and to the IMS admins of an account billed before or after.',
      resolve: (i) => i.projectAccess,
    }),
    billableUsers: t.field({
      type: [BillableUsersChangeType],
      description:
        'IMP-3: for each account whose bill the change moves and whose usage you may read, billable users per product, before → after.',
      resolve: (i) => i.billableUsers,
    }),
    estimateDays: t.exposeInt('estimateDays', {
      description: 'The days of recorded usage billableUsers looks back over.',
    }),
  }),
});
