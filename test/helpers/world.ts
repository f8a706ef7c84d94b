// The shared world builder: a fresh migrated SQLite database per test (copied from one migrated
// template), an in-process yoga server with a pinned clock, tokens, and one-call set-up helpers.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, count, eq } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as licensing from '../../src/access/use-cases/licensing-owner.js';
import { mintDevelopmentToken } from '../../src/auth/tokens.js';
import { type AuthConfig, DEV_AUDIENCE, DEV_ISSUER } from '../../src/config.js';
import type { PrincipalRef } from '../../src/data-sources/rules/principals.js';
import type { CreateDataSourceInput } from '../../src/data-sources/service.js';
import * as dataSources from '../../src/data-sources/service.js';
import { type Database_, migrateDatabase, openDatabase } from '../../src/db/client.js';
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
import { createServer } from '../../src/server.js';

let template: Buffer | undefined;

type Db = Database_['db'];

/** Re-reads a user (a row captured before a membership change is stale). */
export function freshUser(db: Db, id: string): UserRow {
  const user = db.select().from(tables.users).where(eq(tables.users.id, id)).get();
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

function anyAccountAdmin(db: Db, accountId: string): UserRow {
  const row = db
    .select({ userId: tables.imsRoles.userId })
    .from(tables.imsRoles)
    .where(and(eq(tables.imsRoles.accountId, accountId), eq(tables.imsRoles.role, 'ACCOUNT_ADMIN')))
    .get();
  if (!row) throw new Error(`account ${accountId} has no ACCOUNT_ADMIN`);
  return freshUser(db, row.userId);
}

function templateBytes(): Buffer {
  if (!template) {
    const db = openDatabase({ source: ':memory:' });
    migrateDatabase(db);
    template = db.serialize();
    db.close();
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
  token(email: string, name?: string): Promise<string>;
  // set-up helpers (through the services, so every rule holds)
  user(email: string, usageCountry?: string): UserRow;
  account(name: string, domains: string[], admin: UserRow): AccountRow;
  member(account: AccountRow, user: UserRow, ...roles: ImsRole[]): UserRow;
  associate(account: AccountRow, user: UserRow, by: UserRow): string;
  entitlement(account: AccountRow, by: UserRow, productCode: string, country: string, contractEndDate?: string): string;
  rowCounts(): Record<string, number>;
  dataSource(owner: AccountRow, admin: UserRow, name: string, settings?: Partial<CreateDataSourceInput>): DataSourceRow;
  dsUser(
    ds: DataSourceRow,
    admin: UserRow,
    login: string,
    fields?: { email?: string; identity?: string; clientLicensing?: 'OWN_ORGANIZATION' | 'OWNER_PROVIDES' },
  ): DataSourceUserRow;
  /** LIC-3: the owner account or null directly; another account through a request it accepts. */
  licensingOwner(ds: DataSourceRow, admin: UserRow, account: AccountRow | null): void;
  /** PRJ-1: a project of `creator`'s home account (they need an IMS admin role there). */
  project(creator: UserRow, number: string, name?: string): ProjectRow;
  /** PRJ-7: `by` adds `user` to the team with these built-in roles. */
  teamMember(project: ProjectRow, by: UserRow, user: UserRow, ...roles: BuiltInRole[]): void;
  /** PRJ-4: a custom role of the project, made by `by`. */
  customRole(project: ProjectRow, by: UserRow, name: string, permissions: RolePermission[]): string;
  /** PRJ-2: `by` enables Deliverables Management (their email domain becomes the internal domain). */
  enableDeliverables(project: ProjectRow, by: UserRow): ProjectRow;
  /** WA-1: a work area of the data source. */
  workArea(ds: DataSourceRow, admin: UserRow, name: string): WorkAreaRow;
  /** WA-1: `principal` takes part in the work area with `role`. */
  participant(area: WorkAreaRow, admin: UserRow, principal: PrincipalRef, role: WorkAreaRole): void;
  /** DS-4: a group of these data-source users. */
  group(ds: DataSourceRow, admin: UserRow, name: string, userIds: string[]): string;
  /** WA-2 / DM-5: `by` associates the work area with the project (initial synchronization). */
  associateWorkArea(project: ProjectRow, area: WorkAreaRow, by: UserRow): void;
}

export const gid = encodeGlobalID;

export function createWorld(options: { now?: Date } = {}): World {
  let statements = 0;
  const database = openDatabase({
    source: templateBytes(),
    logger: {
      logQuery: () => {
        statements += 1;
      },
    },
  });
  const db = database.db;
  let now = options.now ?? DEFAULT_NOW;
  const yoga = createServer({ db, auth: TEST_AUTH, graphiql: true, introspection: true, clock: () => now });
  const tokens = new Map<string, string>();
  const as = (actor: UserRow) => ({ db, actor: freshUser(db, actor.id), now });

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
    user(email, usageCountry = 'US') {
      return identity.registerProfile(db, { email, subject: email, name: null }, { usageCountry }, now);
    },
    account(name, domains, admin) {
      return identity.createAccount(as(admin), { name, emailDomains: domains });
    },
    member(account, user, ...roles) {
      const admin = anyAccountAdmin(db, account.id);
      identity.addAccountMember(as(admin), { accountId: account.id, email: user.email });
      for (const role of roles) identity.grantImsRole(as(admin), { accountId: account.id, userId: user.id, role });
      return freshUser(db, user.id);
    },
    associate(account, user, by) {
      return identity.associateExternalUser(as(by), { accountId: account.id, email: user.email }).association.id;
    },
    entitlement(account, by, productCode, country, contractEndDate = '2027-12-31') {
      return identity.addEntitlement(as(by), { accountId: account.id, productCode, country, contractEndDate }).id;
    },
    dataSource(owner, admin, name, settings = {}) {
      return dataSources.createDataSource(as(admin), { accountId: owner.id, name, ...settings });
    },
    dsUser(ds, admin, login, fields = {}) {
      return dataSources.createDataSourceUser(as(admin), { dataSourceId: ds.id, login, ...fields });
    },
    licensingOwner(ds, admin, account) {
      if (account === null || account.id === ds.ownerAccountId) {
        licensing.setLicensingOwner(as(admin), {
          dataSourceId: ds.id,
          accountId: account?.id ?? null,
          acknowledgeBillingChange: true,
        });
        return;
      }
      // LIC-3: another account pays only with its consent: request, then one of its admins accepts.
      const request = licensing.requestLicensingOwner(as(admin), {
        dataSourceId: ds.id,
        accountId: account.id,
        acknowledgeBillingChange: true,
      });
      licensing.respondToLicensingOwnerRequest(as(anyAccountAdmin(db, account.id)), {
        requestId: request.id,
        accept: true,
      });
    },
    project(creator, number, name = `Project ${number}`) {
      return projects.createProject(as(creator), { number, name });
    },
    teamMember(project, by, user, ...roles) {
      projects.addTeamMember(as(by), {
        projectId: project.id,
        email: user.email,
        roleIds: roles.map((key) => projects.builtInRoleId(project.id, key)),
      });
    },
    customRole(project, by, name, permissions) {
      return projects.createCustomRole(as(by), { projectId: project.id, name, permissions }).id;
    },
    enableDeliverables(project, by) {
      return projects.enableDeliverables(as(by), { projectId: project.id });
    },
    workArea(ds, admin, name) {
      return dataSources.createWorkArea(as(admin), { dataSourceId: ds.id, name });
    },
    participant(area, admin, principal, role) {
      dataSources.setWorkAreaParticipant(as(admin), { workAreaId: area.id, principal, role });
    },
    group(ds, admin, name, userIds) {
      return dataSources.createGroup(as(admin), { dataSourceId: ds.id, name, userIds }).id;
    },
    associateWorkArea(project, area, by) {
      deliverables.associateWorkArea(as(by), { projectId: project.id, workAreaId: area.id });
    },
    rowCounts() {
      const out: Record<string, number> = {};
      for (const [name, table] of Object.entries(tables)) {
        if (typeof table === 'object' && table !== null && 'getSQL' in table) {
          out[name] = db
            .select({ n: count() })
            .from(table as SQLiteTable)
            .get()?.n as number;
        }
      }
      return out;
    },
  };
  return world;
}

/** A standard cast: a host firm with an admin, a co-admin, a plain member; a supplier; a freelancer. */
export function hostAndSupplier(world: World) {
  const alice = world.user('alice@harbor.example');
  const host = world.account('Harbor Engineering', ['harbor.example'], alice);
  const bob = world.member(host, world.user('bob@harbor.example'), 'CO_ADMINISTRATOR');
  const carol = world.member(host, world.user('carol@harbor.example'));
  const dave = world.user('dave@northwind.example', 'DE');
  const supplier = world.account('Northwind Surveying', ['northwind.example'], dave);
  const erin = world.member(supplier, world.user('erin@northwind.example', 'DE'));
  const frank = world.user('frank@freelance.example', 'FR');
  return { alice: freshUser(world.db, alice.id), host, bob, carol, dave, supplier, erin, frank };
}
