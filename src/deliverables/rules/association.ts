// §5 WA-2: associating a work area with a project, and dissociating it; DM-6/DM-7's precondition.
// Authorization (the caller administers the data source and manages the project's settings) runs
// first, in src/authz; these are the business rules after it.
import type { DeliverablesFacts } from './facts.js';
import type { EntryDeletion } from './sync-plan.js';
import type { Reason } from './vocabulary.js';

export interface AssociationFacts {
  /** The project the work area is associated with, if any. */
  workAreaProjectId: string | null;
  /** The work area the project is associated with, if any. */
  projectWorkAreaId: string | null;
  /** DS-1: the account owning the work area's data source. */
  workAreaAccountId: string;
  projectAccountId: string;
  deliverablesEnabled: boolean;
}

/**
 * WA-2, in the spec's order: one project per work area and one work area per project
 * (ALREADY_ASSOCIATED, also for the same pair again); the same account (ACCOUNT_MISMATCH: another
 * account's admins would read this data source's users through the connector); DM enabled
 * (DELIVERABLES_NOT_ENABLED: DM-1 needs the internal domain).
 */
export function associationProblem(
  facts: AssociationFacts,
): 'ALREADY_ASSOCIATED' | 'ACCOUNT_MISMATCH' | 'DELIVERABLES_NOT_ENABLED' | null {
  if (facts.workAreaProjectId !== null || facts.projectWorkAreaId !== null) return 'ALREADY_ASSOCIATED';
  if (facts.workAreaAccountId !== facts.projectAccountId) return 'ACCOUNT_MISMATCH';
  if (!facts.deliverablesEnabled) return 'DELIVERABLES_NOT_ENABLED';
  return null;
}

/** DM-6 / DM-7: a synchronization needs an associated work area. */
export function synchronizationProblem(projectWorkAreaId: string | null): 'NO_WORK_AREA_ASSOCIATED' | null {
  return projectWorkAreaId === null ? 'NO_WORK_AREA_ASSOCIATED' : null;
}

export interface DissociationPlan {
  entriesToDelete: EntryDeletion[];
  recordsToClear: { userId: string; reason: Reason }[];
  /** WA-2: WORK_AREA members stay, as TEAM members with their roles. */
  membersToMakeTeamSourced: { profileId: string; reason: Reason }[];
}

/**
 * WA-2 dissociateWorkArea: the connector entries (team-made ones included) go; the WORK_AREA members
 * stay as TEAM members with their roles. Decision: the DM-1 sync records go too — they describe this
 * work area's named users, and a later association starts with its own initial synchronization (DM-5).
 */
export function dissociationPlan(facts: DeliverablesFacts): DissociationPlan {
  return {
    entriesToDelete: facts.entries.map((e) => ({
      entry: { principal: e.principal, origin: e.origin },
      reason: { rule: 'WA-2', detail: 'Dissociating the work area deletes its connector entries.' },
    })),
    recordsToClear: facts.syncRecords.map((r) => ({
      userId: r.userId,
      reason: { rule: 'WA-2', detail: 'Dissociated: the work area no longer names this user.' },
    })),
    membersToMakeTeamSourced: facts.team
      .filter((m) => m.source === 'WORK_AREA')
      .map((m) => ({
        profileId: m.profileId,
        reason: { rule: 'WA-2', detail: 'Dissociated: the member stays, as a TEAM member with their roles.' },
      })),
  };
}
