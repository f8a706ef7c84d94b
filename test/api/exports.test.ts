// HIS-3 (issue 15): CSV downloads beside /graphql — usage records, billable users, the audit log — with
// the same token and authorization as the GraphQL fields (the account's IMS admins), the same rows in
// the same order, streamed a batch at a time; refusals are clear and typed.

import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/client.js';
import { type DataSourceRow, usageRecords, users } from '../../src/db/schema.js';
import { csvText, registeredExports } from '../../src/graphql/exports.js';
import { nodes } from '../helpers/ops.js';
import { FRANK, signedIn, usageWorld } from '../helpers/usage-world.js';
import { gid, type hostAndSupplier, type World } from '../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let projects: DataSourceRow;
let supplied: DataSourceRow;

const ALICE = 'alice@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';
const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2027-01-01T00:00:00.000Z';

beforeEach(async () => {
  ({ world, cast, projects, supplied } = await usageWorld());
});

async function signIn(ds: DataSourceRow, as: string, machineName = 'WS-1') {
  await signedIn(world, ds, as, machineName);
}

async function download(
  name: string,
  params: Record<string, string>,
  as: string | null | { header: string },
  init: RequestInit = {},
) {
  const headers: Record<string, string> = {};
  if (typeof as === 'string') headers.authorization = `Bearer ${await world.token(as)}`;
  else if (as) headers.authorization = as.header;
  return await world.fetch(`/exports/${name}.csv?${new URLSearchParams(params)}`, { headers, ...init });
}

const period = (accountId: string, from = FROM, to = TO) => ({ accountId: gid('Account', accountId), from, to });

async function csvOf(response: Response): Promise<Record<string, string>[]> {
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return parse(await response.text(), { columns: true }) as Record<string, string>[];
}

async function refusal(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]?.extensions.code).toBe(code);
  return body.errors[0]?.message as string;
}

describe('HIS-3 who may download', () => {
  it('HIS-3 the account’s IMS admins may; members, other accounts’ admins and anonymous callers may not', async () => {
    await signIn(projects, DAVE);
    for (const name of ['usage-records', 'billable-users', 'audit-log']) {
      expect((await download(name, period(cast.supplier.id), DAVE)).status).toBe(200);
      await refusal(await download(name, period(cast.supplier.id), ERIN), 403, 'FORBIDDEN');
      await refusal(await download(name, period(cast.supplier.id), ALICE), 403, 'FORBIDDEN');
      await refusal(await download(name, period(cast.supplier.id), FRANK), 403, 'FORBIDDEN');
      const anonymous = await download(name, period(cast.supplier.id), null);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      await refusal(anonymous, 401, 'UNAUTHENTICATED');
      await refusal(
        await download(name, period(cast.supplier.id), { header: 'Bearer nonsense' }),
        401,
        'UNAUTHENTICATED',
      );
      // A signed-in caller without a profile.
      await refusal(await download(name, period(cast.supplier.id), 'nobody@nowhere.example'), 403, 'FORBIDDEN');
    }
    expect(registeredExports()).toEqual(['audit-log', 'billable-users', 'usage-records']);
  });

  it('HIS-3 bad requests: missing or malformed account, period, method, export name', async () => {
    const missing = { ...period(cast.supplier.id), accountId: gid('Account', 'no-such-account') };
    await refusal(await download('usage-records', missing, DAVE), 404, 'NOT_FOUND');
    const wrongType = { ...period(cast.supplier.id), accountId: gid('User', cast.dave.id) };
    await refusal(await download('usage-records', wrongType, DAVE), 404, 'NOT_FOUND');
    await refusal(
      await download('usage-records', { ...period(cast.supplier.id), accountId: 'garbage' }, DAVE),
      404,
      'NOT_FOUND',
    );
    const { from: _from, ...noFrom } = period(cast.supplier.id);
    expect(await refusal(await download('usage-records', noFrom, DAVE), 400, 'BAD_USER_INPUT')).toContain('"from"');
    await refusal(
      await download('billable-users', { ...period(cast.supplier.id), to: 'soon' }, DAVE),
      400,
      'BAD_USER_INPUT',
    );
    // As GraphQL's DateTime: an offset is required (never the server's time zone), impossible dates are refused.
    for (const to of ['2026-07-01T00:00:00', '2026-02-31T00:00:00Z', '2026-07-01']) {
      await refusal(await download('usage-records', { ...period(cast.supplier.id), to }, DAVE), 400, 'BAD_USER_INPUT');
    }
    expect(
      (await download('usage-records', { ...period(cast.supplier.id), to: '2026-07-01T02:00:00+02:00' }, DAVE)).status,
    ).toBe(200);
    // from must precede to: equal is refused, one millisecond before is fine.
    expect(
      await refusal(await download('usage-records', period(cast.supplier.id, TO, TO), DAVE), 400, 'BAD_USER_INPUT'),
    ).toContain('before');
    expect(
      (await download('usage-records', period(cast.supplier.id, '2026-12-31T23:59:59.999Z', TO), DAVE)).status,
    ).toBe(200);
    // The audit log may be downloaded whole.
    expect((await download('audit-log', { accountId: gid('Account', cast.supplier.id) }, DAVE)).status).toBe(200);
    await refusal(
      await download('usage-records', period(cast.supplier.id), DAVE, { method: 'POST' }),
      405,
      'METHOD_NOT_ALLOWED',
    );
    await refusal(await download('everything', period(cast.supplier.id), DAVE), 404, 'NOT_FOUND');
  });
});

