// EXT-2 / EXT-3 in the schema: the links between an inviting project and its linked projects —
// `Project.linkedProjects` (on the inviting side) and `Project.linkedFrom` (on the linked side), read by
// the team members of either project (§9).
import type { ProjectLinkRow, ProjectRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { shared } from '../../graphql/shared.js';
import { loadNode, visibleNode, whenAllowed } from '../../graphql/visibility.js';
import { linksFrom, linksTo } from '../loaders.js';

const ProjectLink = builder.objectRef<ProjectLinkRow>('ProjectLink').implement({
  description: 'EXT-2: a linked project (an external organization’s) and the project that invited it.',
  fields: (t) => ({
    invitingProject: t.field({
      type: 'Project',
      nullable: true,
      description: 'The inviting project, when you may read it (EXT-3: members of the linked project may).',
      resolve: (l, _args, ctx) => visibleNode(ctx, 'Project', l.projectId),
    }),
    linkedProject: t.field({
      type: 'Project',
      nullable: true,
      description: 'The linked project, when you may read it (its team, its account’s IMS admins).',
      resolve: (l, _args, ctx) => visibleNode(ctx, 'Project', l.linkedProjectId),
    }),
    linkedAccount: t.field({
      type: 'Account',
      description: 'The external organization (account) that owns the linked project.',
      resolve: (l, _args, ctx) => loadNode(ctx, 'Account', l.linkedAccountId),
    }),
    linkedAt: t.expose('createdAt', { type: 'DateTime', description: 'When the invitation was accepted (UTC).' }),
  }),
});

/** §9 "read a link between projects": the team members of either project (and its account's IMS admins). */
const linkRead = async (ctx: Context, project: ProjectRow) =>
  ({ action: 'projectLink.read', project: await shared('projectFactsOf')(ctx, project) }) as const;

builder.objectFields('Project', (t) => ({
  linkedProjects: t.field({
    type: [ProjectLink],
    nullable: true,
    description:
      'EXT-2: the external organizations’ projects linked to this one. Its team members and IMS admins; null for anyone else.',
    resolve: async (p, _args, ctx) => whenAllowed(ctx, await linkRead(ctx, p), () => linksFrom(ctx).load(p.id)),
  }),
  linkedFrom: t.field({
    type: ProjectLink,
    nullable: true,
    description:
      'EXT-2: the project that invited this one (this project is linked to it); null when none, or for readers not on its team.',
    resolve: async (p, _args, ctx) =>
      whenAllowed(ctx, await linkRead(ctx, p), async () => (await linksTo(ctx).load(p.id))[0] ?? null),
  }),
}));
