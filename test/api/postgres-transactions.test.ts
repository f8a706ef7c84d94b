// Issue 13: `inTransaction` on PostgreSQL (src/db/postgres.ts) — commit, rollback, the bounded retry of
// serialization failures ending in SERVICE_BUSY, and one handle per pooled connection so that statement
// sets are prepared once per connection, not once per transaction.

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database_ } from '../../src/db/client.js';
import { inTransaction } from '../../src/db/client.js';
import { useDialect } from '../../src/db/dialect.js';
import { migratePostgres, openPostgresDatabase, TRANSACTION_ATTEMPTS } from '../../src/db/postgres.js';
import { statements } from '../../src/db/prepared.js';
import { rawAll } from '../../src/db/query.js';
import { accounts } from '../../src/db/schema.js';
import { ServiceBusy } from '../../src/errors.js';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/postgres.js';

/** A driver error carrying an SQLSTATE, as node-postgres reports one. */
const failure = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe.skipIf(!TEST_DATABASE_URL)('issue 13: transactions on PostgreSQL', () => {
  let server: TestDatabase;
  let database: Database_;
  beforeAll(async () => {
    useDialect('postgresql');
    server = await freshDatabase();
    await migratePostgres(server.pool);
    // One connection: every transaction below runs on the same one.
    database = openPostgresDatabase(server.url, { max: 1 });
  });
  afterAll(async () => {
    await database?.close();
    await server?.drop();
  });

  const names = async () =>
    (await server.pool.query<{ name: string }>('select name from accounts order by name')).rows.map((r) => r.name);
  const insert = (tx: Parameters<Parameters<typeof inTransaction>[1]>[0], id: string) =>
    tx.insert(accounts).values({ id, name: id, nameKey: id });

  it('commits what the work wrote', async () => {
    await inTransaction(database.db, async (tx) => {
      await insert(tx, 'committed');
    });
    expect(await names()).toContain('committed');
  });

  it('a throw rolls back every statement, and the connection serves the next transaction', async () => {
    await expect(
      inTransaction(database.db, async (tx) => {
        await insert(tx, 'rolled-back');
        throw new Error('use case refused');
      }),
    ).rejects.toThrow('use case refused');
    expect(await names()).not.toContain('rolled-back');
    await inTransaction(database.db, async (tx) => {
      await insert(tx, 'after-rollback');
    });
    expect(await names()).toContain('after-rollback');
  });

  it('a failed statement aborts the transaction; the connection is clean again for the next one', async () => {
    await expect(
      inTransaction(database.db, async (tx) => {
        await insert(tx, 'before-failure');
        await rawAll(tx, sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    expect(await names()).not.toContain('before-failure');
    const count = await inTransaction(database.db, async (tx) => tx.select().from(accounts));
    expect(count.length).toBeGreaterThan(0);
  });

  it.each(['40001', '40P01', '23505'])(
    'SQLSTATE %s: the whole transaction runs again, nothing of a failed attempt kept',
    async (code) => {
      let attempts = 0;
      const result = await inTransaction(database.db, async (tx) => {
        attempts += 1;
        await insert(tx, `retry-${code}-${attempts}`);
        if (attempts < 3) throw failure(code);
        return 'done';
      });
      expect(result).toBe('done');
      expect(attempts).toBe(3);
      const kept = (await names()).filter((n) => n.startsWith(`retry-${code}-`));
      expect(kept).toEqual([`retry-${code}-3`]);
    },
  );

  it(`SERVICE_BUSY after ${TRANSACTION_ATTEMPTS} attempts (the limit itself), nothing written`, async () => {
    let attempts = 0;
    const refused = inTransaction(database.db, async (tx) => {
      attempts += 1;
      await insert(tx, `busy-${attempts}`);
      throw failure('40001');
    });
    await expect(refused).rejects.toBeInstanceOf(ServiceBusy);
    expect(attempts).toBe(TRANSACTION_ATTEMPTS);
    expect((await names()).filter((n) => n.startsWith('busy-'))).toEqual([]);
  });

  it(`succeeds on attempt ${TRANSACTION_ATTEMPTS} (the last one allowed)`, async () => {
    let attempts = 0;
    const result = await inTransaction(database.db, async () => {
      attempts += 1;
      if (attempts < TRANSACTION_ATTEMPTS) throw failure('40001');
      return attempts;
    });
    expect(result).toBe(TRANSACTION_ATTEMPTS);
  });

  it('any other error is not retried: the caller gets it after one attempt', async () => {
    let attempts = 0;
    await expect(
      inTransaction(database.db, async () => {
        attempts += 1;
        throw failure('23503'); // a foreign-key violation is the use case's fault, not contention
      }),
    ).rejects.toThrow('sqlstate 23503');
    expect(attempts).toBe(1);
  });

  it('two transactions on one connection share its handle: a statement set is built once', async () => {
    let builds = 0;
    const byId = statements((db) => {
      builds += 1;
      return {
        account: db
          .select({ name: accounts.name })
          .from(accounts)
          .where(eq(accounts.id, sql.placeholder('id'))),
      };
    });
    const handles: unknown[] = [];
    for (let i = 0; i < 3; i += 1) {
      const row = await inTransaction(database.db, async (tx) => {
        handles.push(tx);
        return byId(tx).account.get({ id: 'committed' });
      });
      expect(row).toEqual({ name: 'committed' });
    }
    expect(new Set(handles).size).toBe(1);
    expect(builds).toBe(1);
  });

  it('concurrent read-then-write transactions on SERIALIZABLE: both commit, the later one having seen the earlier', async () => {
    const twoConnections = openPostgresDatabase(server.url, { max: 2 });
    try {
      await inTransaction(twoConnections.db, async (tx) => {
        await insert(tx, 'counter-0');
      });
      // Each reads how many counters exist and adds the next; run one at a time they add counter-1 and
      // counter-2. Interleaved without SERIALIZABLE both would add counter-1.
      const next = () =>
        inTransaction(twoConnections.db, async (tx) => {
          const rows = await tx.select({ name: accounts.name }).from(accounts);
          const count = rows.filter((r) => r.name.startsWith('counter-')).length;
          await new Promise((resolve) => setTimeout(resolve, 20));
          // A key of its own, so that no unique index stands in for the isolation level.
          const key = `counter-key-${Math.random()}`;
          await tx.insert(accounts).values({ id: key, name: `counter-${count}`, nameKey: key });
        });
      await Promise.all([next(), next()]);
      expect((await names()).filter((n) => n.startsWith('counter-'))).toEqual(['counter-0', 'counter-1', 'counter-2']);
    } finally {
      await twoConnections.close();
    }
  });
});
