// §7 Applying synchronization plans and connector writes to the facts: exactly the rows the use
// cases write, as a pure function, so that DM-6's idempotence and the DM-9 invariant can be checked
// on the result (and a use case can compute what the project looks like after a plan).
import { builtIn } from '../../projects/rules/roles.js';
import type { DeliverablesFacts, SyncRecord } from './facts.js';
import { entryKey } from './facts.js';
import { applyRoleChanges, type RoleChange } from './reconcile.js';
import type { EntryDeletion, EntryWrite, SyncPlan } from './sync-plan.js';
import type { DmRole } from './vocabulary.js';

export function applyRecordWrites(
  facts: DeliverablesFacts,
  writes: readonly { record: SyncRecord }[],
  clears: readonly { userId: string }[],
): DeliverablesFacts {
  if (writes.length === 0 && clears.length === 0) return facts; // the same object: its look-ups stay valid
  const gone = new Set([...writes.map((w) => w.record.userId), ...clears.map((c) => c.userId)]);
  return {
    ...facts,
    syncRecords: [...facts.syncRecords.filter((r) => !gone.has(r.userId)), ...writes.map((w) => w.record)],
  };
}

export function applyEntryWrites(
  facts: DeliverablesFacts,
  writes: readonly Pick<EntryWrite, 'entry'>[],
  deletions: readonly Pick<EntryDeletion, 'entry'>[],
): DeliverablesFacts {
  if (writes.length === 0 && deletions.length === 0) return facts; // the same object: its look-ups stay valid
  const deleted = new Set(deletions.map((d) => entryKey(d.entry)));
  const gone = new Set(deleted);
  for (const w of writes) gone.add(entryKey(w.entry));
  const entries = facts.entries.filter((e) => !gone.has(entryKey(e)));
  for (const w of writes) if (!deleted.has(entryKey(w.entry))) entries.push(w.entry);
  return { ...facts, entries };
}

/** Role changes grouped by member, in plan order. */
function rolesByProfile(changes: readonly RoleChange[]): Map<string, DmRole[]> {
  const byProfile = new Map<string, DmRole[]>();
  for (const c of changes) {
    const roles = byProfile.get(c.profileId);
    if (roles) roles.push(c.role);
    else byProfile.set(c.profileId, [c.role]);
  }
  return byProfile;
}

/** A whole synchronization plan: records, entries, team members and their roles. */
export function applySyncPlan(facts: DeliverablesFacts, plan: SyncPlan): DeliverablesFacts {
  const withRecords = applyRecordWrites(facts, plan.recordsToWrite, plan.recordsToClear);
  const withEntries = applyEntryWrites(withRecords, plan.entriesToWrite, plan.entriesToDelete);
  const removed = new Set(plan.membersToRemove.map((m) => m.profileId));
  const toAdd = rolesByProfile(plan.rolesToAdd);
  const toRemove = rolesByProfile(plan.rolesToRemove);
  const team = withEntries.team
    .filter((m) => !removed.has(m.profileId))
    .map((m) => ({
      ...m,
      roles: applyRoleChanges(m.roles, toAdd.get(m.profileId) ?? [], toRemove.get(m.profileId) ?? []),
    }));
  for (const added of plan.membersToAdd) {
    team.push({ profileId: added.profileId, source: 'WORK_AREA', roles: added.roles.map((r) => builtIn(r)) });
  }
  return { ...withEntries, team };
}
