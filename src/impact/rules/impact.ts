// Issue 14 (IMP-2, IMP-3): what a change does, as the difference between two measurements of the same
// scope — one in the state before the change, one after. Pure: decisions in, rows out.
import type { AccessDecision } from '../../access/rules/access.js';

/** IMP-2: how one person's entry to one data source, with one product, changes. */
export const ACCESS_CHANGE_KINDS = ['GAINS_ENTRY', 'LOSES_ENTRY', 'BILLING_CHANGES'] as const;
export type AccessChangeKind = (typeof ACCESS_CHANGE_KINDS)[number];

/** The days of recorded usage a cost estimate looks back over (IMP-3). */
export const ESTIMATE_DAYS = 90;

/** One question asked in both states: may this user sign in here with this product, and who pays? */
export interface Measured {
  key: string;
  userId: string;
  email: string;
  dataSourceId: string;
  product: string;
  decision: AccessDecision;
}

export interface AccessChange {
  kind: AccessChangeKind;
  userId: string;
  email: string;
  dataSourceId: string;
  product: string;
  before: AccessDecision;
  after: AccessDecision;
}

/**
 * IMP-2: the people whose entry changes (denied → granted, granted → denied), or whose license source
 * or billed account changes while they keep entry. A refusal that only changes its reason is not a
 * change of entry, and not listed.
 */
export function accessChanges(
  before: ReadonlyMap<string, Measured>,
  after: ReadonlyMap<string, Measured>,
): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const [key, was] of before) {
    const now = after.get(key);
    if (!now) continue;
    const kind = changeKind(was.decision, now.decision);
    if (kind === null) continue;
    changes.push({
      kind,
      userId: was.userId,
      email: now.email,
      dataSourceId: was.dataSourceId,
      product: was.product,
      before: was.decision,
      after: now.decision,
    });
  }
  return changes.sort(
    (a, b) =>
      a.dataSourceId.localeCompare(b.dataSourceId) ||
      a.email.localeCompare(b.email) ||
      a.product.localeCompare(b.product),
  );
}

/** What IMP-2 compares of a decision: a sign-in's (§3) or the opening of a project's (EXT-5). */
export type Decided = Pick<AccessDecision, 'granted' | 'licenseSource' | 'billedAccount'>;

export function changeKind(before: Decided, after: Decided): AccessChangeKind | null {
  if (!before.granted && after.granted) return 'GAINS_ENTRY';
  if (before.granted && !after.granted) return 'LOSES_ENTRY';
  if (
    before.granted &&
    after.granted &&
    (before.licenseSource !== after.licenseSource || before.billedAccount?.id !== after.billedAccount?.id)
  ) {
    return 'BILLING_CHANGES';
  }
  return null;
}

/** A use recorded in the estimate's window: who, where (a data source, or a project), which product. */
export interface RecordedUse {
  userId: string;
  /** The data source signed in to; null for the opening of a project (EXT-5). */
  dataSourceId: string | null;
  /** The project opened (EXT-5); null for a sign-in. */
  projectId: string | null;
  product: string;
  machineName: string | null;
  billedAccountId: string;
}

export interface BillableUsersChange {
  accountId: string;
  product: string;
  before: number;
  after: number;
}

/**
 * IMP-3: billable users (LIC-4: distinct users per product) of each concerned account over the window,
 * before → after. A recorded use the change concerns (its user and data source, or user and project) is
 * re-decided in each state (`redecided`: the billed account, null when denied, by the use's key); every other use counts
 * as recorded. So a change that moves nobody's bill shows before = after, whatever changed earlier.
 */
export function billableUsersChanges(
  uses: readonly RecordedUse[],
  concerns: (use: RecordedUse) => boolean,
  useKey: (use: RecordedUse) => string,
  redecided: { before: ReadonlyMap<string, string | null>; after: ReadonlyMap<string, string | null> },
  accountIds: ReadonlySet<string>,
): BillableUsersChange[] {
  const users = { before: new Map<string, Set<string>>(), after: new Map<string, Set<string>>() };
  const add = (side: 'before' | 'after', accountId: string | null | undefined, use: RecordedUse) => {
    if (!accountId || !accountIds.has(accountId)) return;
    const key = `${accountId}\u0000${use.product}`;
    const set = users[side].get(key) ?? new Set<string>();
    set.add(use.userId);
    users[side].set(key, set);
  };
  for (const use of uses) {
    if (concerns(use)) {
      add('before', redecided.before.get(useKey(use)), use);
      add('after', redecided.after.get(useKey(use)), use);
    } else {
      add('before', use.billedAccountId, use);
      add('after', use.billedAccountId, use);
    }
  }
  const keys = [...new Set([...users.before.keys(), ...users.after.keys()])].sort();
  return keys.map((key) => {
    const [accountId = '', product = ''] = key.split('\u0000');
    return {
      accountId,
      product,
      before: users.before.get(key)?.size ?? 0,
      after: users.after.get(key)?.size ?? 0,
    };
  });
}

/** IMP-4: how one person's place in a project's team changes. */
export const TEAM_CHANGE_KINDS = ['JOINS_TEAM', 'LEAVES_TEAM', 'ROLES_CHANGE'] as const;
export type TeamChangeKind = (typeof TEAM_CHANGE_KINDS)[number];

/** What IMP-4 compares of one side: membership, the roles held (by key or custom role id), DM permissions. */
export interface TeamPlace {
  member: boolean;
  roleKeys: readonly string[];
  dmPermissions: readonly string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** IMP-4: joins, leaves, or — a member before and after — holds other roles or other DM permissions. */
export function teamChangeKind(before: TeamPlace, after: TeamPlace): TeamChangeKind | null {
  if (!before.member && after.member) return 'JOINS_TEAM';
  if (before.member && !after.member) return 'LEAVES_TEAM';
  if (
    before.member &&
    after.member &&
    (!sameSet(before.roleKeys, after.roleKeys) || !sameSet(before.dmPermissions, after.dmPermissions))
  ) {
    return 'ROLES_CHANGE';
  }
  return null;
}
