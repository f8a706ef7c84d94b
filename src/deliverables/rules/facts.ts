// §7 The facts of one project's Deliverables Management, as the synchronization rules (DM-1…DM-10)
// read them: plain data loaded in one place by the use cases, ids as strings.
import type { Participant, PrincipalGraph, PrincipalRef } from '../../data-sources/rules/principals.js';
import type { DmPermission, RoleRef } from '../../projects/rules/roles.js';
import type { TeamSource } from '../../projects/rules/team.js';
import { normalizeDataSourceEmail } from './status.js';

/**
 * DM-10: a connector entry is a participant's (origin PARTICIPANT, any principal kind) or a team-made
 * entry (origin TEAM, always a USER) created when a DM role is assigned in the team to a named user
 * who is not an individual participant.
 */
export type EntryOrigin = 'PARTICIPANT' | 'TEAM';

export interface ConnectorEntry {
  principal: PrincipalRef;
  origin: EntryOrigin;
  /** DM-2: null until the entry is initialised (by a synchronization, or earlier by DM-8 / DM-10). */
  permissions: readonly DmPermission[] | null;
}

/**
 * DM-1: what the last synchronization saw of a named user: their email and the identity profile it
 * matched. A synchronization writes it; the user leaving the named users clears it (the work-area and
 * data-source use cases clear it at once with `staleSyncRecords`, a synchronization does too). So
 * "not synchronized since they became a named user, or since their email or profile appeared" is
 * exactly "no record, or a record of another email or profile".
 */
export interface SyncRecord {
  userId: string;
  email: string;
  profileId: string;
}

export interface TeamMember {
  /** The identity profile (team members are registered users, PRJ-7). */
  profileId: string;
  source: TeamSource;
  roles: readonly RoleRef[];
}

export interface DeliverablesFacts {
  /** PRJ-2: the project's internal domain (lower-case). */
  internalDomain: string;
  /** DS-4: the associated work area's data source. */
  graph: PrincipalGraph;
  /** DS-3: each data-source user's `email` as stored (null when missing); never its `identity`. */
  emails: ReadonlyMap<string, string | null>;
  /** ID-1: registered identity profiles, lower-cased email → profile id. */
  profiles: ReadonlyMap<string, string>;
  /** WA-1: the associated work area's participants. */
  participants: readonly Participant[];
  entries: readonly ConnectorEntry[];
  syncRecords: readonly SyncRecord[];
  team: readonly TeamMember[];
  /** For explanations: each principal's login or name, by principalKey (ids are shown without it). */
  principalNames?: ReadonlyMap<string, string>;
}

export function principalKey(p: PrincipalRef): string {
  return `${p.kind}:${p.id}`;
}

/** A principal as an administrator reads it in an explanation: "user carol", "group Crew", "*Everyone". */
export function describePrincipal(facts: Pick<DeliverablesFacts, 'principalNames'>, p: PrincipalRef): string {
  if (p.kind === 'EVERYONE') return '*Everyone';
  const noun = { USER: 'user', GROUP: 'group', LIST: 'list' }[p.kind];
  return `${noun} ${facts.principalNames?.get(principalKey(p)) ?? p.id}`;
}

export function entryKey(e: { principal: PrincipalRef; origin: EntryOrigin }): string {
  return `${e.origin}/${principalKey(e.principal)}`;
}

export function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** WA-1/DM-2: participants that have a connector entry (NO_ACCESS ones have none). */
export function entryParticipants(facts: DeliverablesFacts): Participant[] {
  return facts.participants.filter((p) => p.role !== 'NO_ACCESS');
}

/**
 * Look-ups over one facts object, built once per object (facts are never mutated: every apply function
 * returns a new one), so that a work area of 10,000 users is planned in linear time, not quadratic.
 */
interface FactsIndex {
  entries: Map<string, ConnectorEntry>;
  team: Map<string, TeamMember>;
  userIdsByProfile: Map<string, string[]>;
  /** Principals that take part in the work area with a role other than NO_ACCESS. */
  participating: Set<string>;
}

const indexes = new WeakMap<DeliverablesFacts, FactsIndex>();

function indexOf(facts: DeliverablesFacts): FactsIndex {
  let index = indexes.get(facts);
  if (!index) {
    const userIdsByProfile = new Map<string, string[]>();
    for (const [userId, raw] of facts.emails) {
      const email = normalizeDataSourceEmail(raw);
      const profileId = email === null ? undefined : facts.profiles.get(email);
      if (profileId === undefined) continue;
      const ids = userIdsByProfile.get(profileId);
      if (ids) ids.push(userId);
      else userIdsByProfile.set(profileId, [userId]);
    }
    index = {
      entries: new Map(facts.entries.map((e) => [entryKey(e), e])),
      team: new Map(facts.team.map((m) => [m.profileId, m])),
      userIdsByProfile,
      participating: new Set(entryParticipants(facts).map((p) => principalKey(p.principal))),
    };
    indexes.set(facts, index);
  }
  return index;
}

export function findEntry(
  facts: DeliverablesFacts,
  principal: PrincipalRef,
  origin: EntryOrigin,
): ConnectorEntry | undefined {
  return indexOf(facts).entries.get(entryKey({ principal, origin }));
}

export function teamMember(facts: DeliverablesFacts, profileId: string): TeamMember | undefined {
  return indexOf(facts).team.get(profileId);
}

/** WA-1: the principal takes part in the work area (NO_ACCESS participants do not, DM-2). */
export function isParticipating(facts: DeliverablesFacts, principal: PrincipalRef): boolean {
  return indexOf(facts).participating.has(principalKey(principal));
}

/** The data-source users whose email (DS-3, compared as DM-1 does) is the profile's. */
export function userIdsOfProfile(facts: DeliverablesFacts, profileId: string): string[] {
  return indexOf(facts).userIdsByProfile.get(profileId) ?? [];
}
