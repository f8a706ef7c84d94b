// Issue 12, operator settings: which web pages on other origins may call the API (src/ops/cors.ts).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type CorsOrigins, parseCorsOrigins } from '../../src/ops/cors.js';
import { createWorld } from '../helpers/world.js';

async function serverWith(corsOrigins?: CorsOrigins) {
  const world = await createWorld();
  const yoga = await world.server(corsOrigins === undefined ? {} : { corsOrigins });
  const preflight = (origin: string) =>
    yoga.fetch('http://test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  const post = (origin: string) =>
    yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
  return { preflight, post };
}

const allowOrigin = (r: Response) => r.headers.get('access-control-allow-origin');

describe('issue 12: CORS allow-list', () => {
  it('a listed origin gets its own origin back, the methods and headers it needs, and no credentials', async () => {
    const s = await serverWith(['https://app.example.com', 'https://admin.example.com']);
    const pre = await s.preflight('https://admin.example.com');
    expect(allowOrigin(pre)).toBe('https://admin.example.com');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const answer = await s.post('https://app.example.com');
    expect(allowOrigin(answer)).toBe('https://app.example.com');
    expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id');
    // The answer depends on the origin: caches must keep them apart.
    expect(answer.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect((await s.post('https://evil.example')).headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('any other origin gets no CORS header at all (the browser refuses it the answer)', async () => {
    const s = await serverWith(['https://app.example.com']);
    for (const origin of [
      'https://evil.example',
      'https://app.example.com.evil.example',
      'http://app.example.com',
      'null',
    ]) {
      expect(allowOrigin(await s.preflight(origin)), origin).toBeNull();
      expect(allowOrigin(await s.post(origin)), origin).toBeNull();
      expect((await s.post(origin)).headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('by default (no list given to the server) no origin is allowed', async () => {
    const s = await serverWith();
    expect(allowOrigin(await s.post('http://localhost:5173'))).toBeNull();
  });

  it('"local" (development without a list): this machine’s pages on any port, nothing else', async () => {
    const s = await serverWith('local');
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'https://localhost', 'http://[::1]:8080']) {
      expect(allowOrigin(await s.post(origin)), origin).toBe(origin);
    }
    for (const origin of ['http://localhost.evil.example', 'http://192.168.1.5:5173', 'https://example.com']) {
      expect(allowOrigin(await s.post(origin)), origin).toBeNull();
    }
  });
});

describe('issue 12: THRESHOLD_CORS_ORIGINS', () => {
  const base = { THRESHOLD_DATA_DIR: ':memory:', THRESHOLD_DATABASE: ':memory:' };

  it('defaults: none in production, this machine’s pages in development', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production', THRESHOLD_JWT_SECRET: 'x'.repeat(40) }).corsOrigins).toEqual(
      [],
    );
    expect(loadConfig({ ...base, THRESHOLD_JWT_SECRET: 'x'.repeat(40) }).corsOrigins).toBe('local');
  });

  it('a comma-separated list of origins; an empty value means none', () => {
    const config = loadConfig({
      ...base,
      THRESHOLD_JWT_SECRET: 'x'.repeat(40),
      THRESHOLD_CORS_ORIGINS: ' https://app.example.com , http://localhost:5173 ',
    });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(
      loadConfig({ ...base, THRESHOLD_JWT_SECRET: 'x'.repeat(40), THRESHOLD_CORS_ORIGINS: '' }).corsOrigins,
    ).toEqual([]);
  });

  it('anything that is not exactly an origin is refused at start, naming it', () => {
    for (const bad of [
      'https://app.example.com/',
      'https://app.example.com/path',
      'app.example.com',
      '*',
      'ftp://x.example',
    ]) {
      expect(parseCorsOrigins(bad), bad).toEqual({ invalid: bad });
      expect(() => loadConfig({ ...base, THRESHOLD_JWT_SECRET: 'x'.repeat(40), THRESHOLD_CORS_ORIGINS: bad })).toThrow(
        `THRESHOLD_CORS_ORIGINS: "${bad}" is not an origin`,
      );
    }
  });
});
