// Issue 13: one description of the model, two dialects. The PostgreSQL tables are derived from the
// SQLite tables (src/db/postgres-schema.ts); this compares every table, column, key, index and check
// of both, and checks that the committed migrations of each dialect are what drizzle-kit generates
// from the current tables (a table changed without `npm run db:generate` fails here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns, is } from 'drizzle-orm';
import { PgTable, getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { INSERTION_ORDERED } from '../../src/db/insertion-order.js';
import * as postgres from '../../src/db/postgres-schema.js';
import { postgresName, postgresRuntimeTableOf, postgresTableOf, sqliteTables } from '../../src/db/postgres-schema.js';
import * as dialectSchema from '../../src/db/schema.js';
import { dialectTables } from '../../src/db/schema.js';
import * as sqlite from '../../src/db/sqlite-schema.js';

const exportedPostgresTables = Object.entries(postgres).filter(([, v]) => is(v, PgTable)) as [string, PgTable][];

/** The storage type each SQLite column type becomes (the module's header says why). */
const TYPE_OF: Record<string, string> = {
  SQLiteText: 'PgText',
  SQLiteTextJson: 'PgJsonb',
  SQLiteBoolean: 'PgBoolean',
  SQLiteTimestamp: 'PgTimestamp',
  SQLiteInteger: 'PgInteger',
};

function lastSnapshot(folder: string) {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const last = journal.entries.at(-1);
  if (!last) throw new Error(`no migrations in ${folder}`);
  const index = String(last.idx).padStart(4, '0');
  return JSON.parse(readFileSync(join(folder, 'meta', `${index}_snapshot.json`), 'utf8'));
}

describe('issue 13: the PostgreSQL tables are the SQLite tables', () => {
  it('services name every table of the model through src/db/schema.ts, which answers the dialect’s own', () => {
    const named = [...dialectTables.values()];
    expect(named.length).toBe(Object.keys(sqliteTables).length);
    for (const [name, table] of Object.entries(sqliteTables)) {
      const exported = (dialectSchema as Record<string, unknown>)[name];
      expect(dialectTables.get(exported as object), name).toBe(table);
    }
  });

  it('at run time a twin has exactly the SQLite columns, under the same keys (rows read alike on both)', () => {
    for (const [name, table] of Object.entries(sqliteTables)) {
      const twin = postgresRuntimeTableOf(table);
      expect(Object.keys(getTableColumns(twin)), name).toEqual(Object.keys(getTableColumns(table)));
      expect(pgConfig(twin).name).toBe(sqliteConfig(table).name);
    }
  });

  it('the tables that keep an insertion order are tables of the model', () => {
    for (const table of INSERTION_ORDERED) expect(Object.values(sqliteTables)).toContain(table);
  });

  it('every table of the model is exported for drizzle-kit, under the same name, and nothing else', () => {
    expect(exportedPostgresTables.map(([name]) => name).sort()).toEqual(Object.keys(sqliteTables).sort());
    for (const [name, table] of exportedPostgresTables)
      expect(table).toBe(postgresTableOf(sqliteTables[name] as never));
  });

  for (const [name, table] of Object.entries(sqliteTables)) {
    it(`${name}: the same columns, keys, indexes, foreign keys and checks`, () => {
      const s = sqliteConfig(table);
      const p = pgConfig(postgresTableOf(table));
      expect(p.name).toBe(s.name);
      const insertionOrdered = INSERTION_ORDERED.includes(table);
      expect(
        p.columns.map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault })),
      ).toEqual([
        ...s.columns.map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault })),
        // In place of SQLite's rowid (src/db/insertion-order.ts): an identity, always generated.
        ...(insertionOrdered ? [{ name: 'insertion_order', notNull: true, primary: false, hasDefault: true }] : []),
      ]);
      if (insertionOrdered) {
        const order = p.columns.at(-1);
        expect(order?.columnType).toBe('PgBigInt53');
        expect((order as unknown as { generatedIdentity?: { type: string } }).generatedIdentity?.type).toBe('always');
      }
      s.columns.forEach((c, i) => {
        const twin = p.columns[i];
        const autoIncrement = (c as unknown as { autoIncrement?: boolean }).autoIncrement;
        const keyType = autoIncrement || twin?.columnType === 'PgBigInt53' ? 'PgBigInt53' : undefined;
        expect(twin?.columnType, `${name}.${c.name}`).toBe(keyType ?? TYPE_OF[c.columnType]);
        expect(Boolean(twin?.defaultFn), `${name}.${c.name} $defaultFn`).toBe(Boolean(c.defaultFn));
      });
      expect(p.primaryKeys.map((k) => k.columns.map((c) => c.name))).toEqual(
        s.primaryKeys.map((k) => k.columns.map((c) => c.name)),
      );
      expect(
        p.indexes.map((ix) => ({
          name: ix.config.name,
          unique: ix.config.unique,
          columns: ix.config.columns.map((c) => (c as { name: string }).name),
        })),
      ).toEqual(
        s.indexes.map((ix) => ({
          name: postgresName(ix.config.name),
          unique: ix.config.unique,
          columns: ix.config.columns.map((c) => (c as { name: string }).name),
        })),
      );
      const fk = (f: {
        reference(): { columns: { name: string }[]; foreignColumns: { name: string }[]; foreignTable: unknown };
        onDelete?: string | undefined;
        onUpdate?: string | undefined;
      }) => {
        const r = f.reference();
        return {
          columns: r.columns.map((c) => c.name),
          foreignColumns: r.foreignColumns.map((c) => c.name),
          onDelete: f.onDelete ?? 'no action',
          onUpdate: f.onUpdate ?? 'no action',
        };
      };
      expect(p.foreignKeys.map(fk)).toEqual(s.foreignKeys.map(fk));
      expect(p.foreignKeys.map((f) => pgConfig(f.reference().foreignTable).name)).toEqual(
        s.foreignKeys.map((f) => sqliteConfig(f.reference().foreignTable).name),
      );
      expect(p.checks.map((c) => c.name)).toEqual(s.checks.map((c) => postgresName(c.name)));
    });
  }

  it('a name longer than PostgreSQL keeps (63 bytes) is shortened the same way every time, and unique', () => {
    const long = 'deliverables_sync_records_data_source_user_id_data_source_users_id_fk';
    expect(postgresName(long)).toHaveLength(63);
    expect(postgresName(long)).toBe(postgresName(long));
    expect(postgresName(`${long}2`)).not.toBe(postgresName(long));
    expect(postgresName('short_name')).toBe('short_name');
  });
});

describe('issue 13: the committed migrations are what drizzle-kit generates from the tables', () => {
  it('PostgreSQL (drizzle/postgresql): nothing left to generate', async () => {
    const kit = await import('drizzle-kit/api');
    const current = kit.generateDrizzleJson(Object.fromEntries(exportedPostgresTables));
    const pending = await kit.generateMigration(lastSnapshot('drizzle/postgresql'), current);
    expect(pending, 'run npm run db:generate').toEqual([]);
  });

  it('SQLite (drizzle): nothing left to generate', async () => {
    const kit = await import('drizzle-kit/api');
    const current = await kit.generateSQLiteDrizzleJson(sqlite as Record<string, unknown>);
    const pending = await kit.generateSQLiteMigration(lastSnapshot('drizzle'), current);
    expect(pending, 'run npm run db:generate').toEqual([]);
  });
});