describe('HIS-3 what is downloaded', () => {
  beforeEach(async () => {
    world.setNow(new Date('2026-05-10T10:00:00.000Z'));
    await signIn(projects, DAVE);
    await signIn(projects, ERIN);
    await signIn(supplied, FRANK); // LIC-3: Northwind pays as licensing owner; unnamed
    world.setNow(new Date('2026-07-02T10:00:00.000Z'));
    await signIn(projects, DAVE, 'WS-2');
    await signIn(projects, CAROL); // Harbor's bill
  });

  it('HIS-3 usage records: the rows account.usage.records shows, in its order, with the same names hidden', async () => {
    const response = await download('usage-records', period(cast.supplier.id), DAVE);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="usage-records-Northwind-Surveying-2026-01-01-2027-01-01.csv"',
    );
    const rows = await csvOf(response);
    const result = await world.gql(
      `query($id: ID!) { account(id: $id) { usage(from: "${FROM}", to: "${TO}") { records(first: 500) { edges { node {
        at kind product machineName licenseSource billedAccount { name } consumerAccount { name } email personHidden usedIn
        dataSource { id } project { id } explanation { rule outcome detail } } } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      DAVE,
    );
    const records = nodes(result.data?.account.usage.records);
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(
      records.map((r) => ({
        at: r.at,
        kind: r.kind,
        product: r.product,
        machine_name: r.machineName ?? '',
        license_source: r.licenseSource,
        billed_account: r.billedAccount.name,
        consumer_account: r.consumerAccount?.name ?? '',
        email: r.email ?? '',
        person_hidden: String(r.personHidden),
        used_in: r.usedIn,
        data_source_id: r.dataSource?.id ?? '',
        project_id: r.project?.id ?? '',
        explanation: r.explanation.map((s: any) => `${s.rule} ${s.outcome}: ${s.detail}`).join('\n'),
      })),
    );
    expect(rows.map((r) => r.email)).toEqual([DAVE, ERIN, '', DAVE]);
    const hidden = rows[2] as Record<string, string>;
    expect(hidden).toMatchObject({
      person_hidden: 'true',
      used_in: '"Harbor Supplied"',
      license_source: 'DATASOURCE_OWNER',
    });
    expect(hidden.explanation).not.toContain(FRANK);
    expect(hidden.explanation).not.toContain('frank-login');
    // Northwind may not read Harbor Projects: no id, no name.
    expect(rows[0]).toMatchObject({ data_source_id: '', used_in: 'a data source of Harbor Engineering' });
    expect(rows[0]?.explanation).toContain('this data source');
    // [from, to): the period narrows the rows.
    expect(
      await csvOf(await download('usage-records', period(cast.supplier.id, '2026-07-02T10:00:00.000Z'), DAVE)),
    ).toHaveLength(1);
    expect(
      await csvOf(await download('usage-records', period(cast.supplier.id, FROM, '2026-07-02T10:00:00.000Z'), DAVE)),
    ).toHaveLength(3);
  });

  it('HIS-3 billable users: one row per quarter, product and person, counted as LIC-4 counts them', async () => {
    const rows = await csvOf(await download('billable-users', period(cast.supplier.id), DAVE));
    // By quarter and product, then in an order that says nothing about who they are.
    const key = (r: Record<string, string>) => `${r.quarter}${r.product}${r.email || '\uffff'}`;
    const byPerson = (a: Record<string, string>, b: Record<string, string>) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    expect(rows.map((r) => `${r.quarter} ${r.product}`)).toEqual(
      [...rows.map((r) => `${r.quarter} ${r.product}`)].sort(),
    );
    expect([...rows].sort(byPerson)).toEqual([
      {
        quarter: '2026-Q2',
        product: 'PW_EXPLORER',
        email: DAVE,
        person_hidden: 'false',
        consumer_account: 'Northwind Surveying',
        uses: '1',
      },
      {
        quarter: '2026-Q2',
        product: 'PW_EXPLORER',
        email: ERIN,
        person_hidden: 'false',
        consumer_account: 'Northwind Surveying',
        uses: '1',
      },
      { quarter: '2026-Q2', product: 'PW_EXPLORER', email: '', person_hidden: 'true', consumer_account: '', uses: '1' },
      {
        quarter: '2026-Q3',
        product: 'PW_EXPLORER',
        email: DAVE,
        person_hidden: 'false',
        consumer_account: 'Northwind Surveying',
        uses: '1',
      },
    ]);
    const report = await world.gql(
      `query($id: ID!) { account(id: $id) { usage(from: "${FROM}", to: "${TO}") { billableUsers { product quarter users } } } }`,
      { id: gid('Account', cast.supplier.id) },
      DAVE,
    );
    for (const line of report.data?.account.usage.billableUsers ?? []) {
      expect(rows.filter((r) => r.quarter === line.quarter && r.product === line.product)).toHaveLength(line.users);
    }
  });

  it('HIS-3 the audit log: the entries account.auditLog shows, oldest first, narrowed to [from, to) when given', async () => {
    const rows = await csvOf(await download('audit-log', { accountId: gid('Account', cast.supplier.id) }, DAVE));
    const log = await world.gql(
      `query($id: ID!) { account(id: $id) { auditLog(first: 500) { edges { node { at actorEmail action targetIds summary } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      DAVE,
    );
    const entries = nodes(log.data?.account.auditLog).reverse();
    expect(rows).toEqual(
      entries.map((e) => ({
        at: e.at,
        actor_email: e.actorEmail ?? '',
        action: e.action,
        target_ids: e.targetIds.join(' '),
        summary: e.summary,
      })),
    );
    const inMay = await csvOf(
      await download(
        'audit-log',
        period(cast.supplier.id, '2026-05-10T10:00:00.000Z', '2026-07-02T10:00:00.000Z'),
        DAVE,
      ),
    );
    // LIC-3: Northwind paid for Frank's sign-in as licensing owner of Harbor's data source: its log shows
    // the sign-in, never who it was (HIS-1, as its usage records) — in GraphQL and in the file alike.
    const franks = rows.filter((r) => r.action === 'signInToDataSource' && r.summary?.includes('Harbor Supplied'));
    expect(franks).toHaveLength(1);
    expect(franks[0]).toMatchObject({ actor_email: '', action: 'signInToDataSource' });
    expect(franks[0]?.summary).toContain('a user of no account signed in to "Harbor Supplied"');
    expect(JSON.stringify(rows)).not.toContain(FRANK);
    expect(JSON.stringify(entries)).not.toContain(FRANK);
    expect(JSON.stringify(rows)).not.toContain('frank-login');
    const inRange = (at: string) => at >= '2026-05-10T10:00:00.000Z' && at < '2026-07-02T10:00:00.000Z';
    expect(inMay).toEqual(rows.filter((r) => inRange(r.at as string)));
    // The sign-ins at 2026-07-02T10:00 (= to) are out; those at from are in; so are the set-up's (June).
    expect(inMay.some((r) => r.at === '2026-05-10T10:00:00.000Z')).toBe(true);
    expect(inMay.some((r) => r.at === '2026-07-02T10:00:00.000Z')).toBe(false);
    expect(rows.some((r) => r.at === '2026-07-02T10:00:00.000Z')).toBe(true);
  });

  it('HIS-3 a cell a spreadsheet would take for a formula is written as text', async () => {
    const mallory = await world.user('mallory@evil.example');
    const evil = await world.account('=SUM(1+1)', ['evil.example'], mallory);
    await world.entitlement(evil, mallory, 'PW_EXPLORER', 'US');
    const own = await world.dataSource(evil, mallory, '@home', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "=SUM(1+1)"',
    });
    await signIn(own, 'mallory@evil.example');
    const [row] = await csvOf(await download('usage-records', period(evil.id), 'mallory@evil.example'));
    expect(row).toMatchObject({ billed_account: "'=SUM(1+1)", consumer_account: "'=SUM(1+1)", used_in: '"@home"' });
    expect(row?.explanation).toContain('=SUM(1+1)');
  });
});

describe('HIS-3 streaming', () => {
  it('HIS-3 thousands of records come a batch at a time, complete, in order, each once', async () => {
    await signIn(projects, DAVE);
    const [row] = await world.db.select().from(usageRecords);
    if (!row) throw new Error('no usage record to copy');
    const { id: _id, ...template } = row;
    const count = 2_500;
    await inTransaction(world.db, async (tx) => {
      for (let i = 0; i < count; i += 500) {
        await tx.insert(usageRecords).values(
          Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
            ...template,
            // All at one instant: the keyset's tie-break (the record id) must carry across batches.
            at: new Date('2026-08-01T00:00:00.000Z'),
            machineName: `M-${i + j}`,
          })),
        );
      }
    });
    const response = await download('usage-records', period(cast.supplier.id), DAVE);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      text += decoder.decode(value, { stream: true });
    }
    // One chunk per batch of 1,000 records (the header comes with the first).
    expect(chunks).toBe(Math.ceil((count + 1) / 1000));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(count + 1);
    expect(rows.slice(1).map((r) => r.machine_name)).toEqual(Array.from({ length: count }, (_, i) => `M-${i}`));
  });
});

