// WA-2 and DM-5 … DM-7 in the schema: Project.workArea, WorkArea.project, the synchronization report,
// and the mutations associateWorkArea, dissociateWorkArea, synchronizeDeliverables,
// synchronizeWorkAreaConnection.
import type { ProjectRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import { defineMutation } from '../../graphql/mutation.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, nodeType, visibleNode, visibleOrNull, whenAllowed } from '../../graphql/visibility.js';
import { connectorByProject, connectorByWorkArea } from '../loaders.js';
import type { SyncPlan } from '../rules/sync-plan.js';
import * as deliverables from '../service.js';
import { CHANGE_KINDS, type SyncChange } from '../service.js';

builder.objectFields('Project', (t) => ({
  workArea: t.field({
    type: 'WorkArea',
    nullable: true,
    description:
      'WA-2: the associated work area (its participants are the connector, §7); null when none is associated or you may not read it (§9: its data source’s admins).',
    resolve: async (p, _args, ctx) =>
      visibleNode(ctx, 'WorkArea', (await connectorByProject(ctx).load(p.id))?.workAreaId),
  }),
  deliverablesSynchronizedAt: t.field({
    type: 'DateTime',
    nullable: true,
    description:
      'DM-5 … DM-7: when the connector last synchronized; null when no work area is associated, or for members of a linked project (EXT-3: the connector is not theirs to see).',
    resolve: async (p, _args, ctx) =>
      whenAllowed(
        ctx,
        { action: 'connector.readState', project: await shared('projectFactsOf')(ctx, p) },
        async () => (await connectorByProject(ctx).load(p.id))?.synchronizedAt ?? null,
      ),
  }),
}));

builder.objectField('WorkArea', 'project', (t) =>
  t.field({
    type: 'Project',
    nullable: true,
    description: 'WA-2: the project this work area is associated with; null when none, or you may not read it (§9).',
    resolve: async (w, _args, ctx) =>
      visibleNode(ctx, 'Project', (await connectorByWorkArea(ctx).load(w.id))?.projectId),
  }),
);

const ChangeKindEnum = builder.enumType('SynchronizationChangeKind', {
  description: 'What one change of a synchronization did (DM-5 … DM-7).',
  values: describedValues(CHANGE_KINDS, {
    MEMBER_ADDED:
      'A person joined the team (source WORK_AREA) with the roles their connector permissions translate to (DM-3).',
    MEMBER_REMOVED:
      'DM-7: a WORK_AREA member left the team (no participant behind them any more, or *Everyone only without VIEW_PACKAGE).',
    ROLE_ASSIGNED: 'DM-10: a team role their connector permissions translate to was missing.',
    ROLE_UNASSIGNED: 'DM-10: a PWDM role their connector permissions no longer translate to.',
    ENTRY_INITIALIZED: 'DM-2: a connector entry got its default permissions.',
    ENTRY_DELETED: 'DM-2 / DM-10: a connector entry went (its participant or team-made user is gone).',
    USER_SYNCHRONIZED:
      'DM-1: a named user with an email and a registered profile is synchronized (no longer NO_ACCESS_YET).',
    USER_UNSYNCHRONIZED: 'DM-1: a user is no longer a named user with a registered profile.',
  }),
});

const ChangeType = builder.objectRef<SyncChange>('SynchronizationChange').implement({
  description: 'One change a synchronization made, with the rule and the reason (DM-6: "reports what it changed").',
  fields: (t) => ({
    change: t.field({ type: ChangeKindEnum, description: 'What changed.', resolve: (c) => c.change }),
    rule: t.string({ description: 'The rule id that decided it.', resolve: (c) => c.reason.rule }),
    detail: t.string({ description: 'Why, in words.', resolve: (c) => c.reason.detail }),
    email: t.field({
      type: 'EmailAddress',
      nullable: true,
      description: 'The person concerned (team and synchronization changes).',
      resolve: async (c, _args, ctx) => (c.profileId ? (await loadNode(ctx, 'User', c.profileId)).email : null),
    }),
    roles: t.field({
      type: [shared('BuiltInProjectRoleEnum')],
      description: 'The team roles added or removed (for MEMBER_ADDED: the roles they joined with).',
      resolve: (c) => c.roles,
    }),
    principal: t.field({
      type: shared('Principal'),
      nullable: true,
      description: 'The entry or data-source user concerned, when you may read it (§9: the data source’s admins).',
      resolve: async (c, _args, ctx) => {
        if (!c.principal) return null;
        const value = await shared('loadPrincipal')(ctx, c.principal);
        return visibleOrNull(ctx, shared('principalTypename')(c.principal.kind), value);
      },
    }),
    permissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      nullable: true,
      description: 'ENTRY_INITIALIZED: the permissions the entry got.',
      resolve: (c) => c.permissions,
    }),
  }),
});

