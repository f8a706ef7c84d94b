// PRJ-1 / PRJ-2 through the API (createProject, updateProject, enableDeliverables, project(id),
// Account.projects, User.projects), with §9: who may read and change a project.
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
});

const ALICE = 'alice@harbor.example';
const BOB = 'bob@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const FRANK = 'frank@freelance.example';

const PROJECT = `project { id number name deliverablesEnabled internalDomain account { name }
  teamMembers { edges { node { email source isProjectOwner roles { builtIn } } } } }`;

/** createProject through the API, asserting success. */
async function created(input: Record<string, unknown>, as: string) {
  const { payload, result } = await mutate(world, 'createProject', input, as, 'project { id }');
  return expectSuccess(payload, result).project.id as string;
}

const readProject = async (id: string, as: string) =>
  (await world.gql(`query($id: ID!) { project(id: $id) { number name } }`, { id: gid('Project', id) }, as)).data
    ?.project;

describe('PRJ-1 creating a project', () => {
  it('PRJ-1 an IMS admin creates a project of their home account and becomes its first Project Owner', async () => {
    const { payload, result } = await mutate(
      world,
      'createProject',
      { number: ' P-100 ', name: 'Bridge' },
      ALICE,
      PROJECT,
    );
    expect(expectSuccess(payload, result).project).toMatchObject({
      number: 'P-100',
      name: 'Bridge',
      deliverablesEnabled: false,
      internalDomain: null,
      account: { name: 'Harbor Engineering' },
      teamMembers: {
        edges: [
          { node: { email: ALICE, source: 'TEAM', isProjectOwner: true, roles: [{ builtIn: 'PROJECT_OWNER' }] } },
        ],
      },
    });
  });

  it('PRJ-1 each IMS role may create one: CO_ADMINISTRATOR and CONNECT_SERVICES_ADMIN too', async () => {
    await created({ number: 'B-1', name: 'B' }, BOB);
    await world.member(cast.host, await world.user('cs@harbor.example'), 'CONNECT_SERVICES_ADMIN');
    const { payload, result } = await mutate(world, 'createProject', { number: 'C-1', name: 'C' }, 'cs@harbor.example');
    expectSuccess(payload, result);
  });

  it('PRJ-1 who may not: a member without an IMS role (FORBIDDEN), an unaffiliated user (NO_HOME_ACCOUNT), anonymous, an unregistered token', async () => {
    const input = { number: 'P-1', name: 'Bridge' };
    const before = await world.rowCounts();
    expectTopLevel((await mutate(world, 'createProject', input, CAROL)).result, 'FORBIDDEN');
    expectUserError((await mutate(world, 'createProject', input, FRANK)).payload, 'NO_HOME_ACCOUNT');
    expectTopLevel((await mutate(world, 'createProject', input, null)).result, 'UNAUTHENTICATED');
    expectTopLevel((await mutate(world, 'createProject', input, 'nobody@harbor.example')).result, 'FORBIDDEN');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-1 the number: 40 characters is fine, 41 and empty are refused before anything is written', async () => {
    const forty = 'N'.repeat(40);
    await created({ number: forty, name: 'x' }, ALICE);
    const before = await world.rowCounts();
    for (const number of [`${forty}1`, '', '   ']) {
      expectTopLevel((await mutate(world, 'createProject', { number, name: 'x' }, ALICE)).result, 'BAD_USER_INPUT');
    }
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-1 PROJECT_NUMBER_TAKEN within the account, ignoring case; another account may use the same number', async () => {
    await world.project(cast.alice, 'P-1');
    const before = await world.rowCounts();
    const taken = expectUserError(
      (await mutate(world, 'createProject', { number: 'p-1', name: 'x' }, BOB)).payload,
      'PROJECT_NUMBER_TAKEN',
    );
    expect(taken.path).toEqual(['input', 'number']);
    expect(await world.rowCounts()).toEqual(before);
    const { payload, result } = await mutate(world, 'createProject', { number: 'P-1', name: 'x' }, DAVE);
    expectSuccess(payload, result);
  });
});

