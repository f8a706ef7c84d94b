// §7 Named users (§7 intro, WA-1, WA-1b) and DM-4 (their connector permissions), and the people they
// are: the named users sharing one registered profile, whom the team holds (DM-3: only users).
// Expansion is DS-4's expandParticipants, never a second one.
import type { Step } from '../../access/rules/access.js';
import { expandParticipants, type Participant, type PrincipalGraph } from '../../data-sources/rules/principals.js';
import type { DmPermission } from '../../projects/rules/roles.js';
import { type ConnectorEntry, type DeliverablesFacts, describePrincipal, findEntry, isParticipating } from './facts.js';
import { type DmStatus, isInternalEmail, namedUserStatus, normalizeDataSourceEmail } from './status.js';
import { normalizePermissions, permissionList } from './vocabulary.js';

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
  const principal = { kind: 'USER' as const, id: userId };
  const own = findEntry(facts, principal, 'PARTICIPANT');
  const isParticipant = isParticipating(facts, principal);
  if (isParticipant && own?.permissions) return own;
  const teamMade = findEntry(facts, principal, 'TEAM');
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
  const own = individualEntry(facts, user.userId);
  if (own?.permissions) {
    const kind = own.origin === 'TEAM' ? 'team-made entry (DM-10)' : 'individual participant entry';
    return {
      permissions: normalizePermissions(own.permissions),
      steps: [{ rule: 'DM-4', outcome: 'APPLIED', detail: `Own ${kind} decides: ${permissionList(own.permissions)}.` }],
    };
  }
  if (user.email !== null && !isInternalEmail(user.email, facts.internalDomain)) {
    return {
      permissions: [],
      steps: [
        {
          rule: 'DM-4',
          outcome: 'SKIPPED',
          detail: `${user.email} is not in the internal domain ${facts.internalDomain}: nothing is inherited from groups, lists or *Everyone.`,
        },
      ],
    };
  }
  const steps: Step[] = [];
  const union = new Set<DmPermission>();
  for (const participant of user.via) {
    if (participant.principal.kind === 'USER') continue; // their own entry, not initialised yet
    const entry = findEntry(facts, participant.principal, 'PARTICIPANT');
    if (!entry?.permissions) {
      steps.push({
        rule: 'DM-4',
        outcome: 'SKIPPED',
        detail: `${describePrincipal(facts, participant.principal)}: entry not initialised yet (DM-2, next synchronization).`,
      });
      continue;
    }
    for (const p of entry.permissions) union.add(p);
    steps.push({
      rule: 'DM-4',
      outcome: 'APPLIED',
      detail: `Inherited from ${describePrincipal(facts, participant.principal)}: ${permissionList(entry.permissions)}.`,
    });
  }
  if (steps.length === 0) steps.push({ rule: 'DM-4', outcome: 'SKIPPED', detail: 'No entry reaches this user.' });
  return { permissions: normalizePermissions(union), steps };
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

/** §7 intro, WA-1b: the expansion's users reached by something other than NO_ACCESS. */
function namedAccesses(graph: PrincipalGraph, participants: readonly Participant[]) {
  return expandParticipants(graph, participants).filter((access) => access.effectiveRole !== 'NO_ACCESS');
}

/** The data-source user ids of the named users (what DM-1's sync records are kept for). */
export function namedUserIds(graph: PrincipalGraph, participants: readonly Participant[]): Set<string> {
  return new Set(namedAccesses(graph, participants).map((a) => a.userId));
}

function computeNamedUsers(facts: DeliverablesFacts): NamedUser[] {
  const recordOf = new Map(facts.syncRecords.map((r) => [r.userId, r]));
  return namedAccesses(facts.graph, facts.participants).map((access) => {
    const email = normalizeDataSourceEmail(facts.emails.get(access.userId) ?? null);
    const profileId = email === null ? null : (facts.profiles.get(email) ?? null);
    const status = namedUserStatus({
      email,
      profileId,
      internalDomain: facts.internalDomain,
      record: recordOf.get(access.userId) ?? null,
    });
    const via = access.via.filter((p) => p.role !== 'NO_ACCESS');
    const connector = connectorPermissions(facts, { userId: access.userId, email, via });
    return {
      userId: access.userId,
      email,
      profileId,
      status: status.status,
      statusSteps: status.steps,
      via,
      onlyEveryone: via.every((p) => p.principal.kind === 'EVERYONE'),
      connectorPermissions: connector.permissions,
      connectorSteps: connector.steps,
    };
  });
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
  const byProfile = new Map<string, NamedUser[]>();
  for (const user of named) {
    if (user.profileId === null) continue;
    byProfile.set(user.profileId, [...(byProfile.get(user.profileId) ?? []), user]);
  }
  return [...byProfile].map(([profileId, users]) => ({
    profileId,
    userIds: users.map((u) => u.userId),
    connectorPermissions: normalizePermissions(users.flatMap((u) => u.connectorPermissions)),
    synchronized: users.some((u) => u.status === 'ACTIVE_USER' || u.status === 'DIFFERENT_EMAIL_DOMAIN'),
    onlyEveryone: users.every((u) => u.onlyEveryone),
  }));
}
