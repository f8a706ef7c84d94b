// EXT-4 through the API: setProvidedLicenses (an IMS admin of the project's account AND a Project Owner)
// and Project.providedLicenses (Project Owners and IMS admins).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const FRANK = 'frank@freelance.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  project = await world.project(cast.alice, 'HB-1');
});

const set = (as: string, accountIds: string[], unaffiliated: boolean) =>
  mutate(
    world,
    'setProvidedLicenses',
    { projectId: gid('Project', project.id), accountIds, unaffiliated },
    as,
    'project { id }',
  );

const read = async (as: string) =>
  world.gql(
    `query($id: ID!) { project(id: $id) { providedLicenses { accounts { name } unaffiliated } } }`,
    { id: gid('Project', project.id) },
    as,
  );

describe('EXT-4 provided licenses', () => {
  it('EXT-4 an IMS admin who is a Project Owner sets the accounts and UNAFFILIATED; the setting replaces the previous one', async () => {
    expect((await read(ALICE)).data?.project?.providedLicenses).toEqual({ accounts: [], unaffiliated: false });
    const first = await set(ALICE, [gid('Account', cast.supplier.id)], true);
    expectSuccess(first.payload, first.result);
    expect((await read(ALICE)).data?.project?.providedLicenses).toEqual({
      accounts: [{ name: 'Northwind Surveying' }],
      unaffiliated: true,
    });
    const replaced = await set(ALICE, [], false);
    expectSuccess(replaced.payload, replaced.result);
    expect((await read(ALICE)).data?.project?.providedLicenses).toEqual({ accounts: [], unaffiliated: false });
  });

  it('EXT-4 OWN_ACCOUNT: the project’s own account cannot be listed; nothing written', async () => {
    const before = await world.rowCounts();
    const own = expectUserError(
      (await set(ALICE, [gid('Account', cast.supplier.id), gid('Account', cast.host.id)], true)).payload,
      'OWN_ACCOUNT',
    );
    expect(own.path).toEqual(['input', 'accountIds', '1']);
    expect(await world.rowCounts()).toEqual(before);
  });

  it('EXT-4 both at once: an IMS admin who is not a Project Owner may not, nor a Project Owner without an IMS role; both may read', async () => {
    // Bob: CO_ADMINISTRATOR of Harbor, not on the team.
    expectTopLevel((await set(BOB, [], true)).result, 'FORBIDDEN');
    expect((await read(BOB)).data?.project?.providedLicenses).toEqual({ accounts: [], unaffiliated: false });
    // Frank: a Project Owner without any IMS role in Harbor.
    await world.teamMember(project, cast.alice, cast.frank, 'PROJECT_OWNER');
    expectTopLevel((await set(FRANK, [], true)).result, 'FORBIDDEN');
    expect((await read(FRANK)).data?.project?.providedLicenses).toEqual({ accounts: [], unaffiliated: false });
    // A team member who is neither reads nothing.
    await world.teamMember(project, cast.alice, cast.carol, 'PROJECT_ADMINISTRATOR');
    const carol = await read('carol@harbor.example');
    expect(carol.data?.project?.providedLicenses).toBeNull();
    expectTopLevel(carol, 'FORBIDDEN');
    // An outsider: NOT_FOUND.
    expectUserError((await set('dave@northwind.example', [], true)).payload, 'NOT_FOUND');
  });
});
