// §7 DM-8: validating `setDeliverablesPermissions(projectId, entries)` — per-entry errors in the
// spec's order, warnings, and (only when nothing failed) the entry writes and the DM-10 role
// reconciliation of every affected named user who is a team member. Needs MANAGE_SETTINGS: decided
// by src/authz before this runs.
import type { PrincipalRef } from '../../data-sources/rules/principals.js';
import { effectivePermissions, type Provenance } from '../../projects/rules/effective-permissions.js';
import { type DmPermission, dmPermissionsFrom } from '../../projects/rules/roles.js';
import { applyEntryWrites } from './apply.js';
import {
  type ConnectorEntry,
  type DeliverablesFacts,
  findEntry,
  isParticipating,
  normalizedEmailOf,
  principalKey,
  syncRecordOf,
  teamMember,
} from './facts.js';
import { type NamedPerson, type NamedUser, namedPeople, namedUserById, namedUsers } from './named-users.js';
import { applyRoleChanges, type RoleChange, reconcileMember, reconcileTeam } from './reconcile.js';
import { isInternalEmail, namedUserStatus } from './status.js';
import type { EntryWrite } from './sync-plan.js';
import { normalizePermissions, samePermissions } from './vocabulary.js';

export interface ConnectorEdit {
  principal: PrincipalRef;
  permissions: readonly DmPermission[];
}

/**
 * DM-8's codes in its order. DUPLICATE_ENTRY (decision, input validation: the same principal twice in
 * one call would leave which one wins to chance) is checked first, on the later occurrence.
 */
export const CONNECTOR_EDIT_ERRORS = [
  'DUPLICATE_ENTRY',
  'NOT_A_PARTICIPANT',
  'EMAIL_ADDRESS_MISSING',
  'IMS_ACCOUNT_MISSING',
  'PERMISSION_MANAGED_IN_TEAM',
  'CUSTOM_ROLE_GRANTS_PERMISSION',
] as const;
export type ConnectorEditErrorCode = (typeof CONNECTOR_EDIT_ERRORS)[number];

export interface ConnectorEditError {
  path: string[];
  code: ConnectorEditErrorCode;
  message: string;
  /** CUSTOM_ROLE_GRANTS_PERMISSION: the custom roles, and the users (profile ids) holding them. */
  roles?: { id: string; name: string }[];
  users?: string[];
}

export interface ConnectorEditWarning {
  path: string[];
  code: 'PERMISSION_STILL_GRANTED' | 'DIFFERENT_DOMAIN_ACCESS';
  message: string;
  users: string[];
  permission: DmPermission;
  grantedBy?: Provenance[];
}

export interface ConnectorEditDecision {
  errors: ConnectorEditError[];
  warnings: ConnectorEditWarning[];
  /** Empty when there is any error (DM-8: any error and nothing changes). */
  writes: EntryWrite[];
  rolesToAdd: RoleChange[];
  rolesToRemove: RoleChange[];
  /** The facts once the writes are applied (the same object the decision reasoned on). */
  after: DeliverablesFacts;
}

/** DM-8: only these may be removed in the connector; VIEW_PACKAGE and ADMIN are removed in the team. */
export const REMOVABLE_IN_CONNECTOR: readonly DmPermission[] = [
  'RECEIVE_PACKAGE',
  'ISSUE_PACKAGE',
  'APPROVE_RFI_RESPONSE',
];

/** The entry an edit targets: a participant's (never NO_ACCESS), else a USER's team-made entry (DM-10). */
function targetOf(
  facts: DeliverablesFacts,
  principal: PrincipalRef,
): Pick<ConnectorEntry, 'principal' | 'origin'> | null {
  if (isParticipating(facts, principal)) {
    return { principal, origin: 'PARTICIPANT' };
  }
  // DM-8: a NO_ACCESS participant is NOT_A_PARTICIPANT — even with a team-made entry from before (WA-1b).
  const noAccess = facts.participants.some(
    (p) => p.role === 'NO_ACCESS' && p.principal.kind === principal.kind && p.principal.id === principal.id,
  );
  if (!noAccess && principal.kind === 'USER' && findEntry(facts, principal, 'TEAM'))
    return { principal, origin: 'TEAM' };
  return null;
}

function userStatus(facts: DeliverablesFacts, userId: string) {
  const email = normalizedEmailOf(facts, userId);
  const profileId = email === null ? null : (facts.profiles.get(email) ?? null);
  const record = syncRecordOf(facts, userId, 'first');
  return { email, ...namedUserStatus({ email, profileId, internalDomain: facts.internalDomain, record }) };
}

