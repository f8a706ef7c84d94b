// §7 DM-5, DM-6, DM-7: synchronization plans. One pure function from the whole facts of a project to
// the writes a synchronization makes, each with its reason; the use cases apply the plan in one
// transaction (applySyncPlan shows exactly which writes). Stages, in order:
//   1. DM-1 sync records: write what this synchronization sees, clear those of users no longer named;
//   2. DM-2 entries: initialise new ones, delete stale ones (DM-10 team-made entries included);
//   3. DM-5/6/7 team membership, from the statuses and connector permissions after 1 and 2;
//   4. DM-10 reconciliation of every remaining member who is a named person.
import type { DmPermission } from '../../projects/rules/roles.js';
import { holdsBuiltIn } from '../../projects/rules/roles.js';
import { applyEntryWrites, applyRecordWrites } from './apply.js';
import { type ConnectorEntry, type DeliverablesFacts, type SyncRecord, teamMember, userIdsOfProfile } from './facts.js';
import { type NamedPerson, namedPeople, namedUsers } from './named-users.js';
import { type RoleChange, reconcileMember } from './reconcile.js';
import { planEntries } from './sync-entries.js';
import { type DmRole, permissionList, type Reason, translatePermissions } from './vocabulary.js';

export const SYNC_KINDS = ['DM-5', 'DM-6', 'DM-7'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export interface EntryWrite {
  entry: ConnectorEntry & { permissions: readonly DmPermission[] };
  reason: Reason;
}
export interface EntryDeletion {
  entry: Pick<ConnectorEntry, 'principal' | 'origin'>;
  reason: Reason;
}

export interface SyncPlan {
  kind: SyncKind;
  recordsToWrite: { record: SyncRecord; reason: Reason }[];
  recordsToClear: { userId: string; reason: Reason }[];
  entriesToWrite: EntryWrite[];
  entriesToDelete: EntryDeletion[];
  membersToAdd: { profileId: string; roles: DmRole[]; reason: Reason }[];
  membersToRemove: { profileId: string; reason: Reason }[];
  rolesToAdd: RoleChange[];
  rolesToRemove: RoleChange[];
}

export function isEmptyPlan(plan: SyncPlan): boolean {
  return (
    plan.recordsToWrite.length +
      plan.recordsToClear.length +
      plan.entriesToWrite.length +
      plan.entriesToDelete.length +
      plan.membersToAdd.length +
      plan.membersToRemove.length +
      plan.rolesToAdd.length +
      plan.rolesToRemove.length ===
    0
  );
}

/**
 * DM-1: every named user with an email and a registered profile is now synchronized (record written
 * when it differs); records of users who are no longer named, or lost their email or profile, are
 * cleared. The work-area use cases also clear them the moment a user stops being named, so that a
 * user who leaves and comes back before a synchronization is NO_ACCESS_YET again.
 */
export function planRecords(facts: DeliverablesFacts): Pick<SyncPlan, 'recordsToWrite' | 'recordsToClear'> {
  const wanted = new Map<string, SyncRecord>();
  for (const user of namedUsers(facts)) {
    if (user.email !== null && user.profileId !== null) {
      wanted.set(user.userId, { userId: user.userId, email: user.email, profileId: user.profileId });
    }
  }
  const existing = new Map(facts.syncRecords.map((r) => [r.userId, r]));
  const recordsToWrite = [...wanted.values()]
    .filter((r) => {
      const old = existing.get(r.userId);
      return !old || old.email !== r.email || old.profileId !== r.profileId;
    })
    .map((record) => ({
      record,
      reason: { rule: 'DM-1', detail: `${record.email} is synchronized (its status leaves NO_ACCESS_YET).` },
    }));
  return { recordsToWrite, recordsToClear: staleSyncRecords(facts, new Set(wanted.keys())) };
}

/** DM-1: records of users who are no longer named users with an email and profile. */
export function staleSyncRecords(
  facts: DeliverablesFacts,
  keep: ReadonlySet<string> = new Set(
    namedUsers(facts)
      .filter((u) => u.email !== null && u.profileId !== null)
      .map((u) => u.userId),
  ),
): { userId: string; reason: Reason }[] {
  return facts.syncRecords
    .filter((r) => !keep.has(r.userId))
    .map((r) => ({
      userId: r.userId,
      reason: { rule: 'DM-1', detail: `${r.email} is no longer a named user with a registered profile.` },
    }));
}

/**
 * DM-5: who an association (and DM-7) makes a WORK_AREA team member: synchronized (ACTIVE_USER or
 * DIFFERENT_EMAIL_DOMAIN), with or without translated roles — except people reached only through
 * *Everyone, who need VIEW_PACKAGE. DM-6: only those whose connector permissions include VIEW_PACKAGE.
 */
function joins(kind: SyncKind, person: NamedPerson): boolean {
  const view = person.connectorPermissions.includes('VIEW_PACKAGE');
  if (kind === 'DM-6') return person.synchronized && view;
  return person.synchronized && (!person.onlyEveryone || view);
}

function joinReason(kind: SyncKind, person: NamedPerson): Reason {
  const perms = permissionList(person.connectorPermissions);
  if (kind === 'DM-6')
    return { rule: 'DM-6', detail: `Named user with VIEW_PACKAGE (connector permissions: ${perms}).` };
  return {
    rule: kind,
    detail: person.onlyEveryone
      ? `Reached only through *Everyone, with VIEW_PACKAGE (connector permissions: ${perms}).`
      : `Synchronized named user (connector permissions: ${perms}).`,
  };
}

/** Stages 1 and 2, applied: the facts the membership and reconciliation stages decide from. */
function stagedFacts(facts: DeliverablesFacts) {
  const records = planRecords(facts);
  const afterRecords = applyRecordWrites(facts, records.recordsToWrite, records.recordsToClear);
  const entries = planEntries(afterRecords);
  const after = applyEntryWrites(afterRecords, entries.entriesToWrite, entries.entriesToDelete);
  return { records, entries, after };
}

/**
 * DM-5 / DM-6 / DM-7 as one plan. DM-6 never removes a member. DM-7 does what DM-6 does, then makes
 * the WORK_AREA members exactly the people DM-5 would add: it adds the missing and removes the others
 * (no longer behind a participant, or only through *Everyone without VIEW_PACKAGE), never a TEAM
 * member, never a Project Owner. Removing a member deletes their team-made entries (DM-10).
 * Interpretation (DM-7): a member is kept when ignoring their own team-made entries would make them
 * join — deleting those entries would otherwise make the next run add them back, so the plan would not
 * be stable; keeping them keeps the team's choice, which is what team-made entries are for.
 */
export function planSynchronization(facts: DeliverablesFacts, kind: SyncKind): SyncPlan {
  const { records, entries, after } = stagedFacts(facts);
  const people = namedPeople(namedUsers(after));
  const plan: SyncPlan = {
    kind,
    ...records,
    ...entries,
    membersToAdd: [],
    membersToRemove: [],
    rolesToAdd: [],
    rolesToRemove: [],
  };

  const removed = kind === 'DM-7' ? planRemovals(after, people) : [];
  plan.membersToRemove = removed.map((r) => ({ profileId: r.profileId, reason: r.reason }));
  for (const r of removed) plan.entriesToDelete.push(...r.teamMadeEntries);

  for (const person of people) {
    const member = teamMember(after, person.profileId);
    if (!member) {
      if (joins(kind, person)) {
        plan.membersToAdd.push({
          profileId: person.profileId,
          roles: translatePermissions(person.connectorPermissions),
          reason: joinReason(kind, person),
        });
      }
      continue;
    }
    if (removed.some((r) => r.profileId === person.profileId)) continue;
    const { add, remove } = reconcileMember(member, person.connectorPermissions, kind);
    plan.rolesToAdd.push(...add);
    plan.rolesToRemove.push(...remove);
  }
  return plan;
}

interface Removal {
  profileId: string;
  reason: Reason;
  teamMadeEntries: EntryDeletion[];
}

/** DM-7's removals (see planSynchronization). */
function planRemovals(after: DeliverablesFacts, people: readonly NamedPerson[]): Removal[] {
  const withoutTeamMade = namedPeople(
    namedUsers({ ...after, entries: after.entries.filter((e) => e.origin === 'PARTICIPANT') }),
  );
  const removals: Removal[] = [];
  for (const member of after.team) {
    if (member.source !== 'WORK_AREA' || holdsBuiltIn(member.roles, 'PROJECT_OWNER')) continue;
    const person = people.find((p) => p.profileId === member.profileId);
    if (person && joins('DM-5', person)) continue;
    const bare = withoutTeamMade.find((p) => p.profileId === member.profileId);
    if (bare && joins('DM-5', bare)) continue;
    const userIds = userIdsOfProfile(after, member.profileId);
    const teamMadeEntries = after.entries
      .filter((e) => e.origin === 'TEAM' && userIds.includes(e.principal.id))
      .map((e) => ({
        entry: { principal: e.principal, origin: e.origin },
        reason: { rule: 'DM-10', detail: 'Team-made entries are deleted when their user leaves the team.' },
      }));
    removals.push({
      profileId: member.profileId,
      teamMadeEntries,
      reason: {
        rule: 'DM-7',
        detail: person
          ? 'WORK_AREA member reached only through *Everyone, without VIEW_PACKAGE.'
          : 'WORK_AREA member no longer behind any participant of the work area (with their email).',
      },
    });
  }
  return removals;
}
