// DM-6: "the payload reports what it changed, with the reason" — a synchronization plan as a flat list
// of changes an administrator can read, each with its rule id.
import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import type { BuiltInRole, DmPermission } from '../../projects/rules/roles.js';
import type { SyncPlan } from '../rules/sync-plan.js';
import type { Reason } from '../rules/vocabulary.js';

export const CHANGE_KINDS = [
  'MEMBER_ADDED',
  'MEMBER_REMOVED',
  'ROLE_ASSIGNED',
  'ROLE_UNASSIGNED',
  'ENTRY_INITIALIZED',
  'ENTRY_DELETED',
  'USER_SYNCHRONIZED',
  'USER_UNSYNCHRONIZED',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface SyncChange {
  change: ChangeKind;
  reason: Reason;
  /** The person (identity profile) for team changes. */
  profileId: string | null;
  /** The entry's principal, or the data-source user of a record change. */
  principal: PrincipalRef | null;
  roles: BuiltInRole[];
  permissions: DmPermission[] | null;
}

const base = { profileId: null, principal: null, roles: [], permissions: null };

export function planChanges(plan: SyncPlan): SyncChange[] {
  return [
    ...plan.membersToAdd.map((m) => ({
      ...base,
      change: 'MEMBER_ADDED' as const,
      reason: m.reason,
      profileId: m.profileId,
      roles: [...m.roles],
    })),
    ...plan.membersToRemove.map((m) => ({
      ...base,
      change: 'MEMBER_REMOVED' as const,
      reason: m.reason,
      profileId: m.profileId,
    })),
    ...plan.rolesToAdd.map((c) => ({
      ...base,
      change: 'ROLE_ASSIGNED' as const,
      reason: c.reason,
      profileId: c.profileId,
      roles: [c.role],
    })),
    ...plan.rolesToRemove.map((c) => ({
      ...base,
      change: 'ROLE_UNASSIGNED' as const,
      reason: c.reason,
      profileId: c.profileId,
      roles: [c.role],
    })),
    ...plan.entriesToWrite.map((w) => ({
      ...base,
      change: 'ENTRY_INITIALIZED' as const,
      reason: w.reason,
      principal: w.entry.principal,
      permissions: [...w.entry.permissions],
    })),
    ...plan.entriesToDelete.map((d) => ({
      ...base,
      change: 'ENTRY_DELETED' as const,
      reason: d.reason,
      principal: d.entry.principal,
    })),
    ...plan.recordsToWrite.map((r) => ({
      ...base,
      change: 'USER_SYNCHRONIZED' as const,
      reason: r.reason,
      principal: { kind: 'USER' as const, id: r.record.userId },
      profileId: r.record.profileId,
    })),
    ...plan.recordsToClear.map((r) => ({
      ...base,
      change: 'USER_UNSYNCHRONIZED' as const,
      reason: r.reason,
      principal: { kind: 'USER' as const, id: r.userId },
    })),
  ];
}
