// EXT-5 use cases: gather the facts of opening a project, decide through rules/project-access.ts and —
// for openProject only — append the usage record naming the project (LIC-2) and the audit entries, in
// one transaction. explainProjectAccess decides the same and records nothing.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AccountRef } from '../../access/rules/access.js';
import { type KeptDecision, keepDecision, placeholder } from '../../access/rules/kept-decision.js';
import { accountRef, appendUsageRecord, entitlementFacts, splitAssociations, userById } from '../../access/service.js';
import { appendAudit } from '../../audit/service.js';
import { assertAuthorized } from '../../authz/authorize.js';
import { inTransaction, type Reader } from '../../db/client.js';
import { one } from '../../db/query.js';
import {
  accounts,
  associations,
  entitlements,
  insertionOrder,
  type ProjectRow,
  projectLinks,
  projects,
  providedLicenseFlags,
  providedLicenses,
  teamMembers,
  type UserRow,
  users,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { entitlementActiveAt } from '../../identity/service.js';
import { membership, projectFor } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { decideProjectAccess, type ProjectAccessDecision, type ProjectAccessFacts } from '../rules/project-access.js';
import { linkedToProject } from './invitations.js';

export interface ProjectAccessRequest {
  projectId: string;
  product: string;
}

export interface ExplainedProjectAccess {
  decision: ProjectAccessDecision;
  project: ProjectRow;
  subject: UserRow;
}

/** EXT-4: the accounts the project provides licenses to, and the UNAFFILIATED flag. */
export async function providedLicensesOf(db: Reader, projectId: string) {
  const accountIds = (
    await db
      .select({ accountId: providedLicenses.accountId })
      .from(providedLicenses)
      .where(eq(providedLicenses.projectId, projectId))
  ).map((r) => r.accountId);
  const flag = await one(
    db
      .select({ unaffiliated: providedLicenseFlags.unaffiliated })
      .from(providedLicenseFlags)
      .where(eq(providedLicenseFlags.projectId, projectId)),
  );
  return { accountIds: new Set(accountIds), unaffiliated: flag?.unaffiliated ?? false };
}

/** EXT-5 opens the project's Deliverables Management service: there is none until it is enabled (PRJ-2). */
function assertDeliverablesEnabled(project: ProjectRow): void {
  if (project.deliverablesEnabledAt === null) {
    throw new AppError(
      'DELIVERABLES_NOT_ENABLED',
      `Deliverables Management is not enabled on project ${project.number}: there is nothing to open`,
      ['input', 'projectId'],
    );
  }
}

/** EXT-5's decision for `subject` opening `project` with `product`. */
async function gatherFacts(tx: Reader, project: ProjectRow, subject: UserRow, product: string, now: Date) {
  return {
    ...(await entitlementFacts(tx, subject, product, now, { accountIds: [project.accountId] })),
    project: {
      number: project.number,
      name: project.name,
      account: (await accountRef(tx, project.accountId)) as AccountRef,
    },
    onTeam: (await membership(tx, project.id, subject.id)) !== null,
    provided: await providedLicensesOf(tx, project.id),
    homeAccountLinked: subject.homeAccountId !== null && (await linkedThroughDm(tx, project.id, subject.homeAccountId)),
  } satisfies ProjectAccessFacts;
}

async function gatherAndDecide(tx: Reader, project: ProjectRow, subject: UserRow, product: string, now: Date) {
  return decideProjectAccess(await gatherFacts(tx, project, subject, product, now));
}

/**
 * HIS-1: the decision as its usage record keeps it — decided again with placeholders for the person and
 * the project (a reader in the billed account may not be allowed to see them), the real names beside.
 */
function keptProjectOpen(facts: ProjectAccessFacts): KeptDecision {
  const { steps } = decideProjectAccess({
    ...facts,
    caller: { ...facts.caller, email: placeholder('email') },
    project: { ...facts.project, number: placeholder('projectNumber'), name: placeholder('projectName') },
  });
  return keepDecision(steps, {
    email: facts.caller.email,
    projectNumber: facts.project.number,
    projectName: facts.project.name,
  });
}

/**
 * EXT-2 / EXT-4: the account is linked to the project through DM, in either direction — an invited
 * account linked to this (inviting) project, or the inviting project's account when this is the linked
 * project. Either way its members bring their own license.
 */
export async function linkedThroughDm(tx: Reader, projectId: string, accountId: string): Promise<boolean> {
  if (await linkedToProject(tx, projectId, accountId)) return true;
  const inviting = await one(
    tx
      .select({ id: projectLinks.projectId })
      .from(projectLinks)
      .innerJoin(projects, eq(projects.id, projectLinks.projectId))
      .where(and(eq(projectLinks.linkedProjectId, projectId), eq(projects.accountId, accountId))),
  );
  return inviting !== undefined;
}

/**
 * explainProjectAccess: the decision openProject would make, recording nothing. For another user,
 * Project Owners and IMS admins of the project's account may ask, about a user they may read.
 * A project the caller may not read answers NOT_FOUND, exactly as a missing one (§9).
 */
export async function explainProjectAccess(
  ctx: ServiceContext,
  request: ProjectAccessRequest & {
    userId?: string | null;
    /** §9: whether the actor may read the other user (else NOT_FOUND). */ subjectReadable: boolean;
  },
): Promise<ExplainedProjectAccess> {
  const tx = ctx.db;
  const scope = await projectFor(tx, ctx, request.projectId, 'project.read');
  assertDeliverablesEnabled(scope.project);
  let subject: UserRow = ctx.actor;
  if (request.userId && request.userId !== ctx.actor.id) {
    const notFound = () => new AppError('NOT_FOUND', 'no such user', ['input', 'userId']);
    // §9: a user you may read — or, for those who may ask at all, a member of the project's team (whom
    // they see in the team listing), as effectivePermissions does.
    const onTeam = (await membership(tx, scope.project.id, request.userId)) !== null;
    assertAuthorized(
      scope.subject,
      {
        action: 'projectAccess.explainFor',
        project: scope.facts,
        subjectReadable: request.subjectReadable || onTeam,
      },
      notFound,
    );
    const other = await userById(tx, request.userId);
    if (!other) throw notFound();
    subject = other;
  }
  const decision = await gatherAndDecide(tx, scope.project, subject, request.product, ctx.now);
  return { decision, project: scope.project, subject };
}

/**
 * openProject (EXT-5): what a client calls when a team member opens the project's Deliverables
 * Management service. When granted, one usage record naming the project is appended (LIC-2). Every
 * attempt is audited in the project's account's log, and a granted one also in the billed account's.
 */
export async function openProject(ctx: ServiceContext, request: ProjectAccessRequest): Promise<ExplainedProjectAccess> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, request.projectId, 'project.read');
    assertDeliverablesEnabled(project);
    const subject = (await userById(tx, ctx.actor.id)) ?? ctx.actor;
    const facts = await gatherFacts(tx, project, subject, request.product, ctx.now);
    const decision = decideProjectAccess(facts);
    if (decision.granted && decision.licenseSource && decision.billedAccount) {
      await appendUsageRecord(tx, {
        at: ctx.now,
        userId: subject.id,
        consumerAccountId: subject.homeAccountId,
        projectId: project.id,
        productCode: request.product,
        licenseSource: decision.licenseSource,
        billedAccountId: decision.billedAccount.id,
        decision: keptProjectOpen(facts),
      });
    }
    const opened = `project ${project.number} "${project.name}"`;
    await appendAudit(tx, {
      at: ctx.now,
      actor: subject,
      action: 'openProject',
      accountIds: [project.accountId],
      targets: [{ type: 'Project', id: project.id }],
      summary: decision.granted
        ? `${subject.email} opened ${opened} with ${request.product}: ${decision.licenseSource}, billed to ${decision.billedAccount?.name}`
        : `${subject.email} was refused opening ${opened}: ${decision.denialReason}`,
    });
    const billed = decision.billedAccount;
    if (billed && billed.id !== project.accountId) {
      // The billed account's log shows whose use it pays for. Its admins may not read the project
      // (§9: its team and its account's admins), so the entry names only the project's account.
      const owner = (await accountRef(tx, project.accountId)) as AccountRef;
      await appendAudit(tx, {
        at: ctx.now,
        actor: subject,
        action: 'openProject',
        accountIds: [billed.id],
        targets: [],
        summary: `${subject.email} opened a project of ${owner.name} with ${request.product}: ${decision.licenseSource}, billed to ${billed.name}`,
      });
    }
    return { decision, project, subject };
  });
}

