// Issue 13: the PostgreSQL migrations applied to a real server (THRESHOLD_TEST_DATABASE_URL; `.ci/run`
// starts one): every table and column of the model exists, keys and checks hold, values of every
// storage type come back as the application wrote them, and applying again changes nothing.

import { readFileSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, postgresMigrationPending } from '../../src/db/postgres.js';
import { accounts, auditEntries, dataSources, postgresTables } from '../../src/db/postgres-schema.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

const MIGRATIONS = { migrationsFolder: 'drizzle/postgresql' };

describe.skipIf(!TEST_DATABASE_URL)('issue 13: the PostgreSQL migrations on a real server', () => {
  let s: TestDatabase;
  beforeAll(async () => {
    s = await freshDatabase();
    await migrate(drizzle(s.pool), MIGRATIONS);
  });
  afterAll(async () => {
    await s?.drop();
  });

  it('creates every table of the model with every column', async () => {
    const { rows } = await s.pool.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public'
       order by table_name, ordinal_position`,
    );
    // Sorted: a column added by a later migration (ALTER TABLE … ADD COLUMN, e.g. 0002's expires_at)
    // comes after the insertion_order column the model lists last; PostgreSQL cannot place it before.
    const actual = new Map<string, string[]>();
    for (const r of rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name].sort());
    const expected = new Map(
      Object.values(postgresTables).map((t) => {
        const config = getTableConfig(t);
        return [config.name, config.columns.map((c) => c.name).sort()];
      }),
    );
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  it('values of every storage type come back as written: text, timestamptz (ms), boolean, jsonb, identity', async () => {
    const db = drizzle(s.pool);
    const at = new Date('2026-06-15T12:34:56.789Z');
    await db.insert(accounts).values({ id: 'a1', name: 'Harbor', nameKey: 'harbor', createdAt: at } as never);
    const [account] = (await db.select().from(accounts)) as { createdAt: Date; name: string }[];
    expect(account?.createdAt).toEqual(at);
    await db
      .insert(dataSources)
      .values({ id: 'd1', ownerAccountId: 'a1', name: 'PW', nameKey: 'pw', imsAuthEnabled: true } as never);
    const [ds] = (await db.select().from(dataSources)) as { imsAuthEnabled: boolean; createdAt: Date }[];
    expect(ds?.imsAuthEnabled).toBe(true);
    expect(ds?.createdAt).toBeInstanceOf(Date);
    const inserted = (await db
      .insert(auditEntries)
      .values({ at, actorEmail: 'a@b.example', action: 'x', targetIds: ['A', 'B'], summary: 's' } as never)
      .returning()) as { id: number; targetIds: string[] }[];
    expect(typeof inserted[0]?.id).toBe('number');
    expect(inserted[0]?.targetIds).toEqual(['A', 'B']);
  });

  it('a foreign key and the usage-record check refuse what SQLite refuses', async () => {
    await expect(
      s.pool.query(
        `insert into data_sources (id, owner_account_id, name, name_key) values ('d2', 'missing', 'x', 'x')`,
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await s.pool.query(
      `insert into users (id, email, display_name, usage_country) values ('u1', 'u@b.example', 'U', 'US')`,
    );
    await expect(
      s.pool.query(
        `insert into usage_records (at, user_id, product_code, license_source, billed_account_id)
         values (now(), 'u1', 'PW_EXPLORER', 'OWN_ORGANIZATION', 'a1')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('applying the migrations again changes nothing', async () => {
    const before = await s.pool.query(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await migrate(drizzle(s.pool), MIGRATIONS);
    const after = await s.pool.query(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('issue 13: instances starting together migrate once (advisory lock)', () => {
  it('three instances migrating one new database at once: all succeed, each migration applied once', async () => {
    const db = await freshDatabase();
    const instances = [openPostgres(db.url), openPostgres(db.url), openPostgres(db.url)];
    try {
      expect(await postgresMigrationPending(instances[0] as pg.Pool)).toBe(true);
      await Promise.all(instances.map((pool) => migratePostgres(pool)));
      const applied = await db.pool.query('select hash from drizzle.__drizzle_migrations');
      const journal = JSON.parse(readFileSync('drizzle/postgresql/meta/_journal.json', 'utf8')) as {
        entries: unknown[];
      };
      expect(applied.rows).toHaveLength(journal.entries.length);
      expect(await postgresMigrationPending(instances[1] as pg.Pool)).toBe(false);
      // The lock is released: a later start takes it at once and applies nothing.
      await migratePostgres(instances[2] as pg.Pool);
      expect((await db.pool.query('select hash from drizzle.__drizzle_migrations')).rows).toHaveLength(
        journal.entries.length,
      );
    } finally {
      await Promise.all(instances.map((pool) => pool.end()));
      await db.drop();
    }
  });
});
