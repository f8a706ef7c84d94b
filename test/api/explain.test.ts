// ACC-2 in explanations: a data-source user is created only by a granted sign-in, so an explanation
// promises one (willCreateDataSourceUser, and the ACC-2 step's text) only when access is granted.
import { beforeEach, describe, expect, it } from 'vitest';
import { createWorld, gid, hostAndSupplier, type World } from '../helpers/world.js';

let world: World;
let cast: ReturnType<typeof hostAndSupplier>;

beforeEach(() => {
  world = createWorld();
  cast = hostAndSupplier(world);
});

const EXPLAIN = `query($input: ExplainAccessInput!) { explainAccess(input: $input) {
  granted denialReason willCreateDataSourceUser dataSourceUser { id } steps { rule outcome detail } } }`;

describe('ACC-2 explainAccess promises a dynamic user only when granted', () => {
  const setUp = (externalAccess: { allowExternalImsUsers: boolean; externalLicensing: 'SUPPLY' | 'DENY' }) => {
    const ds = world.dataSource(cast.host, cast.alice, 'Harbor Projects', {
      imsAuthEnabled: true,
      dynamicCreationFilter: 'Organization = "Northwind Surveying"',
      externalAccess,
    });
    world.licensingOwner(ds, cast.alice, cast.host);
    world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'DE');
    return ds;
  };
  const explain = async (dsId: string) => {
    const result = await world.gql(
      EXPLAIN,
      { input: { dataSourceId: gid('DataSource', dsId), machineName: 'WS-1' } },
      'erin@northwind.example',
    );
    expect(result.errors).toBeUndefined();
    return result.data?.explainAccess;
  };
  const acc2 = (decision: { steps: { rule: string; detail: string }[] }) =>
    decision.steps.find((s) => s.rule === 'ACC-2')?.detail ?? '';

  it('ACC-2 granted: a user will be created, and the step says so', async () => {
    const decision = await explain(setUp({ allowExternalImsUsers: true, externalLicensing: 'SUPPLY' }).id);
    expect(decision).toMatchObject({ granted: true, willCreateDataSourceUser: true, dataSourceUser: null });
    expect(acc2(decision)).toMatch(/created at sign-in/);
  });

  it('ACC-2 refused later (EXTERNAL_ACCESS_NOT_ALLOWED): no user will be created, and the step says none is', async () => {
    const decision = await explain(setUp({ allowExternalImsUsers: false, externalLicensing: 'SUPPLY' }).id);
    expect(decision).toMatchObject({
      granted: false,
      denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED',
      willCreateDataSourceUser: false,
      dataSourceUser: null,
    });
    expect(acc2(decision)).not.toMatch(/created at sign-in/);
    expect(acc2(decision)).toMatch(/no data-source user is created/);
  });

  it('ACC-2 refused later (NO_LICENSE): no user will be created', async () => {
    const decision = await explain(setUp({ allowExternalImsUsers: true, externalLicensing: 'DENY' }).id);
    expect(decision).toMatchObject({ granted: false, denialReason: 'NO_LICENSE', willCreateDataSourceUser: false });
    expect(acc2(decision)).not.toMatch(/created at sign-in/);
  });
});