/** The first three checks of DM-8's order, and what the entry would remove and add. */
function checkEntry(facts: DeliverablesFacts, edit: ConnectorEdit, path: string[]) {
  const target = targetOf(facts, edit.principal);
  if (!target) {
    return {
      error: {
        path,
        code: 'NOT_A_PARTICIPANT' as const,
        message: 'Not a participant of the associated work area (or a NO_ACCESS one).',
      },
    };
  }
  if (edit.principal.kind === 'USER') {
    const { status } = userStatus(facts, edit.principal.id);
    if (status === 'EMAIL_ADDRESS_MISSING' || status === 'IMS_ACCOUNT_MISSING') {
      const message =
        status === 'EMAIL_ADDRESS_MISSING'
          ? 'The user has no email address: add one and re-synchronize.'
          : 'No registered identity profile has this email: the person must register first.';
      return { error: { path, code: status, message } };
    }
  }
  const current = findEntry(facts, edit.principal, target.origin)?.permissions ?? [];
  const wanted = normalizePermissions(edit.permissions);
  const removed = current.filter((p) => !wanted.includes(p));
  const added = wanted.filter((p) => !current.includes(p));
  const managed = removed.filter((p) => !REMOVABLE_IN_CONNECTOR.includes(p));
  if (managed.length > 0) {
    return {
      error: {
        path,
        code: 'PERMISSION_MANAGED_IN_TEAM' as const,
        message: `${managed.join(' and ')} cannot be removed in the connector: remove the role in the team instead.`,
      },
    };
  }
  return {
    target,
    wanted,
    removed,
    added,
    changed: !samePermissions(findEntry(facts, edit.principal, target.origin)?.permissions ?? null, wanted),
  };
}

/**
 * People reached by the edited entry whose connector permissions lose one of `removed`, in the order
 * of `after`. `reached`: the named users the entry reaches (through their participants, or their own).
 */
function affectedBy(
  removed: readonly DmPermission[],
  before: PeopleIndex,
  after: PeopleIndex,
  reached: readonly string[],
): { person: NamedPerson; lost: DmPermission[] }[] {
  if (removed.length === 0) return [];
  const candidates = new Set<NamedPerson>();
  for (const userId of reached) {
    const person = after.byUser.get(userId);
    if (person) candidates.add(person);
  }
  return [...candidates]
    .sort((a, b) => (after.position.get(a) ?? 0) - (after.position.get(b) ?? 0))
    .flatMap((person) => {
      const had = before.byProfile.get(person.profileId)?.connectorPermissions ?? [];
      const lost = removed.filter((p) => had.includes(p) && !person.connectorPermissions.includes(p));
      return lost.length > 0 ? [{ person, lost }] : [];
    });
}

/** People by profile (the first of a profile, as `find`), by named user, and their position. */
interface PeopleIndex {
  byProfile: Map<string, NamedPerson>;
  byUser: Map<string, NamedPerson>;
  position: Map<NamedPerson, number>;
}

function peopleIndex(people: readonly NamedPerson[]): PeopleIndex {
  const index: PeopleIndex = { byProfile: new Map(), byUser: new Map(), position: new Map() };
  for (const [i, person] of people.entries()) {
    if (!index.byProfile.has(person.profileId)) index.byProfile.set(person.profileId, person);
    for (const userId of person.userIds) if (!index.byUser.has(userId)) index.byUser.set(userId, person);
    index.position.set(person, i);
  }
  return index;
}

/**
 * The named users of `named` each of `principals` reaches through its participant entry (their `via`),
 * in `named` order: one pass over the named users, whatever the number of edits.
 */
function reachedByPrincipals(
  named: readonly NamedUser[],
  principals: readonly PrincipalRef[],
): Map<string, Map<string, string[]>> {
  const reached = new Map<string, Map<string, string[]>>();
  for (const p of principals) {
    let byId = reached.get(p.kind);
    if (!byId) {
      byId = new Map();
      reached.set(p.kind, byId);
    }
    byId.set(p.id, []);
  }
  for (const user of named) {
    for (const p of user.via) {
      const users = reached.get(p.principal.kind)?.get(p.principal.id);
      if (users && users[users.length - 1] !== user.userId) users.push(user.userId);
    }
  }
  return reached;
}

