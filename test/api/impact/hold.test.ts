// IMP-1: a dry run's transaction is held while its operation's payload is read, at most DRY_RUN_HOLD_MS.
// When the hold runs out first (a payload read that never ends), the request reads the database again —
// never the finished transaction's handle, which the next writer is using (a reviewer showed it then
// read another transaction's uncommitted rows). Real time: this test takes DRY_RUN_HOLD_MS.
import { randomUUID } from 'node:crypto';
import { Kind } from 'graphql';
import { expect, it } from 'vitest';
import { createTokenVerifier } from '../../../src/auth/tokens.js';
import { inTransaction } from '../../../src/db/client.js';
import { entitlements } from '../../../src/db/schema.js';
import { createContext } from '../../../src/graphql/context.js';
import { DRY_RUN_HOLD_MS, dryRun } from '../../../src/graphql/dry-run.js';
import '../../../src/schema.js';
import * as identity from '../../../src/identity/service.js';
import { createWorld, hostAndSupplier, TEST_AUTH } from '../../helpers/world.js';

it(`IMP-1 after the hold (${DRY_RUN_HOLD_MS} ms) the request reads committed rows only, and the dry run wrote nothing`, async () => {
  const world = await createWorld();
  const cast = await hostAndSupplier(world);
  const checksum = await world.checksum();
  const token = await world.token('alice@harbor.example');
  const ctx = await createContext(
    { db: world.db, areas: {} as never, clock: () => world.now, verifyToken: createTokenVerifier(TEST_AUTH) },
    new Request('http://test/graphql', { headers: { authorization: `Bearer ${token}` } }),
  );
  // One root field; the operation's end never comes (ctx.endOperation is not called).
  const info = { operation: { selectionSet: { selections: [{ kind: Kind.FIELD }] } }, fragments: {} } as never;
  await dryRun(ctx, info, {}, async () => ({
    entitlement: await identity.addEntitlement(ctx.service(), {
      accountId: cast.host.id,
      productCode: 'DRY_RUN',
      country: 'US',
      contractEndDate: '2027-12-31',
    }),
  }));
  // While held, the request reads the change as made.
  expect((await ctx.db.select().from(entitlements)).map((e) => e.productCode)).toContain('DRY_RUN');
  await new Promise((resolve) => setTimeout(resolve, DRY_RUN_HOLD_MS + 300));
  // Another writer holds a transaction with a row it has not committed.
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const writing = inTransaction(world.db, async (tx) => {
    await tx.insert(entitlements).values({
      id: randomUUID(),
      accountId: cast.supplier.id,
      productCode: 'UNCOMMITTED',
      country: 'DE',
      contractEndDate: '2027-12-31',
      createdAt: world.now,
    });
    await gate;
    throw new Error('rolled back on purpose');
  }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const seen = (await ctx.db.select().from(entitlements)).map((e) => e.productCode);
  release();
  await writing;
  expect(seen).not.toContain('UNCOMMITTED');
  expect(seen).not.toContain('DRY_RUN');
  expect(await world.checksum()).toBe(checksum);
}, 30_000);