describe('PRJ-1 updateProject and §9 reading a project', () => {
  it('PRJ-1 a Project Owner renames and renumbers; an IMS admin of the account who is not on the team may too', async () => {
    const p = await world.project(cast.alice, 'P-1', 'Old');
    const renamed = await mutate(
      world,
      'updateProject',
      { projectId: gid('Project', p.id), name: 'New', number: 'P-2' },
      ALICE,
      'project { number name }',
    );
    expect(expectSuccess(renamed.payload, renamed.result).project).toEqual({ number: 'P-2', name: 'New' });
    const byBob = await mutate(
      world,
      'updateProject',
      { projectId: gid('Project', p.id), name: 'Bob’s' },
      BOB,
      'project { name }',
    );
    expect(expectSuccess(byBob.payload, byBob.result).project.name).toBe('Bob’s');
  });

  it('PRJ-1 renumbering onto a taken number is PROJECT_NUMBER_TAKEN; its own number (other case) is not', async () => {
    const p = await world.project(cast.alice, 'P-1');
    await world.project(cast.alice, 'P-2');
    const id = gid('Project', p.id);
    expectUserError(
      (await mutate(world, 'updateProject', { projectId: id, number: 'P-2' }, ALICE)).payload,
      'PROJECT_NUMBER_TAKEN',
    );
    const same = await mutate(world, 'updateProject', { projectId: id, number: 'p-1' }, ALICE, 'project { number }');
    expect(expectSuccess(same.payload, same.result).project.number).toBe('p-1');
  });

  it('PRJ-7 a team member who is not a Project Owner — even a Project Administrator — may not rename (FORBIDDEN)', async () => {
    const p = await world.project(cast.alice, 'P-1');
    await world.teamMember(p, cast.alice, cast.frank, 'PROJECT_ADMINISTRATOR');
    expectTopLevel(
      (await mutate(world, 'updateProject', { projectId: gid('Project', p.id), name: 'x' }, FRANK)).result,
      'FORBIDDEN',
    );
  });

  it('§9 a project you may not read answers exactly as a missing one, in queries and mutations', async () => {
    const p = await world.project(cast.alice, 'P-1');
    expect(await readProject(p.id, ALICE)).toEqual({ number: 'P-1', name: 'Project P-1' });
    expect(await readProject(p.id, BOB)).toEqual({ number: 'P-1', name: 'Project P-1' }); // IMS admin, not on the team
    expect(await readProject(p.id, CAROL)).toBeNull(); // member of the account, not on the team
    expect(await readProject(p.id, DAVE)).toBeNull();
    const hidden = expectUserError(
      (await mutate(world, 'updateProject', { projectId: gid('Project', p.id), name: 'x' }, DAVE)).payload,
      'NOT_FOUND',
    );
    const missing = expectUserError(
      (await mutate(world, 'updateProject', { projectId: gid('Project', 'nope'), name: 'x' }, DAVE)).payload,
      'NOT_FOUND',
    );
    expect(hidden).toEqual(missing);
    const node = await world.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: gid('Project', p.id) }, CAROL);
    expect(node.data?.node).toBeNull();
    await world.teamMember(p, cast.alice, cast.carol);
    expect(await readProject(p.id, CAROL)).toEqual({ number: 'P-1', name: 'Project P-1' });
  });

  it('PRJ-1 a Project Owner who leaves the account stays Project Owner (team membership is independent)', async () => {
    const p = await world.project(cast.bob, 'P-1');
    const removed = await mutate(
      world,
      'removeAccountMember',
      { accountId: gid('Account', cast.host.id), userId: gid('User', cast.bob.id) },
      ALICE,
    );
    expectSuccess(removed.payload, removed.result);
    expect(await readProject(p.id, BOB)).toEqual({ number: 'P-1', name: 'Project P-1' });
    const renamed = await mutate(
      world,
      'updateProject',
      { projectId: gid('Project', p.id), name: 'Still mine' },
      BOB,
      'project { name }',
    );
    expect(expectSuccess(renamed.payload, renamed.result).project.name).toBe('Still mine');
  });

  it('§9 Account.projects: all of them for its IMS admins, the ones whose team you are on otherwise; User.projects likewise', async () => {
    const p1 = await world.project(cast.alice, 'P-1');
    await world.project(cast.alice, 'P-2');
    await world.teamMember(p1, cast.alice, cast.carol);
    const list = async (as: string) =>
      nodes(
        (
          await world.gql(
            `query($id: ID!) { account(id: $id) { projects { totalCount edges { node { number } } } } }`,
            { id: gid('Account', cast.host.id) },
            as,
          )
        ).data?.account?.projects,
      ).map((n) => n.number);
    expect(await list(ALICE)).toEqual(['P-1', 'P-2']);
    expect(await list(BOB)).toEqual(['P-1', 'P-2']);
    expect(await list(CAROL)).toEqual(['P-1']);
    expect(await list(DAVE)).toEqual([]);
    const mine = await world.gql(`{ viewer { projects { edges { node { number } } } } }`, {}, CAROL);
    expect(nodes(mine.data?.viewer?.projects).map((n) => n.number)).toEqual(['P-1']);
  });
});

