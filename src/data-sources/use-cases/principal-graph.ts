// DS-4: each data source's users, group members and list members, for WA-1/WA-1b expansion.
import { eq, inArray } from 'drizzle-orm';
import type { Reader } from '../../db/client.js';
import {
  dataSourceGroups,
  dataSourceUsers,
  groupMembers,
  insertionOrder,
  userListMembers,
  userLists,
} from '../../db/schema.js';
import type { PrincipalGraph, PrincipalRef } from '../rules/principals.js';

// ---------------------------------------------------------------------------------------------
// Reads shared by the API and later use cases (Deliverables reuses the expansion)

/** The principal graph (DS-4) of each data source: three statements however many data sources. */
export async function principalGraphs(
  db: Reader,
  dataSourceIds: readonly string[],
): Promise<Map<string, PrincipalGraph>> {
  const ids = [...dataSourceIds];
  const graphs = new Map<
    string,
    { allUserIds: string[]; groupMembers: Map<string, string[]>; listMembers: Map<string, PrincipalRef[]> }
  >(ids.map((id) => [id, { allUserIds: [], groupMembers: new Map(), listMembers: new Map() }]));
  for (const u of await db
    .select({ id: dataSourceUsers.id, ds: dataSourceUsers.dataSourceId })
    .from(dataSourceUsers)
    .where(inArray(dataSourceUsers.dataSourceId, ids))
    .orderBy(dataSourceUsers.loginKey)) {
    graphs.get(u.ds)?.allUserIds.push(u.id);
  }
  for (const m of await db
    .select({ groupId: groupMembers.groupId, userId: groupMembers.userId, ds: dataSourceGroups.dataSourceId })
    .from(groupMembers)
    .innerJoin(dataSourceGroups, eq(dataSourceGroups.id, groupMembers.groupId))
    .where(inArray(dataSourceGroups.dataSourceId, ids))) {
    const map = graphs.get(m.ds)?.groupMembers;
    const members = map?.get(m.groupId);
    if (members) members.push(m.userId);
    else map?.set(m.groupId, [m.userId]);
  }
  for (const m of await db
    .select({
      listId: userListMembers.listId,
      kind: userListMembers.kind,
      memberId: userListMembers.memberId,
      ds: userLists.dataSourceId,
    })
    .from(userListMembers)
    .innerJoin(userLists, eq(userLists.id, userListMembers.listId))
    .where(inArray(userLists.dataSourceId, ids))
    .orderBy(insertionOrder(userListMembers))) {
    const map = graphs.get(m.ds)?.listMembers;
    const members = map?.get(m.listId);
    if (members) members.push({ kind: m.kind, id: m.memberId });
    else map?.set(m.listId, [{ kind: m.kind, id: m.memberId }]);
  }
  return graphs;
}