/**
 * Issue 14: EXT-5's decision for many (user, product) questions about one project, its facts read in a
 * fixed number of statements plus one DM-link look-up per home account — the facts gatherAndDecide reads
 * one question at a time (a test compares both). Questions about users that do not exist are left out.
 */
export async function decideProjectAccessMany(
  tx: Reader,
  project: ProjectRow,
  questions: readonly { userId: string; product: string }[],
  now: Date,
): Promise<{ userId: string; product: string; user: UserRow; decision: ProjectAccessDecision }[]> {
  if (questions.length === 0) return [];
  const userIds = [...new Set(questions.map((q) => q.userId))];
  const people = await tx
    .select({ user: users, homeName: accounts.name })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.homeAccountId))
    .where(inArray(users.id, userIds));
  const associated = await tx
    .select({ userId: associations.userId, id: accounts.id, name: accounts.name, expiresAt: associations.expiresAt })
    .from(associations)
    .innerJoin(accounts, eq(accounts.id, associations.accountId))
    .where(inArray(associations.userId, userIds))
    .orderBy(asc(associations.createdAt), asc(insertionOrder(associations)));
  const products = [...new Set(questions.map((q) => q.product))];
  const candidates = [
    project.accountId,
    ...people.flatMap((p) => (p.user.homeAccountId ? [p.user.homeAccountId] : [])),
    ...associated.map((a) => a.id),
  ];
  const entitled = new Set(
    (
      await tx
        .select({ accountId: entitlements.accountId, product: entitlements.productCode, country: entitlements.country })
        .from(entitlements)
        .where(
          and(
            inArray(entitlements.accountId, [...new Set(candidates)]),
            inArray(entitlements.productCode, products),
            entitlementActiveAt(now),
          ),
        )
    ).map((e) => `${e.accountId}\u0000${e.product}\u0000${e.country}`),
  );
  const onTeam = new Set(
    (
      await tx
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(and(eq(teamMembers.projectId, project.id), inArray(teamMembers.userId, userIds)))
    ).map((m) => m.userId),
  );
  const provided = await providedLicensesOf(tx, project.id);
  // EXT-2: which of the people's home accounts are linked to the project through DM (one look-up per
  // account, however many of its members are asked about).
  const linked = new Set<string>();
  for (const accountId of new Set(people.flatMap((p) => (p.user.homeAccountId ? [p.user.homeAccountId] : [])))) {
    if (await linkedThroughDm(tx, project.id, accountId)) linked.add(accountId);
  }
  const projectAccount = (await accountRef(tx, project.accountId)) as AccountRef;
  const byId = new Map(people.map((p) => [p.user.id, p]));
  const rowsOf = new Map<string, (typeof associated)[number][]>();
  for (const a of associated) rowsOf.set(a.userId, [...(rowsOf.get(a.userId) ?? []), a]);
  // HIS-4: as openProject reads them — those that still count, and the expired ones for a step.
  const associationsOf = new Map([...rowsOf].map(([userId, rows]) => [userId, splitAssociations(rows, now)] as const));
  return questions.flatMap((q) => {
    const person = byId.get(q.userId);
    if (!person) return [];
    const { user } = person;
    const homeAccount =
      user.homeAccountId && person.homeName !== null ? { id: user.homeAccountId, name: person.homeName } : null;
    const { active: mine, expired } = associationsOf.get(user.id) ?? { active: [], expired: [] };
    const entitledAccountIds = new Set(
      [...(homeAccount ? [homeAccount.id] : []), ...mine.map((a) => a.id), project.accountId].filter((id) =>
        entitled.has(`${id}\u0000${q.product}\u0000${user.usageCountry}`),
      ),
    );
    const decision = decideProjectAccess({
      product: q.product,
      caller: { email: user.email, usageCountry: user.usageCountry, homeAccount },
      associations: mine,
      expiredAssociations: expired,
      entitledAccountIds,
      project: { number: project.number, name: project.name, account: projectAccount },
      onTeam: onTeam.has(user.id),
      provided,
      homeAccountLinked: user.homeAccountId !== null && linked.has(user.homeAccountId),
    });
    return [{ userId: q.userId, product: q.product, user, decision }];
  });
}