describe('HIS-3 billable users across batches', () => {
  it('HIS-3 1,200 people in one quarter come in two batches, each once, as many rows as LIC-4 counts', async () => {
    await signIn(projects, DAVE);
    const [row] = await world.db.select().from(usageRecords);
    if (!row) throw new Error('no usage record to copy');
    const { id: _id, ...template } = row;
    const people = 1_200;
    await inTransaction(world.db, async (tx) => {
      await tx.insert(users).values(
        Array.from({ length: people }, (_, i) => ({
          id: `bulk-${i}`,
          email: `bulk${i}@northwind.example`,
          displayName: `Bulk ${i}`,
          usageCountry: 'DE',
          homeAccountId: cast.supplier.id,
          createdAt: world.now,
        })),
      );
      for (let i = 0; i < people; i += 400) {
        await tx.insert(usageRecords).values(
          Array.from({ length: 400 }, (_, j) => ({
            ...template,
            userId: `bulk-${i + j}`,
            machineName: `B-${i + j}`,
          })),
        );
      }
    });
    const rows = await csvOf(await download('billable-users', period(cast.supplier.id), DAVE));
    expect(rows).toHaveLength(people + 1);
    expect(new Set(rows.map((r) => r.email)).size).toBe(people + 1);
    const report = await world.gql(
      `query($id: ID!) { account(id: $id) { usage(from: "${FROM}", to: "${TO}") { billableUsers { users } } } }`,
      { id: gid('Account', cast.supplier.id) },
      DAVE,
    );
    expect(report.data?.account.usage.billableUsers).toEqual([{ users: people + 1 }]);
    // The period narrows the file: nothing in 2027.
    expect(
      await csvOf(await download('billable-users', period(cast.supplier.id, TO, '2028-01-01T00:00:00.000Z'), DAVE)),
    ).toEqual([]);
  });
});

describe('HIS-3 cells', () => {
  it('HIS-3 csvText: formula starters get an apostrophe; other text, numbers, booleans and instants do not', () => {
    for (const starter of ['=', '+', '-', '@', '\t', '\r']) expect(csvText(`${starter}x`)).toBe(`'${starter}x`);
    expect(csvText('x=1')).toBe('x=1');
    expect(csvText(-1)).toBe('-1');
    expect(csvText(true)).toBe('true');
    expect(csvText(null)).toBe('');
    expect(csvText(new Date('2026-05-10T10:00:00.000Z'))).toBe('2026-05-10T10:00:00.000Z');
  });
});
