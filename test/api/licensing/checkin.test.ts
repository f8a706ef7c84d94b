// LIC-9: the history says who checked a checkout in — also when the user it was issued to did it
// themselves from the license tool, though the issuing admins may not otherwise read that person.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'FR');
});

const CHECKOUT = `query($id: ID!) { licenseCheckout(id: $id) {
  status email user { email } createdBy { email } checkedInBy { email } checkedInAt } }`;

async function checkoutFor(email: string) {
  const created = await mutate(
    world,
    'createLicenseCheckout',
    {
      accountId: gid('Account', cast.host.id),
      email,
      machineName: 'LAPTOP-7',
      products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
      entitlementCountry: 'FR',
    },
    'alice@harbor.example',
    'checkout { id }',
  );
  return expectSuccess(created.payload, created.result).checkout.id as string;
}

describe('LIC-9 who checked a checkout in', () => {
  it('LIC-9 an external user checks in their own license: the issuing admins see who did it', async () => {
    const id = await checkoutFor('frank@freelance.example');
    const checkedIn = await mutate(world, 'checkInLicense', { checkoutId: id }, 'frank@freelance.example');
    expectSuccess(checkedIn.payload, checkedIn.result);
    for (const admin of ['alice@harbor.example', 'bob@harbor.example']) {
      const seen = await world.gql(CHECKOUT, { id }, admin);
      expect(seen.errors).toBeUndefined();
      expect(seen.data?.licenseCheckout).toMatchObject({
        status: 'CHECKED_IN',
        user: { email: 'frank@freelance.example' },
        createdBy: { email: 'alice@harbor.example' },
        checkedInBy: { email: 'frank@freelance.example' },
      });
    }
    // The user sees their own checkout and that they checked it in.
    const own = await world.gql(CHECKOUT, { id }, 'frank@freelance.example');
    expect(own.data?.licenseCheckout.checkedInBy).toEqual({ email: 'frank@freelance.example' });
  });

  it('LIC-9 issuing a checkout shows its user to the issuing account only, not to other accounts', async () => {
    await checkoutFor('frank@freelance.example');
    const q = 'query($id: ID!) { user(id: $id) { email } }';
    expect((await world.gql(q, { id: gid('User', cast.frank.id) }, 'bob@harbor.example')).data?.user).toEqual({
      email: 'frank@freelance.example',
    });
    expect((await world.gql(q, { id: gid('User', cast.frank.id) }, 'dave@northwind.example')).data?.user).toBeNull();
    expect((await world.gql(q, { id: gid('User', cast.frank.id) }, 'carol@harbor.example')).data?.user).toBeNull();
  });
});
