// §7 Named users (§7 intro, WA-1, WA-1b) and DM-4 (their connector permissions), and the people they
// are: the named users sharing one registered profile, whom the team holds (DM-3: only users).
// Expansion is DS-4's expandParticipants, never a second one.
import type { Step } from '../../access/rules/access.js';
import {
  expandParticipants,
  type NamedUserAccess,
  type Participant,
  type PrincipalGraph,
} from '../../data-sources/rules/principals.js';
import { DM_PERMISSIONS, type DmPermission } from '../../projects/rules/roles.js';
import {
  type ConnectorEntry,
  type DeliverablesFacts,
  describePrincipal,
  type FactsLookups,
  lookupsOf,
  type SyncRecord,
} from './facts.js';
import { type DmStatus, dmStatus, isInternalEmail, namedUserStatus } from './status.js';
import { permissionList } from './vocabulary.js';

export interface NamedUser {
  userId: string;
  email: string | null;
  profileId: string | null;
  status: DmStatus;
  statusSteps: Step[];
  /** The participants (never NO_ACCESS ones) through which the user is named. */
  via: Participant[];
  /** DM-5/DM-7: every participant reaching the user is *Everyone. */
  onlyEveryone: boolean;
  connectorPermissions: DmPermission[];
  /** DM-4's explanation: which entry decided, or which entries contributed. */
  connectorSteps: Step[];
}

/**
 * The individual entry of a user (DM-4, DM-10): their participant entry when they are an individual
 * participant, else their team-made entry. Decision: an entry not yet initialised (DM-2: null) does
 * not override yet — until the synchronization that gives it its defaults, the user keeps what their
 * groups give them (it is pending, DM-9), instead of showing no permissions at all.
 */
export function individualEntry(facts: DeliverablesFacts, userId: string): ConnectorEntry | null {
  return individualEntryIn(lookupsOf(facts), userId);
}

function individualEntryIn(lookups: FactsLookups, userId: string): ConnectorEntry | null {
  const own = lookups.userEntries.get(userId);
  const isParticipant = lookups.usersParticipating.has(userId);
  if (isParticipant && own?.permissions) return own;
  const teamMade = lookups.userTeamEntries.get(userId);
  return teamMade?.permissions ? teamMade : null;
}

/**
 * DM-4: a named user's connector permissions. Their own entry overrides; else the union of the
 * entries of every group, list (transitively: DS-4 expansion) and *Everyone reaching them. Nothing is
 * inherited by a user whose email is in another domain than the internal one (DM-1
 * DIFFERENT_EMAIL_DOMAIN). Decision: that is decided by the email's domain, not by the synchronized
 * status, so a not-yet-synchronized external user is not shown inherited permissions the next
 * synchronization would take away.
 */
export function connectorPermissions(
  facts: DeliverablesFacts,
  user: { userId: string; email: string | null; via: readonly Participant[] },
): { permissions: DmPermission[]; steps: Step[] } {
  const steps: Step[] = [];
  return {
    permissions: decideConnectorPermissions(facts, lookupsOf(facts), user.userId, user.email, user.via, steps),
    steps,
  };
}

/** DM_PERMISSIONS as bits, so that a union is an `|` (DM-4 asks it for every named user). */
const BIT = Object.fromEntries(DM_PERMISSIONS.map((p, i) => [p, 1 << i])) as Record<DmPermission, number>;

function maskOf(permissions: readonly DmPermission[]): number {
  let mask = 0;
  for (const p of permissions) mask |= BIT[p];
  return mask;
}

/** normalizePermissions of a mask: DM_PERMISSIONS order, no duplicates. */
function permissionsOf(mask: number): DmPermission[] {
  const permissions: DmPermission[] = [];
  for (let i = 0; i < DM_PERMISSIONS.length; i += 1)
    if (mask & (1 << i)) permissions.push(DM_PERMISSIONS[i] as DmPermission);
  return permissions;
}

