// DM-1 … DM-9 in the schema: the connector listing (Project.deliverablesParticipants), each entry's
// named users with their status, connector and effective permissions, and explainParticipant /
// explanation (the ordered steps, DM-9).

import type { Step } from '../../access/rules/access.js';
import type { ProjectRow } from '../../db/schema.js';
import { PRINCIPAL_KINDS } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { authzExtension } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, nodeType, visibleNode, visibleOrNull, whenAllowed } from '../../graphql/visibility.js';
import { imsAdminIds } from '../../identity/service.js';
import { deliverablesFactsOf } from '../loaders.js';
import { explainUser } from '../rules/explain.js';
import { namedUserById } from '../rules/named-users.js';
import type { DmStatus } from '../rules/status.js';
import { DM_STATUSES } from '../rules/status.js';
import type { ListingEntry, NamedUserView } from '../service.js';
import * as deliverables from '../service.js';
import { ENTRY_ORIGINS } from '../tables.js';

const StatusEnum = builder.enumType('ParticipantStatus', {
  description:
    'DM-1: where a named user stands in Deliverables Management, computed when read from their data-source email.',
  values: describedValues(DM_STATUSES, {
    EMAIL_ADDRESS_MISSING:
      'The data-source user has no email: permissions cannot be configured. Add one and synchronize.',
    IMS_ACCOUNT_MISSING:
      'No registered identity profile has the email: the person must register (ID-1); until then nothing can be configured.',
    NO_ACCESS_YET:
      'Email and profile, but not synchronized since they became a named user (or since the email or profile appeared): they join at the next synchronization.',
    ACTIVE_USER: 'Synchronized, and the email is in the project’s internal domain.',
    DIFFERENT_EMAIL_DOMAIN:
      'Synchronized, in another domain: no default permissions and nothing inherited from groups, lists or *Everyone; permissions may be turned on individually (DM-8).',
  }),
});

const KindEnum = builder.enumType('DeliverablesEntryKind', {
  description: 'What a connector entry stands for (a work-area participant’s kind, WA-1).',
  values: describedValues(PRINCIPAL_KINDS, {
    USER: 'One data-source user.',
    GROUP: 'A group (expanded into its users, DM-3).',
    LIST: 'A user list (expanded transitively).',
    EVERYONE: '*Everyone: every user of the data source; its entry starts with every permission off (DM-2).',
  }),
});

const OriginEnum = builder.enumType('DeliverablesEntryOrigin', {
  description: 'DM-10: where a connector entry comes from.',
  values: describedValues(ENTRY_ORIGINS, {
    PARTICIPANT: 'A participant of the associated work area.',
    TEAM: 'Made by the team (a DM role assigned to a named user who is not an individual participant); deleted when they leave the team.',
  }),
});

/** The connector facts of a project, once per request (the listing and its entries read them). */
async function listingOf(ctx: Context, project: ProjectRow): Promise<ListingEntry[]> {
  const facts = await deliverablesFactsOf(ctx).load(project);
  return facts ? deliverables.connectorListing(facts, await imsAdminIds(ctx.db, project.accountId)) : [];
}

type UserView = NamedUserView & { project: ProjectRow };

/** PRJ-8 of a named user, live — null without a profile, and (§9, as effectivePermissions(projectId,
 *  userId)) for someone neither on the team nor readable by you: their IMS roles would show. */
async function effectivePermissionsOf(ctx: Context, u: UserView) {
  const permissions = u.effective();
  if (!permissions || !u.named.profileId) return null;
  if (!(await shared('mayShowPermissionsOf')(ctx, u.named.profileId, u.teamMember))) return null;
  const user = await loadNode(ctx, 'User', u.named.profileId);
  return { project: u.project, user, permissions };
}

