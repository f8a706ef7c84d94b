// LIC-5 … LIC-10 through the API, with §9 authorization, the bulk acceptance cases and the seed's
// end-to-end workflow (supplier checks out → user imports on M → sign-in on M billed to the supplier).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataSourceRow } from '../../../src/db/schema.js';
import { licenseCheckouts, usageRecords } from '../../../src/db/schema.js';
import { verifyLicenseFile } from '../../../src/licensing/rules/license-file.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
const DAY = 86_400_000;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE', '2028-12-31');
  await world.entitlement(cast.supplier, cast.dave, 'MICROSTATION', 'DE', '2026-09-30');
});

const CHECKOUT =
  'checkout { id email machineName entitlementCountry issuedAt expiresAt status products { product version } account { name } licenseFile }';
const PW = [{ product: 'PW_EXPLORER', version: '10.0.3.280' }];
const MS = [{ product: 'MICROSTATION', version: '10.17.0.209' }];
const at = (ms: number) => new Date(ms).toISOString();

const checkout = (as: string | null, input: Record<string, unknown> = {}) =>
  mutate(
    world,
    'createLicenseCheckout',
    {
      accountId: gid('Account', cast.supplier.id),
      email: 'frank@freelance.example',
      machineName: 'FRANK-LAPTOP',
      products: PW,
      entitlementCountry: 'DE',
      ...input,
    },
    as,
    CHECKOUT,
  );

async function checkedOut(input: Record<string, unknown> = {}) {
  const { payload, result } = await checkout('dave@northwind.example', input);
  return expectSuccess(payload, result).checkout as {
    id: string;
    licenseFile: string;
    expiresAt: string;
    status: string;
  };
}

const importFile = (file: string, machineName: string, as: string) =>
  mutate(
    world,
    'importLicenseFile',
    { file, machineName },
    as,
    'installedLicense { machineName status checkout { id } }',
  );