/** The one DM-4 decision (see connectorPermissions); its steps are written to `steps` unless it is null. */
function decideConnectorPermissions(
  facts: DeliverablesFacts,
  lookups: FactsLookups,
  userId: string,
  email: string | null,
  via: readonly Participant[],
  steps: Step[] | null,
): DmPermission[] {
  const own = individualEntryIn(lookups, userId);
  if (own?.permissions) {
    if (steps) {
      const kind = own.origin === 'TEAM' ? 'team-made entry (DM-10)' : 'individual participant entry';
      steps.push({
        rule: 'DM-4',
        outcome: 'APPLIED',
        detail: `Own ${kind} decides: ${permissionList(own.permissions)}.`,
      });
    }
    return permissionsOf(maskOf(own.permissions));
  }
  if (email !== null && !isInternalEmail(email, facts.internalDomain)) {
    steps?.push({
      rule: 'DM-4',
      outcome: 'SKIPPED',
      detail: `${email} is not in the internal domain ${facts.internalDomain}: nothing is inherited from groups, lists or *Everyone.`,
    });
    return [];
  }
  let union = 0;
  let explained = false;
  for (const participant of via) {
    if (participant.principal.kind === 'USER') continue; // their own entry, not initialised yet
    const entry = lookups.participantEntries.get(participant.principal.kind)?.get(participant.principal.id);
    explained = true;
    if (!entry?.permissions) {
      steps?.push({
        rule: 'DM-4',
        outcome: 'SKIPPED',
        detail: `${describePrincipal(facts, participant.principal)}: entry not initialised yet (DM-2, next synchronization).`,
      });
      continue;
    }
    union |= maskOf(entry.permissions);
    steps?.push({
      rule: 'DM-4',
      outcome: 'APPLIED',
      detail: `Inherited from ${describePrincipal(facts, participant.principal)}: ${permissionList(entry.permissions)}.`,
    });
  }
  if (!explained) steps?.push({ rule: 'DM-4', outcome: 'SKIPPED', detail: 'No entry reaches this user.' });
  return permissionsOf(union);
}

/**
 * §7 intro: the named users of the work area, in first-seen order. WA-1b: an individual NO_ACCESS
 * participant is behind nothing; a NO_ACCESS group or list adds nobody (expandParticipants gives
 * NO_ACCESS exactly to users reached by NO_ACCESS participants only, or by their own NO_ACCESS entry).
 */
export function namedUsers(facts: DeliverablesFacts): NamedUser[] {
  // Facts are never mutated, so one object's named users are computed once (a plan asks several times).
  const known = namedUsersOf.get(facts);
  if (known) return known;
  const named = computeNamedUsers(facts);
  namedUsersOf.set(facts, named);
  return named;
}

const namedUsersOf = new WeakMap<DeliverablesFacts, NamedUser[]>();

/**
 * DS-4's expansion of one participants array over one graph, kept per (graph, participants): it reads
 * nothing else, and facts derived by an apply function share both, so a plan expands once.
 */
interface Expansion {
  accesses: NamedUserAccess[];
  byUser: Map<string, NamedUserAccess>;
  /** §7 intro, WA-1b: the users reached by something other than NO_ACCESS, and through what. */
  named: { userId: string; via: Participant[] }[];
}

const expansions = new WeakMap<PrincipalGraph, WeakMap<readonly Participant[], Expansion>>();

function expansionOf(graph: PrincipalGraph, participants: readonly Participant[]): Expansion {
  let byParticipants = expansions.get(graph);
  if (!byParticipants) {
    byParticipants = new WeakMap();
    expansions.set(graph, byParticipants);
  }
  let expansion = byParticipants.get(participants);
  if (!expansion) {
    const accesses = expandParticipants(graph, participants);
    const byUser = new Map<string, NamedUserAccess>();
    const named: Expansion['named'] = [];
    for (const access of accesses) {
      byUser.set(access.userId, access);
      if (access.effectiveRole === 'NO_ACCESS') continue;
      const via = access.via.some((p) => p.role === 'NO_ACCESS')
        ? access.via.filter((p) => p.role !== 'NO_ACCESS')
        : access.via;
      named.push({ userId: access.userId, via });
    }
    expansion = { accesses, byUser, named };
    byParticipants.set(participants, expansion);
  }
  return expansion;
}

/** DS-4's expansion entry of one data-source user (NO_ACCESS ones included), for explanations. */
export function participantAccessOf(facts: DeliverablesFacts, userId: string): NamedUserAccess | undefined {
  return expansionOf(facts.graph, facts.participants).byUser.get(userId);
}

/** One named user by data-source user id (the facts' memoized named users, indexed once). */
export function namedUserById(facts: DeliverablesFacts, userId: string): NamedUser | undefined {
  return namedUsersById(facts).get(userId);
}

/** The named users by data-source user id (for a pass that asks for many). */
export function namedUsersById(facts: DeliverablesFacts): ReadonlyMap<string, NamedUser> {
  const named = namedUsers(facts);
  let byId = namedUserIndexes.get(named);
  if (!byId) {
    byId = new Map(named.map((u) => [u.userId, u]));
    namedUserIndexes.set(named, byId);
  }
  return byId;
}

/** The named users of one profile (DM-3: a person), in first-seen order. */
export function namedUsersOfProfile(facts: DeliverablesFacts, profileId: string): readonly NamedUser[] {
  const named = namedUsers(facts);
  let byProfile = namedUsersByProfile.get(named);
  if (!byProfile) {
    byProfile = new Map();
    for (const user of named) {
      if (user.profileId === null) continue;
      const users = byProfile.get(user.profileId);
      if (users) users.push(user);
      else byProfile.set(user.profileId, [user]);
    }
    namedUsersByProfile.set(named, byProfile);
  }
  return byProfile.get(profileId) ?? [];
}

const namedUsersByProfile = new WeakMap<readonly NamedUser[], Map<string, NamedUser[]>>();