describe('PRJ-2 enableDeliverables', () => {
  it('PRJ-2 a Project Owner enables it; the internal domain is their email domain, fixed; a second call is refused', async () => {
    const p = await world.project(cast.alice, 'P-1');
    const input = { projectId: gid('Project', p.id) };
    const on = await mutate(
      world,
      'enableDeliverables',
      input,
      ALICE,
      'project { deliverablesEnabled internalDomain }',
    );
    expect(expectSuccess(on.payload, on.result).project).toEqual({
      deliverablesEnabled: true,
      internalDomain: 'harbor.example',
    });
    const before = await world.rowCounts();
    expectUserError((await mutate(world, 'enableDeliverables', input, BOB)).payload, 'DELIVERABLES_ALREADY_ENABLED');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('PRJ-2 an IMS admin of the account who is a member enables it without being on the team', async () => {
    const p = await world.project(cast.alice, 'P-1');
    const on = await mutate(
      world,
      'enableDeliverables',
      { projectId: gid('Project', p.id) },
      BOB,
      'project { internalDomain }',
    );
    expect(expectSuccess(on.payload, on.result).project.internalDomain).toBe('harbor.example');
  });

  it('PRJ-2 who may not: a Project Owner from outside the account, a Project Administrator, a reader who is not on the team', async () => {
    const p = await world.project(cast.alice, 'P-1');
    await world.teamMember(p, cast.alice, cast.frank, 'PROJECT_OWNER');
    await world.teamMember(p, cast.alice, cast.erin, 'PROJECT_ADMINISTRATOR');
    const input = { projectId: gid('Project', p.id) };
    expectTopLevel((await mutate(world, 'enableDeliverables', input, FRANK)).result, 'FORBIDDEN');
    expectTopLevel((await mutate(world, 'enableDeliverables', input, 'erin@northwind.example')).result, 'FORBIDDEN');
    expectUserError((await mutate(world, 'enableDeliverables', input, CAROL)).payload, 'NOT_FOUND');
    expect(await readProject(p.id, ALICE)).toBeTruthy();
  });
});

describe('PRJ-2 the internal domain is the enabler’s', () => {
  it('PRJ-2 an enabler on the account’s second domain fixes that domain, not the creator’s', async () => {
    const multi = await world.account(
      'Delta Works',
      ['delta.example', 'delta-eng.example'],
      await world.user('root@delta.example'),
    );
    const creator = await world.member(multi, await world.user('creator@delta.example'), 'ACCOUNT_ADMIN');
    const enabler = await world.member(multi, await world.user('pat@delta-eng.example'), 'CO_ADMINISTRATOR');
    const p = await world.project(creator, 'D-1');
    const on = await mutate(
      world,
      'enableDeliverables',
      { projectId: gid('Project', p.id) },
      enabler.email,
      'project { internalDomain }',
    );
    expect(expectSuccess(on.payload, on.result).project.internalDomain).toBe('delta-eng.example');
  });

  it('PRJ-1 PROJECT_NUMBER_TAKEN does not repeat how the other project spells its number', async () => {
    await world.project(cast.alice, 'Secret-Tunnel');
    const taken = expectUserError(
      (await mutate(world, 'createProject', { number: 'SECRET-TUNNEL', name: 'x' }, BOB)).payload,
      'PROJECT_NUMBER_TAKEN',
    );
    expect(taken.message).not.toContain('Secret-Tunnel');
  });
});