const NamedUserType = builder.objectRef<UserView>('DeliverablesNamedUser').implement({
  description:
    'A named user of the connector (§7): a data-source user behind a participant, after expansion (WA-1, WA-1b).',
  fields: (t) => ({
    dataSourceUser: t.field({
      type: 'DataSourceUser',
      nullable: true,
      description: 'The data-source user, when you may read it (§9: the data source’s admins).',
      resolve: async (u, _args, ctx) => {
        const value = await shared('loadPrincipal')(ctx, { kind: 'USER', id: u.named.userId });
        return visibleOrNull(ctx, 'DataSourceUser', value as never);
      },
    }),
    email: t.string({
      nullable: true,
      description: 'DM-1: the data-source email it is judged by (lower case); null when missing.',
      resolve: (u) => u.named.email,
    }),
    status: t.field({ type: StatusEnum, description: 'DM-1, computed when read.', resolve: (u) => u.named.status }),
    statusReason: t.string({
      description: 'DM-1: why, in words (the last step of `statusSteps`).',
      resolve: (u) => u.named.statusSteps.at(-1)?.detail ?? '',
    }),
    statusSteps: t.field({
      type: [shared('AccessStep')],
      description: 'DM-1: the checks that gave the status.',
      resolve: (u) => u.named.statusSteps,
    }),
    connectorPermissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      description:
        'DM-4: their own entry’s, else the union of their groups’, lists’ and *Everyone’s (none in another domain).',
      resolve: (u) => u.named.connectorPermissions,
    }),
    connectorSteps: t.field({
      type: [shared('AccessStep')],
      description: 'DM-4: which entry decided, or which entries contributed.',
      resolve: (u) => u.named.connectorSteps,
    }),
    effectivePermissions: t.field({
      type: shared('EffectivePermissions'),
      nullable: true,
      description: 'PRJ-8, read live; null without a registered profile.',
      resolve: (u, _args, ctx) => effectivePermissionsOf(ctx, u),
    }),
    explanation: t.field({
      type: [shared('AccessStep')],
      description:
        'Every step that places them (WA-1/WA-1b named user, DM-1 status, DM-4 connector permissions, DM-3 translation, DM-10 team), in order.',
      resolve: async (u, _args, ctx) => {
        const facts = await deliverablesFactsOf(ctx).load(u.project);
        return facts ? explainUser(facts, u.named.userId).steps : [];
      },
    }),
    teamMember: t.boolean({ description: 'They are on the project team.', resolve: (u) => u.teamMember }),
    pendingSync: t.boolean({
      description: 'DM-9: a data-source change (membership, email, participant) awaits a synchronization for them.',
      resolve: (u) => u.pendingSync,
    }),
    managedInTeam: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      description:
        'DM-9: DM permissions a team role still grants although the connector lost them (remove them in the team).',
      resolve: (u) => u.managedInTeam(),
    }),
  }),
});

type EntryView = ListingEntry & { project: ProjectRow; index: number };

const ParticipantType = builder.objectRef<EntryView>('DeliverablesParticipant').implement({
  description: 'DM-9: one connector entry — a work-area participant, or a team-made entry (DM-10).',
  fields: (t) => ({
    principal: t.field({
      type: shared('Principal'),
      nullable: true,
      description: 'The participant, when you may read it (§9: the data source’s admins); `name` always says who.',
      resolve: async (e, _args, ctx) => {
        const value = await shared('loadPrincipal')(ctx, e.principal);
        return visibleOrNull(ctx, shared('principalTypename')(e.principal.kind), value);
      },
    }),
    name: t.string({
      description: 'Who: a user’s login, a group’s or list’s name, or "*Everyone".',
      resolve: async (e, _args, ctx) => {
        const value = (await shared('loadPrincipal')(ctx, e.principal)) as { login?: string; name?: string };
        return e.principal.kind === 'EVERYONE' ? '*Everyone' : (value.login ?? value.name ?? '');
      },
    }),
    kind: t.field({ type: KindEnum, description: 'User, group, list or *Everyone.', resolve: (e) => e.principal.kind }),
    origin: t.field({
      type: OriginEnum,
      description: 'A participant’s entry or a team-made one (DM-10).',
      resolve: (e) => e.origin,
    }),
    role: t.field({
      type: shared('WorkAreaRoleEnum'),
      nullable: true,
      description: 'WA-1: the participant’s work-area role (its defaults, DM-2); null for a team-made entry.',
      resolve: (e) => e.role,
    }),
    configuredPermissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      nullable: true,
      description: 'DM-2 / DM-8: what the entry holds; null until a synchronization gives it its defaults.',
      resolve: (e) => e.configuredPermissions,
    }),
    user: t.field({
      type: NamedUserType,
      nullable: true,
      description:
        'For a user entry: the named user (status, connector and effective permissions); null for groups, lists and *Everyone.',
      resolve: (e) => (e.user ? { ...e.user, project: e.project } : null),
    }),
    namedUsers: t.connection({
      type: NamedUserType,
      description:
        'The named users the entry reaches (a group, list or *Everyone expanded, WA-1b applied), in data-source order.',
      resolve: (e, args) =>
        listPage(
          'DeliverablesParticipant.namedUsers',
          e.reaches().map((u, i) => ({ ...u, project: e.project, i })),
          args,
          (u) => [u.i],
        ),
    }),
    // API.md lists these on the listing entry itself: for a user entry they are its named user's.
    status: t.field({
      type: StatusEnum,
      nullable: true,
      description: 'DM-1 for a user entry (as `user.status`); null for groups, lists and *Everyone.',
      resolve: (e) => e.user?.named.status ?? null,
    }),
    statusReason: t.string({
      nullable: true,
      description: 'DM-1: why, for a user entry (as `user.statusReason`).',
      resolve: (e) => e.user?.named.statusSteps.at(-1)?.detail ?? null,
    }),
    connectorPermissions: t.field({
      type: [shared('DeliverablesPermissionEnum')],
      nullable: true,
      description: 'DM-4 for a user entry (as `user.connectorPermissions`); null for groups, lists and *Everyone.',
      resolve: (e) => e.user?.named.connectorPermissions ?? null,
    }),
    effectivePermissions: t.field({
      type: shared('EffectivePermissions'),
      nullable: true,
      description: 'PRJ-8 for a user entry (as `user.effectivePermissions`).',
      resolve: (e, _args, ctx) => (e.user ? effectivePermissionsOf(ctx, { ...e.user, project: e.project }) : null),
    }),
    teamMember: t.boolean({
      nullable: true,
      description: 'For a user entry: they are on the project team; null for groups, lists and *Everyone.',
      resolve: (e) => e.user?.teamMember ?? null,
    }),
    pendingSync: t.boolean({
      description: 'DM-9: a synchronization would change this entry or its user.',
      resolve: (e) => e.pendingSync,
    }),
  }),
});

