// WA-2 and DM-5 … DM-7 use cases: associating a work area with a project (and its initial
// synchronization), dissociating it, and the two synchronizations. Each is one transaction: the plan
// is computed by the pure rules from facts loaded inside it, then applied row for row.
import { eq } from 'drizzle-orm';
import { administeredRow } from '../../data-sources/service.js';
import { inTransaction, type Tx } from '../../db/client.js';
import { one } from '../../db/query.js';
import { connectors, type ProjectRow, workAreas } from '../../db/schema.js';
import { AppError, forbidden } from '../../errors.js';
import { auditProject, type ProjectScope, projectFor } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { associationProblem, dissociationPlan, synchronizationProblem } from '../rules/association.js';
import { isEmptyPlan, planSynchronization, type SyncKind, type SyncPlan } from '../rules/sync-plan.js';
import { applyDissociation, applyPlan, connectorOf, loadDeliverablesFacts } from './facts.js';

export interface SynchronizationResult {
  project: ProjectRow;
  plan: SyncPlan;
}

const MESSAGES = {
  ALREADY_ASSOCIATED:
    'the work area or the project is already associated (one work area per project, one project per work area)',
  ACCOUNT_MISMATCH: "the work area's data source belongs to another account than the project",
  DELIVERABLES_NOT_ENABLED: 'Deliverables Management is not enabled on the project (enableDeliverables)',
} as const;

/** What a plan did, in one line of the audit log. */
function summary(plan: SyncPlan): string {
  const parts = [
    [plan.membersToAdd.length, 'member(s) added'],
    [plan.membersToRemove.length, 'member(s) removed'],
    [plan.rolesToAdd.length, 'role(s) assigned'],
    [plan.rolesToRemove.length, 'role(s) unassigned'],
    [plan.entriesToWrite.length, 'entr(ies) initialised'],
    [plan.entriesToDelete.length, 'entr(ies) deleted'],
    [plan.recordsToWrite.length, 'user(s) synchronized'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length > 0 ? said.join(', ') : 'nothing to change';
}

/** Runs a synchronization of `kind` on the project's connector, in the caller's transaction. */
async function synchronizeIn(tx: Tx, ctx: ServiceContext, project: ProjectRow, kind: SyncKind): Promise<SyncPlan> {
  const connector = await connectorOf(tx, project.id);
  if (!connector) throw new Error('synchronizeIn without a connector');
  const plan = planSynchronization(await loadDeliverablesFacts(tx, project, connector), kind);
  if (!isEmptyPlan(plan)) await applyPlan(tx, connector, plan, ctx.now);
  return plan;
}

/**
 * WA-2 / DM-5: associate a work area with a project. Authorization first (the caller administers the
 * work area's data source, DS-1, and manages the project's settings, PRJ-7), then WA-2's rules; the
 * initial synchronization runs in the same transaction.
 */
export async function associateWorkArea(
  ctx: ServiceContext,
  input: { projectId: string; workAreaId: string },
): Promise<SynchronizationResult> {
  return inTransaction(ctx.db, async (tx) => {
    const area = await one(tx.select().from(workAreas).where(eq(workAreas.id, input.workAreaId)));
    const { row: workArea, ds } = await administeredRow(tx, ctx, area, 'work area', 'workAreaId');
    const { project } = await projectFor(tx, ctx, input.projectId, 'project.manageSettings');
    const problem = associationProblem({
      workAreaProjectId:
        (await one(tx.select().from(connectors).where(eq(connectors.workAreaId, workArea.id))))?.projectId ?? null,
      projectWorkAreaId: (await connectorOf(tx, project.id))?.workAreaId ?? null,
      workAreaAccountId: ds.ownerAccountId,
      projectAccountId: project.accountId,
      deliverablesEnabled: project.deliverablesEnabledAt !== null,
    });
    if (problem)
      throw new AppError(problem, MESSAGES[problem], [
        'input',
        problem === 'DELIVERABLES_NOT_ENABLED' ? 'projectId' : 'workAreaId',
      ]);
    await tx.insert(connectors).values({
      projectId: project.id,
      workAreaId: workArea.id,
      associatedAt: ctx.now,
      associatedById: ctx.actor.id,
      synchronizedAt: ctx.now,
    });
    const plan = await synchronizeIn(tx, ctx, project, 'DM-5');
    await auditProject(
      tx,
      ctx,
      project,
      'associateWorkArea',
      [{ type: 'WorkArea', id: workArea.id }],
      `associated work area "${workArea.name}"; initial synchronization: ${summary(plan)}`,
    );
    return { project, plan };
  });
}

/** DM-6 / DM-7 and WA-2's dissociation: the project's connector, once authz allows the action. */
export async function connectedProject(
  tx: Tx,
  ctx: ServiceContext,
  projectId: string,
  action: 'project.manageSettings' | 'deliverables.manage',
) {
  const scope: ProjectScope = await projectFor(tx, ctx, projectId, action);
  const connector = await connectorOf(tx, scope.project.id);
  const problem = synchronizationProblem(connector?.workAreaId ?? null);
  if (problem || !connector) {
    throw new AppError('NO_WORK_AREA_ASSOCIATED', 'the project has no associated work area', ['input', 'projectId']);
  }
  return { ...scope, connector };
}

/**
 * WA-2: dissociate (same callers as associating): the connector entries and sync records go; WORK_AREA
 * team members stay, as TEAM members with their roles.
 */
export async function dissociateWorkArea(ctx: ServiceContext, input: { projectId: string }): Promise<ProjectRow> {
  return inTransaction(ctx.db, async (tx) => {
    const { project, connector } = await connectedProject(tx, ctx, input.projectId, 'project.manageSettings');
    const area = await one(tx.select().from(workAreas).where(eq(workAreas.id, connector.workAreaId)));
    // §9: the caller reads the project (the only id given) but may not change it: FORBIDDEN, not the
    // NOT_FOUND of a work area they never named.
    const { row: workArea } = await administeredRow(tx, ctx, area, 'work area', 'projectId', () =>
      forbidden("WA-2: dissociating needs an administrator of the work area's data source"),
    );
    const plan = dissociationPlan(await loadDeliverablesFacts(tx, project, connector));
    await applyDissociation(tx, project.id, plan);
    await auditProject(
      tx,
      ctx,
      project,
      'dissociateWorkArea',
      [{ type: 'WorkArea', id: workArea.id }],
      `dissociated work area "${workArea.name}"; ${plan.membersToMakeTeamSourced.length} member(s) stay as TEAM members`,
    );
    return project;
  });
}

/** DM-6 (add-only, idempotent) or DM-7 (makes WORK_AREA members match the work area). */
export async function synchronize(
  ctx: ServiceContext,
  input: { projectId: string },
  kind: 'DM-6' | 'DM-7',
): Promise<SynchronizationResult> {
  return inTransaction(ctx.db, async (tx) => {
    const { project } = await connectedProject(tx, ctx, input.projectId, 'deliverables.manage');
    const plan = await synchronizeIn(tx, ctx, project, kind);
    await auditProject(
      tx,
      ctx,
      project,
      kind === 'DM-6' ? 'synchronizeDeliverables' : 'synchronizeWorkAreaConnection',
      [],
      `${kind} synchronization: ${summary(plan)}`,
    );
    return { project, plan };
  });
}
