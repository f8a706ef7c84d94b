// The raw-SQL floor of issue 11: bare node:http, prepared better-sqlite3 statements and JSON.stringify,
// answering the requests of bench/operations.ts — recognized by their exact text, no GraphQL — with the
// JSON Threshold answers (the pages byte for byte: bench/run.ts checks it before timing). Run as
// `node --import tsx bench/floor-server.ts <database file>` on a copy of the generated world; it prints
// one JSON line { port } once it listens on loopback.
//
// It does the work a real client needs and nothing more:
// - Authentication: the same JWT check as Threshold (src/auth/tokens.ts createTokenVerifier, jose, HS256),
//   then the viewer by email — both servers pay for it.
// - Authorization: the viewer's IMS roles read once per request, decided by the pure src/authz rules
//   (what §9 asks: admins of the data source's owner, of the account).
// - Sign-in: the same facts read (data source, owner, the data-source user, associations, entitlements,
//   reserved checkout), decided by the pure decideAccess of src/access/rules/access.ts, and the usage
//   record and the audit entry inserted, in one transaction; explainAccess the same without writes.
// - Bulk checkout: the CSV read and checked, the terms (src/licensing/rules planCheckout, pure), the
//   active duplicates, 5,000 Ed25519 signatures on libuv's thread pool (node:crypto, 32 in flight at a
//   time as Threshold does: with all 5,000 queued at once, every other request's JWT check — jose's
//   HMAC runs on the same pool — waits behind them), then one transaction of inserts.
// Every statement it runs is counted (GET /__bench/stats { statements, rss }), as Threshold's are.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { type AccessDecision, type AccountRef, decideAccess } from '../src/access/rules/access.js';
import { createTokenVerifier } from '../src/auth/tokens.js';
import type { Subject } from '../src/authz/actions.js';
import { accountAdminsMay, authorize } from '../src/authz/authorize.js';
import type { ImsRole } from '../src/db/schema.js';
import { isoDate, normalizeEmail } from '../src/identity/rules.js';
import { planCheckout } from '../src/licensing/rules/checkouts.js';
import { benchAuth } from './auth.js';
import {
  ACCESS_REPORT_PAGE,
  ACCOUNT_MEMBERS_PAGE,
  BULK_CHECKOUT,
  DATA_SOURCE_USERS_PAGE,
  EXPLAIN,
  GROUPS_PER_USER,
  SIGN_IN,
  VIEWER,
} from './operations.js';

