import { LICENSE_SOURCES } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues, machineNameInput, productCodeInput } from '../../graphql/common.js';
import { authzExtension, defineMutation } from '../../graphql/mutation.js';
import { share } from '../../graphql/shared.js';
import { explanation, loadNode, nodeType, visibleOrNull } from '../../graphql/visibility.js';
import { DENIAL_REASONS, STEP_OUTCOMES, type Step } from '../rules/access.js';
import * as access from '../use-cases/sign-in.js';

export const LicenseSourceEnum = builder.enumType('LicenseSource', {
  description:
    'LIC-1 and EXT-5: where the license of a sign-in or of opening a project comes from, and so who pays. Checked in order; the first that applies wins.',
  values: describedValues(LICENSE_SOURCES, {
    RESERVED_CHECKOUT:
      'LIC-1.1: the user imported (LIC-10), on this machine, a license file for the product that is valid now: billed to the account that issued the checkout.',
    DATASOURCE_OWNER:
      "LIC-1.2: the data-source user is OWNER_PROVIDES, or the user is external and the data source's externalLicensing is SUPPLY: billed to the data source's licensing owner (LIC-3).",
    OWN_ORGANIZATION:
      "LIC-1.3: the user's home account holds an entitlement for the product in their usage country whose contract has not ended: billed to it.",
    ASSOCIATED_ACCOUNT:
      'LIC-1.4: an account the user is associated with (ID-5) holds such an entitlement: billed to it, oldest association first. The owner account is skipped for external users under DENY.',
    PROJECT_PROVIDED:
      "EXT-5 (opening a project only, checked first): the project provides licenses to the user (EXT-4: their home account is listed, or they are unaffiliated and the UNAFFILIATED flag is set; never for members of an organization linked through DM) and the project's account holds an entitlement for the product in the user's usage country: billed to the project's account.",
  }),
});
export const DenialReasonEnum = builder.enumType('AccessDenialReason', {
  description: 'Why a sign-in (§3) or the opening of a project (EXT-5) was denied: the first check that failed.',
  values: describedValues(DENIAL_REASONS, {
    IMS_AUTH_DISABLED: 'ACC-1: the data source has IMS authentication turned off.',
    NO_DATASOURCE_ACCOUNT:
      "ACC-2: no data-source user signs in as the user's email, and the dynamic creation filter does not name their home account.",
    EXTERNAL_ACCESS_NOT_ALLOWED:
      'ACC-3: the user is external (home account not the owner account) and has no association with the owner account, and the data source does not allow external IMS users.',
    LICENSING_OWNER_NOT_SET:
      'LIC-3: the owner would provide the license (LIC-1.2), but the data source has no licensing owner.',
    NO_LICENSE:
      'LIC-1.5: no license source applies — no valid reserved checkout, no owner-provided license, no entitlement of the home or an associated account for the product in the usage country.',
    NOT_A_TEAM_MEMBER:
      'EXT-5: opening a project is for its team members; the user may read the project (an IMS admin of its account, a member of a linked project) but is not on its team.',
    ACCESS_EXPIRED:
      "HIS-4: the data-source user with the user's email no longer admits them: its access expired (an administrator may confirm it again).",
  }),
});
const StepOutcomeEnum = builder.enumType('AccessStepOutcome', {
  description: 'The outcome of one step of an access decision.',
  values: describedValues(STEP_OUTCOMES, {
    PASSED: 'A check that was met.',
    FAILED: 'A check that was not met: access is denied (see denialReason).',
    SKIPPED: 'Did not apply (e.g. a license source the user does not qualify for).',
    IGNORED: 'A setting overruled by another rule (e.g. OWNER_PROVIDES for an external user under DENY).',
    APPLIED: 'The license source that decided who pays.',
  }),
});

export const StepType = builder.objectRef<Step>('AccessStep').implement({
  description: 'One check made, in order, with the rule id it comes from (docs/DOMAIN.md).',
  fields: (t) => ({
    rule: t.exposeString('rule', { description: 'The rule id checked, e.g. ACC-3 or LIC-1.4.' }),
    outcome: t.field({ type: StepOutcomeEnum, description: 'What the check found.', resolve: (s) => s.outcome }),
    detail: t.exposeString('detail', { description: 'What was checked and why it came out so, for people.' }),
  }),
});

// Deliverables Management explains statuses and connector permissions with the same steps (DM-9).
// Opening a project (EXT-5) decides with the same steps, license sources and denial reasons.
declare module '../../graphql/shared.js' {
  interface SharedRefs {
    AccessStep: typeof StepType;
    LicenseSource: typeof LicenseSourceEnum;
    AccessDenialReason: typeof DenialReasonEnum;
  }
}
share('AccessStep', StepType);
share('LicenseSource', LicenseSourceEnum);
share('AccessDenialReason', DenialReasonEnum);

