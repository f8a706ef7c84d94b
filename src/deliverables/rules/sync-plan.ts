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
import {
  type ConnectorEntry,
  type DeliverablesFacts,
  hasTeamMadeEntries,
  type SyncRecord,
  syncRecordOf,
  teamMember,
  userIdsOfProfile,
} from './facts.js';
import { type NamedPerson, namedPeople, namedUsers, namedUsersById } from './named-users.js';
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
  const recordsToWrite: SyncPlan['recordsToWrite'] = [];
  for (const user of namedUsers(facts)) {
    if (user.email === null || user.profileId === null) continue;
    const old = syncRecordOf(facts, user.userId);
    if (old && old.email === user.email && old.profileId === user.profileId) continue;
    const record = { userId: user.userId, email: user.email, profileId: user.profileId };
    recordsToWrite.push({
      record,
      reason: { rule: 'DM-1', detail: `${record.email} is synchronized (its status leaves NO_ACCESS_YET).` },
    });
  }
  return { recordsToWrite, recordsToClear: staleRecords(facts, keptRecords(facts)) };
}

/** DM-1: a named user with an email and a registered profile keeps a record. */
function keptRecords(facts: DeliverablesFacts): (userId: string) => boolean {
  if (facts.syncRecords.length === 0) return () => true; // nothing to ask about
  const byId = namedUsersById(facts);
  return (userId) => {
    const user = byId.get(userId);
    return user !== undefined && user.email !== null && user.profileId !== null;
  };
}

/** DM-1: records of users who are no longer named users with an email and profile. */
export function staleSyncRecords(
  facts: DeliverablesFacts,
  keep?: ReadonlySet<string>,
): { userId: string; reason: Reason }[] {
  return staleRecords(facts, keep ? (userId) => keep.has(userId) : keptRecords(facts));
}

function staleRecords(facts: DeliverablesFacts, keep: (userId: string) => boolean) {
  return facts.syncRecords
    .filter((r) => !keep(r.userId))
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
  for (const r of removed) for (const e of r.teamMadeEntries) plan.entriesToDelete.push(e);
  const removedProfiles = new Set(removed.map((r) => r.profileId));

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
    if (removedProfiles.has(person.profileId)) continue;
    const { add, remove } = reconcileMember(member, person.connectorPermissions, kind);
    for (const c of add) plan.rolesToAdd.push(c);
    for (const c of remove) plan.rolesToRemove.push(c);
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
  const personOf = new Map(people.map((p) => [p.profileId, p]));
  /** The people as they would be without team-made entries: computed only when a member needs it. */
  let bareOf: Map<string, NamedPerson> | undefined;
  const bare = (profileId: string) => {
    if (!bareOf) {
      // Without team-made entries there is nothing to ignore: the people are the same.
      const withoutTeamMade = hasTeamMadeEntries(after)
        ? namedPeople(namedUsers({ ...after, entries: after.entries.filter((e) => e.origin === 'PARTICIPANT') }))
        : people;
      bareOf = new Map(withoutTeamMade.map((p) => [p.profileId, p]));
    }
    return bareOf.get(profileId);
  };
  /** Team-made entries by principal id, with their position in `after.entries`: built on first use. */
  let teamMadeByUser: Map<string, { at: number; entry: ConnectorEntry }[]> | undefined;
  /** The team-made entries of these users, in the order of `after.entries`. */
  const teamMadeOf = (userIds: readonly string[]): ConnectorEntry[] => {
    if (!teamMadeByUser) {
      teamMadeByUser = new Map();
      for (const [at, entry] of after.entries.entries()) {
        if (entry.origin !== 'TEAM') continue;
        const list = teamMadeByUser.get(entry.principal.id);
        if (list) list.push({ at, entry });
        else teamMadeByUser.set(entry.principal.id, [{ at, entry }]);
      }
    }
    const found = [...new Set(userIds)].flatMap((id) => teamMadeByUser?.get(id) ?? []);
    return found.sort((a, b) => a.at - b.at).map((f) => f.entry);
  };
  const removals: Removal[] = [];
  for (const member of after.team) {
    if (member.source !== 'WORK_AREA' || holdsBuiltIn(member.roles, 'PROJECT_OWNER')) continue;
    const person = personOf.get(member.profileId);
    if (person && joins('DM-5', person)) continue;
    const bareMember = bare(member.profileId);
    if (bareMember && joins('DM-5', bareMember)) continue;
    const teamMadeEntries = teamMadeOf(userIdsOfProfile(after, member.profileId)).map((e) => ({
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