describe('LIC-5 / LIC-6 / LIC-7 createLicenseCheckout', () => {
  it('LIC-5 an ACCOUNT_ADMIN reserves a license for one user on one machine; LIC-6 the default expiry is one year', async () => {
    const { payload, result } = await checkout('dave@northwind.example', { email: 'Frank@Freelance.example' });
    const c = expectSuccess(payload, result).checkout;
    expect(c).toMatchObject({
      email: 'frank@freelance.example',
      machineName: 'FRANK-LAPTOP',
      entitlementCountry: 'DE',
      status: 'ACTIVE',
      products: PW,
      account: { name: 'Northwind Surveying' },
      issuedAt: world.now.toISOString(),
      expiresAt: new Date(world.now.getTime() + 365 * DAY).toISOString(),
    });
  });

  it('LIC-5 the user need not be registered', async () => {
    const c = await checkedOut({ email: 'not.yet@elsewhere.example' });
    expect(c.status).toBe('ACTIVE');
  });

  it('LIC-5 who may: ACCOUNT_ADMIN and CO_ADMINISTRATOR; not CONNECT_SERVICES_ADMIN, a plain member, another account, anonymous', async () => {
    await world.member(cast.supplier, await world.user('cora@northwind.example'), 'CO_ADMINISTRATOR');
    await world.member(cast.supplier, await world.user('cyd@northwind.example'), 'CONNECT_SERVICES_ADMIN');
    const co = await checkout('cora@northwind.example');
    expectSuccess(co.payload, co.result);
    for (const as of ['cyd@northwind.example', 'erin@northwind.example', 'alice@harbor.example']) {
      expectTopLevel((await checkout(as, { machineName: 'OTHER' })).result, 'FORBIDDEN');
    }
    expectTopLevel((await checkout(null)).result, 'UNAUTHENTICATED');
  });

  it('LIC-5 every product needs an entitlement in that country: NOT_ENTITLED', async () => {
    expectUserError((await checkout('dave@northwind.example', { entitlementCountry: 'US' })).payload, 'NOT_ENTITLED');
    expectUserError(
      (await checkout('dave@northwind.example', { products: [...PW, { product: 'OPENROADS', version: '1.0.0.0' }] }))
        .payload,
      'NOT_ENTITLED',
    );
  });

  it('LIC-6 the default expiry is the contract end when earlier; an explicit expiry beyond the limit is CHECKOUT_TOO_LONG; a past one EXPIRY_IN_PAST', async () => {
    const c = await checkedOut({ products: [...PW, { product: 'MICROSTATION', version: '10.17.0.209' }] });
    expect(c.expiresAt).toBe('2026-09-30T23:59:59.999Z');
    expectUserError(
      (
        await checkout('dave@northwind.example', {
          machineName: 'M2',
          expiresAt: new Date(world.now.getTime() + 400 * DAY).toISOString(),
        })
      ).payload,
      'CHECKOUT_TOO_LONG',
    );
    expectUserError(
      (await checkout('dave@northwind.example', { machineName: 'M2', expiresAt: '2026-01-01T00:00:00Z' })).payload,
      'EXPIRY_IN_PAST',
    );
    const explicit = await checkedOut({ machineName: 'M3', expiresAt: '2026-07-01T00:00:00.000Z' });
    expect(explicit.expiresAt).toBe('2026-07-01T00:00:00.000Z');
  });

  it('LIC-6 one active checkout per (account, email, machine, product): DUPLICATE_CHECKOUT; after check-in a new one is fine', async () => {
    const first = await checkedOut();
    const before = await world.rowCounts();
    expectUserError((await checkout('dave@northwind.example')).payload, 'DUPLICATE_CHECKOUT');
    expect(await world.rowCounts()).toEqual(before);
    await checkedOut({ machineName: 'OTHER-PC' });
    await mutate(world, 'checkInLicense', { checkoutId: first.id }, 'dave@northwind.example');
    await checkedOut();
  });

  it('LIC-6 DUPLICATE_CHECKOUT is per product and per account: the same user and machine may hold another product, or the same product from another account', async () => {
    await checkedOut(); // PW_EXPLORER for Frank on FRANK-LAPTOP
    const bulk = await mutate(
      world,
      'createBulkLicenseCheckout',
      {
        accountId: gid('Account', cast.supplier.id),
        csv: 'email,machineName\nfrank@freelance.example,FRANK-LAPTOP',
        products: MS,
        entitlementCountry: 'DE',
      },
      'dave@northwind.example',
      'count',
    );
    expect(expectSuccess(bulk.payload, bulk.result).count).toBe(1);
    expectUserError((await checkout('dave@northwind.example', { products: MS })).payload, 'DUPLICATE_CHECKOUT');
    expectUserError((await checkout('dave@northwind.example')).payload, 'DUPLICATE_CHECKOUT');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    const fromHost = await checkout('alice@harbor.example', { accountId: gid('Account', cast.host.id) });
    expect(expectSuccess(fromHost.payload, fromHost.result).checkout.account).toEqual({ name: 'Harbor Engineering' });
    const listed = await world.gql(
      `query($id: ID!) { account(id: $id) { checkouts { edges { node { machineName products { product } } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      'dave@northwind.example',
    );
    expect(listed.data?.account.checkouts.edges.map((e: any) => e.node.products[0].product).sort()).toEqual([
      'MICROSTATION',
      'PW_EXPLORER',
    ]);
  });

  it('LIC-6 an explicit expiry exactly at the limit is accepted; one millisecond later is CHECKOUT_TOO_LONG (365 days, the contract end)', async () => {
    const yearLimit = world.now.getTime() + 365 * DAY;
    expectUserError(
      (await checkout('dave@northwind.example', { machineName: 'Y', expiresAt: at(yearLimit + 1) })).payload,
      'CHECKOUT_TOO_LONG',
    );
    expect((await checkedOut({ machineName: 'Y', expiresAt: at(yearLimit) })).expiresAt).toBe(at(yearLimit));
    // MICROSTATION's contract ends 2026-09-30: its last millisecond is the limit.
    expectUserError(
      (
        await checkout('dave@northwind.example', {
          machineName: 'C',
          products: MS,
          expiresAt: '2026-10-01T00:00:00.000Z',
        })
      ).payload,
      'CHECKOUT_TOO_LONG',
    );
    expect(
      (await checkedOut({ machineName: 'C', products: MS, expiresAt: '2026-09-30T23:59:59.999Z' })).expiresAt,
    ).toBe('2026-09-30T23:59:59.999Z');
  });

  it('LIC-5 versions are four-part, products non-empty: refused at the edge', async () => {
    expectTopLevel(
      (await checkout('dave@northwind.example', { products: [{ product: 'PW_EXPLORER', version: '10.0.3' }] })).result,
      'BAD_USER_INPUT',
    );
    expectTopLevel((await checkout('dave@northwind.example', { products: [] })).result, 'BAD_USER_INPUT');
  });

  it('LIC-7 the license file verifies with the published public key; only issuing admins see it', async () => {
    const c = await checkedOut();
    const key = await world.gql('{ licenseSigningKey { algorithm format publicKeyPem } }', {}, null);
    expect(key.data?.licenseSigningKey).toMatchObject({ algorithm: 'Ed25519', format: 1 });
    const verified = verifyLicenseFile(c.licenseFile, key.data?.licenseSigningKey.publicKeyPem);
    expect(verified).toMatchObject({
      ok: true,
      license: {
        checkoutId: expect.any(String),
        email: 'frank@freelance.example',
        machineName: 'FRANK-LAPTOP',
        issuer: { name: 'Northwind Surveying' },
      },
    });
    const asFrank = await world.gql(
      `query($id: ID!) { licenseCheckout(id: $id) { email licenseFile } }`,
      { id: c.id },
      'frank@freelance.example',
    );
    expect(asFrank.data?.licenseCheckout).toEqual({ email: 'frank@freelance.example', licenseFile: null });
    expectTopLevel(asFrank, 'FORBIDDEN');
    const asAlice = await world.gql(
      `query($id: ID!) { licenseCheckout(id: $id) { email } }`,
      { id: c.id },
      'alice@harbor.example',
    );
    expect(asAlice.data?.licenseCheckout).toBeNull();
  });

  it('LIC-7 the private key appears in no response: the schema has no field for it', async () => {
    const types = await world.gql('{ __type(name: "LicenseSigningKey") { fields { name } } }', {}, null);
    expect(types.data?.__type.fields.map((f: any) => f.name).sort()).toEqual(['algorithm', 'format', 'publicKeyPem']);
  });

  it('LIC-7 npm run verify-license checks a file offline with only the public key', async () => {
    const c = await checkedOut();
    const key = (await world.gql('{ licenseSigningKey { publicKeyPem } }', {}, null)).data?.licenseSigningKey
      .publicKeyPem;
    const dir = mkdtempSync(join(tmpdir(), 'license-'));
    writeFileSync(join(dir, 'license.json'), c.licenseFile);
    writeFileSync(join(dir, 'tampered.json'), c.licenseFile.replace('FRANK-LAPTOP', 'FRANK-DESKTO'));
    writeFileSync(join(dir, 'public.pem'), key);
    const run = (file: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(
            'npx',
            ['tsx', 'src/cli/verify-license.ts', join(dir, file), '--public-key', join(dir, 'public.pem')],
            { encoding: 'utf8', stdio: 'pipe' },
          ),
        };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { code: e.status, out: e.stderr };
      }
    };
    expect(run('license.json')).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /VALID license .*\n.*Northwind Surveying to frank@freelance.example for machine FRANK-LAPTOP/,
      ),
    });
    expect(run('tampered.json')).toMatchObject({ code: 1, out: expect.stringMatching(/INVALID_SIGNATURE/) });
  }, 30_000);
});

describe('LIC-6 checkout restrictions', () => {
  const restrict = (input: Record<string, unknown>, as = 'dave@northwind.example') =>
    mutate(
      world,
      'setCheckoutRestrictions',
      { accountId: gid('Account', cast.supplier.id), country: 'DE', ...input },
      as,
      'restriction { country checkoutsEnabled maxDurationDays products }',
    );

  it('LIC-6 disabling stops new checkouts only: existing ones stay valid', async () => {
    const existing = await checkedOut();
    const r = await restrict({ checkoutsEnabled: false });
    expect(expectSuccess(r.payload, r.result).restriction).toEqual({
      country: 'DE',
      checkoutsEnabled: false,
      maxDurationDays: 365,
      products: null,
    });
    expectUserError((await checkout('dave@northwind.example', { machineName: 'M2' })).payload, 'CHECKOUTS_DISABLED');
    const still = await world.gql(
      `query($id: ID!) { licenseCheckout(id: $id) { status } }`,
      { id: existing.id },
      'dave@northwind.example',
    );
    expect(still.data?.licenseCheckout.status).toBe('ACTIVE');
  });

  it('LIC-6 maxDurationDays (1–365) for a listed subset of products', async () => {
    const r = await restrict({ maxDurationDays: 30, products: ['MICROSTATION'] });
    expect(expectSuccess(r.payload, r.result).restriction).toMatchObject({
      maxDurationDays: 30,
      products: ['MICROSTATION'],
    });
    expect((await checkedOut()).expiresAt).toBe(new Date(world.now.getTime() + 365 * DAY).toISOString());
    const ms = await checkedOut({ machineName: 'M2', products: [{ product: 'MICROSTATION', version: '10.17.0.209' }] });
    expect(ms.expiresAt).toBe(new Date(world.now.getTime() + 30 * DAY).toISOString());
    expectTopLevel((await restrict({ maxDurationDays: 366 })).result, 'BAD_USER_INPUT');
    expectTopLevel((await restrict({ maxDurationDays: 0 })).result, 'BAD_USER_INPUT');
  });

  it('LIC-6 a restriction listing a subset applies to a checkout that mixes restricted and unrestricted products', async () => {
    await restrict({ maxDurationDays: 30, products: ['MICROSTATION'] });
    const mixed = [...PW, ...MS];
    const limit = world.now.getTime() + 30 * DAY;
    expect((await checkedOut({ machineName: 'MIX', products: mixed })).expiresAt).toBe(at(limit));
    expectUserError(
      (await checkout('dave@northwind.example', { machineName: 'MIX2', products: mixed, expiresAt: at(limit + DAY) }))
        .payload,
      'CHECKOUT_TOO_LONG',
    );
    // the unrestricted product alone is not limited by it
    expect((await checkedOut({ machineName: 'PW' })).expiresAt).toBe(at(world.now.getTime() + 365 * DAY));
    await restrict({ checkoutsEnabled: false });
    expectUserError(
      (await checkout('dave@northwind.example', { machineName: 'MIX3', products: [...PW, ...MS] })).payload,
      'CHECKOUTS_DISABLED',
    );
    expect((await checkedOut({ machineName: 'PW2' })).expiresAt).toBe(at(world.now.getTime() + 365 * DAY));
  });

  it('LIC-6 an explicit expiry exactly at the restriction’s maximum is accepted; one millisecond later is CHECKOUT_TOO_LONG', async () => {
    await restrict({ maxDurationDays: 30 });
    const limit = world.now.getTime() + 30 * DAY;
    expectUserError(
      (await checkout('dave@northwind.example', { expiresAt: at(limit + 1) })).payload,
      'CHECKOUT_TOO_LONG',
    );
    expect((await checkedOut({ expiresAt: at(limit) })).expiresAt).toBe(at(limit));
  });

  it('LIC-6 who may set restrictions: ACCOUNT_ADMIN / CO_ADMINISTRATOR of the account only', async () => {
    expectTopLevel((await restrict({ checkoutsEnabled: false }, 'erin@northwind.example')).result, 'FORBIDDEN');
    expectTopLevel((await restrict({ checkoutsEnabled: false }, 'alice@harbor.example')).result, 'FORBIDDEN');
    const list = await world.gql(
      `query($id: ID!) { account(id: $id) { checkoutRestrictions { country } } }`,
      { id: gid('Account', cast.supplier.id) },
      'dave@northwind.example',
    );
    expect(list.data?.account.checkoutRestrictions).toEqual([]);
  });
});

describe('LIC-8 bulk checkout', () => {
  const bulk = (csv: string) =>
    mutate(
      world,
      'createBulkLicenseCheckout',
      { accountId: gid('Account', cast.supplier.id), csv, products: PW, entitlementCountry: 'DE' },
      'dave@northwind.example',
      'count checkouts { email machineName }',
    );
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@crew.example,PC-${i}`);
  const withErrors = async (csv: string) => {
    const result = await world.gql(
      `mutation($input: CreateBulkLicenseCheckoutInput!) { createBulkLicenseCheckout(input: $input) {
        __typename ... on BulkCheckoutError { code message rows { row column message } } ... on Error { code message } } }`,
      { input: { accountId: gid('Account', cast.supplier.id), csv, products: PW, entitlementCountry: 'DE' } },
      'dave@northwind.example',
    );
    return result.data?.createBulkLicenseCheckout;
  };
  const checkoutCount = async () => (await world.db.select().from(licenseCheckouts)).length;

  it('LIC-8 a file with 5,000 good rows checks out 5,000 licenses in one transaction', async () => {
    const { payload, result } = await bulk(['email,machineName', ...rows(5000)].join('\n'));
    expect(expectSuccess(payload, result).count).toBe(5000);
    expect(await checkoutCount()).toBe(5000);
  }, 60_000);

  it('LIC-8 every checkout of a bulk file carries every product of the terms, each with its version', async () => {
    const { payload, result } = await mutate(
      world,
      'createBulkLicenseCheckout',
      {
        accountId: gid('Account', cast.supplier.id),
        csv: ['email,machineName', ...rows(3)].join('\n'),
        products: [...PW, ...MS],
        entitlementCountry: 'DE',
      },
      'dave@northwind.example',
      'count checkouts { email products { product version } }',
    );
    const created = expectSuccess(payload, result).checkouts;
    expect(created).toHaveLength(3);
    for (const checkout of created) {
      expect(checkout.products).toEqual(
        expect.arrayContaining([
          { product: 'PW_EXPLORER', version: '10.0.3.280' },
          { product: 'MICROSTATION', version: '10.17.0.209' },
        ]),
      );
      expect(checkout.products).toHaveLength(2);
    }
    expect((await world.rowCounts()).licenseCheckoutProducts).toBe(6);
  });

  it('LIC-8 one bad row in the middle creates nothing and names that row', async () => {
    const lines = ['email,machineName', ...rows(5000)];
    lines[2501] = 'not-an-email,PC-X';
    const error = await withErrors(lines.join('\n'));
    expect(error).toMatchObject({
      __typename: 'BulkCheckoutError',
      code: 'INVALID_BULK_FILE',
      rows: [{ row: 2502, column: 'email', message: expect.stringMatching(/not a valid email/) }],
    });
    expect(await checkoutCount()).toBe(0);
  }, 60_000);

  it('LIC-8 every bad row is reported: empty machine, duplicate row, duplicate active checkout, wrong column count', async () => {
    await checkedOut({ email: 'taken@crew.example', machineName: 'PC-T' });
    const csv = [
      'email,machineName',
      'a@crew.example,PC-1',
      'b@crew.example,',
      'a@crew.example,PC-1',
      'taken@crew.example,PC-T',
      'c@crew.example,PC-3,extra',
      'bad@,PC-4',
    ].join('\n');
    const error = await withErrors(csv);
    expect(error.rows).toEqual([
      { row: 3, column: 'machineName', message: 'the machine name is empty' },
      { row: 4, column: null, message: 'duplicates row 2' },
      { row: 5, column: null, message: expect.stringMatching(/already has an active checkout/) },
      { row: 6, column: null, message: expect.stringMatching(/expected 2 columns/) },
      { row: 7, column: 'email', message: expect.stringMatching(/not a valid email/) },
    ]);
    expect(await checkoutCount()).toBe(1);
  });

  it('LIC-8 the header row is required; more than 5,000 rows is refused', async () => {
    expect(await withErrors('a@crew.example,PC-1')).toMatchObject({
      code: 'INVALID_BULK_FILE',
      rows: [{ row: 1, column: null }],
    });
    expect(await withErrors(['email,machineName', ...rows(5001)].join('\n'))).toMatchObject({
      code: 'INVALID_BULK_FILE',
      message: expect.stringMatching(/5000/),
    });
    expect(await withErrors('email,machineName\n"unclosed,PC')).toMatchObject({
      code: 'INVALID_BULK_FILE',
      message: expect.stringMatching(/not valid CSV/),
    });
    expect(await checkoutCount()).toBe(0);
  });

  it('LIC-8 account-level rules apply to the whole batch (NOT_ENTITLED), and only checkout admins may run it', async () => {
    const r = await mutate(
      world,
      'createBulkLicenseCheckout',
      {
        accountId: gid('Account', cast.supplier.id),
        csv: 'email,machineName\na@crew.example,PC',
        products: PW,
        entitlementCountry: 'US',
      },
      'dave@northwind.example',
    );
    expectUserError(r.payload, 'NOT_ENTITLED');
    const f = await mutate(
      world,
      'createBulkLicenseCheckout',
      {
        accountId: gid('Account', cast.supplier.id),
        csv: 'email,machineName\na@crew.example,PC',
        products: PW,
        entitlementCountry: 'DE',
      },
      'erin@northwind.example',
    );
    expectTopLevel(f.result, 'FORBIDDEN');
  });
});

describe('LIC-9 check-in and history', () => {
  const checkIn = (id: string, as: string) =>
    mutate(world, 'checkInLicense', { checkoutId: id }, as, 'checkout { status checkedInAt checkedInBy { email } }');

  it('LIC-9 the issuing admin checks a license in; it is CHECKED_IN with who and when', async () => {
    const c = await checkedOut();
    const { payload, result } = await checkIn(c.id, 'dave@northwind.example');
    expect(expectSuccess(payload, result).checkout).toEqual({
      status: 'CHECKED_IN',
      checkedInAt: world.now.toISOString(),
      checkedInBy: { email: 'dave@northwind.example' },
    });
    expectUserError((await checkIn(c.id, 'dave@northwind.example')).payload, 'CHECKED_IN');
  });

  it('LIC-9 the user it was issued to checks it in from the license tool', async () => {
    const c = await checkedOut();
    const { payload, result } = await checkIn(c.id, 'frank@freelance.example');
    expect(expectSuccess(payload, result).checkout.status).toBe('CHECKED_IN');
  });

  it('LIC-9 who may not: a plain member of the issuer (FORBIDDEN if they can see it, else NOT_FOUND), another account', async () => {
    await world.member(cast.supplier, await world.user('cyd@northwind.example'), 'CONNECT_SERVICES_ADMIN');
    const c = await checkedOut();
    expectTopLevel((await checkIn(c.id, 'cyd@northwind.example')).result, 'FORBIDDEN');
    expectUserError((await checkIn(c.id, 'erin@northwind.example')).payload, 'NOT_FOUND');
    expectUserError((await checkIn(c.id, 'alice@harbor.example')).payload, 'NOT_FOUND');
  });

  it('LIC-9 an expired checkout cannot be checked in (EXPIRED)', async () => {
    const c = await checkedOut({ expiresAt: new Date(world.now.getTime() + DAY).toISOString() });
    world.setNow(new Date(world.now.getTime() + 2 * DAY));
    expectUserError((await checkIn(c.id, 'dave@northwind.example')).payload, 'EXPIRED');
  });

  it('LIC-9 history is kept forever; the default listing hides checkouts expired more than 90 days ago', async () => {
    const old = await checkedOut({ machineName: 'OLD', expiresAt: new Date(world.now.getTime() + DAY).toISOString() });
    const recent = await checkedOut({
      machineName: 'RECENT',
      expiresAt: new Date(world.now.getTime() + 80 * DAY).toISOString(),
    });
    world.setNow(new Date(world.now.getTime() + 60 * DAY));
    const active = await checkedOut({ machineName: 'NEW' });
    const back = await checkedOut({ machineName: 'BACK' });
    await checkIn(back.id, 'dave@northwind.example');
    world.setNow(new Date(world.now.getTime() + 35 * DAY)); // OLD expired 94 days ago, RECENT 15 days ago
    const list = async (args: string) => {
      const r = await world.gql(
        `query($id: ID!) { account(id: $id) { checkouts${args} { totalCount edges { node { machineName status } } } } }`,
        { id: gid('Account', cast.supplier.id) },
        'dave@northwind.example',
      );
      expect(r.errors).toBeUndefined();
      return r.data?.account.checkouts.edges.map((e: any) => `${e.node.machineName}:${e.node.status}`).sort();
    };
    expect(await list('')).toEqual(['BACK:CHECKED_IN', 'NEW:ACTIVE', 'RECENT:EXPIRED']);
    expect(await list('(includeHistory: true)')).toEqual([
      'BACK:CHECKED_IN',
      'NEW:ACTIVE',
      'OLD:EXPIRED',
      'RECENT:EXPIRED',
    ]);
    expect(await list('(status: [EXPIRED], includeHistory: true)')).toEqual(['OLD:EXPIRED', 'RECENT:EXPIRED']);
    expect(await list('(status: [ACTIVE])')).toEqual(['NEW:ACTIVE']);
    const ids = await world.gql(
      `query($id: ID!) { account(id: $id) { checkouts(includeHistory: true) { edges { node { id } } } } }`,
      { id: gid('Account', cast.supplier.id) },
      'dave@northwind.example',
    );
    expect(ids.data?.account.checkouts.edges.map((e: any) => e.node.id).sort()).toEqual(
      [old.id, recent.id, active.id, back.id].sort(),
    );
    const forbidden = await world.gql(
      `query($id: ID!) { account(id: $id) { checkouts { totalCount } } }`,
      { id: gid('Account', cast.supplier.id) },
      'erin@northwind.example',
    );
    expectTopLevel(forbidden, 'FORBIDDEN');
  });

  it('LIC-9 the 90-day window: listed while it expired less than 90 days ago; at exactly 90 days it is only in the history', async () => {
    const expiry = world.now.getTime() + DAY;
    await checkedOut({ machineName: 'EDGE', expiresAt: at(expiry) });
    await checkedOut({ machineName: 'INSIDE', expiresAt: at(expiry + 1) });
    const list = async (args = '') => {
      const r = await world.gql(
        `query($id: ID!) { account(id: $id) { checkouts${args} { totalCount edges { node { machineName status } } } } }`,
        { id: gid('Account', cast.supplier.id) },
        'dave@northwind.example',
      );
      expect(r.errors).toBeUndefined();
      return r.data?.account.checkouts.edges.map((e: any) => `${e.node.machineName}:${e.node.status}`).sort();
    };
    world.setNow(new Date(expiry + 90 * DAY - 1)); // EDGE expired 90 days ago less one millisecond
    expect(await list()).toEqual(['EDGE:EXPIRED', 'INSIDE:EXPIRED']);
    world.setNow(new Date(expiry + 90 * DAY)); // EDGE: exactly 90 days; INSIDE: one millisecond less
    expect(await list()).toEqual(['INSIDE:EXPIRED']);
    expect(await list('(status: [EXPIRED])')).toEqual(['INSIDE:EXPIRED']);
    world.setNow(new Date(expiry + 90 * DAY + 1));
    expect(await list()).toEqual([]);
    expect(await list('(includeHistory: true)')).toEqual(['EDGE:EXPIRED', 'INSIDE:EXPIRED']);
  });
});

describe('LIC-10 license tool import', () => {
  it('LIC-10 the user imports the file on its machine; it is listed as RESERVED', async () => {
    const c = await checkedOut();
    const { payload, result } = await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example');
    expect(expectSuccess(payload, result).installedLicense).toEqual({
      machineName: 'FRANK-LAPTOP',
      status: 'RESERVED',
      checkout: { id: c.id },
    });
    const mine = await world.gql(
      '{ viewer { installedLicenses { edges { node { machineName status checkout { account { name } products { product } } } } } } }',
      {},
      'frank@freelance.example',
    );
    expect(mine.data?.viewer.installedLicenses.edges.map((e: any) => e.node)).toEqual([
      {
        machineName: 'FRANK-LAPTOP',
        status: 'RESERVED',
        checkout: { account: { name: 'Northwind Surveying' }, products: [{ product: 'PW_EXPLORER' }] },
      },
    ]);
    // importing again is harmless, and audited like every mutation (§10)
    const audits = (await world.rowCounts()).auditEntries ?? 0;
    expectSuccess((await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example')).payload, result);
    expect((await world.rowCounts()).auditEntries).toBe(audits + 1);
    expect(
      (
        await world.gql(
          '{ viewer { installedLicenses { edges { node { machineName } } } } }',
          {},
          'frank@freelance.example',
        )
      ).data?.viewer.installedLicenses.edges.map((e: any) => e.node),
    ).toHaveLength(1);
  });

  it('LIC-10 each refusal has its code and stores nothing: WRONG_USER, WRONG_MACHINE, EXPIRED, CHECKED_IN, INVALID_SIGNATURE, INVALID_LICENSE_FILE', async () => {
    const c = await checkedOut({ expiresAt: new Date(world.now.getTime() + 10 * DAY).toISOString() });
    const before = await world.rowCounts();
    expectUserError((await importFile(c.licenseFile, 'FRANK-LAPTOP', 'erin@northwind.example')).payload, 'WRONG_USER');
    expectUserError(
      (await importFile(c.licenseFile, 'FRANK-DESKTOP', 'frank@freelance.example')).payload,
      'WRONG_MACHINE',
    );
    expectUserError(
      (
        await importFile(
          c.licenseFile.replace('FRANK-LAPTOP', 'FRANK-LAPTOX'),
          'FRANK-LAPTOX',
          'frank@freelance.example',
        )
      ).payload,
      'INVALID_SIGNATURE',
    );
    expectUserError(
      (await importFile('this is not a license', 'FRANK-LAPTOP', 'frank@freelance.example')).payload,
      'INVALID_LICENSE_FILE',
    );
    world.setNow(new Date(world.now.getTime() + 11 * DAY));
    expectUserError((await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example')).payload, 'EXPIRED');
    expect(await world.rowCounts()).toEqual(before);
    const other = await checkedOut({ machineName: 'FRANK-PC' });
    await mutate(world, 'checkInLicense', { checkoutId: other.id }, 'dave@northwind.example');
    expectUserError((await importFile(other.licenseFile, 'FRANK-PC', 'frank@freelance.example')).payload, 'CHECKED_IN');
  });

  it('LIC-10 a file signed by another server is INVALID_SIGNATURE', async () => {
    const elsewhere = await createWorld();
    const c2 = await hostAndSupplier(elsewhere);
    await elsewhere.entitlement(c2.supplier, c2.dave, 'PW_EXPLORER', 'DE');
    const foreign = (
      await mutate(
        elsewhere,
        'createLicenseCheckout',
        {
          accountId: gid('Account', c2.supplier.id),
          email: 'frank@freelance.example',
          machineName: 'FRANK-LAPTOP',
          products: PW,
          entitlementCountry: 'DE',
        },
        'dave@northwind.example',
        'checkout { licenseFile }',
      )
    ).payload?.checkout.licenseFile;
    expectUserError(
      (await importFile(foreign, 'FRANK-LAPTOP', 'frank@freelance.example')).payload,
      'INVALID_SIGNATURE',
    );
  });

  it('LIC-10 installed licenses are the viewer’s own only', async () => {
    const c = await checkedOut();
    await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example');
    await world.associate(cast.supplier, cast.frank, cast.dave);
    const asDave = await world.gql(
      `query($id: ID!) { user(id: $id) { email installedLicenses { totalCount } } }`,
      { id: gid('User', cast.frank.id) },
      'dave@northwind.example',
    );
    expect(asDave.data?.user).toEqual({ email: 'frank@freelance.example', installedLicenses: null });
  });
});

describe('LIC-1.1 end to end: the seed workflow', () => {
  let field: DataSourceRow;
  beforeEach(async () => {
    // Harbor hosts the data source and denies licensing to external users. Frank runs his own small
    // firm (with its own PW_EXPLORER entitlement) and works for the supplier Northwind.
    const studio = await world.account('Loose Ends Studio', ['freelance.example'], cast.frank);
    await world.entitlement(studio, cast.frank, 'PW_EXPLORER', 'FR');
    field = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
      imsAuthEnabled: true,
      externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
    });
    await world.licensingOwner(field, cast.alice, cast.host);
    await world.dsUser(field, cast.alice, 'frank', { identity: 'frank@freelance.example' });
  });

  const signIn = (machineName: string) =>
    mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', field.id), machineName },
      'frank@freelance.example',
      'decision { granted licenseSource billedAccount { name } }',
    );

  it('LIC-1.1 supplier admin checks out → user imports on M → sign-in on M is billed to the supplier; elsewhere or after check-in it falls back', async () => {
    const own = { granted: true, licenseSource: 'OWN_ORGANIZATION', billedAccount: { name: 'Loose Ends Studio' } };
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual(own);
    const c = await checkedOut();
    // Not imported yet: usage stays on the user's own organization (LIC-10).
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual(own);
    await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example');
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual({
      granted: true,
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: { name: 'Northwind Surveying' },
    });
    expect((await signIn('FRANK-DESKTOP')).payload?.decision).toEqual(own);
    await mutate(world, 'checkInLicense', { checkoutId: c.id }, 'dave@northwind.example');
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual(own);
    const installed = await world.gql(
      '{ viewer { installedLicenses { edges { node { status } } } } }',
      {},
      'frank@freelance.example',
    );
    expect(installed.data?.viewer.installedLicenses.edges.map((e: any) => e.node)).toEqual([{ status: 'CHECKED_IN' }]);
  });

  it('LIC-1.1 when several reserved checkouts apply, the oldest one’s issuing account is billed', async () => {
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    const t0 = world.now.getTime();
    // Harbor's checkout is issued a day after Northwind's, but is the first one written.
    world.setNow(new Date(t0 + DAY));
    const harbor = await checkout('alice@harbor.example', { accountId: gid('Account', cast.host.id) });
    const newer = expectSuccess(harbor.payload, harbor.result).checkout;
    world.setNow(new Date(t0));
    const older = await checkedOut();
    world.setNow(new Date(t0 + 2 * DAY));
    // imported newest first
    for (const file of [newer.licenseFile, older.licenseFile]) {
      const imported = await importFile(file, 'FRANK-LAPTOP', 'frank@freelance.example');
      expectSuccess(imported.payload, imported.result);
    }
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual({
      granted: true,
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: { name: 'Northwind Surveying' },
    });
    await mutate(world, 'checkInLicense', { checkoutId: older.id }, 'dave@northwind.example');
    expect((await signIn('FRANK-LAPTOP')).payload?.decision).toEqual({
      granted: true,
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: { name: 'Harbor Engineering' },
    });
  });

  it('LIC-2 / LIC-1.1 the usage record of a RESERVED_CHECKOUT sign-in records which checkout paid; other sources record none', async () => {
    const c = await checkedOut();
    await signIn('FRANK-LAPTOP');
    await importFile(c.licenseFile, 'FRANK-LAPTOP', 'frank@freelance.example');
    await signIn('FRANK-LAPTOP');
    const records = await world.db
      .select({
        licenseSource: usageRecords.licenseSource,
        billedAccountId: usageRecords.billedAccountId,
        checkoutId: usageRecords.checkoutId,
      })
      .from(usageRecords)
      .where(eq(usageRecords.userId, cast.frank.id))
      .orderBy(usageRecords.id);
    expect(records).toEqual([
      { licenseSource: 'OWN_ORGANIZATION', billedAccountId: expect.any(String), checkoutId: null },
      { licenseSource: 'RESERVED_CHECKOUT', billedAccountId: cast.supplier.id, checkoutId: decodeGlobalID(c.id).id },
    ]);
  });

  it('LIC-1.1 a member of the user’s own organization: without the reserved license, usage falls back to their own organization', async () => {
    await world.dsUser(field, cast.alice, 'erin', { identity: 'erin@northwind.example' });
    const c = await checkedOut({ email: 'erin@northwind.example', machineName: 'NW-WS-2' });
    const erinSignIn = (m: string) =>
      mutate(
        world,
        'signInToDataSource',
        { dataSourceId: gid('DataSource', field.id), machineName: m },
        'erin@northwind.example',
        'decision { licenseSource billedAccount { name } }',
      );
    await importFile(c.licenseFile, 'NW-WS-2', 'erin@northwind.example');
    expect((await erinSignIn('NW-WS-2')).payload?.decision).toEqual({
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: { name: 'Northwind Surveying' },
    });
    expect((await erinSignIn('NW-WS-9')).payload?.decision).toEqual({
      licenseSource: 'OWN_ORGANIZATION',
      billedAccount: { name: 'Northwind Surveying' },
    });
  });
});

describe('batching', () => {
  it('a page of checkouts with products, users and who created them costs a constant number of statements', async () => {
    const cost = async (n: number) => {
      const w = await createWorld();
      const c = await hostAndSupplier(w);
      await w.entitlement(c.supplier, c.dave, 'PW_EXPLORER', 'DE');
      for (let i = 0; i < n; i += 1) await w.user(`crew${i}@northwind.example`, 'DE');
      const csv = [
        'email,machineName',
        ...Array.from({ length: n }, (_, i) => `crew${i}@northwind.example,PC-${i}`),
      ].join('\n');
      await mutate(
        w,
        'createBulkLicenseCheckout',
        { accountId: gid('Account', c.supplier.id), csv, products: PW, entitlementCountry: 'DE' },
        'dave@northwind.example',
      );
      w.resetSqlCount();
      const r = await w.gql(
        `query($id: ID!) { account(id: $id) { checkouts(first: 50) { totalCount edges { node { email status products { product version } user { email } createdBy { email } checkedInBy { email } } } } } }`,
        { id: gid('Account', c.supplier.id) },
        'dave@northwind.example',
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.account.checkouts.edges).toHaveLength(Math.min(n, 50));
      return w.sqlCount();
    };
    const small = await cost(3);
    expect(await cost(60)).toBe(small);
  });

  it('LIC-7 / issue 11 a page of checkouts reads license files only when they are selected: one statement for the page', async () => {
    const w = await createWorld();
    const c = await hostAndSupplier(w);
    await w.entitlement(c.supplier, c.dave, 'PW_EXPLORER', 'DE');
    const csv = ['email,machineName', ...Array.from({ length: 30 }, (_, i) => `crew${i}@northwind.example,PC-${i}`)];
    const bulk = await mutate(
      w,
      'createBulkLicenseCheckout',
      { accountId: gid('Account', c.supplier.id), csv: csv.join('\n'), products: PW, entitlementCountry: 'DE' },
      'dave@northwind.example',
      'checkouts { id licenseFile }',
    );
    const issued = new Map(
      expectSuccess(bulk.payload, bulk.result).checkouts.map((k: { id: string; licenseFile: string }) => [
        k.id,
        k.licenseFile,
      ]),
    );
    const page = async (fields: string, who = 'dave@northwind.example') => {
      w.resetSqlCount();
      const r = await w.gql(
        `query($id: ID!) { account(id: $id) { checkouts(first: 50) { edges { node { id ${fields} } } } } }`,
        { id: gid('Account', c.supplier.id) },
        who,
      );
      return { r, statements: w.sqlCount() };
    };
    const without = await page('email');
    const withFiles = await page('email licenseFile');
    expect(withFiles.statements).toBe(without.statements + 1);
    const nodes = withFiles.r.data?.account.checkouts.edges.map(
      (e: { node: { id: string; licenseFile: string } }) => e.node,
    );
    expect(nodes).toHaveLength(30);
    for (const node of nodes) expect(node.licenseFile).toBe(issued.get(node.id));
    // Still the issuing admins' only (an IMS admin of another role reads the page but not the files).
    await w.member(c.supplier, await w.user('viewer@northwind.example', 'DE'), 'CONNECT_SERVICES_ADMIN');
    const other = await page('email licenseFile', 'viewer@northwind.example');
    const files = other.r.data?.account.checkouts?.edges.map(
      (e: { node: { licenseFile: unknown } }) => e.node.licenseFile,
    );
    expect(files?.every((f: unknown) => f === null)).toBe(true);
  });
});
