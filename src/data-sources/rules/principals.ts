// DS-4 / WA-1 / WA-1b: expanding principals (users, groups, user lists, *Everyone) into named users.
// The one place expansion lives: the Deliverables issue is to reuse it.
import type { PrincipalKind, WorkAreaRole } from '../../db/schema.js';

export interface PrincipalRef {
  kind: PrincipalKind;
  /** Row id of the user / group / list; the data source id for *Everyone. */
  id: string;
}

/** Everything expansion needs to know about one data source's principals. */
export interface PrincipalGraph {
  allUserIds: readonly string[];
  groupMembers: ReadonlyMap<string, readonly string[]>;
  listMembers: ReadonlyMap<string, readonly PrincipalRef[]>;
}

/**
 * DS-4: the named users behind a principal. Lists may nest and form cycles: each list is visited once,
 * so a cycle is harmless. The result is in first-seen order, without duplicates.
 */
export function expandPrincipal(graph: PrincipalGraph, principal: PrincipalRef): string[] {
  const users = new Set<string>();
  const visitedLists = new Set<string>();
  const visit = (p: PrincipalRef) => {
    switch (p.kind) {
      case 'USER':
        users.add(p.id);
        break;
      case 'GROUP':
        for (const u of graph.groupMembers.get(p.id) ?? []) users.add(u);
        break;
      case 'EVERYONE':
        for (const u of graph.allUserIds) users.add(u);
        break;
      case 'LIST':
        if (visitedLists.has(p.id)) return;
        visitedLists.add(p.id);
        for (const member of graph.listMembers.get(p.id) ?? []) visit(member);
        break;
    }
  };
  visit(principal);
  return [...users];
}

/** Work-area roles from most to least access; used only to pick among group-derived roles. */
export const ROLE_RANK: readonly WorkAreaRole[] = [
  'ADMINISTRATOR',
  'LEADER',
  'TEAM_MEMBER',
  'CUSTOM',
  'OBSERVER',
  'NO_ACCESS',
];

export interface Participant {
  principal: PrincipalRef;
  role: WorkAreaRole;
}

export interface NamedUserAccess {
  userId: string;
  /** The role that applies (see expandParticipants). */
  effectiveRole: WorkAreaRole;
  /** True when the user has an individual participant entry of their own. */
  individual: boolean;
  /** Every participant entry that reaches this user, with its role. */
  via: Participant[];
}

/**
 * WA-1 / WA-1b: a work area's participants expanded into named users. A user's own (individual)
 * entry decides their role — an individual NO_ACCESS wins over every group or list that contains
 * them. Without one, the most permissive role among the groups, lists and *Everyone reaching them
 * applies.
 */
export function expandParticipants(graph: PrincipalGraph, participants: readonly Participant[]): NamedUserAccess[] {
  const byUser = new Map<string, NamedUserAccess>();
  for (const participant of participants) {
    for (const userId of expandPrincipal(graph, participant.principal)) {
      let access = byUser.get(userId);
      if (!access) {
        access = { userId, effectiveRole: participant.role, individual: false, via: [] };
        byUser.set(userId, access);
      }
      access.via.push(participant);
    }
  }
  for (const access of byUser.values()) {
    const own = access.via.find((p) => p.principal.kind === 'USER');
    access.individual = own !== undefined;
    access.effectiveRole = own
      ? own.role
      : (access.via.map((p) => p.role).sort((a, b) => ROLE_RANK.indexOf(a) - ROLE_RANK.indexOf(b))[0] ?? 'NO_ACCESS');
  }
  return [...byUser.values()];
}
