// LIC-8 bulk checkout while other things happen: the event loop is given turns while a batch is
// prepared (no timing asserted: a callback scheduled before the call runs before it settles), the
// batch stays all-or-nothing, and what the database decides (duplicates, restrictions) is decided
// again at commit, so a change made while the batch was being prepared cannot slip in.
import { beforeEach, describe, expect, it } from 'vitest';
import { licenseCheckouts } from '../../../src/db/schema.js';
import type { AppError } from '../../../src/errors.js';
import { loadSigningKey, type SigningKey } from '../../../src/licensing/license-keys.js';
import { verifyLicenseFile } from '../../../src/licensing/rules/license-file.js';
import {
  BulkCheckoutError,
  type BulkCheckoutInput,
  commitBulkCheckout,
  createBulkLicenseCheckout,
  createLicenseCheckout,
  prepareBulkCheckout,
  setCheckoutRestrictions,
} from '../../../src/licensing/service.js';
import type { ServiceContext } from '../../../src/service-context.js';
import { createWorld, freshUser, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let ctx: ServiceContext;
let signing: SigningKey;
let input: (csv: string) => BulkCheckoutInput;

const PW = [{ product: 'PW_EXPLORER', version: '10.0.3.280' }];
const rows = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@crew.example,PC-${i}`);
const file = (lines: string[]) => ['email,machineName', ...lines].join('\n');
const checkoutCount = async () => (await world.db.select().from(licenseCheckouts)).length;

beforeEach(async () => {
  world = await createWorld();
  const cast = await hostAndSupplier(world);
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE', '2028-12-31');
  ctx = { db: world.db, actor: await freshUser(world.db, cast.dave.id), now: world.now };
  signing = await loadSigningKey(world.db, undefined);
  input = (csv) => ({ accountId: cast.supplier.id, csv, products: PW, entitlementCountry: 'DE' });
});

/** Runs `call` and reports whether a setImmediate callback scheduled just before it ran before it
 *  settled, and how many turns of the event loop other callbacks got meanwhile. */
async function watchTurns<T>(call: () => Promise<T>) {
  let settled = false;
  let ranBeforeSettled: boolean | undefined;
  setImmediate(() => {
    ranBeforeSettled = !settled;
  });
  let turns = 0;
  const count = () => {
    if (settled) return;
    turns += 1;
    setImmediate(count);
  };
  setImmediate(count);
  const outcome = await call().then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  settled = true;
  return { ...outcome, ranBeforeSettled, turns };
}

describe('LIC-8 bulk checkout yields the event loop', () => {
  it('LIC-8 a 5,000-row bulk checkout gives other callbacks turns before it settles, and creates every checkout', async () => {
    const { value, error, ranBeforeSettled, turns } = await watchTurns(() =>
      createBulkLicenseCheckout(ctx, signing, input(file(rows(5000)))),
    );
    expect(error).toBeUndefined();
    expect(ranBeforeSettled).toBe(true);
    // The file alone is read in some 30 pieces, one per turn.
    expect(turns).toBeGreaterThan(10);
    expect(value).toHaveLength(5000);
    expect(await checkoutCount()).toBe(5000);
  }, 60_000);

  it('LIC-8 one bad row among 5,000 creates nothing (one error, for that row), and the event loop was yielded meanwhile', async () => {
    const lines = rows(5000);
    lines[3999] = 'user3999@crew.example,';
    const { error, ranBeforeSettled } = await watchTurns(() =>
      createBulkLicenseCheckout(ctx, signing, input(file(lines))),
    );
    expect(ranBeforeSettled).toBe(true);
    expect(error).toBeInstanceOf(BulkCheckoutError);
    expect((error as BulkCheckoutError).rows).toEqual([
      { row: 4001, column: 'machineName', message: 'the machine name is empty' },
    ]);
    expect(await checkoutCount()).toBe(0);
  }, 60_000);

  it('LIC-8 the result is what clients had before: one signed file per row, in the order of the file', async () => {
    const created = await createBulkLicenseCheckout(ctx, signing, input(file(rows(300))));
    expect(created.map((c) => `${c.email},${c.machineName}`)).toEqual(rows(300));
    for (const c of [created[0], created[299]]) {
      const verified = verifyLicenseFile(c?.licenseFile ?? '', signing.publicKey);
      expect(verified).toMatchObject({
        ok: true,
        license: { checkoutId: c?.id, email: c?.email, machineName: c?.machineName, products: PW },
      });
    }
    const stored = await world.db.select().from(licenseCheckouts);
    expect(new Map(stored.map((s) => [s.id, s]))).toEqual(new Map(created.map((c) => [c.id, c])));
  });
});

describe('LIC-8 what the database decides is decided again at commit', () => {
  it('LIC-6 / LIC-8 a checkout created while the batch was prepared makes the commit fail for that row; nothing of the batch is created', async () => {
    const prepared = await prepareBulkCheckout(ctx, signing, input(file(rows(50))));
    await createLicenseCheckout(ctx, signing, {
      ...input(''),
      email: 'user7@crew.example',
      machineName: 'PC-7',
    });
    let error: unknown;
    try {
      await commitBulkCheckout(ctx, prepared);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BulkCheckoutError);
    expect((error as BulkCheckoutError).rows).toEqual([
      { row: 9, column: null, message: expect.stringMatching(/already has an active checkout/) },
    ]);
    expect(await checkoutCount()).toBe(1);
  });

  it('LIC-6 checkouts disabled while the batch was prepared: the commit refuses it (CHECKOUTS_DISABLED) and creates nothing', async () => {
    const prepared = await prepareBulkCheckout(ctx, signing, input(file(rows(50))));
    await setCheckoutRestrictions(ctx, { accountId: input('').accountId, country: 'DE', checkoutsEnabled: false });
    await expect(commitBulkCheckout(ctx, prepared)).rejects.toThrow(
      expect.objectContaining({ code: 'CHECKOUTS_DISABLED' }) as AppError,
    );
    expect(await checkoutCount()).toBe(0);
  });

  it('LIC-6 a shorter maximum duration set while the batch was prepared: the signed files are stale, the commit writes nothing, and a new run signs with the new expiry', async () => {
    const prepared = await prepareBulkCheckout(ctx, signing, input(file(rows(20))));
    await setCheckoutRestrictions(ctx, { accountId: input('').accountId, country: 'DE', maxDurationDays: 30 });
    expect(await commitBulkCheckout(ctx, prepared)).toBeNull();
    expect(await checkoutCount()).toBe(0);
    const created = await createBulkLicenseCheckout(ctx, signing, input(file(rows(20))));
    const expiry = new Date(world.now.getTime() + 30 * 86_400_000);
    expect(created.every((c) => c.expiresAt.getTime() === expiry.getTime())).toBe(true);
    const verified = verifyLicenseFile(created[0]?.licenseFile ?? '', signing.publicKey);
    expect(verified).toMatchObject({ ok: true, license: { expiresAt: expiry.toISOString() } });
  });
});