const ReportType = builder.objectRef<SyncPlan>('SynchronizationReport').implement({
  description: 'What a synchronization changed (DM-5 … DM-7), each change with its reason.',
  fields: (t) => ({
    rule: t.exposeString('kind', { description: 'DM-5 (association), DM-6 or DM-7.' }),
    changed: t.boolean({
      description: 'Anything changed (DM-6 run twice in a row: false the second time).',
      resolve: (p) => deliverables.planChanges(p).length > 0,
    }),
    changes: t.field({
      type: [ChangeType],
      description: 'Every change, team first.',
      resolve: (p) => deliverables.planChanges(p),
    }),
  }),
});

const SyncSuccess = (name: string, description: string) =>
  builder.objectRef<deliverables.SynchronizationResult>(name).implement({
    description,
    fields: (t) => ({
      project: t.field({ type: 'Project', description: 'The project, as it is now.', resolve: (r) => r.project }),
      synchronization: t.field({
        type: ReportType,
        description: 'What the synchronization changed.',
        resolve: (r) => r.plan,
      }),
    }),
  });

export const AssociateWorkAreaInput = builder.inputType('AssociateWorkAreaInput', {
  description: 'WA-2: a work area and a project of the same account, DM enabled on the project.',
  fields: (t) => ({
    projectId: t.globalID({
      required: true,
      for: nodeType('Project'),
      description: 'The project (you are a Project Owner or an IMS admin of its account).',
    }),
    workAreaId: t.globalID({
      required: true,
      for: nodeType('WorkArea'),
      description: 'The work area (you administer its data source).',
    }),
  }),
});

defineMutation('associateWorkArea', {
  description:
    'WA-2 / DM-5: associate a work area with a project; the initial synchronization runs in the same transaction (its participants become the team). Tip (seed 002): associate an empty work area first to add nobody.',
  input: AssociateWorkAreaInput,
  inputDescription: 'The project and the work area.',
  success: SyncSuccess('AssociateWorkAreaSuccess', 'Associated; the initial synchronization ran.'),
  dryRun: true,
  authz: ['dataSource.administer', 'project.manageSettings'],
  resolve: async (input, ctx) =>
    await deliverables.associateWorkArea(ctx.service(), {
      projectId: input.projectId.id,
      workAreaId: input.workAreaId.id,
    }),
});

/** `<Name>Input { projectId }`: the project whose connector a mutation acts on (API: one input per mutation). */
const projectInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      projectId: t.globalID({ required: true, for: nodeType('Project'), description: 'The project.' }),
    }),
  });

const DissociateSuccess = builder.objectRef<ProjectRow>('DissociateWorkAreaSuccess').implement({
  description: 'Dissociated: the connector entries are gone; WORK_AREA members stay as TEAM members with their roles.',
  fields: (t) => ({
    project: t.field({ type: 'Project', description: 'The project, as it is now.', resolve: (p) => p }),
  }),
});

defineMutation('dissociateWorkArea', {
  description:
    'WA-2: dissociate the project’s work area (same callers as associating). The connector entries go; WORK_AREA team members stay, as TEAM members with their roles.',
  input: projectInput('DissociateWorkAreaInput', 'WA-2: the project whose work area to dissociate.'),
  inputDescription: 'The project.',
  success: DissociateSuccess,
  dryRun: true,
  authz: ['project.manageSettings', 'dataSource.administer'],
  resolve: async (input, ctx) =>
    await deliverables.dissociateWorkArea(ctx.service(), { projectId: input.projectId.id }),
});

defineMutation('synchronizeDeliverables', {
  description:
    'DM-6: synchronize on demand (MANAGE_SETTINGS; NO_WORK_AREA_ASSOCIATED without a work area): defaults for new entries, NO_ACCESS_YET users moved on, named users with VIEW_PACKAGE added, roles reconciled. Never removes a team member; twice in a row, the second run changes nothing.',
  input: projectInput('SynchronizeDeliverablesInput', 'DM-6: the project to synchronize.'),
  inputDescription: 'The project.',
  success: SyncSuccess('SynchronizeDeliverablesSuccess', 'Synchronized; the report says what changed and why.'),
  dryRun: true,
  authz: ['deliverables.manage'],
  resolve: async (input, ctx) =>
    await deliverables.synchronize(ctx.service(), { projectId: input.projectId.id }, 'DM-6'),
});

defineMutation('synchronizeWorkAreaConnection', {
  description:
    'DM-7: what DM-6 does, then the WORK_AREA members become exactly the named users association would add — the missing are added, the others removed. TEAM members and Project Owners are never removed.',
  input: projectInput(
    'SynchronizeWorkAreaConnectionInput',
    'DM-7: the project whose work-area connection to synchronize.',
  ),
  inputDescription: 'The project.',
  success: SyncSuccess(
    'SynchronizeWorkAreaConnectionSuccess',
    'Synchronized; the report says who was added and removed and why.',
  ),
  dryRun: true,
  authz: ['deliverables.manage'],
  resolve: async (input, ctx) =>
    await deliverables.synchronize(ctx.service(), { projectId: input.projectId.id }, 'DM-7'),
});
