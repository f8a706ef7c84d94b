// DM-8 and DM-10 use cases: editing the connector (setDeliverablesPermissions), and the team's role
// changes written through to the connector (called by the projects area's team use cases).

import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import { inTransaction, type Tx } from '../../db/client.js';
import type { ProjectRow } from '../../db/schema.js';
import { AppError, type ErrorCode } from '../../errors.js';
import { imsAdminIds } from '../../identity/service.js';
import type { EffectivePermissions } from '../../projects/rules/effective-permissions.js';
import { builtIn, type DmPermission, type RoleRef } from '../../projects/rules/roles.js';
import { unheldPermissionProblem } from '../../projects/rules/team.js';
import { actorPermissions, auditProject, type ProjectScope } from '../../projects/use-cases/shared.js';
import type { ServiceContext } from '../../service-context.js';
import { applyEntryWrites } from '../rules/apply.js';
import { type ConnectorEditError, type ConnectorEditWarning, validateConnectorEdit } from '../rules/connector-edit.js';
import type { DeliverablesFacts } from '../rules/facts.js';
import { namedPeople, namedUsers } from '../rules/named-users.js';
import { type RoleChange, reconcileTeam } from '../rules/reconcile.js';
import {
  teamMemberRemovalWriteThrough,
  teamRoleWriteThrough,
  willBeResynchronized,
} from '../rules/team-write-through.js';
import { PERMISSION_FOR_ROLE } from '../rules/vocabulary.js';
import { connectedProject } from './connector.js';
import { changeRoles, connectorOf, deleteEntries, loadDeliverablesFacts, writeEntries } from './facts.js';

