// Configuration parsing and production token verification (JWKS), end to end on loopback.

import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('defaults: port 4000 on 127.0.0.1, demo, GraphiQL and introspection outside production; a secret generated once into the data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threshold-'));
    const config = loadConfig({ THRESHOLD_DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      demo: true,
      graphiql: true,
      introspection: true,
      production: false,
    });
    expect(config.databasePath).toBe(join(dir, 'threshold.db'));
    const secret = readFileSync(join(dir, 'jwt-secret'), 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const again = loadConfig({ THRESHOLD_DATA_DIR: dir });
    expect(again.auth).toEqual(config.auth);
  });

  it('production turns demo, GraphiQL and introspection off and needs a secret or JWKS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threshold-'));
    expect(() => loadConfig({ NODE_ENV: 'production', THRESHOLD_DATA_DIR: dir })).toThrow(/JWKS|SECRET/);
    const config = loadConfig({
      NODE_ENV: 'production',
      THRESHOLD_DATA_DIR: dir,
      THRESHOLD_JWT_SECRET: 'x'.repeat(32),
      THRESHOLD_GRAPHIQL: '1',
    });
    expect(config).toMatchObject({ demo: false, graphiql: true, introspection: false });
  });

  it('bad values are refused with the variable named', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ THRESHOLD_JWT_SECRET: 'short' })).toThrow(/THRESHOLD_JWT_SECRET/);
    expect(() => loadConfig({ THRESHOLD_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/ISSUER/);
  });
});

describe('production tokens through JWKS', () => {
  let server: Server;
  let url: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (claims: Record<string, unknown>, issuer = 'https://idp.example', audience = 'threshold-api') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(privateKey);

  it('a token signed by the identity provider, with the configured issuer and audience, authenticates', async () => {
    const verify = createTokenVerifier({
      kind: 'jwks',
      jwksUrl: url,
      issuer: 'https://idp.example',
      audience: 'threshold-api',
    });
    const result = await verify(`Bearer ${await sign({ email: 'Alice@Harbor.Example', sub: 's-1', name: 'Alice' })}`);
    expect(result).toEqual({
      status: 'authenticated',
      identity: { email: 'alice@harbor.example', subject: 's-1', name: 'Alice' },
    });
  });

  it('a wrong issuer or audience is refused', async () => {
    const verify = createTokenVerifier({
      kind: 'jwks',
      jwksUrl: url,
      issuer: 'https://idp.example',
      audience: 'threshold-api',
    });
    expect((await verify(`Bearer ${await sign({ email: 'a@b.example' }, 'https://evil.example')}`)).status).toBe(
      'invalid',
    );
    expect(
      (await verify(`Bearer ${await sign({ email: 'a@b.example' }, 'https://idp.example', 'other')}`)).status,
    ).toBe('invalid');
  });
});

describe('remembered tokens (issue 11: a verified token is not verified again on every request)', () => {
  const secret = new TextEncoder().encode('a-test-secret-that-is-long-enough-for-hs256');
  const config = { kind: 'hs256' as const, secret, issuer: 'threshold-dev', audience: 'threshold-api' };
  const mint = (email: string, exp: number, key = secret) =>
    new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('threshold-dev')
      .setAudience('threshold-api')
      .setIssuedAt(Math.floor(Date.UTC(2026, 5, 15, 12) / 1000))
      .setExpirationTime(exp)
      .sign(key);

  it('a remembered token still expires by the verifier’s clock (with the minute of skew, not a second more)', async () => {
    let now = new Date('2026-06-15T12:00:00Z');
    const verify = createTokenVerifier(config, () => now);
    const exp = Math.floor(now.getTime() / 1000) + 600;
    const header = `Bearer ${await mint('a@b.example', exp)}`;
    expect((await verify(header)).status).toBe('authenticated');
    expect((await verify(header)).status).toBe('authenticated');
    now = new Date((exp + 59) * 1000);
    expect((await verify(header)).status).toBe('authenticated');
    now = new Date((exp + 60) * 1000);
    expect(await verify(header)).toEqual({ status: 'invalid', reason: 'the token has expired' });
  });

  it('only the exact token that verified is remembered: the same claims under another key are refused', async () => {
    const now = new Date('2026-06-15T12:00:00Z');
    const verify = createTokenVerifier(config, () => now);
    const exp = Math.floor(now.getTime() / 1000) + 600;
    expect((await verify(`Bearer ${await mint('a@b.example', exp)}`)).status).toBe('authenticated');
    const forged = await mint('a@b.example', exp, new TextEncoder().encode('another-secret-that-is-long-enough-too!!'));
    expect(await verify(`Bearer ${forged}`)).toEqual({
      status: 'invalid',
      reason: 'the token signature does not verify',
    });
  });
});
