// The shared world builder: a fresh migrated SQLite database per test (copied from one migrated
// template), an in-process yoga server with a pinned clock, tokens, and one-call set-up helpers.
import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, onTestFinished } from 'vitest';
import * as licensing from '../../src/access/use-cases/licensing-owner.js';
import { mintDevelopmentToken } from '../../src/auth/tokens.js';
import { type AuthConfig, DEV_AUDIENCE, DEV_ISSUER } from '../../src/config.js';
import type { PrincipalRef } from '../../src/data-sources/rules/principals.js';
import type { CreateDataSourceInput } from '../../src/data-sources/service.js';
import * as dataSources from '../../src/data-sources/service.js';
import { type Database_, inTransaction, migrateDatabase, openDatabase } from '../../src/db/client.js';
import { openPostgresDatabase } from '../../src/db/postgres.js';
import { one, rawAll, rawGet, rawRun } from '../../src/db/query.js';
import type {
  AccountRow,
  DataSourceRow,
  DataSourceUserRow,
  ImsRole,
  ProjectRow,
  UserRow,
  WorkAreaRole,
  WorkAreaRow,
} from '../../src/db/schema.js';
import * as tables from '../../src/db/schema.js';
import * as deliverables from '../../src/deliverables/service.js';
import * as identity from '../../src/identity/service.js';
import type { BuiltInRole, RolePermission } from '../../src/projects/rules/roles.js';
import * as projects from '../../src/projects/service.js';
import { createServer, type ServerOptions, type ThresholdServer } from '../../src/server.js';
import {
  dropWorldDatabase,
  dropWorldDatabases,
  snapshotDatabase,
  WORLDS_ON_POSTGRES,
  worldDatabase,
} from './postgres.js';

let template: Buffer | undefined;

/** What a world starts from: SQLite bytes, or (on PostgreSQL) a database to copy (`World.snapshot`). */
export type WorldSource = Buffer | { postgres: string };

/**
 * Every world's database is closed when it is no longer needed — one made inside a test when the test
 * ends, one made for several tests (beforeAll, a describe body) when the file ends — so its files (an
 * SQLite world is two connections to a temporary file) or its connections (PostgreSQL) do not pile up
 * over the thousands of worlds one file may make. On PostgreSQL the file's databases are then dropped.
 */
const fileWorlds: Database_[] = [];
function closeWhenDone(database: Database_, postgresName: string | null): void {
  try {
    onTestFinished(async () => {
      await database.close();
      if (postgresName !== null) await dropWorldDatabase(postgresName);
    });
  } catch {
    fileWorlds.push(database); // not inside a test
  }
}
afterAll(async () => {
  for (const database of fileWorlds.splice(0)) await database.close();
  if (WORLDS_ON_POSTGRES) await dropWorldDatabases();
});

type Db = Database_['db'];