export function validateConnectorEdit(
  facts: DeliverablesFacts,
  edits: readonly ConnectorEdit[],
  /** Profiles that are IMS admins of the project's account (PRJ-6). */
  imsAdmins: ReadonlySet<string>,
): ConnectorEditDecision {
  const errors: ConnectorEditError[] = [];
  const seen = new Set<string>();
  const checked = edits.map((edit, i) => {
    const path = ['entries', String(i)];
    const key = principalKey(edit.principal);
    if (seen.has(key)) {
      const error = { path, code: 'DUPLICATE_ENTRY' as const, message: 'The same participant appears twice.' };
      return { edit, i, error };
    }
    seen.add(key);
    return { edit, i, ...checkEntry(facts, edit, path) };
  });
  const writes: EntryWrite[] = [];
  for (const c of checked) {
    if (c.error) errors.push(c.error);
    else if (c.changed) {
      writes.push({
        entry: { principal: c.edit.principal, origin: c.target.origin, permissions: c.wanted },
        reason: { rule: 'DM-8', detail: 'Set in the connector.' },
      });
    }
  }
  const namedBefore = namedUsers(facts);
  const afterFacts = applyEntryWrites(facts, writes, []);
  const after = namedPeople(namedUsers(afterFacts));
  // Built only when an edit removes a permission (only then can anyone lose one).
  let indexes: { before: PeopleIndex; after: PeopleIndex; reachedBy: Map<string, Map<string, string[]>> } | undefined;
  const warnings: ConnectorEditWarning[] = [];
  for (const c of checked) {
    if (c.error) continue;
    const path = ['entries', String(c.i)];
    let affected: { person: NamedPerson; lost: DmPermission[] }[] = [];
    if (c.removed.length > 0) {
      indexes ??= {
        before: peopleIndex(namedPeople(namedBefore)),
        after: peopleIndex(after),
        reachedBy: reachedByPrincipals(
          namedBefore,
          checked.flatMap((e) => (e.error || e.removed.length === 0 ? [] : [e.edit.principal])),
        ),
      };
      const { principal } = c.edit;
      const reached = indexes.reachedBy.get(principal.kind)?.get(principal.id) ?? [];
      const own = principal.kind === 'USER' && namedUserById(facts, principal.id) ? [principal.id] : [];
      affected = affectedBy(c.removed, indexes.before, indexes.after, [...reached, ...own]);
    }
    const customError = customRoleError(facts, affected, path);
    if (customError) errors.push(customError);
    else for (const w of stillGranted(afterFacts, affected, imsAdmins, path)) warnings.push(w);
    if (c.added.includes('VIEW_PACKAGE') && c.edit.principal.kind === 'USER') {
      const { email } = userStatus(facts, c.edit.principal.id);
      if (email !== null && !isInternalEmail(email, facts.internalDomain)) {
        warnings.push({
          path,
          code: 'DIFFERENT_DOMAIN_ACCESS',
          message: `${email} is not in the internal domain ${facts.internalDomain}: that organization will see all internal deliverables.`,
          users: [c.edit.principal.id],
          permission: 'VIEW_PACKAGE',
        });
      }
    }
  }
  errors.sort((a, b) => Number(a.path[1]) - Number(b.path[1]));
  if (errors.length > 0) return { errors, warnings: [], writes: [], rolesToAdd: [], rolesToRemove: [], after: facts };
  // DM-9: after every connector edit the invariant holds for every team member who is a named user —
  // the members this edit affected, and any whose data-source change still awaits a synchronization.
  const { add, remove } = reconcileTeam(afterFacts, 'DM-8');
  return { errors, warnings, writes, rolesToAdd: add, rolesToRemove: remove, after: afterFacts };
}

/** DM-8 CUSTOM_ROLE_GRANTS_PERMISSION: a custom role held by an affected user grants a lost permission. */
function customRoleError(
  facts: DeliverablesFacts,
  affected: readonly { person: NamedPerson; lost: DmPermission[] }[],
  path: string[],
): ConnectorEditError | null {
  const roles = new Map<string, { id: string; name: string }>();
  const users = new Set<string>();
  for (const { person, lost } of affected) {
    const member = teamMember(facts, person.profileId);
    for (const role of member?.roles ?? []) {
      if (role.kind !== 'CUSTOM' || !dmPermissionsFrom(role.permissions).some((p) => lost.includes(p))) continue;
      roles.set(role.id, { id: role.id, name: role.name });
      users.add(person.profileId);
    }
  }
  if (users.size === 0) return null;
  const names = [...roles.values()].map((r) => `"${r.name}"`).join(', ');
  return {
    path,
    code: 'CUSTOM_ROLE_GRANTS_PERMISSION',
    message: `The custom role(s) ${names} held by ${users.size} affected user(s) grant a permission being removed: remove the role in the team instead.`,
    roles: [...roles.values()],
    users: [...users],
  };
}

/** DM-8 PERMISSION_STILL_GRANTED: once reconciled, another role or IMS_ADMIN/PROJECT_OWNER still grants it. */
function stillGranted(
  afterFacts: DeliverablesFacts,
  affected: readonly { person: NamedPerson; lost: DmPermission[] }[],
  imsAdmins: ReadonlySet<string>,
  path: string[],
): ConnectorEditWarning[] {
  const warnings: ConnectorEditWarning[] = [];
  for (const { person, lost } of affected) {
    const member = teamMember(afterFacts, person.profileId);
    // `person` is the first of `after` with its profile (profiles are unique there), as `find` gave.
    const permissions = person.connectorPermissions;
    const { add, remove } = member ? reconcileMember(member, permissions, 'DM-8') : { add: [], remove: [] };
    const roles = member
      ? applyRoleChanges(
          member.roles,
          add.map((c) => c.role),
          remove.map((c) => c.role),
        )
      : [];
    const effective = effectivePermissions({ roles, isImsAdmin: imsAdmins.has(person.profileId) });
    for (const permission of lost) {
      const grant = effective.dmPermissions[permission];
      if (!grant.granted) continue;
      warnings.push({
        path,
        code: 'PERMISSION_STILL_GRANTED',
        message: `${permission} is removed in the connector but still granted to the user by another role or their standing.`,
        users: [person.profileId],
        permission,
        grantedBy: grant.grantedBy,
      });
    }
  }
  return warnings;
}
