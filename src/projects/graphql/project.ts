// PRJ-1 / PRJ-2 in the schema: Project and its settings, project(id), Account.projects, User.projects,
// and the mutations createProject, updateProject, enableDeliverables.
import { z } from 'zod';
import type { ProjectRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { authzExtension, defineMutation, successOf } from '../../graphql/mutation.js';
import { loadNode, visibleNode } from '../../graphql/visibility.js';
import { accountProjectsPage, userProjectsPage, viewerMemberships } from '../loaders.js';
import { PROJECT_NUMBER_MAX_LENGTH } from '../rules/settings.js';
import * as projects from '../service.js';
import { Project } from './nodes.js';

const projectNumber = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(PROJECT_NUMBER_MAX_LENGTH, `must be at most ${PROJECT_NUMBER_MAX_LENGTH} characters`);
const projectName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

builder.objectFields(Project, (t) => ({
  number: t.exposeString('number', { description: 'PRJ-1: 1–40 characters, unique within the account ignoring case.' }),
  name: t.exposeString('name', { description: 'The project name (updateProject renames it).' }),
  account: t.field({
    type: 'Account',
    description: 'PRJ-1: the account the project belongs to (its creator’s home account).',
    resolve: (p, _args, ctx) => loadNode(ctx, 'Account', p.accountId),
  }),
  createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the project was created (UTC).' }),
  deliverablesEnabled: t.boolean({
    description: 'PRJ-2: Deliverables Management is enabled (it cannot be turned off).',
    resolve: (p) => p.deliverablesEnabledAt !== null,
  }),
  deliverablesEnabledAt: t.expose('deliverablesEnabledAt', {
    type: 'DateTime',
    nullable: true,
    description: 'PRJ-2: when Deliverables Management was enabled; null while it is not.',
  }),
  internalDomain: t.exposeString('internalDomain', {
    nullable: true,
    description:
      'PRJ-2: the email domain of the user who enabled Deliverables Management, fixed from then on; null while it is not enabled. DM-1 compares participants’ email domains with it.',
  }),
}));

/** The accounts the viewer administers (for lists that show what authz lets them read). */
function administeredAccounts(ctx: Context): string[] {
  return [...ctx.subject().rolesByAccount.keys()].filter((accountId) =>
    ctx.can({ action: 'account.administer', accountId }),
  );
}

builder.objectField('Account', 'projects', (t) =>
  t.connection({
    type: Project,
    description:
      'PRJ-1: the account’s projects you may read (§9: all of them for its IMS admins; otherwise those whose team you are on), by number.',
    resolve: async (a, args, ctx) =>
      await accountProjectsPage(ctx.db, args, a.id, ctx.viewer?.id ?? '', administeredAccounts(ctx)),
  }),
);

builder.objectField('User', 'projects', (t) =>
  t.connection({
    type: Project,
    description:
      'The projects whose team this user is on (PRJ-7), by number: all of them on your own profile; on anyone else’s only those whose team you may read (§9: holders of ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS, IMS admins of the project’s account).',
    resolve: async (u, args, ctx) => {
      if (ctx.viewer?.id === u.id) return await userProjectsPage(ctx.db, args, u.id, { all: true });
      const teamReaderOf = (await viewerMemberships(ctx.db, ctx.viewer?.id ?? ''))
        .filter(({ project, roles }) =>
          ctx.can({
            action: 'team.read',
            project: { accountId: project.accountId, viewerRoles: roles },
            memberUserId: null,
          }),
        )
        .map(({ project }) => project.id);
      return await userProjectsPage(ctx.db, args, u.id, { teamReaderOf, adminAccountIds: administeredAccounts(ctx) });
    },
  }),
);

builder.queryField('project', (t) =>
  t.field({
    extensions: authzExtension(['project.read', 'team.read', 'projectLink.read', 'connector.readState']),
    type: Project,
    nullable: true,
    description:
      'A project you may read: you are on its team, or an IMS admin of its account (§9); null otherwise, exactly as for a missing id.',
    authScopes: { registered: true },
    args: { id: t.arg.globalID({ required: true, for: Project, description: 'Global id of a Project.' }) },
    resolve: (_root, args, ctx) => visibleNode<ProjectRow>(ctx, 'Project', args.id.id),
  }),
);

const ProjectSuccess = successOf('project', Project, 'The project, as it is now.');

export const CreateProjectInput = builder.inputType('CreateProjectInput', {
  description: 'PRJ-1: a new project of your home account (you need an IMS admin role there).',
  fields: (t) => ({
    number: t.string({
      required: true,
      description: `1–${PROJECT_NUMBER_MAX_LENGTH} characters (trimmed), unique within the account ignoring case (PROJECT_NUMBER_TAKEN).`,
      validate: projectNumber,
    }),
    name: t.string({ required: true, description: '1–200 characters (trimmed).', validate: projectName }),
  }),
});

defineMutation('createProject', {
  description:
    'PRJ-1: create a project of your home account (NO_HOME_ACCOUNT when you have none); you become its first Project Owner.',
  input: CreateProjectInput,
  inputDescription: 'The new project.',
  success: ProjectSuccess('CreateProjectSuccess', 'The project; you are on its team as its Project Owner.'),
  authz: ['project.create'],
  resolve: async (input, ctx) => ({ project: await projects.createProject(ctx.service(), input) }),
});

export const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  description: 'PRJ-1: rename or renumber a project. Fields left out stay as they are.',
  fields: (t) => ({
    projectId: t.globalID({
      required: true,
      for: Project,
      description: 'The project (you are a Project Owner or an IMS admin of its account).',
    }),
    number: t.string({
      description: `New number, 1–${PROJECT_NUMBER_MAX_LENGTH} characters, unique within the account (PROJECT_NUMBER_TAKEN).`,
      validate: projectNumber,
    }),
    name: t.string({ description: 'New name, 1–200 characters.', validate: projectName }),
  }),
});

defineMutation('updateProject', {
  description: 'PRJ-1 / PRJ-7: rename or renumber a project (Project Owners and IMS admins of its account).',
  input: UpdateProjectInput,
  inputDescription: 'The project and what changes.',
  success: ProjectSuccess('UpdateProjectSuccess', 'The project with its new number and name.'),
  authz: ['project.manageSettings'],
  resolve: async (input, ctx) => ({
    project: await projects.updateProject(ctx.service(), { ...input, projectId: input.projectId.id }),
  }),
});

export const EnableDeliverablesInput = builder.inputType('EnableDeliverablesInput', {
  description: 'PRJ-2: the project to enable Deliverables Management on.',
  fields: (t) => ({
    projectId: t.globalID({
      required: true,
      for: Project,
      description: 'The project (you are a Project Owner or an IMS admin, and a member of its account).',
    }),
  }),
});

defineMutation('enableDeliverables', {
  description:
    "PRJ-2: enable Deliverables Management; your email domain becomes the project's internal domain, fixed from then on (DELIVERABLES_ALREADY_ENABLED on a second call).",
  input: EnableDeliverablesInput,
  inputDescription: 'The project.',
  success: ProjectSuccess('EnableDeliverablesSuccess', 'The project, with Deliverables Management enabled.'),
  authz: ['project.enableDeliverables'],
  resolve: async (input, ctx) => ({
    project: await projects.enableDeliverables(ctx.service(), { projectId: input.projectId.id }),
  }),
});
