// npm run bench (Deliverables Management): associating a work area whose groups expand to 10,000 users
// (one transaction, DM-5), a synchronization that changes nothing (DM-6), and the connector listing's
// page of 500 through the API beside a raw-SQL floor answering the same rows.
import { performance } from 'node:perf_hooks';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import * as dataSources from '../src/data-sources/service.js';
import { migrateDatabase, openDatabase } from '../src/db/client.js';
import { dataSourceUsers, groupMembers, users as usersTable } from '../src/db/schema.js';
import * as deliverables from '../src/deliverables/service.js';
import * as identity from '../src/identity/service.js';
import * as projects from '../src/projects/service.js';
import { createServer } from '../src/server.js';
import { benchAuth as auth } from './auth.js';

export interface DeliverablesBench {
  name: string;
  ms: number;
  target: number;
  floorMs?: number;
}

/** A DM-enabled project and a work area of 50 groups expanding to `users` registered users. */
export function deliverablesWorld(users: number) {
  const database = openDatabase({ source: ':memory:' });
  migrateDatabase(database);
  const db = database.db;
  const now = new Date();
  const admin = identity.registerProfile(
    db,
    { email: 'admin@firm.example', subject: null, name: 'Admin' },
    { usageCountry: 'US' },
    now,
  );
  const account = identity.createAccount({ db, actor: admin, now }, { name: 'Firm', emailDomains: ['firm.example'] });
  const ctx = { db, actor: { ...admin, homeAccountId: account.id }, now };
  const ds = dataSources.createDataSource(ctx, { accountId: account.id, name: 'Projects' });
  // Bulk rows through SQL: building 10,000 users through use cases would measure set-up, not DM.
  db.transaction((tx) => {
    for (let i = 0; i < users; i += 1) {
      const email = `u${i}@${i % 10 === 0 ? 'partner.example' : 'firm.example'}`;
      tx.insert(usersTable)
        .values({ id: `p${i}`, email, displayName: `User ${i}`, usageCountry: 'US', createdAt: now })
        .run();
      tx.insert(dataSourceUsers)
        .values({
          id: `d${i}`,
          dataSourceId: ds.id,
          login: `user${i}`,
          loginKey: `user${i}`,
          email,
          created: 'MANUAL',
          createdAt: now,
        })
        .run();
    }
  });
  const groups = Array.from({ length: 50 }, (_, g) =>
    dataSources.createGroup(ctx, { dataSourceId: ds.id, name: `G${g}` }),
  );
  db.transaction((tx) => {
    for (let i = 0; i < users; i += 1)
      tx.insert(groupMembers)
        .values({ groupId: groups[i % 50]?.id ?? '', userId: `d${i}` })
        .run();
  });
  const area = dataSources.createWorkArea(ctx, { dataSourceId: ds.id, name: 'Big' });
  for (const [i, g] of groups.entries()) {
    dataSources.setWorkAreaParticipant(ctx, {
      workAreaId: area.id,
      principal: { kind: 'GROUP', id: g.id },
      role: i === 0 ? 'LEADER' : 'TEAM_MEMBER',
    });
  }
  const project = projects.createProject(ctx, { number: 'BIG-1', name: 'Big' });
  projects.enableDeliverables(ctx, { projectId: project.id });
  return { database, ctx, project, area, admin };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function benchDeliverables(users = 10_000): Promise<DeliverablesBench[]> {
  const { database, ctx, project, area, admin } = deliverablesWorld(users);
  let start = performance.now();
  const { plan } = deliverables.associateWorkArea(ctx, { projectId: project.id, workAreaId: area.id });
  const associate = performance.now() - start;
  if (plan.membersToAdd.length < users * 0.9) throw new Error(`association added ${plan.membersToAdd.length} members`);
  const resyncs: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    start = performance.now();
    const again = deliverables.synchronize(ctx, { projectId: project.id }, 'DM-6');
    resyncs.push(performance.now() - start);
    if (deliverables.planChanges(again.plan).length > 0) throw new Error('the re-synchronization changed something');
  }
  const resync = median(resyncs.slice(2));

  const yoga = createServer({ db: ctx.db, auth, graphiql: false, introspection: false });
  const token = await mintDevelopmentToken(auth, admin.email);
  const body = JSON.stringify({
    query: `query($id: ID!) { project(id: $id) { deliverablesParticipants(first: 500) { totalCount edges { node {
      name kind configuredPermissions namedUsers(first: 1) { totalCount } } } } } }`,
    variables: { id: encodeGlobalID('Project', project.id) },
  });
  const times: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    start = performance.now();
    const response = await yoga.fetch(
      new Request('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      }),
    );
    const json = (await response.json()) as {
      data?: { project?: { deliverablesParticipants?: { totalCount: number } } };
    };
    if (json.data?.project?.deliverablesParticipants?.totalCount !== 50)
      throw new Error(JSON.stringify(json).slice(0, 300));
    if (i >= 3) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  database.close();
  return [
    { name: `associate a work area of ${users} users (DM-5, one transaction)`, ms: associate, target: 1000 },
    { name: 'no-op re-synchronization (DM-6), median of 5 after 2 warm-up runs', ms: resync, target: 150 },
    { name: 'deliverablesParticipants page (p50)', ms: times[Math.floor(times.length / 2)] ?? 0, target: 1000 },
  ];
}

if (process.argv[1]?.endsWith('deliverables.ts')) {
  for (const r of await benchDeliverables(Number(process.argv[2] ?? 10_000))) {
    console.log(`${r.ms.toFixed(1).padStart(9)} ms  (target ${r.target} ms)  ${r.name}`);
  }
}
