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
 * Each look-up is kept per the part of the facts it reads (the entries array, the team array, …), so a
 * facts object derived with `{ ...facts, entries }` reuses every look-up but the entries'. Look-ups by
 * principal are nested maps (origin → kind → id), so that asking builds no key strings.
 */
type ByPrincipal<T> = Map<string, Map<string, T>>;

function byPrincipalGet<T>(map: ByPrincipal<T>, p: PrincipalRef): T | undefined {
  return map.get(p.kind)?.get(p.id);
}

function byPrincipalSet<T>(map: ByPrincipal<T>, p: PrincipalRef, value: T): void {
  let inner = map.get(p.kind);
  if (!inner) {
    inner = new Map();
    map.set(p.kind, inner);
  }
  inner.set(p.id, value);
}

/** Memoizes `build` per object (facts parts are never mutated). */
function memo<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
    }
    return value;
  };
}

const entriesIndex = memo((entries: readonly ConnectorEntry[]) => {
  const index: Record<EntryOrigin, ByPrincipal<ConnectorEntry>> = { PARTICIPANT: new Map(), TEAM: new Map() };
  // A later entry of the same key wins, as a Map built from the array would.
  for (const e of entries) byPrincipalSet(index[e.origin], e.principal, e);
  return index;
});

const teamIndex = memo((team: readonly TeamMember[]) => new Map(team.map((m) => [m.profileId, m])));

/** Principals that take part in the work area with a role other than NO_ACCESS. */
const participatingIndex = memo((participants: readonly Participant[]) => {
  const index: ByPrincipal<true> = new Map();
  for (const p of participants) if (p.role !== 'NO_ACCESS') byPrincipalSet(index, p.principal, true);
  return index;
});

/** A user's sync record: the last one should there be two (as a Map built from the array), and the first. */
const recordsIndex = memo((records: readonly SyncRecord[]) => {
  const last = new Map<string, SyncRecord>();
  const first = new Map<string, SyncRecord>();
  for (const r of records) {
    last.set(r.userId, r);
    if (!first.has(r.userId)) first.set(r.userId, r);
  }
  return { last, first };
});

/** DS-3 emails as DM-1 compares them (normalizeDataSourceEmail), per emails map. */
const normalizedEmails = memo((emails: ReadonlyMap<string, string | null>) => {
  const index = new Map<string, string | null>();
  for (const [userId, raw] of emails) index.set(userId, normalizeDataSourceEmail(raw));
  return index;
});

const userIdsByProfileIndex = memo((emails: ReadonlyMap<string, string | null>) =>
  memo((profiles: ReadonlyMap<string, string>) => {
    const userIdsByProfile = new Map<string, string[]>();
    for (const [userId, email] of normalizedEmails(emails)) {
      const profileId = email === null ? undefined : profiles.get(email);
      if (profileId === undefined) continue;
      const ids = userIdsByProfile.get(profileId);
      if (ids) ids.push(userId);
      else userIdsByProfile.set(profileId, [userId]);
    }
    return userIdsByProfile;
  }),
);

export function findEntry(
  facts: DeliverablesFacts,
  principal: PrincipalRef,
  origin: EntryOrigin,
): ConnectorEntry | undefined {
  return byPrincipalGet(entriesIndex(facts.entries)[origin], principal);
}

/** DM-10: whether the facts hold any team-made entry. */
export function hasTeamMadeEntries(facts: DeliverablesFacts): boolean {
  return entriesIndex(facts.entries).TEAM.size > 0;
}

export function teamMember(facts: DeliverablesFacts, profileId: string): TeamMember | undefined {
  return teamIndex(facts.team).get(profileId);
}

/** WA-1: the principal takes part in the work area (NO_ACCESS participants do not, DM-2). */
export function isParticipating(facts: DeliverablesFacts, principal: PrincipalRef): boolean {
  return byPrincipalGet(participatingIndex(facts.participants), principal) === true;
}

/** The data-source users whose email (DS-3, compared as DM-1 does) is the profile's. */
export function userIdsOfProfile(facts: DeliverablesFacts, profileId: string): string[] {
  return userIdsByProfileIndex(facts.emails)(facts.profiles).get(profileId) ?? [];
}

/** DM-1: the user's email as DM compares it (normalizeDataSourceEmail of DS-3's), null when missing. */
export function normalizedEmailOf(facts: DeliverablesFacts, userId: string): string | null {
  const email = normalizedEmails(facts.emails).get(userId);
  return email === undefined ? normalizeDataSourceEmail(null) : email;
}

/**
 * DM-1: the user's sync record, or null. Records are one per user; should there be two, `which` says
 * which one the caller has always read.
 */
export function syncRecordOf(
  facts: DeliverablesFacts,
  userId: string,
  which: 'last' | 'first' = 'last',
): SyncRecord | null {
  return recordsIndex(facts.syncRecords)[which].get(userId) ?? null;
}

/** The look-ups a pass over every named user reads, resolved once for the pass (hot loops ask 10,000 times). */
export interface FactsLookups {
  participantEntries: ByPrincipal<ConnectorEntry>;
  /** USER participant entries, USER team-made entries and USER participants with access, by user id. */
  userEntries: ReadonlyMap<string, ConnectorEntry>;
  userTeamEntries: ReadonlyMap<string, ConnectorEntry>;
  usersParticipating: ReadonlyMap<string, true>;
  emails: ReadonlyMap<string, string | null>;
  records: ReadonlyMap<string, SyncRecord>;
}

const NONE = new Map<string, never>();

export function lookupsOf(facts: DeliverablesFacts): FactsLookups {
  const entries = entriesIndex(facts.entries);
  return {
    participantEntries: entries.PARTICIPANT,
    userEntries: entries.PARTICIPANT.get('USER') ?? NONE,
    userTeamEntries: entries.TEAM.get('USER') ?? NONE,
    usersParticipating: participatingIndex(facts.participants).get('USER') ?? NONE,
    emails: normalizedEmails(facts.emails),
    records: recordsIndex(facts.syncRecords).last,
  };
}