export const AccessDecisionType = builder.objectRef<access.ExplainedAccess>('AccessDecision').implement({
  description:
    'May this user sign in to this data source with this product on this machine, and who pays — with the reasons.',
  fields: (t) => ({
    granted: t.boolean({ description: 'The user may sign in.', resolve: (a) => a.decision.granted }),
    denialReason: t.field({
      type: DenialReasonEnum,
      nullable: true,
      description: 'Why access is denied; null when granted.',
      resolve: (a) => a.decision.denialReason,
    }),
    dataSource: t.field({
      type: 'DataSource',
      nullable: true,
      description: 'The data source; null unless you may read it (§9: its admins, and its licensing owner’s admins).',
      resolve: (a, _args, ctx) => visibleOrNull(ctx, 'DataSource', a.dataSource),
    }),
    user: t.field({
      type: 'User',
      description: 'Whose access was decided (you, or a user you may read).',
      resolve: (a) => a.subject,
    }),
    dataSourceUser: t.field({
      type: 'DataSourceUser',
      nullable: true,
      description:
        'The data-source user signed in as (null when none exists yet — see willCreateDataSourceUser — or you may not read it).',
      resolve: (a, _args, ctx) => visibleOrNull(ctx, 'DataSourceUser', a.dataSourceUser),
    }),
    willCreateDataSourceUser: t.boolean({
      description:
        'ACC-2: no data-source user exists yet; a real sign-in creates one (DYNAMIC) through the identity filter.',
      resolve: (a) => a.decision.dataSourceUser === 'CREATE' && a.dataSourceUser === null,
    }),
    external: t.boolean({
      description: 'ACC-3: the user’s home account is not the data source’s owner.',
      resolve: (a) => a.decision.external,
    }),
    licenseSource: t.field({
      type: LicenseSourceEnum,
      nullable: true,
      description: 'LIC-1: where the license comes from; null when denied.',
      resolve: (a) => a.decision.licenseSource,
    }),
    billedAccount: t.field({
      type: 'Account',
      nullable: true,
      description: 'The account that pays for this sign-in (LIC-1); null when denied.',
      resolve: (a, _args, ctx) => loadNode(ctx, 'Account', a.decision.billedAccount?.id ?? null),
    }),
    grantsLicensingThroughAssociation: t.boolean({
      description: 'ID-5: the bill goes to an account only because the user is associated with it.',
      resolve: (a) => a.decision.licenseSource === 'ASSOCIATED_ACCOUNT',
    }),
    steps: t.field({
      type: [StepType],
      description: 'Every check made, in order (ACC-1 … LIC-1), so an administrator can see why.',
      resolve: (a) => a.decision.steps,
    }),
  }),
});

const MACHINE_NAME =
  'The machine signing in, 1–255 characters, compared exactly as written (LIC-1.1 reserved checkouts).';

const SignInInput = builder.inputType('SignInToDataSourceInput', {
  description: 'A sign-in by you, the signed-in user, to a data source.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: nodeType('DataSource'), description: 'The data source to enter.' }),
    machineName: t.string({ required: true, description: MACHINE_NAME, validate: machineNameInput }),
    product: t.string({ description: 'The product code used. Default PW_EXPLORER.', validate: productCodeInput }),
  }),
});

const ExplainAccessInput = builder.inputType('ExplainAccessInput', {
  description: 'The same as SignInToDataSourceInput, plus optionally whom to explain it for.',
  fields: (t) => ({
    dataSourceId: t.globalID({ required: true, for: nodeType('DataSource'), description: 'The data source.' }),
    machineName: t.string({ required: true, description: MACHINE_NAME, validate: machineNameInput }),
    product: t.string({ description: 'The product code. Default PW_EXPLORER.', validate: productCodeInput }),
    userId: t.globalID({
      for: nodeType('User'),
      description: 'Explain for another user: IMS admins of the data source’s owner account only. Default: you.',
    }),
  }),
});

const SignInSuccess = builder.objectRef<access.ExplainedAccess>('SignInToDataSourceSuccess').implement({
  description:
    'The decision. When granted, one usage record was appended (LIC-2); when denied, nothing but the audit entry.',
  fields: (t) => ({
    decision: t.field({
      type: AccessDecisionType,
      description: 'Granted or not, who pays, and why.',
      resolve: (a) => a,
    }),
  }),
});

defineMutation('signInToDataSource', {
  description: 'What a desktop client calls after the user signed in with their identity (ACC-1…ACC-3, LIC-1, LIC-2).',
  input: SignInInput,
  inputDescription: 'Data source, machine and product.',
  success: SignInSuccess,
  authz: ['self'],
  resolve: async (input, ctx) => {
    const answer = await access.signInToDataSource(ctx.service(), {
      dataSourceId: input.dataSourceId.id,
      machineName: input.machineName,
      product: input.product ?? 'PW_EXPLORER',
    });
    ctx.metrics?.signInDecided(answer.decision);
    return answer;
  },
});

builder.queryField('explainAccess', (t) =>
  t.field({
    extensions: authzExtension(['self', 'access.explainFor', 'dataSource.read', 'dataSourceUser.read', 'user.read']),
    type: AccessDecisionType,
    nullable: true,
    description:
      'The same decision as signInToDataSource, recording nothing. Null when the data source or user does not exist.',
    authScopes: { registered: true },
    args: {
      input: t.arg({
        type: ExplainAccessInput,
        required: true,
        description: 'Data source, machine, product and user.',
      }),
    },
    resolve: (_root, { input }, ctx) =>
      // §9: about another user, only one you may read; anyone else reads as missing (after the admin check).
      explanation(
        ctx,
        input.userId?.id,
        async (subjectReadable) =>
          await access.explainAccess(ctx.service(), {
            dataSourceId: input.dataSourceId.id,
            machineName: input.machineName,
            product: input.product ?? 'PW_EXPLORER',
            userId: input.userId?.id ?? null,
            subjectReadable,
          }),
      ),
  }),
);
