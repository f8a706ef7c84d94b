// Issue 11: batching of what a page's rows refer to (src/graphql/siblings.ts) — one read per
// page, bounded by the page (not by a loader batch the rows also came from), nothing cached when a read
// fails (no row reads as empty because another row's read failed), and what a mutation wrote is read
// back by its payload.
import { initContextCache } from '@pothos/core';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rawRun } from '../../src/db/query.js';
import type { Context } from '../../src/graphql/context.js';
import { markSiblings, siblingLoader } from '../../src/graphql/siblings.js';
import { createWorld, gid, hostAndSupplier, inOrder } from '../helpers/world.js';

interface Row {
  id: string;
}
const rows = (n: number, prefix: string): Row[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

function recordingLoader() {
  const asked: string[][] = [];
  let failing = false;
  const load = siblingLoader<Row, string, string[]>({
    key: (r) => r.id,
    fetch: async (_db, keys) => {
      asked.push(keys);
      if (failing) throw new Error('the database is gone');
      return keys.map((k) => [k, [`value of ${k}`]] as const);
    },
    none: () => [],
  });
  return {
    load,
    asked,
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

const newContext = () => ({ ...initContextCache(), db: {} }) as unknown as Context;

describe('sibling batching', () => {
  it('the rows of a page are read together, once', async () => {
    const { load, asked } = recordingLoader();
    const ctx = newContext();
    const page = rows(3, 'p');
    markSiblings(page, 'page');
    expect(await Promise.all(page.map((r) => load(ctx, r)))).toEqual([
      ['value of p0'],
      ['value of p1'],
      ['value of p2'],
    ]);
    expect(asked).toEqual([['p0', 'p1', 'p2']]);
  });

  it('rows asking while their batch is being read wait for it (one read, not one per row)', async () => {
    const { load, asked } = recordingLoader();
    const ctx = newContext();
    const page = rows(3, 'w');
    markSiblings(page, 'page');
    const first = load(ctx, page[0] as Row);
    const second = load(ctx, page[1] as Row);
    expect(await second).toEqual(['value of w1']);
    expect(await first).toEqual(['value of w0']);
    expect(await load(ctx, page[2] as Row)).toEqual(['value of w2']);
    expect(asked).toEqual([['w0', 'w1', 'w2']]);
  });

  it('a page cut from a larger batch reads its own rows only (the work stays bounded by the page)', async () => {
    const { load, asked } = recordingLoader();
    const ctx = newContext();
    const batch = rows(200, 'b');
    markSiblings(batch, 'batch');
    const page = batch.slice(10, 11);
    markSiblings(page, 'page');
    await load(ctx, page[0] as Row);
    expect(asked).toEqual([['b10']]);
  });

  it('a batch does not take rows away from the page they were marked in', async () => {
    const { load, asked } = recordingLoader();
    const ctx = newContext();
    const page = rows(2, 'q');
    markSiblings(page, 'page');
    markSiblings([...page, ...rows(5, 'x')], 'batch');
    await load(ctx, page[0] as Row);
    expect(asked).toEqual([['q0', 'q1']]);
  });

  it('a read that fails caches nothing: every row asking fails too, none reads as empty', async () => {
    const { load, asked, fail } = recordingLoader();
    const ctx = newContext();
    const page = rows(3, 'f');
    markSiblings(page, 'page');
    fail(true);
    for (const row of page) await expect(load(ctx, row)).rejects.toThrow('the database is gone');
    fail(false);
    expect(await load(ctx, page[2] as Row)).toEqual(['value of f2']);
    expect(asked).toHaveLength(4);
  });

  it('a value for a key the read did not return is a fresh empty value per key', async () => {
    const ctx = newContext();
    const load = siblingLoader<Row, string, string[]>({ key: (r) => r.id, fetch: async () => [], none: () => [] });
    const page = rows(2, 'e');
    markSiblings(page, 'page');
    const first = await load(ctx, page[0] as Row);
    first.push('changed by a caller');
    expect(await load(ctx, page[1] as Row)).toEqual([]);
  });

  it('DS-4 a failing read of groups is an error for every user of the page, never "in no group"', async () => {
    const w = await createWorld();
    const admin = await w.user('admin@big.example');
    const account = await w.account('Big', ['big.example'], admin);
    const ds = await w.dataSource(account, admin, 'Big PW');
    const ids = await inOrder([0, 1, 2], async (i) => (await w.dsUser(ds, admin, `u${i}`)).id);
    await w.group(ds, admin, 'G0', ids);
    await rawRun(w.db, sql.raw('ALTER TABLE group_members RENAME TO group_members_gone'));
    const result = await w.gql(
      `query($id: ID!) { dataSource(id: $id) { users(first: 50) { edges { node { login groups { totalCount } } } } } }`,
      { id: gid('DataSource', ds.id) },
      'admin@big.example',
    );
    const groups = result.data?.dataSource.users.edges.map((e: { node: { groups: unknown } }) => e.node.groups);
    expect(groups).toEqual([null, null, null]);
    expect(result.errors).toHaveLength(3);
  });

  it('ID-4 mutations in one document each read back what they wrote (the cache is forgotten after each)', async () => {
    const w = await createWorld();
    const cast = await hostAndSupplier(w);
    const input = {
      accountId: gid('Account', cast.host.id),
      userId: gid('User', cast.carol.id),
      role: 'CO_ADMINISTRATOR',
    };
    const result = await w.gql(
      `mutation($i: ImsRoleInput!) {
        a: grantImsRole(input: $i) { ... on GrantImsRoleSuccess { user { imsRoles } } }
        b: revokeImsRole(input: $i) { ... on RevokeImsRoleSuccess { user { imsRoles } } }
        c: grantImsRole(input: $i) { ... on GrantImsRoleSuccess { user { imsRoles } } }
      }`,
      { i: input },
      'alice@harbor.example',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      a: { user: { imsRoles: ['CO_ADMINISTRATOR'] } },
      b: { user: { imsRoles: [] } },
      c: { user: { imsRoles: ['CO_ADMINISTRATOR'] } },
    });
  });
});