const file = process.argv[2];
if (!file) throw new Error('usage: floor-server.ts <database file>');
const sqlite = new Database(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('foreign_keys = ON');

let statements = 0;
/** A prepared statement whose every execution is counted. */
function prepare<Row = unknown>(text: string) {
  const statement = sqlite.prepare(text);
  return {
    get: (...params: unknown[]) => {
      statements += 1;
      return statement.get(...params) as Row | undefined;
    },
    all: (...params: unknown[]) => {
      statements += 1;
      return statement.all(...params) as Row[];
    },
    run: (...params: unknown[]) => {
      statements += 1;
      return statement.run(...params);
    },
  };
}
/** better-sqlite3's transaction (BEGIN IMMEDIATE … COMMIT), not counted: Threshold's Drizzle logger does
 *  not see its own (Drizzle's better-sqlite3 driver uses the same native transaction). */
function inTransaction<T>(work: () => T): T {
  return sqlite.transaction(work).immediate();
}

interface UserRow {
  id: string;
  email: string;
  home_account_id: string | null;
  usage_country: string;
}

const q = {
  viewer: prepare<UserRow>('select id, email, home_account_id, usage_country from users where email = ?'),
  roles: prepare<{ account_id: string; role: ImsRole }>('select account_id, role from ims_roles where user_id = ?'),
  dataSource: prepare<{
    id: string;
    name: string;
    owner_account_id: string;
    licensing_owner_account_id: string | null;
    ims_auth_enabled: number;
    dynamic_creation_filter: string | null;
    allow_external_ims_users: number;
    external_licensing: 'SUPPLY' | 'DENY';
  }>('select * from data_sources where id = ?'),
  account: prepare<AccountRef>('select id, name from accounts where id = ?'),
  // (i) data-source users + groups
  dsUserCount: prepare<{ n: number }>('select count(*) as n from data_source_users where data_source_id = ?'),
  dsUsers: prepare<{
    id: string;
    login: string;
    login_key: string;
    email: string | null;
    identity: string | null;
    client_licensing: string;
    created_at: number;
  }>(
    `select id, login, login_key, email, identity, client_licensing, created_at from data_source_users
     where data_source_id = ? order by login_key, id limit ?`,
  ),
  groupsOf: prepare<{ user_id: string; id: string; name: string; name_key: string }>(
    `select m.user_id, g.id, g.name, g.name_key from group_members m join data_source_groups g on g.id = m.group_id
     where m.user_id in (select value from json_each(?)) order by g.name_key, g.id`,
  ),
  // (ii) account members + IMS roles + home account
  memberCount: prepare<{ n: number }>('select count(*) as n from users where home_account_id = ?'),
  members: prepare<{ id: string; email: string; display_name: string; home_account_id: string | null }>(
    'select id, email, display_name, home_account_id from users where home_account_id = ? order by email limit ?',
  ),
  rolesOf: prepare<{ user_id: string; role: ImsRole }>(
    'select user_id, role from ims_roles where user_id in (select value from json_each(?)) order by role',
  ),
  domainsOf: prepare<{ domain: string }>('select domain from account_domains where account_id = ? order by domain'),
  // (iii) access report (issue 14, IMP-5): everyone with an identity on the data source, and their facts
  reportPeople: prepare<{
    id: string;
    email: string;
    home_account_id: string | null;
    usage_country: string;
    home_name: string | null;
    ds_user_id: string;
    login: string;
    client_licensing: 'OWN_ORGANIZATION' | 'OWNER_PROVIDES';
  }>(
    `select u.id, u.email, u.home_account_id, u.usage_country, a.name as home_name, d.id as ds_user_id, d.login,
       d.client_licensing
     from data_source_users d join users u on u.email = d.identity left join accounts a on a.id = u.home_account_id
     where d.data_source_id = ? order by u.email`,
  ),
  reportAssociations: prepare<{ user_id: string; id: string; name: string }>(
    `select s.user_id, a.id, a.name from associations s join accounts a on a.id = s.account_id
     join users u on u.id = s.user_id join data_source_users d on d.identity = u.email and d.data_source_id = ?
     order by s.created_at, s.rowid`,
  ),
  reportEntitlements: prepare<{ account_id: string; country: string }>(
    'select account_id, country from entitlements where product_code = ? and contract_end_date >= ?',
  ),
  // sign-in and explain
  dsUserByIdentity: prepare<{ id: string; login: string; client_licensing: 'OWN_ORGANIZATION' | 'OWNER_PROVIDES' }>(
    'select id, login, client_licensing from data_source_users where data_source_id = ? and identity = ?',
  ),
  associated: prepare<AccountRef>(
    `select a.id, a.name from associations s join accounts a on a.id = s.account_id
     where s.user_id = ? order by s.created_at, s.rowid`,
  ),
  entitled: prepare<{ account_id: string }>(
    `select account_id from entitlements where account_id in (select value from json_each(?))
     and product_code = ? and country = ? and contract_end_date >= ?`,
  ),
  reserved: prepare<{ checkout_id: string; account_id: string }>(
    `select c.id as checkout_id, c.account_id from installed_licenses i
     join license_checkouts c on c.id = i.checkout_id
     join license_checkout_products p on p.checkout_id = c.id
     where i.user_id = ? and i.machine_name = ? and c.machine_name = ? and p.product_code = ?
       and c.checked_in_at is null and c.expires_at > ?
     order by c.issued_at limit 1`,
  ),
  insertUsage: prepare(
    `insert into usage_records (at, user_id, consumer_account_id, data_source_id, data_source_user_id, product_code,
       machine_name, license_source, billed_account_id, checkout_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertAudit: prepare<{ id: number }>(
    'insert into audit_entries (at, actor_id, actor_email, action, target_ids, summary) values (?, ?, ?, ?, ?, ?) returning id',
  ),
  insertAuditAccounts: prepare(
    'insert into audit_entry_accounts (entry_id, account_id) select ?, value from json_each(?)',
  ),
  // bulk checkout
  signingKey: prepare<{ private_key_pem: string }>(
    "select private_key_pem from server_keys where name = 'license-signing'",
  ),
  contractEnds: prepare<{ product: string; end: string }>(
    `select product_code as product, contract_end_date as "end" from entitlements where account_id = ? and country = ?
     and product_code in (select value from json_each(?)) and contract_end_date >= ?`,
  ),
  restriction: prepare<{ checkouts_enabled: number; max_duration_days: number; products: string | null }>(
    'select checkouts_enabled, max_duration_days, products from checkout_restrictions where account_id = ? and country = ?',
  ),
  activeDuplicates: prepare<{ email: string; machine: string }>(
    `select distinct c.email, c.machine_name as machine from license_checkouts c
     join license_checkout_products p on p.checkout_id = c.id
     where c.account_id = ? and c.email in (select value from json_each(?))
       and p.product_code in (select value from json_each(?)) and c.checked_in_at is null and c.expires_at > ?`,
  ),
  insertCheckout: prepare(
    `insert into license_checkouts (id, account_id, email, machine_name, entitlement_country, issued_at, expires_at,
       created_by_id, license_file) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertProduct: prepare('insert into license_checkout_products (checkout_id, product_code, version) values (?, ?, ?)'),
  ping: prepare('select 1'),
};

const verifyToken = createTokenVerifier(benchAuth);
/** As src/licensing/use-cases/bulk-checkout.ts: leaves room on the thread pool for other requests. */
const SIGNATURES_IN_FLIGHT = 32;
const signingKey = createPrivateKey(q.signingKey.get()?.private_key_pem ?? '');

class Refused extends Error {}

function subjectOf(viewer: UserRow): Subject {
  const rolesByAccount = new Map<string, ImsRole[]>();
  for (const r of q.roles.all(viewer.id))
    rolesByAccount.set(r.account_id, [...(rolesByAccount.get(r.account_id) ?? []), r.role]);
  return { viewer: { id: viewer.id, email: viewer.email, homeAccountId: viewer.home_account_id }, rolesByAccount };
}

/** `k1:` keyset cursors, as src/graphql/pagination.ts encodes them. */
const cursor = (list: string, keys: readonly (string | number)[]) =>
  Buffer.from(`k1:${JSON.stringify([list, ...keys])}`).toString('base64url');

const localId = (globalId: string) => decodeGlobalID(globalId).id;

type Variables = Record<string, unknown>;

function dataSourceUsersPage(viewer: UserRow, variables: Variables) {
  const ds = q.dataSource.get(localId(variables.id as string));
  const subject = subjectOf(viewer);
  const accounts = {
    ownerAccountId: ds?.owner_account_id ?? '',
    licensingOwnerAccountId: ds?.licensing_owner_account_id ?? null,
  };
  if (!ds || !authorize(subject, { action: 'dataSource.read', ...accounts }).allowed)
    return { data: { dataSource: null } };
  if (!authorize(subject, { action: 'dataSource.administer', ...accounts }).allowed) throw new Refused();
  const first = (variables.first as number | undefined) ?? 50;
  const totalCount = q.dsUserCount.get(ds.id)?.n ?? 0;
  const rows = q.dsUsers.all(ds.id, first + 1);
  const hasNextPage = rows.length > first;
  if (hasNextPage) rows.pop();
  const groups = new Map<string, { id: string; name: string }[]>();
  for (const g of q.groupsOf.all(JSON.stringify(rows.map((r) => r.id)))) {
    const list = groups.get(g.user_id);
    if (list) list.push(g);
    else groups.set(g.user_id, [g]);
  }
  const last = rows[rows.length - 1];
  return {
    data: {
      dataSource: {
        users: {
          totalCount,
          pageInfo: {
            hasNextPage,
            endCursor: last
              ? cursor('data_source_users.login_key,data_source_users.id', [last.login_key, last.id])
              : null,
          },
          edges: rows.map((u) => {
            const mine = groups.get(u.id) ?? [];
            return {
              node: {
                id: encodeGlobalID('DataSourceUser', u.id),
                login: u.login,
                email: u.email,
                identity: u.identity,
                clientLicensing: u.client_licensing,
                createdAt: new Date(u.created_at).toISOString(),
                groups: {
                  totalCount: mine.length,
                  edges: mine
                    .slice(0, GROUPS_PER_USER)
                    .map((g) => ({ node: { id: encodeGlobalID('DataSourceGroup', g.id), name: g.name } })),
                },
              },
            };
          }),
        },
      },
    },
  };
}

function accountMembersPage(viewer: UserRow, variables: Variables) {
  const account = q.account.get(localId(variables.id as string));
  if (!account) return { data: { account: null } };
  const subject = subjectOf(viewer);
  if (!authorize(subject, { action: 'account.administer', accountId: account.id }).allowed) throw new Refused();
  const first = (variables.first as number | undefined) ?? 50;
  const totalCount = q.memberCount.get(account.id)?.n ?? 0;
  const rows = q.members.all(account.id, first + 1);
  const hasNextPage = rows.length > first;
  if (hasNextPage) rows.pop();
  const roles = new Map<string, ImsRole[]>();
  for (const r of q.rolesOf.all(JSON.stringify(rows.map((u) => u.id)))) {
    const list = roles.get(r.user_id);
    if (list) list.push(r.role);
    else roles.set(r.user_id, [r.role]);
  }
  // Every member's home account is this account (ID-3): known already, its domains read once.
  const domains = q.domainsOf.all(account.id).map((d) => d.domain);
  // §9, once per page (not per row): roles and domains are for the account's admins (and members).
  const mayReadRoles = authorize(subject, { action: 'user.readRoles', userId: '', homeAccountId: account.id }).allowed;
  const mayReadDetails = authorize(subject, { action: 'account.readDetails', accountId: account.id }).allowed;
  const home = {
    id: encodeGlobalID('Account', account.id),
    name: account.name,
    emailDomains: mayReadDetails ? domains : null,
  };
  const last = rows[rows.length - 1];
  return {
    data: {
      account: {
        members: {
          totalCount,
          pageInfo: { hasNextPage, endCursor: last ? cursor('users.email', [last.email]) : null },
          edges: rows.map((u) => ({
            node: {
              id: encodeGlobalID('User', u.id),
              email: u.email,
              displayName: u.display_name,
              imsRoles: mayReadRoles || u.id === viewer.id ? (roles.get(u.id) ?? []) : null,
              homeAccount: home,
            },
          })),
        },
      },
    },
  };
}

interface Decided {
  decision: AccessDecision;
  ds: NonNullable<ReturnType<typeof q.dataSource.get>>;
  dsUser: { id: string } | null;
  /** Real names of every account the facts named (the decision may show neutral labels, §9). */
  names: Map<string, string>;
  owner: AccountRef;
  licensingOwner: AccountRef | null;
}

/** The facts of a sign-in, read once, and the decision (explainAccess: for yourself). */
function decide(viewer: UserRow, input: Variables, now: Date): Decided | null {
  const ds = q.dataSource.get(localId(input.dataSourceId as string));
  if (!ds) return null;
  const machineName = input.machineName as string;
  const product = (input.product as string | undefined) ?? 'PW_EXPLORER';
  const subject = subjectOf(viewer);
  const readable = authorize(subject, {
    action: 'dataSource.read',
    ownerAccountId: ds.owner_account_id,
    licensingOwnerAccountId: ds.licensing_owner_account_id,
  }).allowed;
  const owner = q.account.get(ds.owner_account_id) as AccountRef;
  const licensingOwner = ds.licensing_owner_account_id ? (q.account.get(ds.licensing_owner_account_id) ?? null) : null;
  const home = viewer.home_account_id ? (q.account.get(viewer.home_account_id) ?? null) : null;
  const dsUser = q.dsUserByIdentity.get(ds.id, viewer.email) ?? null;
  const associations = q.associated.all(viewer.id);
  const candidates = [...new Set([...(home ? [home.id] : []), ...associations.map((a) => a.id)])];
  const entitled = new Set(
    q.entitled.all(JSON.stringify(candidates), product, viewer.usage_country, isoDate(now)).map((e) => e.account_id),
  );
  const reserved = q.reserved.get(viewer.id, machineName, machineName, product, now.getTime()) ?? null;
  const issuer = reserved ? (q.account.get(reserved.account_id) as AccountRef) : null;
  const names = new Map<string, string>();
  for (const a of [owner, licensingOwner, home, issuer, ...associations]) if (a) names.set(a.id, a.name);
  const decision = decideAccess({
    product,
    machineName,
    caller: { email: viewer.email, usageCountry: viewer.usage_country, homeAccount: home },
    dataSource: {
      name: readable ? ds.name : 'this data source',
      owner: readable ? owner : { id: owner.id, name: "the data source's owner account" },
      imsAuthEnabled: ds.ims_auth_enabled === 1,
      // The generated world's data source has no identity filter; a floor for one would read its accounts here.
      filterAccountIds: ds.dynamic_creation_filter === null ? null : [],
      licensingOwner:
        licensingOwner && !readable ? { id: licensingOwner.id, name: 'its licensing owner account' } : licensingOwner,
      allowExternalImsUsers: ds.allow_external_ims_users === 1,
      externalLicensing: ds.external_licensing,
    },
    dataSourceUser: dsUser ? { id: dsUser.id, login: dsUser.login, clientLicensing: dsUser.client_licensing } : null,
    associations,
    reservedCheckout: reserved && issuer ? { checkoutId: reserved.checkout_id, issuer } : null,
    entitledAccountIds: entitled,
  });
  return { decision, ds, dsUser, names, owner, licensingOwner };
}

function decisionJson({ decision, names }: Decided) {
  const billed = decision.billedAccount;
  return {
    granted: decision.granted,
    denialReason: decision.denialReason,
    licenseSource: decision.licenseSource,
    external: decision.external,
    billedAccount: billed
      ? { id: encodeGlobalID('Account', billed.id), name: names.get(billed.id) ?? billed.name }
      : null,
    steps: decision.steps,
  };
}

function explain(viewer: UserRow, variables: Variables) {
  const decided = decide(viewer, variables.input as Variables, new Date());
  return { data: { explainAccess: decided ? decisionJson(decided) : null } };
}

function signIn(viewer: UserRow, variables: Variables) {
  const input = variables.input as Variables;
  const now = new Date();
  const decided = inTransaction(() => {
    const d = decide(viewer, input, now);
    if (!d) return null;
    const { decision, ds, dsUser } = d;
    // The generated world's caller has a data-source user (no dynamic creation: ACC-2 'CREATE' is not measured).
    const product = (input.product as string | undefined) ?? 'PW_EXPLORER';
    const machineName = input.machineName as string;
    const billed = decision.billedAccount;
    if (decision.granted && dsUser && decision.licenseSource && billed) {
      q.insertUsage.run(
        now.getTime(),
        viewer.id,
        viewer.home_account_id,
        ds.id,
        dsUser.id,
        product,
        machineName,
        decision.licenseSource,
        billed.id,
        decision.checkoutId,
      );
    }
    const billedName = billed ? (d.names.get(billed.id) ?? billed.name) : null;
    const billedReads =
      billed === null ||
      accountAdminsMay(billed.id, {
        action: 'dataSource.read',
        ownerAccountId: ds.owner_account_id,
        licensingOwnerAccountId: ds.licensing_owner_account_id,
      });
    const where = billedReads ? `"${ds.name}"` : `a data source of ${d.owner.name}`;
    const summary = decision.granted
      ? `${viewer.email} signed in to ${where} with ${product} on ${machineName}: ${decision.licenseSource}, billed to ${billedName}`
      : `${viewer.email} was refused sign-in to ${where}: ${decision.denialReason}`;
    const targets = [`DataSource:${ds.id}`, ...(dsUser ? [`DataSourceUser:${dsUser.id}`] : [])];
    const entry = q.insertAudit.get(
      now.getTime(),
      viewer.id,
      viewer.email,
      'signInToDataSource',
      JSON.stringify(targets),
      summary,
    );
    q.insertAuditAccounts.run(
      entry?.id,
      JSON.stringify([...new Set([ds.owner_account_id, ...(billed ? [billed.id] : [])])]),
    );
    return d;
  });
  if (!decided)
    return {
      data: { signInToDataSource: { __typename: 'UserError', code: 'NOT_FOUND', message: 'no such data source' } },
    };
  return { data: { signInToDataSource: { __typename: 'SignInToDataSourceSuccess', decision: decisionJson(decided) } } };
}

const signedBytes = (license: unknown) =>
  Buffer.from(canonicalize({ format: 1, alg: 'Ed25519', license }) ?? '', 'utf8');

async function bulkCheckout(viewer: UserRow, variables: Variables) {
  const input = variables.input as {
    accountId: string;
    csv: string;
    products: { product: string; version: string }[];
    entitlementCountry: string;
  };
  const now = new Date();
  const fail = (code: string, message: string) => ({
    data: { createBulkLicenseCheckout: { __typename: 'BulkCheckoutError', code, message } },
  });
  const lines = input.csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim().toLowerCase() !== 'email,machinename') return fail('INVALID_BULK_FILE', 'bad header');
  const rows: { email: string; machineName: string }[] = [];
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const [rawEmail = '', machineName = ''] = line.split(',').map((c) => c.trim());
    const email = normalizeEmail(rawEmail);
    const key = `${email}|${machineName}`;
    if (machineName === '' || seen.has(key)) return fail('INVALID_BULK_FILE', `bad row: ${line}`);
    seen.add(key);
    rows.push({ email, machineName });
  }
  const accountId = localId(input.accountId);
  const terms = () => {
    const account = q.account.get(accountId);
    if (!account || !authorize(subjectOf(viewer), { action: 'checkout.issue', accountId }).allowed) return null;
    const codes = input.products.map((p) => p.product);
    const contractEnds = new Map(
      q.contractEnds
        .all(accountId, input.entitlementCountry, JSON.stringify(codes), isoDate(now))
        .map((e) => [e.product, e.end]),
    );
    const r = q.restriction.get(accountId, input.entitlementCountry);
    const restriction = r
      ? {
          checkoutsEnabled: r.checkouts_enabled === 1,
          maxDurationDays: r.max_duration_days,
          products: r.products && JSON.parse(r.products),
        }
      : null;
    const { expiresAt } = planCheckout({
      now,
      country: input.entitlementCountry,
      products: codes,
      contractEnds,
      restriction,
      expiresAt: null,
    });
    return { account, codes, expiresAt };
  };
  const planned = terms();
  if (!planned) return fail('FORBIDDEN', 'not an admin of the account');
  const duplicates = q.activeDuplicates.all(
    accountId,
    JSON.stringify([...new Set(rows.map((r) => r.email))]),
    JSON.stringify(planned.codes),
    now.getTime(),
  );
  if (duplicates.length > 0) return fail('INVALID_BULK_FILE', 'active duplicates');
  const products = input.products.map((p) => ({ product: p.product, version: p.version }));
  const signOne = (r: { email: string; machineName: string }) => {
    const id = randomUUID();
    const license = {
      checkoutId: id,
      issuer: { accountId, name: planned.account.name },
      email: r.email,
      machineName: r.machineName,
      products,
      entitlementCountry: input.entitlementCountry,
      issuedAt: now.toISOString(),
      expiresAt: planned.expiresAt.toISOString(),
    };
    return new Promise<{ id: string; email: string; machineName: string; licenseFile: string }>((resolve, reject) =>
      sign(null, signedBytes(license), signingKey, (error, signature) => {
        if (error) return reject(error);
        const licenseFile =
          canonicalize({ format: 1, alg: 'Ed25519', license, signature: signature.toString('base64url') }) ?? '';
        resolve({ id, email: r.email, machineName: r.machineName, licenseFile });
      }),
    );
  };
  const signed: Awaited<ReturnType<typeof signOne>>[] = [];
  for (let at = 0; at < rows.length; at += SIGNATURES_IN_FLIGHT) {
    signed.push(...(await Promise.all(rows.slice(at, at + SIGNATURES_IN_FLIGHT).map(signOne))));
  }
  inTransaction(() => {
    const issued = q.activeDuplicates.all(
      accountId,
      JSON.stringify([...new Set(rows.map((r) => r.email))]),
      JSON.stringify(planned.codes),
      now.getTime(),
    );
    if (issued.length > 0) throw new Refused();
    for (const c of [...signed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      q.insertCheckout.run(
        c.id,
        accountId,
        c.email,
        c.machineName,
        input.entitlementCountry,
        now.getTime(),
        planned.expiresAt.getTime(),
        viewer.id,
        c.licenseFile,
      );
      for (const p of products) q.insertProduct.run(c.id, p.product, p.version);
    }
    const entry = q.insertAudit.get(
      now.getTime(),
      viewer.id,
      viewer.email,
      'createBulkLicenseCheckout',
      JSON.stringify([`Account:${accountId}`]),
      `${viewer.email} checked out ${planned.codes.join(', ')} (${input.entitlementCountry}) for ${signed.length} user/machine pair(s) until ${planned.expiresAt.toISOString()}`,
    );
    q.insertAuditAccounts.run(entry?.id, JSON.stringify([accountId]));
  });
  return {
    data: {
      createBulkLicenseCheckout: {
        __typename: 'CreateBulkLicenseCheckoutSuccess',
        count: signed.length,
        checkouts: signed.map((c) => ({
          id: encodeGlobalID('LicenseCheckout', c.id),
          email: c.email,
          machineName: c.machineName,
          licenseFile: c.licenseFile,
        })),
      },
    },
  };
}

/**
 * (iii) The access report's first page (issue 14, IMP-5) for the data source's admin: every identity of
 * the data source decided by decideAccess from facts read in three statements, by email. The generated
 * world's data source has no identity filter, so no ADMITTED_BY_FILTER lines (a floor for one would
 * read the filter's accounts' members here), and its admin reads everything (no redaction needed).
 */
function accessReportPage(viewer: UserRow, variables: Variables) {
  const ds = q.dataSource.get(localId(variables.id as string));
  if (!ds) return { data: { dataSource: null } };
  if (ds.dynamic_creation_filter !== null) throw new Error('the floor reports data sources without a filter only');
  if (
    !authorize(subjectOf(viewer), {
      action: 'dataSource.administer',
      ownerAccountId: ds.owner_account_id,
      licensingOwnerAccountId: ds.licensing_owner_account_id,
    }).allowed
  ) {
    throw new Refused();
  }
  const first = variables.first as number;
  const now = new Date();
  const owner = q.account.get(ds.owner_account_id) as AccountRef;
  const licensingOwner = ds.licensing_owner_account_id ? (q.account.get(ds.licensing_owner_account_id) ?? null) : null;
  const people = q.reportPeople.all(ds.id);
  const associations = new Map<string, AccountRef[]>();
  for (const a of q.reportAssociations.all(ds.id)) {
    associations.set(a.user_id, [...(associations.get(a.user_id) ?? []), { id: a.id, name: a.name }]);
  }
  const entitled = new Set(
    q.reportEntitlements.all('PW_EXPLORER', isoDate(now)).map((e) => `${e.account_id}\u0000${e.country}`),
  );
  const lines = people.map((p) => {
    const home = p.home_account_id && p.home_name !== null ? { id: p.home_account_id, name: p.home_name } : null;
    const mine = associations.get(p.id) ?? [];
    const decision = decideAccess({
      product: 'PW_EXPLORER',
      machineName: 'an unreserved machine',
      caller: { email: p.email, usageCountry: p.usage_country, homeAccount: home },
      dataSource: {
        name: ds.name,
        owner,
        imsAuthEnabled: ds.ims_auth_enabled === 1,
        filterAccountIds: null,
        licensingOwner,
        allowExternalImsUsers: ds.allow_external_ims_users === 1,
        externalLicensing: ds.external_licensing,
      },
      dataSourceUser: { id: p.ds_user_id, login: p.login, clientLicensing: p.client_licensing },
      associations: mine,
      reservedCheckout: null,
      entitledAccountIds: new Set(
        [...(home ? [home.id] : []), ...mine.map((a) => a.id)].filter((id) =>
          entitled.has(`${id}\u0000${p.usage_country}`),
        ),
      ),
    });
    return { email: p.email, decision };
  });
  const page = lines.slice(0, first);
  const last = page.at(-1);
  return {
    data: {
      dataSource: {
        accessReport: {
          totalCount: lines.length,
          pageInfo: {
            hasNextPage: lines.length > first,
            endCursor: last ? cursor('DataSource.accessReport', [0, last.email, '']) : null,
          },
          edges: page.map(({ email, decision }) => ({
            node: {
              kind: 'DATA_SOURCE_USER',
              people: 1,
              email,
              decision: {
                granted: decision.granted,
                denialReason: decision.denialReason,
                licenseSource: decision.licenseSource,
                billedAccount: decision.billedAccount
                  ? { id: encodeGlobalID('Account', decision.billedAccount.id), name: decision.billedAccount.name }
                  : null,
              },
            },
          })),
        },
      },
    },
  };
}

type Handler = (viewer: UserRow, variables: Variables) => unknown;
const handlers = new Map<string, Handler>([
  [VIEWER, (viewer) => ({ data: { viewer: { id: encodeGlobalID('User', viewer.id) } } })],
  [DATA_SOURCE_USERS_PAGE, dataSourceUsersPage],
  [ACCOUNT_MEMBERS_PAGE, accountMembersPage],
  [ACCESS_REPORT_PAGE, accessReportPage],
  [SIGN_IN, signIn],
  [EXPLAIN, explain],
  [BULK_CHECKOUT, bulkCheckout],
]);

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse) {
  if (request.url === '/__bench/stats') return send(response, 200, { statements, rss: process.memoryUsage.rss() });
  if (request.url === '/health') {
    q.ping.get();
    return send(response, 200, { status: 'ok' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Variables };
  const handler = handlers.get(body.query);
  if (!handler) return send(response, 400, { errors: [{ message: 'the floor knows only bench/operations.ts' }] });
  const auth = await verifyToken(request.headers.authorization ?? null);
  const viewer = auth.status === 'authenticated' ? q.viewer.get(auth.identity.email) : undefined;
  if (!viewer) return send(response, 401, { errors: [{ message: 'not signed in' }] });
  try {
    send(response, 200, await handler(viewer, body.variables ?? {}));
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    send(response, 200, { errors: [{ message: 'FORBIDDEN' }] });
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error(error);
    if (!response.headersSent) send(response, 500, { errors: [{ message: String(error) }] });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port }));
});
const stop = () => server.close(() => sqlite.close());
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
