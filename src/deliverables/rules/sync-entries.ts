// §7 DM-2 during a synchronization: which connector entries get their defaults, and which entries
// are stale (DM-2: a removed participant's entry; DM-10: a team-made entry whose user left the team,
// or whose user is now an individual participant, whose own entry then decides, DM-4).
import type { Participant } from '../../data-sources/rules/principals.js';
import type { DmPermission } from '../../projects/rules/roles.js';
import { type DeliverablesFacts, entryParticipants, findEntry, isParticipating, userIdsOfProfile } from './facts.js';
import { namedUsersById } from './named-users.js';
import type { EntryDeletion, EntryWrite } from './sync-plan.js';
import { defaultPermissions, permissionList, type Reason } from './vocabulary.js';

/**
 * DM-2: the permissions a not-yet-initialised participant entry gets now, or null to leave it so.
 * Groups, lists and *Everyone: at the first synchronization that sees them. A user entry: defaults at
 * the first synchronization at which the user is ACTIVE_USER; empty at the first at which they are
 * DIFFERENT_EMAIL_DOMAIN; left alone while their email or profile is missing. `facts` already carry
 * this synchronization's records, so statuses are the ones it produces.
 */
function initialPermissions(
  participant: Participant,
  statusOf: (userId: string) => string | undefined,
): { permissions: DmPermission[]; reason: Reason } | null {
  const defaults = defaultPermissions(participant.principal.kind, participant.role);
  if (defaults === null) return null;
  const { kind, id } = participant.principal;
  if (kind === 'EVERYONE') {
    return { permissions: [], reason: { rule: 'DM-2', detail: '*Everyone starts with every permission off.' } };
  }
  if (kind !== 'USER') {
    return {
      permissions: defaults,
      reason: { rule: 'DM-2', detail: `Defaults of work-area role ${participant.role}: ${permissionList(defaults)}.` },
    };
  }
  const status = statusOf(id);
  if (status === 'ACTIVE_USER') {
    return {
      permissions: defaults,
      reason: {
        rule: 'DM-2',
        detail: `First synchronization as ACTIVE_USER: defaults of ${participant.role}, ${permissionList(defaults)}.`,
      },
    };
  }
  if (status === 'DIFFERENT_EMAIL_DOMAIN') {
    return {
      permissions: [],
      reason: { rule: 'DM-2', detail: 'A DIFFERENT_EMAIL_DOMAIN user entry starts empty (DM-1).' },
    };
  }
  return null;
}

export function planEntries(facts: DeliverablesFacts): {
  entriesToWrite: EntryWrite[];
  entriesToDelete: EntryDeletion[];
} {
  const byId = namedUsersById(facts);
  const statusOf = (userId: string) => byId.get(userId)?.status;
  const participants = entryParticipants(facts);
  const entriesToWrite: EntryWrite[] = [];
  /** USER entries this synchronization initialises. */
  const written = new Set<string>();
  for (const participant of participants) {
    if (findEntry(facts, participant.principal, 'PARTICIPANT')?.permissions) continue; // DM-2: never reset
    const initial = initialPermissions(participant, statusOf);
    if (initial) {
      entriesToWrite.push({
        entry: { principal: participant.principal, origin: 'PARTICIPANT', permissions: initial.permissions },
        reason: initial.reason,
      });
      if (participant.principal.kind === 'USER') written.add(participant.principal.id);
    }
  }
  const initialised = (userId: string) =>
    Boolean(findEntry(facts, { kind: 'USER', id: userId }, 'PARTICIPANT')?.permissions) || written.has(userId);
  const entriesToDelete: EntryDeletion[] = [];
  let onTeam: Set<string> | undefined;
  for (const entry of facts.entries) {
    const key = { principal: entry.principal, origin: entry.origin };
    if (entry.origin === 'PARTICIPANT') {
      if (!isParticipating(facts, entry.principal)) {
        entriesToDelete.push({
          entry: key,
          reason: { rule: 'DM-2', detail: 'No longer a participant with access: its entry is deleted.' },
        });
      }
      continue;
    }
    const individual = isParticipating(facts, entry.principal);
    onTeam ??= new Set(facts.team.flatMap((m) => userIdsOfProfile(facts, m.profileId)));
    if (!onTeam.has(entry.principal.id)) {
      entriesToDelete.push({
        entry: key,
        reason: { rule: 'DM-10', detail: 'Team-made entry of a user not on the team.' },
      });
    } else if (individual && initialised(entry.principal.id)) {
      entriesToDelete.push({
        entry: key,
        reason: {
          rule: 'DM-10',
          detail: 'The user is now an individual participant: their participant entry decides.',
        },
      });
    }
  }
  return { entriesToWrite, entriesToDelete };
}
