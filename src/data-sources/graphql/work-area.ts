// WA-1 / WA-1b in the schema: WorkArea, its participants and named users, the workArea query, and
// creating work areas and setting or removing participants.
import type { DataSourceUserRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { authzExtension, defineMutation, successOf } from '../../graphql/mutation.js';
import { listPage } from '../../graphql/pagination.js';
import { visibleNode } from '../../graphql/visibility.js';
import { type ParticipantEntry, participantsByWorkArea, principalGraphLoader } from '../loaders.js';
import { expandParticipants, type NamedUserAccess, type Participant } from '../rules/principals.js';
import * as dataSourceService from '../service.js';
import { name } from './inputs.js';
import { DataSource, DataSourceUser, WorkArea, WorkAreaRoleEnum } from './nodes.js';
import { loadPrincipal, loginKeyOf, Principal, principalId, usersByLogin } from './principal.js';

export const ParticipantType = builder.objectRef<Participant>('WorkAreaParticipant').implement({
  description: 'A principal of the data source with its role in the work area (WA-1).',
  fields: (t) => ({
    principal: t.field({
      type: Principal,
      description: 'The user, group, user list or *Everyone that participates.',
      resolve: (p, _args, ctx) => loadPrincipal(ctx, p.principal),
    }),
    kind: t.string({ description: 'USER, GROUP, LIST or EVERYONE.', resolve: (p) => p.principal.kind }),
    role: t.field({ type: WorkAreaRoleEnum, description: 'Its role in the work area (WA-1).', resolve: (p) => p.role }),
  }),
});

export const NamedUserType = builder
  .objectRef<NamedUserAccess & { user: DataSourceUserRow }>('WorkAreaNamedUser')
  .implement({
    description:
      'A named user behind the work area’s participants (groups and lists expanded). An individual entry decides the role — an individual NO_ACCESS wins over every group (WA-1b); otherwise the most permissive role reaching them applies.',
    fields: (t) => ({
      user: t.field({ type: DataSourceUser, description: 'The data-source user.', resolve: (n) => n.user }),
      effectiveRole: t.field({
        type: WorkAreaRoleEnum,
        description:
          "The role that applies (WA-1b): their own entry's when they have one, else the most permissive of the entries reaching them.",
        resolve: (n) => n.effectiveRole,
      }),
      individual: t.boolean({
        description: 'The user has a participant entry of their own.',
        resolve: (n) => n.individual,
      }),
      via: t.connection({
        type: ParticipantType,
        description:
          'Every participant entry that reaches this user, in the order they were added (a connection: a work area may have many participants).',
        resolve: (n, args) => listPage('WorkAreaNamedUser.via', n.via as ParticipantEntry[], args, (p) => p.sortKey),
      }),
    }),
  });

builder.objectFields(WorkArea, (t) => ({
  name: t.exposeString('name', { description: 'Unique in the data source, ignoring case.' }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source it is a folder tree of; its principals are the possible participants.',
    resolve: (w) => w.dataSourceId,
  }),
  participants: t.connection({
    type: ParticipantType,
    description:
      'WA-1: participants with their roles, in the order they were added (a principal appears once; changing its role keeps its place).',
    resolve: async (w, args, ctx) =>
      listPage('WorkArea.participants', await participantsByWorkArea(ctx).load(w.id), args, (p) => p.sortKey),
  }),
  namedUsers: t.connection({
    type: NamedUserType,
    description: 'The participants expanded into named users with their effective role (WA-1, WA-1b), by login.',
    resolve: async (w, args, ctx) => {
      const [participants, graph] = await Promise.all([
        participantsByWorkArea(ctx).load(w.id),
        principalGraphLoader(ctx).load(w.dataSourceId),
      ]);
      const named = expandParticipants(graph, participants);
      const users = new Map(
        (
          await usersByLogin(
            ctx,
            named.map((n) => n.userId),
          )
        ).map((u) => [u.id, u]),
      );
      const rows = named.flatMap((n) => {
        const user = users.get(n.userId);
        return user ? [{ ...n, user }] : [];
      });
      return listPage('WorkArea.namedUsers', rows, args, (n) => loginKeyOf(n.user));
    },
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the work area was created (UTC).' }),
}));

export const CreateWorkAreaInput = builder.inputType('CreateWorkAreaInput', {
  description: 'WA-1: a new work area, without participants.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: DataSource, description: 'The data source (you administer it).' }),
    name: t.string({
      required: true,
      description: '1–200 characters, unique in the data source ignoring case (NAME_TAKEN).',
      validate: name,
    }),
  }),
});

