// Issue 12, operator settings: per-viewer rate limits on sign-ins and bulk checkouts (src/ops/rate-limits.ts).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../../src/ops/rate-limits.js';
import { createWorld, gid, hostAndSupplier, type World } from '../helpers/world.js';

async function limited(rateLimits: RateLimits) {
  const world = await createWorld();
  const cast = await hostAndSupplier(world);
  const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  const yoga = await world.server({ rateLimits });
  const send = async (query: string, variables: unknown, who: string) => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${await world.token(who)}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      },
    };
  };
  const signIn = (who: string) =>
    send(
      `mutation($input: SignInToDataSourceInput!) { signInToDataSource(input: $input) { __typename } }`,
      { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' } },
      who,
    );
  const bulk = (who: string, n: number) =>
    send(
      `mutation($input: CreateBulkLicenseCheckoutInput!) { createBulkLicenseCheckout(input: $input) { __typename } }`,
      {
        input: {
          accountId: gid('Account', cast.supplier.id),
          csv: `email,machineName\ncrew${n}@crew.example,PC-${n}`,
          products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
          entitlementCountry: 'DE',
        },
      },
      who,
    );
  const explain = (who: string) =>
    send(
      `query($input: ExplainAccessInput!) { explainAccess(input: $input) { granted } viewer { id } }`,
      { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' } },
      who,
    );
  return { world, signIn, bulk, explain };
}

const usage = async (world: World) => (await world.rowCounts()).usageRecords ?? 0;

describe('issue 12: rate limits per viewer', () => {
  it('sign-ins: the limit itself is answered, one past it is RATE_LIMITED (429, Retry-After) and records nothing', async () => {
    const l = await limited({ signInsPerMinute: 2, bulkCheckoutsPerHour: 0 });
    for (let i = 0; i < 2; i += 1) {
      const ok = await l.signIn('carol@harbor.example');
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data?.signInToDataSource).toBeDefined();
    }
    const records = await usage(l.world);
    const audits = (await l.world.rowCounts()).auditEntries;
    const refused = await l.signIn('carol@harbor.example');
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('60');
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'too many sign-ins: at most 2 per minute for each user; try again later',
      extensions: { code: 'RATE_LIMITED' },
    });
    expect(await usage(l.world)).toBe(records);
    expect((await l.world.rowCounts()).auditEntries).toBe(audits);
  });

  it('sign-ins: each viewer has their own count', async () => {
    const l = await limited({ signInsPerMinute: 1, bulkCheckoutsPerHour: 0 });
    expect((await l.signIn('carol@harbor.example')).status).toBe(200);
    expect((await l.signIn('carol@harbor.example')).status).toBe(429);
    expect((await l.signIn('bob@harbor.example')).body.errors).toBeUndefined();
  });

  it('bulk checkouts: per viewer per hour, one past the limit refused with Retry-After 3600 and nothing checked out', async () => {
    const l = await limited({ signInsPerMinute: 0, bulkCheckoutsPerHour: 1 });
    expect((await l.bulk('dave@northwind.example', 1)).body.data?.createBulkLicenseCheckout).toEqual({
      __typename: 'CreateBulkLicenseCheckoutSuccess',
    });
    const checkouts = (await l.world.rowCounts()).licenseCheckouts;
    const refused = await l.bulk('dave@northwind.example', 2);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('3600');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await l.world.rowCounts()).licenseCheckouts).toBe(checkouts);
    // Sign-ins are not limited in this configuration (0: none).
    for (let i = 0; i < 5; i += 1) expect((await l.signIn('dave@northwind.example')).status).toBe(200);
  });

  it('other operations are not counted: at the limit, explainAccess and reads still answer', async () => {
    const l = await limited({ signInsPerMinute: 1, bulkCheckoutsPerHour: 1 });
    expect((await l.signIn('carol@harbor.example')).status).toBe(200);
    expect((await l.signIn('carol@harbor.example')).status).toBe(429);
    for (let i = 0; i < 3; i += 1) {
      const explained = await l.explain('carol@harbor.example');
      expect(explained.status).toBe(200);
      expect(explained.body.errors).toBeUndefined();
    }
  });
});

describe('issue 12: THRESHOLD_SIGN_IN_LIMIT and THRESHOLD_BULK_CHECKOUT_LIMIT', () => {
  const base = { THRESHOLD_DATA_DIR: ':memory:', THRESHOLD_DATABASE: ':memory:', THRESHOLD_JWT_SECRET: 'x'.repeat(40) };
  it('default to 120 sign-ins per minute and 20 bulk checkouts per hour per viewer; 0 turns a limit off', () => {
    expect(loadConfig(base).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS).toEqual({ signInsPerMinute: 120, bulkCheckoutsPerHour: 20 });
    expect(
      loadConfig({ ...base, THRESHOLD_SIGN_IN_LIMIT: '0', THRESHOLD_BULK_CHECKOUT_LIMIT: '3' }).rateLimits,
    ).toEqual({
      signInsPerMinute: 0,
      bulkCheckoutsPerHour: 3,
    });
    expect(() => loadConfig({ ...base, THRESHOLD_SIGN_IN_LIMIT: '-1' })).toThrow(/THRESHOLD_SIGN_IN_LIMIT/);
  });
});
