// Issue 12, observability: one JSON log line per request with its id (src/ops/request-log.ts), and
// Prometheus metrics at /metrics with bounded labels (src/ops/metrics.ts).
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rawRun } from '../../src/db/query.js';
import { createLogger } from '../../src/ops/logger.js';
import { createMetrics, type ServerMetrics } from '../../src/ops/metrics.js';
import { createWorld, gid, hostAndSupplier } from '../helpers/world.js';

interface LogLine {
  level: number;
  msg: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  operationName?: string | null;
  operationType?: string;
  viewerId?: string | null;
  outcome: string;
  errorCodes: string[];
}

async function observed(options: { metrics?: boolean } = {}) {
  const world = await createWorld();
  const cast = await hostAndSupplier(world);
  const text: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text.push(chunk.toString());
      done();
    },
  });
  const metrics: ServerMetrics | null = options.metrics === false ? null : createMetrics();
  const yoga = await world.server({ logger: createLogger('info', sink), metrics });
  const send = async (body: unknown, who?: string, headers: Record<string, string> = {}) => {
    const auth: Record<string, string> = who ? { authorization: `Bearer ${await world.token(who)}` } : {};
    return yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...auth, ...headers },
      body: JSON.stringify(body),
    });
  };
  const lines = () =>
    text
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as LogLine);
  return { world, cast, yoga, send, lines, text: () => text.join('') };
}

