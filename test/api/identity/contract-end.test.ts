// ID-6: an entitlement counts through the whole of its contract end date (UTC) and not a moment after.
// Every place that compares the contract end is checked at the boundary day and the day after, through
// the API: sign-in (LIC-1.3 own organization, LIC-1.4 associated account), checkouts (LIC-5 entitlement,
// LIC-6 default expiry), the entitlement's `active` flag and adding an entitlement (CONTRACT_ENDED).
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataSourceRow } from '../../../src/db/schema.js';
import { expectSuccess, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let field: DataSourceRow;

const CONTRACT_END = '2026-06-30';
/** Instants on the contract's last day, and the first instant after it. */
const END_DAY_START = new Date('2026-06-30T00:00:00.000Z');
const END_DAY_LAST = new Date('2026-06-30T23:59:59.999Z');
const DAY_AFTER = new Date('2026-07-01T00:00:00.000Z');

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  // Northwind's PW_EXPLORER in Germany (Erin) and France (Frank, associated) ends on CONTRACT_END.
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE', CONTRACT_END);
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'FR', CONTRACT_END);
  await world.associate(cast.supplier, cast.frank, cast.dave);
  // Harbor's data source lets external users in and does not pay for them (DENY).
  field = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  await world.dsUser(field, cast.alice, 'erin', { identity: 'erin@northwind.example' });
  await world.dsUser(field, cast.alice, 'frank', { identity: 'frank@freelance.example' });
});

const signIn = async (as: string) =>
  (
    await mutate(
      world,
      'signInToDataSource',
      { dataSourceId: gid('DataSource', field.id), machineName: 'WS-1' },
      as,
      'decision { granted denialReason licenseSource billedAccount { name } }',
    )
  ).payload?.decision;

const checkout = () =>
  mutate(
    world,
    'createLicenseCheckout',
    {
      accountId: gid('Account', cast.supplier.id),
      email: 'erin@northwind.example',
      machineName: 'NW-1',
      products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
      entitlementCountry: 'DE',
    },
    'dave@northwind.example',
    'checkout { expiresAt status }',
  );

const activeFlags = async () => {
  const r = await world.gql(
    `query($id: ID!) { account(id: $id) { entitlements { edges { node { country active } } } } }`,
    { id: gid('Account', cast.supplier.id) },
    'dave@northwind.example',
  );
  expect(r.errors).toBeUndefined();
  return Object.fromEntries(r.data?.account.entitlements.edges.map((e: any) => [e.node.country, e.node.active]));
};

describe('ID-6 the contract end date is the last day an entitlement counts', () => {
  it('LIC-1.3 the own organization’s entitlement licenses the user all through its end day, not the day after', async () => {
    for (const at of [END_DAY_START, END_DAY_LAST]) {
      world.setNow(at);
      expect(await signIn('erin@northwind.example'), at.toISOString()).toEqual({
        granted: true,
        denialReason: null,
        licenseSource: 'OWN_ORGANIZATION',
        billedAccount: { name: 'Northwind Surveying' },
      });
    }
    world.setNow(DAY_AFTER);
    expect(await signIn('erin@northwind.example')).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
  });

  it('LIC-1.4 an associated account’s entitlement licenses the user all through its end day, not the day after', async () => {
    for (const at of [END_DAY_START, END_DAY_LAST]) {
      world.setNow(at);
      expect(await signIn('frank@freelance.example'), at.toISOString()).toEqual({
        granted: true,
        denialReason: null,
        licenseSource: 'ASSOCIATED_ACCOUNT',
        billedAccount: { name: 'Northwind Surveying' },
      });
    }
    world.setNow(DAY_AFTER);
    expect(await signIn('frank@freelance.example')).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
  });

  it('LIC-5 / LIC-6 a checkout may be made on the contract’s end day, expiring at its end; the day after it is NOT_ENTITLED', async () => {
    world.setNow(END_DAY_START);
    const made = await checkout();
    expect(expectSuccess(made.payload, made.result).checkout).toEqual({
      expiresAt: '2026-06-30T23:59:59.999Z',
      status: 'ACTIVE',
    });
    world.setNow(DAY_AFTER);
    expectUserError((await checkout()).payload, 'NOT_ENTITLED');
  });

  it('ID-6 an entitlement is active on its end day and not the day after', async () => {
    world.setNow(END_DAY_LAST);
    expect(await activeFlags()).toEqual({ DE: true, FR: true });
    world.setNow(DAY_AFTER);
    expect(await activeFlags()).toEqual({ DE: false, FR: false });
  });

  it('ID-6 an entitlement ending today may be added; one that ended yesterday is CONTRACT_ENDED', async () => {
    world.setNow(END_DAY_LAST);
    const add = (productCode: string, contractEndDate: string) =>
      mutate(
        world,
        'addEntitlement',
        { accountId: gid('Account', cast.supplier.id), productCode, country: 'DE', contractEndDate },
        'dave@northwind.example',
        'entitlement { contractEndDate active }',
      );
    const today = await add('MICROSTATION', CONTRACT_END);
    expect(expectSuccess(today.payload, today.result).entitlement).toEqual({
      contractEndDate: CONTRACT_END,
      active: true,
    });
    expectUserError((await add('OPENROADS', '2026-06-29')).payload, 'CONTRACT_ENDED');
  });
});
