// Issue 12, operator settings: persisted operations only (src/ops/persisted-operations.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPersistedOperations, operationId } from '../../src/ops/persisted-operations.js';
import { schema } from '../../src/schema.js';
import { createWorld } from '../helpers/world.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'threshold-persisted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WHO_AM_I = 'query WhoAmI { viewer { email } }';

function manifest(entries: Record<string, unknown>): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

async function serverWith(operations: Record<string, string>) {
  const world = await createWorld();
  await world.user('someone@harbor.example');
  const yoga = await world.server({ persistedOperations: loadPersistedOperations(manifest(operations), schema) });
  const get = async (documentId: string) => {
    const response = await yoga.fetch(`http://test/graphql?documentId=${documentId}`, {
      headers: {
        accept: 'application/json',
        'x-graphql-yoga-csrf': '1',
        authorization: `Bearer ${await world.token('someone@harbor.example')}`,
      },
    });
    return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };
  const post = async (body: unknown) => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${await world.token('someone@harbor.example')}`,
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };
  return Object.assign(post, { get });
}

describe('issue 12: persisted operations only', () => {
  const id = operationId(WHO_AM_I);

  it('an operation of the manifest runs by its id, as documentId or as Apollo’s sha256Hash', async () => {
    const send = await serverWith({ [id]: WHO_AM_I });
    expect((await send({ documentId: id })).data).toEqual({ viewer: { email: 'someone@harbor.example' } });
    expect((await send({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).data).toEqual({
      viewer: { email: 'someone@harbor.example' },
    });
    // GET, as a CDN would cache it.
    expect((await send.get(id)).data).toEqual({ viewer: { email: 'someone@harbor.example' } });
  });

  it('a document sent as text is refused, even one the manifest holds: PERSISTED_QUERY_ONLY', async () => {
    const send = await serverWith({ [id]: WHO_AM_I });
    for (const query of [WHO_AM_I, '{ __typename }']) {
      const answer = await send({ query });
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    }
  });

  it('an id the manifest does not hold: PERSISTED_QUERY_NOT_FOUND', async () => {
    const send = await serverWith({ [id]: WHO_AM_I });
    expect((await send({ documentId: operationId('{ __typename }') })).errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it('a manifest that is not JSON, not an object, empty, or holds an invalid operation is refused at start, naming it', () => {
    const bad = join(dir, 'not-json.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadPersistedOperations(bad, schema)).toThrow(/cannot read .* as JSON/);
    expect(() => loadPersistedOperations(manifest([] as unknown as Record<string, unknown>), schema)).toThrow(
      /JSON object of id/,
    );
    expect(() => loadPersistedOperations(manifest({}), schema)).toThrow(/holds no operation/);
    expect(() => loadPersistedOperations(manifest({ a: 42 }), schema)).toThrow('"a" is not a document');
    expect(() => loadPersistedOperations(manifest({ b: '{ nope }' }), schema)).toThrow(/"b" is not a valid operation/);
    expect(() => loadPersistedOperations(manifest({ c: '{ viewer ' }), schema)).toThrow(/"c" is not a valid operation/);
  });

  it('npm run persisted-operations writes every example as a manifest the server accepts', () => {
    const out = join(dir, 'examples.json');
    const run = spawnSync('npm', ['run', 'persisted-operations', '--silent', '--', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    const examples = Object.entries(written);
    expect(examples.length).toBeGreaterThan(30);
    for (const [key, document] of examples) expect(key).toBe(operationId(document));
    expect(loadPersistedOperations(out, schema).size).toBe(examples.length);
  });
});
