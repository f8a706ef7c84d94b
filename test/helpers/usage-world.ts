// Issue 15's usage world (HIS-1…HIS-3 tests): the standard cast; Harbor holds PW_EXPLORER in US and
// Northwind in DE; "Harbor Projects" (IMS on; the identity filter names Harbor and Northwind; external
// users allowed, DENY) and "Harbor Supplied" (external users allowed, SUPPLY, licensing owner Northwind
// — so Northwind pays for externals there without owning it: LIC-3), where Frank has a data-source user.
import type { DataSourceRow } from '../../src/db/schema.js';
import { expectSuccess, mutate } from './ops.js';
import { createWorld, gid, hostAndSupplier, type World } from './world.js';

export const FRANK = 'frank@freelance.example';

export async function usageWorld() {
  const world = await createWorld();
  const cast = await hostAndSupplier(world);
  await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  const projects = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Harbor Engineering" OR Organization = "Northwind Surveying"',
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  const supplied = await world.dataSource(cast.host, cast.alice, 'Harbor Supplied', {
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
  });
  await world.licensingOwner(supplied, cast.alice, cast.supplier);
  await world.dsUser(supplied, cast.alice, 'frank-login', { identity: FRANK });
  return { world, cast, projects, supplied };
}

/** A granted sign-in by `as` (asserted), selecting `selection` on the decision. */
export async function signedIn(
  world: World,
  ds: DataSourceRow,
  as: string,
  machineName = 'WS-1',
  selection = 'granted',
): Promise<Record<string, any>> {
  const { payload, result } = await mutate(
    world,
    'signInToDataSource',
    { dataSourceId: gid('DataSource', ds.id), machineName },
    as,
    `decision { ${selection} }`,
  );
  const decision = expectSuccess(payload, result).decision;
  if (!decision.granted) throw new Error(`${as} was refused: ${JSON.stringify(decision)}`);
  return decision;
}
