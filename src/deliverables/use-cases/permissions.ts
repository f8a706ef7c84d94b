// DM-8 and DM-10 use cases: editing the connector (setDeliverablesPermissions), and the team's role
// changes written through to the connector (called by the projects area's team use cases).

import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import { inTransaction, type Tx } from '../../db/client.js';
import type { ProjectRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { imsAdminIds } from '../../identity/service.js';
import type { DmPermission, RoleRef } from '../../projects/rules/roles.js';
import { auditProject } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { applyEntryWrites } from '../rules/apply.js';
import { type ConnectorEditError, type ConnectorEditWarning, validateConnectorEdit } from '../rules/connector-edit.js';
import { reconcileTeam } from '../rules/reconcile.js';
import {
  teamMemberRemovalWriteThrough,
  teamRoleWriteThrough,
  willBeResynchronized,
} from '../rules/team-write-through.js';
import { connectedProject } from './connector.js';
import { changeRoles, connectorOf, deleteEntries, loadDeliverablesFacts, writeEntries } from './facts.js';

/** DM-8: the edit failed as a whole; one entry per failing connector entry, in input order. Nothing changed. */
export class DeliverablesPermissionsError extends AppError {
  constructor(readonly entries: ConnectorEditError[]) {
    const first = entries[0];
    super(
      first?.code ?? 'NOT_A_PARTICIPANT',
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} refused; nothing was changed (${entries
        .slice(0, 3)
        .map((e) => `${e.path.join('.')}: ${e.message.replace(/\.$/, '')}`)
        .join('; ')}${entries.length > 3 ? '; …' : ''})`,
      ['input', ...(first?.path ?? [])],
    );
    this.name = 'DeliverablesPermissionsError';
  }
}

export interface DeliverablesPermissionsResult {
  project: ProjectRow;
  warnings: ConnectorEditWarning[];
  changed: number;
}

/**
 * DM-8: set the permissions of connector entries (MANAGE_SETTINGS). Any permission may be added; only
 * RECEIVE_PACKAGE, ISSUE_PACKAGE and APPROVE_RFI_RESPONSE removed. Any error and nothing changes; on
 * success the affected team members' roles are reconciled at once (DM-10).
 */
export function setDeliverablesPermissions(
  ctx: ServiceContext,
  input: { projectId: string; entries: readonly { principal: PrincipalRef; permissions: readonly DmPermission[] }[] },
): DeliverablesPermissionsResult {
  return inTransaction(ctx.db, (tx) => {
    const { project, connector } = connectedProject(tx, ctx, input.projectId, 'deliverables.manage');
    const facts = loadDeliverablesFacts(tx, project, connector);
    const decision = validateConnectorEdit(facts, input.entries, imsAdminIds(tx, project.accountId));
    if (decision.errors.length > 0) throw new DeliverablesPermissionsError(decision.errors);
    writeEntries(tx, connector, decision.writes);
    changeRoles(tx, project.id, decision.rolesToAdd, decision.rolesToRemove, ctx.now);
    auditProject(
      tx,
      ctx,
      project,
      'setDeliverablesPermissions',
      [],
      `set the connector permissions of ${decision.writes.length} entr(ies); ${decision.rolesToAdd.length} role(s) assigned, ${decision.rolesToRemove.length} unassigned in the team`,
    );
    return { project, warnings: decision.warnings, changed: decision.writes.length };
  });
}

/**
 * DM-10 team → connector: the projects area's team use cases call this inside their transaction after
 * assigning or unassigning roles, so that no later synchronization undoes the team's choice. Only the
 * five DM roles write through; a project without an associated work area has no connector.
 */
export function writeTeamRolesThrough(
  tx: Tx,
  project: ProjectRow,
  changes: readonly { profileId: string; role: RoleRef; action: 'ASSIGN' | 'UNASSIGN' }[],
  now: Date,
): void {
  const connector = connectorOf(tx, project.id);
  if (!connector || changes.length === 0) return;
  let facts = loadDeliverablesFacts(tx, project, connector);
  for (const change of changes) {
    const writes = teamRoleWriteThrough(facts, change);
    writeEntries(tx, connector, writes);
    facts = applyEntryWrites(facts, writes, []);
  }
  // DM-9: the invariant holds after every team edit (connector → team for every named member).
  const { add, remove } = reconcileTeam(facts, 'DM-10');
  changeRoles(tx, project.id, add, remove, now);
}

/**
 * DM-10 / DM-7 for removeTeamMember: the member's team-made entries go with them; the answer says
 * whether they are still behind a participant (WILL_BE_RESYNCHRONIZED).
 */
export function writeTeamRemovalThrough(
  tx: Tx,
  project: ProjectRow,
  profileId: string,
  now: Date,
): { willBeResynchronized: boolean } {
  const connector = connectorOf(tx, project.id);
  if (!connector) return { willBeResynchronized: false };
  const facts = loadDeliverablesFacts(tx, project, connector);
  const deletions = teamMemberRemovalWriteThrough(facts, profileId);
  deleteEntries(tx, project.id, deletions);
  // DM-9: the invariant holds after every team edit (connector → team for every named member).
  const { add, remove } = reconcileTeam(applyEntryWrites(facts, [], deletions), 'DM-10');
  changeRoles(tx, project.id, add, remove, now);
  return { willBeResynchronized: willBeResynchronized(facts, profileId) };
}