/** Re-reads a user (a row captured before a membership change is stale). */
export async function freshUser(db: Db, id: string): Promise<UserRow> {
  const user = await one(db.select().from(tables.users).where(eq(tables.users.id, id)));
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

async function anyAccountAdmin(db: Db, accountId: string): Promise<UserRow> {
  const row = await one(
    db
      .select({ userId: tables.imsRoles.userId })
      .from(tables.imsRoles)
      .where(and(eq(tables.imsRoles.accountId, accountId), eq(tables.imsRoles.role, 'ACCOUNT_ADMIN'))),
  );
  if (!row) throw new Error(`account ${accountId} has no ACCOUNT_ADMIN`);
  return await freshUser(db, row.userId);
}

async function templateBytes(): Promise<Buffer> {
  if (!template) {
    const db = openDatabase({ source: ':memory:' });
    await migrateDatabase(db);
    template = db.serialize();
    await db.close();
  }
  return template;
}

export const TEST_AUTH: AuthConfig = {
  kind: 'hs256',
  secret: new TextEncoder().encode('test-secret-test-secret-test-secret-0123'),
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
};

export const DEFAULT_NOW = new Date('2026-06-15T12:00:00.000Z');

export interface GqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface World {
  database: Database_;
  db: Database_['db'];
  /** Statements run since the last `resetSqlCount()`. */
  sqlCount(): number;
  resetSqlCount(): void;
  now: Date;
  setNow(at: Date): void;
  /** Runs an operation as `as` (an email, a raw Authorization header via {header}, or anonymous). */
  gql(query: string, variables?: Record<string, unknown>, as?: string | { header: string } | null): Promise<GqlResult>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Another server over this world's database, as an operator would configure it: test tokens,
   *  GraphiQL and introspection off, plus `options` (a logger, metrics, CORS, limits…). */
  server(options?: Partial<ServerOptions>): Promise<ThresholdServer>;
  token(email: string, name?: string): Promise<string>;
  // set-up helpers (through the services, so every rule holds)
  user(email: string, usageCountry?: string): Promise<UserRow>;
  account(name: string, domains: string[], admin: UserRow): Promise<AccountRow>;
  member(account: AccountRow, user: UserRow, ...roles: ImsRole[]): Promise<UserRow>;
  associate(account: AccountRow, user: UserRow, by: UserRow): Promise<string>;
  entitlement(
    account: AccountRow,
    by: UserRow,
    productCode: string,
    country: string,
    contractEndDate?: string,
  ): Promise<string>;
  rowCounts(): Promise<Record<string, number>>;
  /** Every table's rows, hashed: equal before and after a request means it wrote nothing. */
  checksum(): Promise<string>;
  /** The database as it is now, to start other worlds from (createWorld({ source })). */
  snapshot(): Promise<WorldSource>;
  dataSource(
    owner: AccountRow,
    admin: UserRow,
    name: string,
    settings?: Partial<CreateDataSourceInput>,
  ): Promise<DataSourceRow>;
  dsUser(
    ds: DataSourceRow,
    admin: UserRow,
    login: string,
    fields?: { email?: string; identity?: string; clientLicensing?: 'OWN_ORGANIZATION' | 'OWNER_PROVIDES' },
  ): Promise<DataSourceUserRow>;
  /** LIC-3: the owner account or null directly; another account through a request it accepts. */
  licensingOwner(ds: DataSourceRow, admin: UserRow, account: AccountRow | null): Promise<void>;
  /** PRJ-1: a project of `creator`'s home account (they need an IMS admin role there). */
  project(creator: UserRow, number: string, name?: string): Promise<ProjectRow>;
  /** PRJ-7: `by` adds `user` to the team with these built-in roles. */
  teamMember(project: ProjectRow, by: UserRow, user: UserRow, ...roles: BuiltInRole[]): Promise<void>;
  /** PRJ-4: a custom role of the project, made by `by`. */
  customRole(project: ProjectRow, by: UserRow, name: string, permissions: RolePermission[]): Promise<string>;
  /** PRJ-2: `by` enables Deliverables Management (their email domain becomes the internal domain). */
  enableDeliverables(project: ProjectRow, by: UserRow): Promise<ProjectRow>;
  /** WA-1: a work area of the data source. */
  workArea(ds: DataSourceRow, admin: UserRow, name: string): Promise<WorkAreaRow>;
  /** WA-1: `principal` takes part in the work area with `role`. */
  participant(area: WorkAreaRow, admin: UserRow, principal: PrincipalRef, role: WorkAreaRole): Promise<void>;
  /** DS-4: a group of these data-source users. */
  group(ds: DataSourceRow, admin: UserRow, name: string, userIds: string[]): Promise<string>;
  /** WA-2 / DM-5: `by` associates the work area with the project (initial synchronization). */
  associateWorkArea(project: ProjectRow, area: WorkAreaRow, by: UserRow): Promise<void>;
}

export const gid = encodeGlobalID;

/** `source`: the bytes of another world's database (World.snapshot) to start from instead of an empty one. */
export async function createWorld(options: { now?: Date; source?: WorldSource } = {}): Promise<World> {
  let statements = 0;
  const logger = {
    logQuery: (query: string) => {
      // SHOW_SQL=1 npx vitest run … -t "…": which statements a test's request made.
      if (process.env.SHOW_SQL) console.log(`SQL ${query.slice(0, 140)}`);
      // Statements that do the work: a transaction's own BEGIN/COMMIT (which Drizzle logs on
      // PostgreSQL only) are not counted, so counts mean the same on both dialects.
      if (!/^(begin|commit|rollback|savepoint|release)\b/i.test(query)) statements += 1;
    },
  };
  let postgresName: string | null = null;
  let database: Database_;
  if (WORLDS_ON_POSTGRES) {
    const source = options.source && !Buffer.isBuffer(options.source) ? options.source.postgres : undefined;
    const made = await worldDatabase(source);
    postgresName = made.name;
    database = openPostgresDatabase(made.url, { max: 3, idleTimeoutMillis: 1000, logger });
  } else {
    const source = Buffer.isBuffer(options.source) ? options.source : await templateBytes();
    database = openDatabase({ source, logger });
  }
  closeWhenDone(database, postgresName);
  const db = database.db;
  let now = options.now ?? DEFAULT_NOW;
  const yoga = await createServer({ db, auth: TEST_AUTH, graphiql: true, introspection: true, clock: () => now });
  const tokens = new Map<string, string>();
  const as = async (actor: UserRow) => ({ db, actor: await freshUser(db, actor.id), now });

  const world: World = {
    database,
    db,
    sqlCount: () => statements,
    resetSqlCount: () => {
      statements = 0;
    },
    get now() {
      return now;
    },
    setNow(at) {
      now = at;
    },
    async token(email, name) {
      const key = `${email}|${name ?? ''}`;
      let token = tokens.get(key);
      if (!token) {
        token = await mintDevelopmentToken(TEST_AUTH, email, name);
        tokens.set(key, token);
      }
      return token;
    },
    async gql(query, variables, who) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (typeof who === 'string') headers.authorization = `Bearer ${await world.token(who)}`;
      else if (who) headers.authorization = who.header;
      const response = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GqlResult;
    },
    async fetch(path, init) {
      return yoga.fetch(new Request(`http://test${path}`, init));
    },
    async server(options = {}) {
      return await createServer({ db, auth: TEST_AUTH, graphiql: false, introspection: false, ...options });
    },
    async user(email, usageCountry = 'US') {
      return await identity.registerProfile(db, { email, subject: email, name: null }, { usageCountry }, now);
    },
    async account(name, domains, admin) {
      return await identity.createAccount(await as(admin), { name, emailDomains: domains });
    },
    async member(account, user, ...roles) {
      const admin = await anyAccountAdmin(db, account.id);
      await identity.addAccountMember(await as(admin), { accountId: account.id, email: user.email });
      for (const role of roles)
        await identity.grantImsRole(await as(admin), { accountId: account.id, userId: user.id, role });
      return await freshUser(db, user.id);
    },
    async associate(account, user, by) {
      return (await identity.associateExternalUser(await as(by), { accountId: account.id, email: user.email }))
        .association.id;
    },
    async entitlement(account, by, productCode, country, contractEndDate = '2027-12-31') {
      return (
        await identity.addEntitlement(await as(by), { accountId: account.id, productCode, country, contractEndDate })
      ).id;
    },
    async dataSource(owner, admin, name, settings = {}) {
      return await dataSources.createDataSource(await as(admin), { accountId: owner.id, name, ...settings });
    },
    async dsUser(ds, admin, login, fields = {}) {
      return await dataSources.createDataSourceUser(await as(admin), { dataSourceId: ds.id, login, ...fields });
    },
    async licensingOwner(ds, admin, account) {
      if (account === null || account.id === ds.ownerAccountId) {
        await licensing.setLicensingOwner(await as(admin), {
          dataSourceId: ds.id,
          accountId: account?.id ?? null,
          acknowledgeBillingChange: true,
        });
        return;
      }
      // LIC-3: another account pays only with its consent: request, then one of its admins accepts.
      const request = await licensing.requestLicensingOwner(await as(admin), {
        dataSourceId: ds.id,
        accountId: account.id,
        acknowledgeBillingChange: true,
      });
      await licensing.respondToLicensingOwnerRequest(await as(await anyAccountAdmin(db, account.id)), {
        requestId: request.id,
        accept: true,
      });
    },
    async project(creator, number, name = `Project ${number}`) {
      return await projects.createProject(await as(creator), { number, name });
    },
    async teamMember(project, by, user, ...roles) {
      await projects.addTeamMember(await as(by), {
        projectId: project.id,
        email: user.email,
        roleIds: roles.map((key) => projects.builtInRoleId(project.id, key)),
      });
    },
    async customRole(project, by, name, permissions) {
      return (await projects.createCustomRole(await as(by), { projectId: project.id, name, permissions })).id;
    },
    async enableDeliverables(project, by) {
      return await projects.enableDeliverables(await as(by), { projectId: project.id });
    },
    async workArea(ds, admin, name) {
      return await dataSources.createWorkArea(await as(admin), { dataSourceId: ds.id, name });
    },
    async participant(area, admin, principal, role) {
      await dataSources.setWorkAreaParticipant(await as(admin), { workAreaId: area.id, principal, role });
    },
    async group(ds, admin, name, userIds) {
      return (await dataSources.createGroup(await as(admin), { dataSourceId: ds.id, name, userIds })).id;
    },
    async associateWorkArea(project, area, by) {
      await deliverables.associateWorkArea(await as(by), { projectId: project.id, workAreaId: area.id });
    },
    async checksum() {
      if (postgresName !== null) {
        // Each table's rows in a fixed order (their text), hashed by the server.
        const tablesOf = await rawAll<{ name: string }>(
          db,
          `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
        );
        const hash = createHash('sha256');
        for (const { name } of tablesOf) {
          const row = await rawGet<{ h: string | null }>(
            db,
            `select md5(string_agg(t::text, '|' order by t::text)) as h from "${name}" t`,
          );
          hash.update(`${name}:${row?.h ?? ''}`);
        }
        return hash.digest('hex');
      }
      const client = (db as unknown as { $client: import('better-sqlite3').Database }).$client;
      const names = client
        .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
        .all() as { name: string }[];
      const hash = createHash('sha256');
      for (const { name } of names) {
        hash.update(name);
        hash.update(JSON.stringify(client.prepare(`select * from "${name}" order by rowid`).raw().all()));
      }
      return hash.digest('hex');
    },
    async snapshot() {
      if (postgresName !== null) return { postgres: await snapshotDatabase(postgresName) };
      return database.serialize();
    },
    async rowCounts() {
      const out: Record<string, number> = {};
      for (const [name, table] of Object.entries(tables)) {
        if (typeof table === 'object' && table !== null && 'getSQL' in table) {
          out[name] = (await one(db.select({ n: count() }).from(table as SQLiteTable)))?.n as number;
        }
      }
      return out;
    },
  };
  return world;
}

/**
 * Runs raw statements with the database's foreign keys not enforced — to write what the services never
 * would (a dangling reference), for tests of how the server copes. SQLite: `PRAGMA foreign_keys` off on
 * the writer; PostgreSQL: replica mode for one transaction (the test server's user may set it).
 */
export async function withoutForeignKeys(db: Db, statements: SQL[]): Promise<void> {
  if (WORLDS_ON_POSTGRES) {
    await inTransaction(db, async (tx) => {
      await rawRun(tx, sql`set local session_replication_role = replica`);
      for (const statement of statements) await rawRun(tx, statement);
    });
    return;
  }
  await rawRun(db, sql`PRAGMA foreign_keys = OFF`);
  try {
    for (const statement of statements) await rawRun(db, statement);
  } finally {
    await rawRun(db, sql`PRAGMA foreign_keys = ON`);
  }
}

/** A standard cast: a host firm with an admin, a co-admin, a plain member; a supplier; a freelancer. */
export async function hostAndSupplier(world: World) {
  const alice = await world.user('alice@harbor.example');
  const host = await world.account('Harbor Engineering', ['harbor.example'], alice);
  const bob = await world.member(host, await world.user('bob@harbor.example'), 'CO_ADMINISTRATOR');
  const carol = await world.member(host, await world.user('carol@harbor.example'));
  const dave = await world.user('dave@northwind.example', 'DE');
  const supplier = await world.account('Northwind Surveying', ['northwind.example'], dave);
  const erin = await world.member(supplier, await world.user('erin@northwind.example', 'DE'));
  const frank = await world.user('frank@freelance.example', 'FR');
  return { alice: await freshUser(world.db, alice.id), host, bob, carol, dave, supplier, erin, frank };
}

// ------------------------------------------------------------------------------------------------
// Deliverables Management (§7) helpers: a DM-enabled project of Harbor with a data source and a work
// area, data-source edits through the data-sources use cases, and GraphQL readers of the connector
// listing, the team and the DM mutations.

/** A service context acting as `actor` at the world's current time. */
export async function actingAs(world: World, actor: UserRow) {
  return { db: world.db, actor: await freshUser(world.db, actor.id), now: world.now };
}

export type DmPermissionName = 'VIEW_PACKAGE' | 'RECEIVE_PACKAGE' | 'ISSUE_PACKAGE' | 'APPROVE_RFI_RESPONSE' | 'ADMIN';

/** DM-3, written out again (independent of src) so that tests catch a wrong translation. */
export const DM3_ROLE_OF: Record<DmPermissionName, BuiltInRole> = {
  VIEW_PACKAGE: 'TEAM_MEMBER',
  RECEIVE_PACKAGE: 'PWDM_RECEIVER',
  ISSUE_PACKAGE: 'PWDM_ISSUER',
  APPROVE_RFI_RESPONSE: 'PWDM_APPROVER',
  ADMIN: 'PROJECT_ADMINISTRATOR',
};

/** A DM-enabled project P-DM of Harbor (alice: owner, enabler → internal domain harbor.example), a data source and a work area. */
export async function dmWorld(options: { now?: Date } = {}) {
  const world = await createWorld(options);
  const cast = await hostAndSupplier(world);
  const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW');
  const area = await world.workArea(ds, cast.alice, 'Bridge');
  const project = await world.enableDeliverables(await world.project(cast.alice, 'P-DM'), cast.alice);
  const dm = {
    world,
    cast,
    ds,
    area,
    project,
    pid: () => encodeGlobalID('Project', project.id),
    roleId: (key: BuiltInRole) => encodeGlobalID('ProjectRole', `${project.id}/${key}`),
    userRef: (u: { id: string }): PrincipalRef => ({ kind: 'USER', id: u.id }),
    groupRef: (id: string): PrincipalRef => ({ kind: 'GROUP', id }),
    listRef: (id: string): PrincipalRef => ({ kind: 'LIST', id }),
    everyoneRef: (): PrincipalRef => ({ kind: 'EVERYONE', id: ds.id }),
    /** The global id of a principal, as DM-8's input takes it. */
    principalGid: (p: PrincipalRef) =>
      encodeGlobalID(
        { USER: 'DataSourceUser', GROUP: 'DataSourceGroup', LIST: 'UserList', EVERYONE: 'EveryoneGroup' }[p.kind],
        p.id,
      ),
    /** DS-3: a data-source user (email optional) created by alice. */
    dsUser: async (login: string, email?: string | null, identity?: string) =>
      await world.dsUser(ds, cast.alice, login, {
        ...(email ? { email } : {}),
        ...(identity ? { identity } : {}),
      }),
    participant: async (p: PrincipalRef, role: WorkAreaRole) => await world.participant(area, cast.alice, p, role),
    removeParticipant: async (p: PrincipalRef) =>
      await dataSources.removeWorkAreaParticipant(await actingAs(world, cast.alice), {
        workAreaId: area.id,
        principal: p,
      }),
    group: async (name: string, userIds: string[]) => await world.group(ds, cast.alice, name, userIds),
    setGroupMembers: async (groupId: string, userIds: string[]) =>
      await dataSources.setGroupMembers(await actingAs(world, cast.alice), { groupId, userIds }),
    list: async (name: string, members: PrincipalRef[]) =>
      (
        await dataSources.createUserList(await actingAs(world, cast.alice), {
          dataSourceId: ds.id,
          name,
          members: members as never,
        })
      ).id,
    setListMembers: async (listId: string, members: PrincipalRef[]) =>
      await dataSources.setUserListMembers(await actingAs(world, cast.alice), { listId, members: members as never }),
    setEmail: async (userId: string, email: string | null) =>
      await dataSources.updateDataSourceUser(await actingAs(world, cast.alice), { userId, email }),
    associate: async () => await world.associateWorkArea(project, area, cast.alice),
  };
  return dm;
}
export type DmWorld = Awaited<ReturnType<typeof dmWorld>>;

/** DM-9: the fields of the connector listing the tests read. */
export const DM_ENTRY_FIELDS = `name kind origin role configuredPermissions pendingSync
  principal { __typename }
  user { email status statusReason connectorPermissions teamMember pendingSync managedInTeam
    effectivePermissions { deliverablesPermissions { permission granted grantedBy { kind role { builtIn name } } } } }
  namedUsers(first: 20) { totalCount edges { node { email status connectorPermissions teamMember pendingSync managedInTeam } } }`;

export interface DmListedUser {
  email: string | null;
  status: string;
  statusReason: string;
  connectorPermissions: string[];
  teamMember: boolean;
  pendingSync: boolean;
  managedInTeam: string[];
  effectivePermissions: {
    deliverablesPermissions: {
      permission: string;
      granted: boolean;
      grantedBy: { kind: string; role: { builtIn: string | null; name: string } | null }[];
    }[];
  } | null;
}
export interface DmListedEntry {
  name: string;
  kind: string;
  origin: string;
  role: string | null;
  configuredPermissions: string[] | null;
  pendingSync: boolean;
  principal: { __typename: string } | null;
  user: DmListedUser | null;
  namedUsers: {
    totalCount: number;
    edges: {
      node: {
        email: string | null;
        status: string;
        connectorPermissions: string[];
        teamMember: boolean;
        pendingSync: boolean;
        managedInTeam: string[];
      };
    }[];
  };
}

/** DM-9: the whole connector listing as `as` sees it (throws on a GraphQL error). */
export async function dmListing(dm: DmWorld, as = 'alice@harbor.example'): Promise<DmListedEntry[]> {
  const result = await dm.world.gql(
    `query($id: ID!) { project(id: $id) { deliverablesParticipants(first: 40) { edges { node { ${DM_ENTRY_FIELDS} } } } } }`,
    { id: dm.pid() },
    as,
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data?.project?.deliverablesParticipants.edges.map((e: { node: DmListedEntry }) => e.node);
}

/** The listing entry named `name` (a login, group/list name or "*Everyone"), of `origin`. */
export function dmEntry(listing: DmListedEntry[], name: string, origin = 'PARTICIPANT'): DmListedEntry {
  const entry = listing.find((e) => e.name === name && e.origin === origin);
  if (!entry) throw new Error(`no ${origin} entry ${name} in ${JSON.stringify(listing.map((e) => e.name))}`);
  return entry;
}

/** Every named user of the listing by email (first seen), with the fields the namedUsers expansion gives. */
export function dmNamedUsers(listing: DmListedEntry[]) {
  const out = new Map<string, DmListedEntry['namedUsers']['edges'][number]['node']>();
  for (const entry of listing) {
    for (const { node } of entry.namedUsers.edges) if (node.email && !out.has(node.email)) out.set(node.email, node);
  }
  return out;
}

export interface DmTeamMember {
  email: string;
  source: string;
  isProjectOwner: boolean;
  roles: { builtIn: string | null; name: string }[];
}

/** PRJ-7: the project's team as alice (a Project Owner) reads it, by email. */
export async function dmTeam(dm: DmWorld): Promise<Map<string, DmTeamMember>> {
  const result = await dm.world.gql(
    `query($id: ID!) { project(id: $id) { teamMembers(first: 200) { edges { node { email source isProjectOwner roles { builtIn name } } } } } }`,
    { id: dm.pid() },
    'alice@harbor.example',
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return new Map(
    result.data?.project?.teamMembers.edges.map((e: { node: DmTeamMember }) => [e.node.email, e.node] as const),
  );
}

/** A member's built-in role keys, sorted; custom roles by name. */
export function roleKeys(member: DmTeamMember | undefined): string[] {
  return (member?.roles ?? []).map((r) => r.builtIn ?? `custom:${r.name}`).sort();
}

export const DM_REPORT = 'synchronization { rule changed changes { change rule detail email roles permissions } }';

/** DM-6 / DM-7 through the API; returns the payload (typename, report or error code). */
export async function dmSync(
  dm: DmWorld,
  which: 'synchronizeDeliverables' | 'synchronizeWorkAreaConnection' = 'synchronizeDeliverables',
  as = 'alice@harbor.example',
) {
  const Name = which.charAt(0).toUpperCase() + which.slice(1);
  const result = await dm.world.gql(
    `mutation($i: ${Name}Input!) { ${which}(input: $i) { __typename ... on Error { code message path }
      ... on ${Name}Success { ${DM_REPORT} } } }`,
    { i: { projectId: dm.pid() } },
    as,
  );
  return { payload: result.data?.[which] ?? null, result };
}

/** DM-8 through the API, with DeliverablesPermissionsError's entries and the success's warnings. */
export async function dmSet(
  dm: DmWorld,
  entries: { principal: PrincipalRef; permissions: DmPermissionName[] }[],
  as = 'alice@harbor.example',
) {
  const result = await dm.world.gql(
    `mutation($i: SetDeliverablesPermissionsInput!) { setDeliverablesPermissions(input: $i) {
      __typename
      ... on Error { code message path }
      ... on DeliverablesPermissionsError { entries { code message path customRoles users } }
      ... on SetDeliverablesPermissionsSuccess { changedEntries warnings { code message } } } }`,
    {
      i: {
        projectId: dm.pid(),
        entries: entries.map((e) => ({ principalId: dm.principalGid(e.principal), permissions: e.permissions })),
      },
    },
    as,
  );
  return { payload: result.data?.setDeliverablesPermissions ?? null, result };
}

export { inOrder } from './in-order.js';
