// Migrations that rebuild a table keep what it held: a database migrated up to the previous migration
// gets rows in every table, then the shipped migrations are applied to it (ARCHITECTURE: a rebuild's
// DROP TABLE would otherwise cascade into child tables).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase, onWriter, openDatabase } from '../../src/db/client.js';
import { rawAll, rawRun } from '../../src/db/query.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A database migrated up to and including migration `lastIdx` of the shipped ones. */
async function databaseAt(lastIdx: number) {
  const folder = mkdtempSync(join(tmpdir(), 'threshold-migrations-'));
  folders.push(folder);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(journalPath, JSON.stringify(journal));
  const handle = openDatabase({ source: ':memory:' });
  await onWriter(handle.db, (writer) => migrate(writer, { migrationsFolder: folder }));
  return handle;
}

describe('migration 0010 (EXT-5: usage records name a data source or a project)', () => {
  it('EXT-5 keeps every usage record stored before it, as a data-source sign-in', async () => {
    const handle = await databaseAt(9);
    const { db } = handle;
    /** A row of `table` with these values; other required columns get a placeholder of their type. */
    const insert = async (table: string, values: Record<string, string | number>) => {
      const columns = await rawAll<{ name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>(
        db,
        sql.raw(`pragma table_info(${table})`),
      );
      const row = { ...values };
      for (const c of columns) {
        if (c.name in row || !c.notnull || c.dflt_value !== null || c.pk) continue;
        row[c.name] = c.type === 'integer' ? 0 : `${table}.${c.name}`;
      }
      const names = Object.keys(row);
      await rawRun(
        db,
        sql.raw(
          `insert into ${table} (${names.join(', ')}) values (${names.map((n) => JSON.stringify(row[n]).replaceAll('"', "'")).join(', ')})`,
        ),
      );
    };
    await insert('accounts', { id: 'a1', name: 'Harbor' });
    await insert('users', { id: 'u1', email: 'c@h.example', home_account_id: 'a1' });
    await insert('data_sources', { id: 'd1', owner_account_id: 'a1', name: 'DS' });
    await insert('usage_records', {
      at: 1000,
      user_id: 'u1',
      consumer_account_id: 'a1',
      data_source_id: 'd1',
      data_source_user_id: 'du1',
      product_code: 'PW_EXPLORER',
      machine_name: 'WS-1',
      license_source: 'OWN_ORGANIZATION',
      billed_account_id: 'a1',
    });
    await migrateDatabase(handle);
    expect(await rawAll(db, 'select * from usage_records')).toEqual([
      {
        id: 1,
        at: 1000,
        user_id: 'u1',
        consumer_account_id: 'a1',
        data_source_id: 'd1',
        data_source_user_id: 'du1',
        project_id: null,
        product_code: 'PW_EXPLORER',
        machine_name: 'WS-1',
        license_source: 'OWN_ORGANIZATION',
        billed_account_id: 'a1',
        checkout_id: null,
        // HIS-1 (migration 0011): a record older than kept decisions has none.
        decision_id: null,
      },
    ]);
    expect(await rawAll(db, 'select * from data_sources')).toHaveLength(1);
    await handle.close();
  });
});

describe('starting on an up-to-date database (issue 11: startup)', () => {
  it('applies nothing and checks nothing: one look at the bookkeeping table', async () => {
    const seen: string[] = [];
    const handle = openDatabase({ source: ':memory:', logger: { logQuery: (query) => seen.push(query) } });
    await migrateDatabase(handle);
    expect(seen.some((q) => q.includes('foreign_key_check'))).toBe(true);
    seen.length = 0;
    await migrateDatabase(handle);
    expect(seen).toEqual(['select max(created_at) as last from __drizzle_migrations']);
    await handle.close();
  });
});
