// EXT-5 in the schema: openProject and explainProjectAccess share one decision type, with the steps,
// license sources and denial reasons of a sign-in (lent by the access area through shared.ts).
import { GraphQLError } from 'graphql';
import { AppError } from '../../errors.js';
import { builder } from '../../graphql/builder.js';
import { productCodeInput } from '../../graphql/common.js';
import { authzExtension, defineMutation } from '../../graphql/mutation.js';
import { shared } from '../../graphql/shared.js';
import { explanation, loadNode, nodeType } from '../../graphql/visibility.js';
import * as organizations from '../service.js';

const ProjectAccessDecisionType = builder
  .objectRef<organizations.ExplainedProjectAccess>('ProjectAccessDecision')
  .implement({
    description:
      "EXT-5: may this team member open the project's Deliverables Management service with this product, and who pays — with the reasons.",
    fields: (t) => ({
      granted: t.boolean({ description: 'The user may open the project.', resolve: (a) => a.decision.granted }),
      denialReason: t.field({
        type: shared('AccessDenialReason'),
        nullable: true,
        description: 'Why it is denied (NOT_A_TEAM_MEMBER or NO_LICENSE); null when granted.',
        resolve: (a) => a.decision.denialReason,
      }),
      project: t.field({
        type: 'Project',
        description: 'The project (one you may read: otherwise there is no decision at all).',
        resolve: (a) => a.project,
      }),
      user: t.field({
        type: 'User',
        description: 'Whose access was decided (you, or a user you may read).',
        resolve: (a) => a.subject,
      }),
      licenseSource: t.field({
        type: shared('LicenseSource'),
        nullable: true,
        description: 'PROJECT_PROVIDED, OWN_ORGANIZATION or ASSOCIATED_ACCOUNT; null when denied.',
        resolve: (a) => a.decision.licenseSource,
      }),
      billedAccount: t.field({
        type: 'Account',
        nullable: true,
        description: 'The account that pays for opening the project; null when denied.',
        resolve: (a, _args, ctx) => loadNode(ctx, 'Account', a.decision.billedAccount?.id ?? null),
      }),
      steps: t.field({
        type: [shared('AccessStep')],
        description: 'Every check made, in order (EXT-5, EXT-4, LIC-1.3 … LIC-1.5), so anyone can see why.',
        resolve: (a) => a.decision.steps,
      }),
    }),
  });

const PRODUCT = 'The product code the client opens the project with, e.g. PW_EXPLORER (its entitlements pay).';

const OpenProjectInput = builder.inputType('OpenProjectInput', {
  description: "You, a team member, open the project's Deliverables Management service.",
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: nodeType('Project'), description: 'The project to open.' }),
    product: t.string({ required: true, description: PRODUCT, validate: productCodeInput }),
  }),
});

const ExplainProjectAccessInput = builder.inputType('ExplainProjectAccessInput', {
  description: 'The same as OpenProjectInput, plus optionally whom to explain it for.',
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: nodeType('Project'), description: 'The project.' }),
    product: t.string({ required: true, description: PRODUCT, validate: productCodeInput }),
    userId: t.globalID({
      for: nodeType('User'),
      description:
        "Explain for another user: Project Owners and IMS admins of the project's account, about a user they may read. Default: you.",
    }),
  }),
});

const OpenProjectSuccess = builder.objectRef<organizations.ExplainedProjectAccess>('OpenProjectSuccess').implement({
  description:
    'The decision. When granted, one usage record naming the project was appended (LIC-2); when denied, nothing but the audit entry.',
  fields: (t) => ({
    decision: t.field({
      type: ProjectAccessDecisionType,
      description: 'Granted or not, who pays, and why.',
      resolve: (a) => a,
    }),
  }),
});

defineMutation('openProject', {
  description:
    "EXT-5: what a client calls when a team member opens the project's Deliverables Management service. A project you may not read answers NOT_FOUND; one without Deliverables Management, DELIVERABLES_NOT_ENABLED (nothing is written).",
  input: OpenProjectInput,
  inputDescription: 'Project and product.',
  success: OpenProjectSuccess,
  authz: ['self', 'project.read'],
  resolve: async (input, ctx) =>
    await organizations.openProject(ctx.service(), { projectId: input.projectId.id, product: input.product }),
});

builder.queryField('explainProjectAccess', (t) =>
  t.field({
    extensions: authzExtension(['self', 'project.read', 'projectAccess.explainFor', 'user.read']),
    type: ProjectAccessDecisionType,
    nullable: true,
    description:
      'EXT-5: the same decision as openProject, recording nothing. Null when the project (or the user) does not exist or you may not read it; a top-level DELIVERABLES_NOT_ENABLED error when the project has no Deliverables Management to open.',
    authScopes: { registered: true },
    args: {
      input: t.arg({ type: ExplainProjectAccessInput, required: true, description: 'Project, product and user.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      try {
        return await explanation(
          ctx,
          input.userId?.id,
          async (subjectReadable) =>
            await organizations.explainProjectAccess(ctx.service(), {
              projectId: input.projectId.id,
              product: input.product,
              userId: input.userId?.id ?? null,
              subjectReadable,
            }),
        );
      } catch (error) {
        // A project without Deliverables Management answers openProject's code, as a top-level error.
        if (error instanceof AppError && error.code === 'DELIVERABLES_NOT_ENABLED') {
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        }
        throw error;
      }
    },
  }),
);