export const SetWorkAreaParticipantInput = builder.inputType('SetWorkAreaParticipantInput', {
  description: 'Adds the principal with this role, or changes its role (a principal appears once).',
  fields: (t) => ({
    workAreaId: t.globalID({ required: true, for: WorkArea, description: 'The work area.' }),
    principalId: t
      .id({
        required: true,
        description: 'Id of a DataSourceUser, DataSourceGroup, UserList or EveryoneGroup of the same data source.',
      })
      .validate(principalId),
    role: t.field({ type: WorkAreaRoleEnum, required: true, description: 'Its role in the work area (WA-1).' }),
  }),
});

export const RemoveWorkAreaParticipantInput = builder.inputType('RemoveWorkAreaParticipantInput', {
  description: 'WA-1: the participant to remove (NOT_A_PARTICIPANT when it is not one).',
  fields: (t) => ({
    workAreaId: t.globalID({ required: true, for: WorkArea, description: 'The work area.' }),
    principalId: t
      .id({
        required: true,
        description: 'Id of the participating DataSourceUser, DataSourceGroup, UserList or EveryoneGroup.',
      })
      .validate(principalId),
  }),
});

export const WorkAreaSuccess = successOf('workArea', WorkArea, 'The work area, as it is now.');

defineMutation('createWorkArea', {
  description: 'WA-1: an admin of the data source creates a work area in it.',
  input: CreateWorkAreaInput,
  inputDescription: 'The new work area.',
  success: WorkAreaSuccess('CreateWorkAreaSuccess', 'The work area was created.'),
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    workArea: await dataSourceService.createWorkArea(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      name: input.name,
    }),
  }),
});

defineMutation('setWorkAreaParticipant', {
  description: 'WA-1: adds a participant or changes its role.',
  input: SetWorkAreaParticipantInput,
  inputDescription: 'The work area, principal and role.',
  success: WorkAreaSuccess('SetWorkAreaParticipantSuccess', 'The work area with the participant and its role.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    workArea: await dataSourceService.setWorkAreaParticipant(ctx.service(), {
      workAreaId: input.workAreaId.id,
      principal: input.principalId,
      role: input.role,
    }),
  }),
});

defineMutation('removeWorkAreaParticipant', {
  description: 'WA-1: removes a participant from a work area.',
  input: RemoveWorkAreaParticipantInput,
  inputDescription: 'The work area and principal.',
  success: WorkAreaSuccess('RemoveWorkAreaParticipantSuccess', 'The work area without the participant.'),
  dryRun: true,
  authz: ['dataSource.administer'],
  resolve: async (input, ctx) => ({
    workArea: await dataSourceService.removeWorkAreaParticipant(ctx.service(), {
      workAreaId: input.workAreaId.id,
      principal: input.principalId,
    }),
  }),
});

builder.queryField('workArea', (t) =>
  t.field({
    extensions: authzExtension(['dataSource.administer']),
    type: WorkArea,
    nullable: true,
    description: 'A work area of a data source you administer (null otherwise, §9).',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: WorkArea, description: 'Global id of a WorkArea.' }) },
    resolve: async (_root, args, ctx) => visibleNode(ctx, 'WorkArea', args.id.id),
  }),
);
