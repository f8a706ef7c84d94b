// PRJ-1 / PRJ-2 use cases: creating a project, renaming or renumbering it, enabling Deliverables
// Management.
import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction, type Reader, type Tx } from '../../db/client.js';
import { only } from '../../db/query.js';
import { memberRoles, type ProjectRow, projects, teamMembers } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { emailDomain } from '../../identity/rules.js';
import type { ServiceContext } from '../../service-context.js';
import { projectNumberKey, projectNumberProblem } from '../rules/settings.js';
import { auditProject, projectFor } from './shared.js';

/** PRJ-1: PROJECT_NUMBER_TAKEN / INVALID_PROJECT_NUMBER for a number in the account. */
async function assertNumberFree(db: Reader, accountId: string, number: string, exceptProjectId: string | null) {
  const key = projectNumberKey(number);
  const clash = await db
    .select({ number: projects.number })
    .from(projects)
    .where(
      and(
        eq(projects.accountId, accountId),
        eq(projects.numberKey, key),
        exceptProjectId ? ne(projects.id, exceptProjectId) : undefined,
      ),
    );
  const problem = projectNumberProblem(
    number,
    clash.map((c) => c.number),
  );
  if (problem === 'INVALID_PROJECT_NUMBER') {
    throw new AppError(problem, 'a project number is 1–40 characters', ['input', 'number']);
  }
  if (problem === 'PROJECT_NUMBER_TAKEN') {
    // The other project's number is not repeated: its spelling is not for someone who may not read it.
    throw new AppError(problem, `the account already has a project numbered ${number} (ignoring case)`, [
      'input',
      'number',
    ]);
  }
}

export interface CreateProjectInput {
  number: string;
  name: string;
}

/**
 * PRJ-1: a project of the creator's home account (an IMS admin role there is needed); the creator is its
 * first Project Owner (a team member added directly, holding PROJECT_OWNER).
 */
export async function createProject(ctx: ServiceContext, input: CreateProjectInput): Promise<ProjectRow> {
  return inTransaction(ctx.db, async (tx) => {
    const accountId = ctx.actor.homeAccountId;
    if (accountId === null) {
      throw new AppError('NO_HOME_ACCOUNT', 'you belong to no account, so a project of yours would belong to none');
    }
    assertAuthorized(await loadSubject(tx, ctx.actor), { action: 'project.create', accountId });
    const project = await insertProject(tx, ctx, { accountId, number: input.number, name: input.name });
    await auditProject(tx, ctx, project, 'createProject', [], 'created the project; creator is its Project Owner');
    return project;
  });
}

/**
 * PRJ-1's writes, after whatever authorized them: the project (its number free in the account) and the
 * actor as its first Project Owner (a team member added directly). EXT-2's accepted invitation creates
 * the linked project this way too — the one exception to PRJ-1's IMS-admin rule.
 */
export async function insertProject(
  tx: Tx,
  ctx: ServiceContext,
  input: { accountId: string; number: string; name: string; deliverablesDomain?: string },
): Promise<ProjectRow> {
  const number = input.number.trim();
  await assertNumberFree(tx, input.accountId, number, null);
  const enabled = input.deliverablesDomain !== undefined;
  const project = await only(
    tx
      .insert(projects)
      .values({
        id: randomUUID(),
        accountId: input.accountId,
        number,
        numberKey: projectNumberKey(number),
        name: input.name.trim(),
        createdById: ctx.actor.id,
        createdAt: ctx.now,
        deliverablesEnabledAt: enabled ? ctx.now : null,
        deliverablesEnabledById: enabled ? ctx.actor.id : null,
        internalDomain: input.deliverablesDomain ?? null,
      })
      .returning(),
  );
  await tx
    .insert(teamMembers)
    .values({ projectId: project.id, userId: ctx.actor.id, source: 'TEAM', createdAt: ctx.now });
  await tx
    .insert(memberRoles)
    .values({ projectId: project.id, userId: ctx.actor.id, role: 'PROJECT_OWNER', createdAt: ctx.now });
  return project;
}

export interface UpdateProjectInput {
  projectId: string;
  number?: string | null;
  name?: string | null;
}

/** PRJ-1 / PRJ-7: renaming or renumbering is a project setting (Project Owners, IMS admins). */
export async function updateProject(ctx: ServiceContext, input: UpdateProjectInput): Promise<ProjectRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, input.projectId, 'project.manageSettings');
    const changes: Partial<ProjectRow> = {};
    const said: string[] = [];
    if (input.number != null && input.number.trim() !== project.number) {
      const number = input.number.trim();
      await assertNumberFree(tx, project.accountId, number, project.id);
      Object.assign(changes, { number, numberKey: projectNumberKey(number) });
      said.push(`number ${project.number} → ${number}`);
    }
    if (input.name != null && input.name.trim() !== project.name) {
      changes.name = input.name.trim();
      said.push(`name "${project.name}" → "${changes.name}"`);
    }
    const updated =
      said.length === 0
        ? project
        : await only(tx.update(projects).set(changes).where(eq(projects.id, project.id)).returning());
    await auditProject(tx, ctx, updated, 'updateProject', [], said.join(', ') || 'no change');
    return updated;
  });
}

/**
 * PRJ-2: a Project Owner or IMS admin who is a member of the project's account enables Deliverables
 * Management; their email domain becomes the project's internal domain, fixed from then on.
 */
export async function enableDeliverables(ctx: ServiceContext, input: { projectId: string }): Promise<ProjectRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await projectFor(tx, ctx, input.projectId, 'project.enableDeliverables');
    if (project.deliverablesEnabledAt !== null) {
      throw new AppError(
        'DELIVERABLES_ALREADY_ENABLED',
        `Deliverables Management is already enabled, with internal domain ${project.internalDomain}`,
        ['input', 'projectId'],
      );
    }
    const internalDomain = emailDomain(ctx.actor.email);
    const updated = await only(
      tx
        .update(projects)
        .set({ deliverablesEnabledAt: ctx.now, deliverablesEnabledById: ctx.actor.id, internalDomain })
        .where(eq(projects.id, project.id))
        .returning(),
    );
    await auditProject(
      tx,
      ctx,
      updated,
      'enableDeliverables',
      [],
      `enabled Deliverables Management (internal domain ${internalDomain})`,
    );
    return updated;
  });
}
