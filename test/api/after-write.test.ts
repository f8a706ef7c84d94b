// After a mutation commits, the request reads the viewer and their roles again (context.afterWrite), so
// its payload shows what it wrote. When that re-read fails, the committed mutation is still answered as
// done — never as failed — and the rest of the request reads as if the viewer held no role (fail closed).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as authorize from '../../src/authz/authorize.js';
import { expectSuccess, mutate } from '../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../helpers/world.js';

/** How many more reads of the viewer succeed before they fail (Infinity: none fails). */
let readsLeft = Number.POSITIVE_INFINITY;

vi.mock('../../src/authz/authorize.js', async (original) => {
  const actual = await original<typeof authorize>();
  return {
    ...actual,
    loadViewer: async (...args: Parameters<typeof actual.loadViewer>) => {
      if (readsLeft <= 0) throw new Error('database unavailable');
      readsLeft -= 1;
      return actual.loadViewer(...args);
    },
  };
});

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  readsLeft = Number.POSITIVE_INFINITY;
  world = await createWorld();
  cast = await hostAndSupplier(world);
  await world.token('alice@harbor.example'); // signed before the reads are counted
});

const grant = () =>
  mutate(
    world,
    'grantImsRole',
    { accountId: gid('Account', cast.host.id), userId: gid('User', cast.carol.id), role: 'CONNECT_SERVICES_ADMIN' },
    'alice@harbor.example',
    'user { email imsRoles }',
  );

const carolsRoles = async () =>
  (
    await world.gql(
      `query($id: ID!) { node(id: $id) { ... on User { imsRoles } } }`,
      { id: gid('User', cast.carol.id) },
      'alice@harbor.example',
    )
  ).data?.node;

describe('the viewer read again after a mutation', () => {
  it('reads what the mutation wrote (the re-read succeeds)', async () => {
    const { payload, result } = await grant();
    expect(expectSuccess(payload, result).user).toEqual({
      email: 'carol@harbor.example',
      imsRoles: ['CONNECT_SERVICES_ADMIN'],
    });
  });

  it('a failed re-read: the committed grant is answered as done, its role-guarded fields withheld', async () => {
    readsLeft = 1; // the request's first reading of the viewer; the one after the write fails
    const { payload, result } = await grant();
    expect(payload?.__typename).toBe('GrantImsRoleSuccess');
    expect(payload?.user?.email).toBe('carol@harbor.example');
    // Alice's ACCOUNT_ADMIN could not be read again: what needs it is not shown.
    expect(payload?.user?.imsRoles ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    readsLeft = Number.POSITIVE_INFINITY;
    expect(await carolsRoles()).toEqual({ imsRoles: ['CONNECT_SERVICES_ADMIN'] });
  });
});
