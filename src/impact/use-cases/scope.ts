// Issue 14, IMP-1/IMP-2: what a change concerns — the ids it names (its input, its audit entries) and
// everyone with a way into what it names — read in the state after a trial run and again before it.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { identityFilterAccountNames } from '../../data-sources/rules/identity-filter.js';
import { filterAccountIds, nameKey } from '../../data-sources/service.js';
import type { Reader } from '../../db/client.js';
import { readIn } from '../../db/query.js';
import {
  accounts,
  associations,
  dataSourceGroups,
  dataSources,
  dataSourceUsers,
  licensingOwnerRequests,
  teamMembers,
  userLists,
  users,
  workAreas,
} from '../../db/schema.js';
import type { DryRunTrace } from '../../graphql/dry-run.js';
import { projectsConcerned } from './team.js';

/** What the change names: from its input's ids and its audit entries' targets (IMP-1). */
export interface Named {
  /** Ids by type name ("DataSource", "User", …). */
  ids: Map<string, Set<string>>;
  /** Accounts whose entitlements the change adds or removes (an audit entry with an Entitlement target). */
  entitlementAccountIds: Set<string>;
}

export interface ImpactScope {
  named: Named;
  /** Everyone the measurements decide for: (user, data source), by `pairKey`. */
  pairs: Map<string, { userId: string; dataSourceId: string }>;
  /** IMP-4: the projects whose teams are compared. */
  projectIds: Set<string>;
  /** IMP-2 for projects (EXT-5): their team members in either state, by project. */
  projectPeople: Map<string, Set<string>>;
}

export const pairKey = (userId: string, dataSourceId: string) => `${userId}\u0000${dataSourceId}`;