describe('issue 12: one log line per request', () => {
  it('says who asked what, how it went and how long it took — as one JSON object', async () => {
    const o = await observed();
    const response = await o.send({ query: 'query WhoAmI { viewer { email } }' }, 'alice@harbor.example');
    expect(response.status).toBe(200);
    const [line] = o.lines();
    expect(line).toMatchObject({
      msg: 'request',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operationName: 'WhoAmI',
      operationType: 'query',
      viewerId: o.cast.alice.id,
      outcome: 'ok',
      errorCodes: [],
    });
    expect(line?.durationMs).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-request-id')).toBe(line?.requestId);
  });

  it('x-request-id: a plain id up to 128 characters is kept and echoed; anything else is replaced by a new one', async () => {
    const o = await observed();
    const kept = await o.send({ query: '{ __typename }' }, undefined, { 'x-request-id': 'lb-7f3a.1:2_x' });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.1:2_x');
    const longest = 'a'.repeat(128);
    expect(
      (await o.send({ query: '{ __typename }' }, undefined, { 'x-request-id': longest })).headers.get('x-request-id'),
    ).toBe(longest);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of ['a'.repeat(129), 'has space', 'new\\nline', '']) {
      const replaced = await o.send({ query: '{ __typename }' }, undefined, { 'x-request-id': bad });
      expect(replaced.headers.get('x-request-id')).toMatch(uuid);
    }
    expect((await o.send({ query: '{ __typename }' })).headers.get('x-request-id')).toMatch(uuid);
    expect(o.lines().map((l) => l.requestId)).toContain('lb-7f3a.1:2_x');
  });

  it('a mutation a business rule refuses is "refused" with the UserError code', async () => {
    const o = await observed();
    await o.send(
      {
        query: 'mutation Register($input: RegisterProfileInput!) { registerProfile(input: $input) { __typename } }',
        variables: { input: { usageCountry: 'US' } },
      },
      'alice@harbor.example',
    );
    expect(o.lines()[0]).toMatchObject({
      operationType: 'mutation',
      outcome: 'refused',
      errorCodes: ['PROFILE_EXISTS'],
    });
  });

  it('top-level errors are "error" with their codes (not signed in, bad input)', async () => {
    const o = await observed();
    await o.send({ query: '{ viewer { email } }' });
    await o.send({ query: '{ nope }' }, 'alice@harbor.example');
    const [anonymous, invalid] = o.lines();
    expect(anonymous).toMatchObject({ outcome: 'error', errorCodes: ['UNAUTHENTICATED'], viewerId: null });
    expect(invalid).toMatchObject({ outcome: 'error', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('never writes a token, a variable, a header or a license file', async () => {
    const o = await observed();
    await o.world.entitlement(o.cast.supplier, o.cast.dave, 'PW_EXPLORER', 'DE');
    const token = await o.world.token('dave@northwind.example');
    const response = await o.send(
      {
        query: `mutation Checkout($input: CreateLicenseCheckoutInput!) {
          createLicenseCheckout(input: $input) { ... on CreateLicenseCheckoutSuccess { checkout { licenseFile } } } }`,
        variables: {
          input: {
            accountId: gid('Account', o.cast.supplier.id),
            email: 'secret.person@freelance.example',
            machineName: 'MACHINE-SECRET-42',
            products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
            entitlementCountry: 'DE',
          },
        },
      },
      'dave@northwind.example',
      { 'x-custom-secret': 'header-secret-value' },
    );
    const body = (await response.json()) as { data: { createLicenseCheckout: { checkout: { licenseFile: string } } } };
    const licenseFile = body.data.createLicenseCheckout.checkout.licenseFile;
    expect(licenseFile.length).toBeGreaterThan(100);
    const logged = o.text();
    expect(logged).toContain('"operationName":"Checkout"');
    for (const secret of [
      token,
      'secret.person',
      'MACHINE-SECRET-42',
      'header-secret-value',
      licenseFile.slice(20, 80),
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('a GET is logged by its path only: the query string carries the document and variables', async () => {
    const o = await observed();
    await o.yoga.fetch('http://test/graphql?query=%7B__typename%7D&variables=%7B%22x%22%3A%22hidden-value%22%7D', {
      headers: { accept: 'application/json' },
    });
    expect(o.lines()[0]?.path).toBe('/graphql');
    expect(o.text()).not.toContain('hidden-value');
  });
});

describe('issue 12: server faults and odd names in the log', () => {
  it('a server fault adds one structured error line — its kind, message and cause — never the client’s document', async () => {
    const o = await observed();
    // A fault no rule expects: the audit log's table is gone, so the mutation's transaction fails.
    await rawRun(o.world.db, sql.raw('ALTER TABLE audit_entries RENAME TO audit_entries_gone'));
    const response = await o.send(
      {
        query: `mutation { createAccount(input: { name: "Secret Client GmbH", emailDomains: ["freelance.example"] }) { __typename } }`,
      },
      'frank@freelance.example',
    );
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const lines = o.lines() as unknown as {
      level: number;
      msg: string;
      fault?: { cause?: { message: string } };
      outcome?: string;
    }[];
    const fault = lines.find((l) => l.level === 50);
    expect(fault?.fault?.cause?.message).toContain('audit_entries');
    expect(lines.find((l) => l.msg === 'request')?.outcome).toBe('fault');
    expect(o.text()).not.toContain('Secret Client');
  });

  it('an operation name is cut at 100 characters in the line', async () => {
    const o = await observed();
    const name = `Q${'x'.repeat(5_000)}`;
    await o.send({ query: `query ${name} { __typename }` });
    expect(o.lines()[0]?.operationName).toBe(name.slice(0, 100));
    expect(o.text().length).toBeLessThan(2_000);
  });
});

describe('issue 12: metrics at /metrics', () => {
  const metricsText = async (o: Awaited<ReturnType<typeof observed>>) =>
    (await o.yoga.fetch('http://test/metrics')).text();

  it('count operations by type and root field, sign-ins by outcome and license source, errors by code', async () => {
    const o = await observed();
    const ds = await o.world.dataSource(o.cast.host, o.cast.alice, 'Harbor PW');
    await o.world.entitlement(o.cast.host, o.cast.alice, 'PW_EXPLORER', 'US');
    const signIn = await o.send(
      {
        query: `mutation RandomClientName123($input: SignInToDataSourceInput!) { signInToDataSource(input: $input) {
          ... on SignInToDataSourceSuccess { decision { granted licenseSource denialReason } } } }`,
        variables: { input: { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' } },
      },
      'carol@harbor.example',
    );
    const decision = ((await signIn.json()) as { data: { signInToDataSource: { decision: Record<string, unknown> } } })
      .data.signInToDataSource.decision;
    await o.send({ query: '{ viewer { email } }' }, 'alice@harbor.example');
    await o.send(
      { query: 'mutation { registerProfile(input: { usageCountry: "US" }) { __typename } }' },
      'alice@harbor.example',
    );
    await o.send({ query: '{ viewer { email } }' });
    const text = await metricsText(o);
    const outcome = decision.granted ? 'granted' : 'denied';
    expect(text).toContain(
      `threshold_sign_in_decisions_total{outcome="${outcome}",license_source="${decision.licenseSource ?? 'none'}",denial_reason="${decision.denialReason ?? 'none'}"} 1`,
    );
    expect(text).toContain('graphql_envelop_request{operationType="mutation",rootField="signInToDataSource"} 1');
    expect(text).toContain('graphql_envelop_request{operationType="query",rootField="viewer"} 2');
    expect(text).toContain('threshold_errors_total{code="PROFILE_EXISTS",kind="refusal"} 1');
    expect(text).toContain('threshold_errors_total{code="UNAUTHENTICATED",kind="error"} 1');
    expect(text).toMatch(/threshold_requests_total\{outcome="ok"\} \d+/);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toMatch(
      /graphql_yoga_http_duration_count\{method="POST",statusCode="200",operationType="query"\} \d+/,
    );
    // Bounded labels only: never the client's operation name, a URL or a variable.
    expect(text).not.toContain('RandomClientName123');
    expect(text).not.toMatch(/operationName=/);
    expect(text).not.toContain('http://test');
    expect(text).not.toContain('WS-1');
  });

  it('are not served when the server has none (THRESHOLD_METRICS=0)', async () => {
    const o = await observed({ metrics: false });
    expect((await o.yoga.fetch('http://test/metrics')).status).toBe(404);
  });
});
