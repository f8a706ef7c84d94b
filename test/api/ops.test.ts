// What an operator and a developer with a browser rely on: /health (liveness) and /ready (the database
// answers, migrations applied), and GraphiQL
// comes entirely from this server (closed networks), opening on WhoAmI with the examples as tabs.
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rawRun } from '../../src/db/query.js';
import { createServer } from '../../src/server.js';
import { WORLDS_ON_POSTGRES } from '../helpers/postgres.js';
import { createWorld, TEST_AUTH } from '../helpers/world.js';

const examplesDir = new URL('../../schema/examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

describe('/health and /ready (issue 12)', () => {
  it('/health is liveness: 200 with the schema version, even while the database cannot answer', async () => {
    const world = await createWorld();
    const response = await world.fetch('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', schemaVersion: expect.stringMatching(/^\d{4}_/) });
    await world.database.close();
    expect((await world.fetch('/health')).status).toBe(200);
  });

  it('/ready is readiness: 200 once the database answers with every migration applied', async () => {
    const world = await createWorld();
    const response = await world.fetch('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      schemaVersion: expect.stringMatching(/^\d{4}_/),
      database: 'ok',
    });
  });

  it('/ready answers 503 when the database cannot answer (the cause is logged, not told)', async () => {
    const world = await createWorld();
    await world.database.close();
    const response = await world.fetch('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database not reachable' });
  });

  it('/ready answers 503 while a shipped migration is not applied', async () => {
    const world = await createWorld();
    await rawRun(
      world.database.db,
      WORLDS_ON_POSTGRES
        ? sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`
        : sql`delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)`,
    );
    const response = await world.fetch('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'migrations pending' });
  });
});

interface PageOptions {
  title: string;
  defaultQuery: string;
  defaultTabs: { query: string; variables?: string | null; headers?: string | null }[];
}

async function graphiqlPage() {
  const world = await createWorld();
  const response = await world.fetch('/graphql', { headers: { accept: 'text/html' } });
  const html = await response.text();
  const options = /renderYogaGraphiQL\([^,]+,\s*(\{.*\})\);/s.exec(html)?.[1];
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  const workers = /const workerUrls = (\{.*?\});/.exec(html)?.[1];
  return {
    world,
    response,
    html,
    options: JSON.parse(options ?? 'null') as PageOptions | null,
    assets: [...urls, ...Object.values(JSON.parse(workers ?? '{}') as Record<string, string>)],
  };
}

describe('GraphiQL', { timeout: 30_000 }, () => {
  it('is a page whose scripts and styles all come from this server', async () => {
    const { response, html, assets } = await graphiqlPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain('Loading __TITLE__');
    // the stylesheet, the favicon, the editor bundle and Monaco's three workers
    expect(assets).toHaveLength(6);
    for (const url of assets) expect(url, 'a path on this server').toMatch(/^\/[^/]/);
  });

  it('serves every file the page references', async () => {
    const { world, assets } = await graphiqlPage();
    for (const url of assets) {
      const response = await world.fetch(url);
      expect(response.status, url).toBe(200);
      const expected = url.endsWith('.css') ? /text\/css/ : url.endsWith('.js') ? /javascript/ : /image\//;
      expect(response.headers.get('content-type'), url).toMatch(expected);
      const body = await response.arrayBuffer();
      expect(body.byteLength, url).toBeGreaterThan(1000);
    }
    const script = assets.find((url) => url.endsWith('/graphiql.js')) ?? '';
    expect(await (await world.fetch(script)).text()).toContain('renderYogaGraphiQL');
    expect((await world.fetch('/graphiql-assets/0000/nothing.js')).status).toBe(404);
  });

  it('opens on the WhoAmI query, with one tab per operation in schema/examples', async () => {
    const { html, options } = await graphiqlPage();
    expect(html).toContain('query WhoAmI');
    expect(options?.title).toBe('Threshold');
    expect(options?.defaultQuery).toContain('query WhoAmI');
    const tabs = options?.defaultTabs ?? [];
    expect(tabs[0]?.query).toBe(options?.defaultQuery);
    expect(tabs.slice(1).map((tab) => tab.query)).toEqual(
      exampleFiles.map((file) => readFileSync(new URL(file, examplesDir), 'utf8')),
    );
    // The example's `# variables:` line fills the variables editor; `# as:` says whose token to paste.
    const register = tabs.find((tab) => tab.query.includes('mutation RegisterProfile'));
    expect(JSON.parse(register?.variables ?? 'null')).toEqual({ input: { usageCountry: 'US' } });
    expect(register?.headers).toContain('gwen@harbor-eng.example');
  });

  it('is neither rendered nor are its files served when GraphiQL is off', async () => {
    const { world, assets } = await graphiqlPage();
    const off = await createServer({ db: world.db, auth: TEST_AUTH, graphiql: false, introspection: false });
    const page = await off.fetch(new Request('http://test/graphql', { headers: { accept: 'text/html' } }));
    expect(await page.text()).not.toContain('renderYogaGraphiQL');
    const script = assets.find((url) => url.endsWith('/graphiql.js')) ?? '';
    expect((await off.fetch(new Request(`http://test${script}`))).status).toBe(404);
  });
});