const namedUserIndexes = new WeakMap<readonly NamedUser[], Map<string, NamedUser>>();

/** The data-source user ids of the named users (what DM-1's sync records are kept for). */
export function namedUserIds(graph: PrincipalGraph, participants: readonly Participant[]): Set<string> {
  return new Set(expansionOf(graph, participants).named.map((a) => a.userId));
}

/**
 * A named user. Their explanations (statusSteps, connectorSteps: sentences for each of 10,000 users)
 * are built when first read, from the same facts and by the same decisions as the status and the
 * permissions, so every reader gets exactly what an eager computation gave.
 */
class LazyNamedUser implements NamedUser {
  readonly #facts: DeliverablesFacts;
  readonly #record: SyncRecord | null;
  #statusSteps: Step[] | undefined;
  #connectorSteps: Step[] | undefined;
  constructor(
    facts: DeliverablesFacts,
    record: SyncRecord | null,
    readonly userId: string,
    readonly email: string | null,
    readonly profileId: string | null,
    readonly status: DmStatus,
    readonly via: Participant[],
    readonly onlyEveryone: boolean,
    readonly connectorPermissions: DmPermission[],
  ) {
    this.#facts = facts;
    this.#record = record;
  }

  get statusSteps(): Step[] {
    this.#statusSteps ??= namedUserStatus({
      email: this.email,
      profileId: this.profileId,
      internalDomain: this.#facts.internalDomain,
      record: this.#record,
    }).steps;
    return this.#statusSteps;
  }

  get connectorSteps(): Step[] {
    if (!this.#connectorSteps) {
      const steps: Step[] = [];
      const facts = this.#facts;
      decideConnectorPermissions(facts, lookupsOf(facts), this.userId, this.email, this.via, steps);
      this.#connectorSteps = steps;
    }
    return this.#connectorSteps;
  }
}

/** Every named user's status (DM-1) and connector permissions (DM-4), in first-seen order. */
function computeNamedUsers(facts: DeliverablesFacts): NamedUser[] {
  const { named } = expansionOf(facts.graph, facts.participants);
  const lookups = lookupsOf(facts);
  const { internalDomain, profiles } = facts;
  const users: NamedUser[] = new Array(named.length);
  for (let i = 0; i < named.length; i += 1) {
    const { userId, via } = named[i] as Expansion['named'][number];
    const email = lookups.emails.get(userId) ?? null;
    const profileId = email === null ? null : (profiles.get(email) ?? null);
    const record = lookups.records.get(userId) ?? null;
    users[i] = new LazyNamedUser(
      facts,
      record,
      userId,
      email,
      profileId,
      dmStatus({ email, profileId, internalDomain, record }),
      via,
      onlyEveryoneOf(via),
      decideConnectorPermissions(facts, lookups, userId, email, via, null),
    );
  }
  return users;
}

function onlyEveryoneOf(via: readonly Participant[]): boolean {
  for (const p of via) if (p.principal.kind !== 'EVERYONE') return false;
  return true;
}

/**
 * A person: the named users sharing one registered profile (DS-3 lets two data-source users carry
 * one email). Decision: the team holds the person once, with the union of their connector
 * permissions; they count as synchronized when one of their named users is, and as reached only
 * through *Everyone when all of them are.
 */
export interface NamedPerson {
  profileId: string;
  userIds: string[];
  connectorPermissions: DmPermission[];
  synchronized: boolean;
  onlyEveryone: boolean;
}

export function namedPeople(named: readonly NamedUser[]): NamedPerson[] {
  // Named users are memoized per facts object and never mutated: so are the people they make.
  const known = namedPeopleOf.get(named);
  if (known) return known;
  const byProfile = new Map<string, { person: NamedPerson; mask: number }>();
  const people: NamedPerson[] = [];
  for (const user of named) {
    if (user.profileId === null) continue;
    const synchronized = user.status === 'ACTIVE_USER' || user.status === 'DIFFERENT_EMAIL_DOMAIN';
    const known = byProfile.get(user.profileId);
    if (!known) {
      const person: NamedPerson = {
        profileId: user.profileId,
        userIds: [user.userId],
        connectorPermissions: [],
        synchronized,
        onlyEveryone: user.onlyEveryone,
      };
      byProfile.set(user.profileId, { person, mask: maskOf(user.connectorPermissions) });
      people.push(person);
      continue;
    }
    // Synchronized when one of their named users is; reached only through *Everyone when all are.
    known.person.userIds.push(user.userId);
    known.mask |= maskOf(user.connectorPermissions);
    known.person.synchronized ||= synchronized;
    known.person.onlyEveryone &&= user.onlyEveryone;
  }
  for (const { person, mask } of byProfile.values()) person.connectorPermissions = permissionsOf(mask);
  namedPeopleOf.set(named, people);
  return people;
}

const namedPeopleOf = new WeakMap<readonly NamedUser[], NamedPerson[]>();