builder.objectField('Project', 'deliverablesParticipants', (t) =>
  t.connection({
    type: ParticipantType,
    nullable: true,
    description:
      'DM-9: the connector listing — every participant entry, then team-made entries; empty when no work area is associated. For holders of MANAGE_SETTINGS (§9); null with FORBIDDEN for anyone else.',
    resolve: async (p, args, ctx) =>
      whenAllowed(ctx, { action: 'deliverables.manage', project: await shared('projectFactsOf')(ctx, p) }, async () =>
        listPage(
          'Project.deliverablesParticipants',
          (await listingOf(ctx, p)).map((e, index) => ({ ...e, project: p, index })),
          args,
          (e) => [e.index],
        ),
      ),
  }),
);

interface Explanation {
  named: boolean;
  status: DmStatus | null;
  steps: Step[];
}

const ExplanationType = builder.objectRef<Explanation>('ParticipantExplanation').implement({
  description: 'DM-9: why a data-source user stands where they do in the connector, step by step.',
  fields: (t) => ({
    named: t.exposeBoolean('named', {
      description:
        'A named user of the associated work area (WA-1; an individual NO_ACCESS participant is not, WA-1b).',
    }),
    status: t.field({
      type: StatusEnum,
      nullable: true,
      description: 'DM-1; null when not a named user.',
      resolve: (e) => e.status,
    }),
    steps: t.field({
      type: [shared('AccessStep')],
      description: 'The steps, in order, with rule ids.',
      resolve: (e) => e.steps,
    }),
  }),
});

builder.queryField('explainParticipant', (t) =>
  t.field({
    extensions: authzExtension(['project.read', 'deliverables.manage']),
    type: ExplanationType,
    nullable: true,
    description:
      "DM-9: explain one data-source user of the project's associated work area — named or not (WA-1b), status (DM-1), connector permissions (DM-4) and team roles (DM-3, DM-10). For holders of MANAGE_SETTINGS (FORBIDDEN otherwise); null when the project is missing or not yours to read, it has no associated work area, or the user is not one of its data source's.",
    authScopes: { registered: true },
    args: {
      projectId: t.arg.globalID({ required: true, for: nodeType('Project'), description: 'The project.' }),
      dataSourceUserId: t.arg.globalID({
        required: true,
        for: nodeType('DataSourceUser'),
        description: 'A user of the associated work area’s data source.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const project = await visibleNode(ctx, 'Project', args.projectId.id);
      if (!project) return null;
      const request = { action: 'deliverables.manage', project: await shared('projectFactsOf')(ctx, project) } as const;
      return whenAllowed(ctx, request, async () => {
        const facts = await deliverablesFactsOf(ctx).load(project);
        if (!facts?.emails.has(args.dataSourceUserId.id)) return null;
        const { named, steps } = explainUser(facts, args.dataSourceUserId.id);
        // Users no participant reaches are not the connector's to explain (nor to confirm they exist).
        if (!named && steps[0]?.rule === 'WA-1') return null;
        const user = named ? namedUserById(facts, args.dataSourceUserId.id) : undefined;
        return { named, status: user?.status ?? null, steps };
      });
    },
  }),
);