/** DM-8: the edit failed as a whole; one entry per failing connector entry, in input order. Nothing changed. */
export class DeliverablesPermissionsError extends AppError {
  constructor(readonly entries: EntryError[]) {
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

/** A refused entry: DM-8's codes, or PRJ-7's CANNOT_GRANT_UNHELD_PERMISSION through the connector. */
export type EntryError = Omit<ConnectorEditError, 'code'> & { code: ErrorCode };

/**
 * PRJ-7 through the connector (DM-8): MANAGE_SETTINGS makes every connector change, but the roles the
 * change gives the users it affects (DM-3, reconciled at once: DM-10) must be roles the caller could
 * assign in the team — ISSUE_PACKAGE makes a PWDM_ISSUER, whose team management a Project
 * Administrator does not hold. Each entry that adds such a permission is refused.
 */
function unheldThroughConnector(
  scope: ProjectScope,
  facts: DeliverablesFacts,
  edits: readonly { principal: PrincipalRef; permissions: readonly DmPermission[] }[],
  decision: ReturnType<typeof validateConnectorEdit>,
): EntryError[] {
  const before = new Map(namedPeople(namedUsers(facts)).map((p) => [p.profileId, p.connectorPermissions.join()]));
  const after = namedPeople(namedUsers(decision.after)); // memoized: the decision computed them
  const affected = new Set(
    after.filter((p) => before.get(p.profileId) !== p.connectorPermissions.join()).map((p) => p.profileId),
  );
  const refused = ungrantableRoles(actorPermissions(scope), decision.rolesToAdd, affected);
  const permissions = new Set(refused.map((c) => PERMISSION_FOR_ROLE[c.role]));
  const roles = [...new Set(refused.map((c) => c.role))].join(', ');
  return edits.flatMap((edit, i) =>
    edit.permissions.some((p) => permissions.has(p)) &&
    decision.writes.some(
      (w) => w.entry.principal.kind === edit.principal.kind && w.entry.principal.id === edit.principal.id,
    )
      ? [
          {
            path: ['entries', String(i)],
            code: 'CANNOT_GRANT_UNHELD_PERMISSION' as const,
            message: `This would make users ${roles} in the team (DM-3), a role with a permission you do not hold yourself (PRJ-7).`,
          },
        ]
      : [],
  );
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
export async function setDeliverablesPermissions(
  ctx: ServiceContext,
  input: { projectId: string; entries: readonly { principal: PrincipalRef; permissions: readonly DmPermission[] }[] },
): Promise<DeliverablesPermissionsResult> {
  return inTransaction(ctx.db, async (tx) => {
    const scope = await connectedProject(tx, ctx, input.projectId, 'deliverables.manage');
    const { project, connector } = scope;
    const facts = await loadDeliverablesFacts(tx, project, connector);
    const decision = validateConnectorEdit(facts, input.entries, await imsAdminIds(tx, project.accountId));
    if (decision.errors.length > 0) throw new DeliverablesPermissionsError(decision.errors);
    const refused = unheldThroughConnector(scope, facts, input.entries, decision);
    if (refused.length > 0) throw new DeliverablesPermissionsError(refused);
    await writeEntries(tx, connector, decision.writes);
    await changeRoles(tx, project.id, decision.rolesToAdd, decision.rolesToRemove, ctx.now);
    await auditProject(
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
 * PRJ-7 through the connector: a role the reconciliation (DM-10) would give `profileIds` must be one
 * the acting user may grant themselves — the connector's DM-3 translation is no way around PRJ-7
 * (ISSUE_PACKAGE translates to PWDM_ISSUER, which carries team management). The refused roles, by
 * person.
 */
export function ungrantableRoles(
  actor: EffectivePermissions,
  rolesToAdd: readonly RoleChange[],
  profileIds: ReadonlySet<string>,
): RoleChange[] {
  return rolesToAdd.filter(
    (c) => profileIds.has(c.profileId) && unheldPermissionProblem(actor, builtIn(c.role)) !== null,
  );
}

/**
 * DM-10 team → connector: the projects area's team use cases call this inside their transaction after
 * a team edit of `memberId` (roles assigned or unassigned, or the member added), so that no later
 * synchronization undoes the team's choice; then the team is reconciled (DM-9 holds after every team
 * edit). What the reconciliation would give the edited member must be grantable by the actor (PRJ-7),
 * else the edit is refused (CANNOT_GRANT_UNHELD_PERMISSION, nothing written). Only the five DM roles
 * write through; a project without an associated work area has no connector.
 */
export async function writeTeamRolesThrough(
  tx: Tx,
  project: ProjectRow,
  edit: {
    memberId: string;
    changes: readonly { role: RoleRef; action: 'ASSIGN' | 'UNASSIGN' }[];
    actor: EffectivePermissions;
    now: Date;
    /** The input field naming the member (for CANNOT_GRANT_UNHELD_PERMISSION). */
    path: string[];
  },
): Promise<void> {
  const connector = await connectorOf(tx, project.id);
  if (!connector) return;
  let facts = await loadDeliverablesFacts(tx, project, connector);
  for (const change of edit.changes) {
    const writes = teamRoleWriteThrough(facts, { profileId: edit.memberId, ...change });
    await writeEntries(tx, connector, writes);
    facts = applyEntryWrites(facts, writes, []);
  }
  const { add, remove } = reconcileTeam(facts, 'DM-10');
  const refused = ungrantableRoles(edit.actor, add, new Set([edit.memberId]));
  if (refused.length > 0) {
    throw new AppError(
      'CANNOT_GRANT_UNHELD_PERMISSION',
      `their connector permissions translate to ${refused.map((c) => c.role).join(', ')} (DM-3), a role with a permission you do not hold yourself`,
      edit.path,
    );
  }
  await changeRoles(tx, project.id, add, remove, edit.now);
}

/**
 * DM-10 / DM-7 for removeTeamMember: the member's team-made entries go with them; the answer says
 * whether they are still behind a participant (WILL_BE_RESYNCHRONIZED).
 */
export async function writeTeamRemovalThrough(
  tx: Tx,
  project: ProjectRow,
  profileId: string,
  now: Date,
): Promise<{ willBeResynchronized: boolean }> {
  const connector = await connectorOf(tx, project.id);
  if (!connector) return { willBeResynchronized: false };
  const facts = await loadDeliverablesFacts(tx, project, connector);
  const deletions = teamMemberRemovalWriteThrough(facts, profileId);
  await deleteEntries(tx, project.id, deletions);
  // DM-9: the invariant holds after every team edit (connector → team for every named member).
  const { add, remove } = reconcileTeam(applyEntryWrites(facts, [], deletions), 'DM-10');
  await changeRoles(tx, project.id, add, remove, now);
  return { willBeResynchronized: willBeResynchronized(facts, profileId) };
}