/** Walks a parsed input for global ids (`{ typename, id }`, as the relay plugin decodes them). */
function idsIn(value: unknown, into: Map<string, Set<string>>): void {
  if (Array.isArray(value)) {
    for (const item of value) idsIn(item, into);
    return;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return;
  const { typename, id } = value as { typename?: unknown; id?: unknown };
  if (typeof typename === 'string' && typeof id === 'string' && Object.keys(value).length === 2) {
    add(into, typename, id);
    return;
  }
  for (const nested of Object.values(value)) idsIn(nested, into);
}

function add(into: Map<string, Set<string>>, type: string, id: string): void {
  const set = into.get(type) ?? new Set<string>();
  set.add(id);
  into.set(type, set);
}

export function named(trace: DryRunTrace): Named {
  const ids = new Map<string, Set<string>>();
  idsIn(trace.input, ids);
  const entitlementAccountIds = new Set<string>();
  for (const entry of trace.auditEntries) {
    const targets = entry.targets.map((t) => {
      const at = t.indexOf(':');
      return { type: t.slice(0, at), id: t.slice(at + 1) };
    });
    for (const t of targets) add(ids, t.type, t.id);
    if (targets.some((t) => t.type === 'Entitlement')) {
      for (const t of targets) if (t.type === 'Account') entitlementAccountIds.add(t.id);
    }
  }
  return { ids, entitlementAccountIds };
}

/** The data sources a change names, directly or through something inside one (in the current state). */
async function dataSourcesNamed(tx: Reader, ids: Map<string, Set<string>>): Promise<Set<string>> {
  const found = new Set(ids.get('DataSource') ?? []);
  const inside = [
    ['DataSourceUser', dataSourceUsers],
    ['DataSourceGroup', dataSourceGroups],
    ['UserList', userLists],
    ['WorkArea', workAreas],
  ] as const;
  for (const [type, table] of inside) {
    const some = [...(ids.get(type) ?? [])];
    if (some.length === 0) continue;
    for (const row of await tx
      .select({ dataSourceId: table.dataSourceId })
      .from(table)
      .where(inArray(table.id, some))) {
      found.add(row.dataSourceId);
    }
  }
  const requests = [...(ids.get('LicensingOwnerRequest') ?? [])];
  if (requests.length > 0) {
    for (const row of await tx
      .select({ dataSourceId: licensingOwnerRequests.dataSourceId })
      .from(licensingOwnerRequests)
      .where(inArray(licensingOwnerRequests.id, requests))) {
      found.add(row.dataSourceId);
    }
  }
  return found;
}

/**
 * IMP-1: everyone with a way into the named data sources, and every data source the named people have a
 * way into — a way in being a data-source user with their identity (ACC-2) or an identity filter
 * naming their home account. People named through an account's entitlements: its members and the
 * users associated with it (ID-5), who may be billed to it (LIC-1.3, LIC-1.4).
 */
export async function candidates(tx: Reader, what: Named): Promise<Omit<ImpactScope, 'named'>> {
  const pairs: ImpactScope['pairs'] = new Map();
  const addPair = (userId: string, dataSourceId: string) =>
    pairs.set(pairKey(userId, dataSourceId), { userId, dataSourceId });
  const dsIds = await dataSourcesNamed(tx, what.ids);
  const projectIds = await projectsConcerned(tx, what.ids.get('Project') ?? [], what.ids.get('WorkArea') ?? [], dsIds);
  const projectPeople = new Map<string, Set<string>>();
  for (const m of await readIn(projectIds, (some) =>
    tx
      .select({ projectId: teamMembers.projectId, userId: teamMembers.userId })
      .from(teamMembers)
      .where(inArray(teamMembers.projectId, some)),
  )) {
    projectPeople.set(m.projectId, (projectPeople.get(m.projectId) ?? new Set()).add(m.userId));
  }
  // Everyone with a way into the named data sources.
  for (const row of await readIn(dsIds, (some) =>
    tx
      .select({ userId: users.id, dataSourceId: dataSourceUsers.dataSourceId })
      .from(dataSourceUsers)
      .innerJoin(users, eq(users.email, dataSourceUsers.identity))
      .where(inArray(dataSourceUsers.dataSourceId, some)),
  )) {
    addPair(row.userId, row.dataSourceId);
  }
  for (const ds of await readIn(dsIds, (some) =>
    tx
      .select({ id: dataSources.id, filter: dataSources.dynamicCreationFilter })
      .from(dataSources)
      .where(and(inArray(dataSources.id, some), isNotNull(dataSources.dynamicCreationFilter))),
  )) {
    const admitted = await filterAccountIds(tx, ds.filter as string, []);
    for (const member of await readIn(admitted, (some) =>
      tx.select({ id: users.id }).from(users).where(inArray(users.homeAccountId, some)),
    )) {
      addPair(member.id, ds.id);
    }
  }
  // Every data source the named people have a way into.
  const people = new Set(what.ids.get('User') ?? []);
  for (const row of await readIn(what.entitlementAccountIds, (some) =>
    tx.select({ id: users.id }).from(users).where(inArray(users.homeAccountId, some)),
  )) {
    people.add(row.id);
  }
  for (const row of await readIn(what.entitlementAccountIds, (some) =>
    tx.select({ id: associations.userId }).from(associations).where(inArray(associations.accountId, some)),
  )) {
    people.add(row.id);
  }
  if (people.size === 0) return { pairs, projectIds, projectPeople };
  for (const row of await readIn(people, (some) =>
    tx
      .select({ userId: users.id, dataSourceId: dataSourceUsers.dataSourceId })
      .from(users)
      .innerJoin(dataSourceUsers, eq(dataSourceUsers.identity, users.email))
      .where(inArray(users.id, some)),
  )) {
    addPair(row.userId, row.dataSourceId);
  }
  const homes = await readIn(people, (some) =>
    tx
      .select({ userId: users.id, homeAccountId: users.homeAccountId, homeName: accounts.name })
      .from(users)
      .innerJoin(accounts, eq(accounts.id, users.homeAccountId))
      .where(inArray(users.id, some)),
  );
  const homeNames = new Set(homes.map((h) => nameKey(h.homeName)));
  const filtered = await tx
    .select({ id: dataSources.id, filter: dataSources.dynamicCreationFilter })
    .from(dataSources)
    .where(isNotNull(dataSources.dynamicCreationFilter));
  for (const ds of filtered) {
    const filter = ds.filter as string;
    // Parse first (no statement); resolve only the filters that name one of these people's accounts.
    if (!identityFilterAccountNames(filter).some((name) => homeNames.has(nameKey(name)))) continue;
    const admitted = new Set(await filterAccountIds(tx, filter, []));
    for (const h of homes) if (h.homeAccountId && admitted.has(h.homeAccountId)) addPair(h.userId, ds.id);
  }
  return { pairs, projectIds, projectPeople };
}
