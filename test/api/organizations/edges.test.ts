// EXT-1 … EXT-5 at their edges: each condition of a rule on its own (this project and not another, the
// answerer's own account, rejecting as well as accepting, the instant of expiry), who may cancel, the
// error paths, both directions of a DM link, and what each side's audit log may name.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let hb1: ProjectRow;
let hb2: ProjectRow;

const ALICE = 'alice@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  hb1 = await world.enableDeliverables(await world.project(cast.alice, 'HB-1'), cast.alice);
  hb2 = await world.enableDeliverables(await world.project(cast.alice, 'HB-2'), cast.alice);
});

const invite = (project: ProjectRow, pointOfContactEmail = DAVE, as = ALICE) =>
  mutate(
    world,
    'inviteExternalOrganization',
    { projectId: gid('Project', project.id), accountId: gid('Account', cast.supplier.id), pointOfContactEmail },
    as,
    'invitation { id status }',
  );

async function sent(project: ProjectRow, pointOfContactEmail = DAVE): Promise<string> {
  const { payload, result } = await invite(project, pointOfContactEmail);
  return expectSuccess(payload, result).invitation.id;
}

const respond = (as: string, input: Record<string, unknown>) =>
  mutate(world, 'respondToInvitation', input, as, 'invitation { status } linkedProject { id number }');

const cancel = (as: string, invitationId: string) =>
  mutate(world, 'cancelInvitation', { invitationId }, as, 'invitation { status }');

async function auditSummaries(accountId: string, reader: string): Promise<string[]> {
  const log = await world.gql(
    'query($id: ID!) { account(id: $id) { auditLog(first: 20) { edges { node { action summary } } } } }',
    { id: gid('Account', accountId) },
    reader,
  );
  return nodes(log.data?.account.auditLog)
    .filter((e) => e.action === 'respondToInvitation')
    .map((e) => e.summary);
}

describe('EXT-1 conditions of inviting, one at a time', () => {
  it("EXT-1 INVITATION_PENDING is this project's: a pending invitation to HB-1 does not block one to HB-2", async () => {
    await sent(hb1);
    expectUserError((await invite(hb1)).payload, 'INVITATION_PENDING');
    expect((await invite(hb2)).payload?.__typename).toBe('InviteExternalOrganizationSuccess');
  });

  it("EXT-1 ALREADY_LINKED is this project's: Northwind linked to HB-1 may still be invited to HB-2", async () => {
    const id = await sent(hb1);
    const accepted = await respond(DAVE, { invitationId: id, accept: true });
    expectSuccess(accepted.payload, accepted.result);
    expectUserError((await invite(hb1, ERIN)).payload, 'ALREADY_LINKED');
    expect((await invite(hb2)).payload?.__typename).toBe('InviteExternalOrganizationSuccess');
  });
});

describe('§9 who reads a link between projects: team members of either project', () => {
  it('§9 a plain team member of the inviting project reads the link; a linked team member reads it from their side; outsiders nothing', async () => {
    const id = await sent(hb1);
    const accepted = await respond(DAVE, { invitationId: id, accept: true });
    const linked = expectSuccess(accepted.payload, accepted.result).linkedProject;
    await world.teamMember(hb1, cast.alice, cast.carol, 'TEAM_MEMBER');
    const links = async (as: string) =>
      (
        await world.gql(
          'query($id: ID!) { project(id: $id) { linkedProjects { linkedAccount { name } } } }',
          { id: gid('Project', hb1.id) },
          as,
        )
      ).data?.project;
    expect(await links(CAROL)).toEqual({ linkedProjects: [{ linkedAccount: { name: 'Northwind Surveying' } }] });
    expect(await links('bob@harbor.example')).toEqual({
      linkedProjects: [{ linkedAccount: { name: 'Northwind Surveying' } }],
    });
    expect(await links('frank@freelance.example')).toBeNull();
    const from = async (as: string) =>
      (
        await world.gql(
          'query($id: ID!) { project(id: $id) { linkedFrom { invitingProject { number } } } }',
          { id: linked.id },
          as,
        )
      ).data?.project;
    expect(await from(DAVE)).toEqual({ linkedFrom: { invitingProject: { number: 'HB-1' } } });
    // Erin is Northwind's but not on the linked project's team: she reads neither project.
    expect(await from(ERIN)).toBeNull();
    expect(await links(ERIN)).toBeNull();
  });
});

describe('EXT-2 listing', () => {
  it('EXT-2 project.invitations: newest first, and of two sent at the same instant the later one first', async () => {
    await sent(hb1);
    const other = await world.account('Other Firm', ['other.example'], await world.user('olga@other.example'));
    const second = await mutate(
      world,
      'inviteExternalOrganization',
      {
        projectId: gid('Project', hb1.id),
        accountId: gid('Account', other.id),
        pointOfContactEmail: 'olga@other.example',
      },
      ALICE,
      'invitation { id }',
    );
    expectSuccess(second.payload, second.result);
    const listed = await world.gql(
      'query($id: ID!) { project(id: $id) { invitations { edges { node { invitedAccount { name } } } } } }',
      { id: gid('Project', hb1.id) },
      ALICE,
    );
    expect(nodes(listed.data?.project.invitations).map((i) => i.invitedAccount.name)).toEqual([
      'Other Firm',
      'Northwind Surveying',
    ]);
  });
});

describe('EXT-2 who may cancel', () => {
  it('EXT-2 the point of contact reads the invitation but may not cancel it (FORBIDDEN); a team member without the permissions may not (FORBIDDEN); an outsider gets NOT_FOUND', async () => {
    const id = await sent(hb1);
    await world.teamMember(hb1, cast.alice, cast.carol, 'TEAM_MEMBER');
    const before = await world.rowCounts();
    expectTopLevel((await cancel(DAVE, id)).result, 'FORBIDDEN');
    expectTopLevel((await cancel(CAROL, id)).result, 'FORBIDDEN');
    expectUserError((await cancel(ERIN, id)).payload, 'NOT_FOUND');
    expectUserError((await cancel(ALICE, gid('Invitation', 'nope'))).payload, 'NOT_FOUND');
    expect(await world.rowCounts()).toEqual(before);
    const done = await cancel(ALICE, id);
    expect(expectSuccess(done.payload, done.result).invitation.status).toBe('CANCELLED');
  });

  it('EXT-2 members of a linked project may not cancel the inviting project’s invitations: NOT_FOUND', async () => {
    const first = await sent(hb1);
    const accepted = await respond(DAVE, { invitationId: first, accept: true });
    expectSuccess(accepted.payload, accepted.result);
    // HB-1 invites another account; Dave (a linked member who reads HB-1) may not cancel it.
    const other = await world.account('Other Firm', ['other.example'], await world.user('olga@other.example'));
    const invited = await mutate(
      world,
      'inviteExternalOrganization',
      {
        projectId: gid('Project', hb1.id),
        accountId: gid('Account', other.id),
        pointOfContactEmail: 'olga@other.example',
      },
      ALICE,
      'invitation { id }',
    );
    const id = expectSuccess(invited.payload, invited.result).invitation.id;
    expectUserError((await cancel(DAVE, id)).payload, 'NOT_FOUND');
  });
});

describe('EXT-2 answering, each condition on its own', () => {
  it('EXT-2 rejecting also needs a member of the invited account (NOT_ACCOUNT_MEMBER), and writes nothing', async () => {
    const outsider = await world.user('gil@northwind.example');
    const id = await sent(hb1, outsider.email);
    const before = await world.rowCounts();
    expectUserError((await respond(outsider.email, { invitationId: id, accept: false })).payload, 'NOT_ACCOUNT_MEMBER');
    expect(await world.rowCounts()).toEqual(before);
  });

  it('EXT-2 an existing project the point of contact owns but of another account: NOT_PROJECT_OWNER', async () => {
    const id = await sent(hb1);
    // Alice makes Dave Project Owner of Harbor's HB-9: he owns it, but it is not Northwind's.
    const hb9 = await world.project(cast.alice, 'HB-9');
    await world.teamMember(hb9, cast.alice, cast.dave, 'PROJECT_OWNER');
    const refused = expectUserError(
      (await respond(DAVE, { invitationId: id, accept: true, existingProjectId: gid('Project', hb9.id) })).payload,
      'NOT_PROJECT_OWNER',
    );
    expect(refused.path).toEqual(['input', 'existingProjectId']);
  });

  it('EXT-2 the invitation’s own state is checked before the project named: INVITATION_NOT_PENDING, not NOT_PROJECT_OWNER', async () => {
    const id = await sent(hb1);
    const rejected = await respond(DAVE, { invitationId: id, accept: false });
    expectSuccess(rejected.payload, rejected.result);
    expectUserError(
      (await respond(DAVE, { invitationId: id, accept: true, existingProjectId: gid('Project', 'missing') })).payload,
      'INVITATION_NOT_PENDING',
    );
  });

  it('EXT-2 a project already linked to one inviting project cannot be linked to another: ALREADY_LINKED', async () => {
    const nw7 = await world.project(cast.dave, 'NW-7');
    const first = await sent(hb1);
    const second = await sent(hb2);
    const ok = await respond(DAVE, { invitationId: first, accept: true, existingProjectId: gid('Project', nw7.id) });
    expect(expectSuccess(ok.payload, ok.result).linkedProject.number).toBe('NW-7');
    const before = await world.rowCounts();
    const refused = expectUserError(
      (await respond(DAVE, { invitationId: second, accept: true, existingProjectId: gid('Project', nw7.id) })).payload,
      'ALREADY_LINKED',
    );
    expect(refused.path).toEqual(['input', 'existingProjectId']);
    expect(await world.rowCounts()).toEqual(before);
    // Accepting into a new linked project works.
    const fresh = await respond(DAVE, { invitationId: second, accept: true });
    expect(expectSuccess(fresh.payload, fresh.result).linkedProject.number).toBe('HB-2-NOR');
  });

  it('EXT-2 at exactly 30 days an invitation leaves the point of contact’s pending list (one millisecond before, it is there)', async () => {
    await sent(hb1);
    const pending = async () =>
      (await world.gql('{ viewer { invitations { totalCount } } }', {}, DAVE)).data?.viewer.invitations.totalCount;
    const sentAt = world.now.getTime();
    world.setNow(new Date(sentAt + 30 * 24 * 3600 * 1000 - 1));
    expect(await pending()).toBe(1);
    world.setNow(new Date(sentAt + 30 * 24 * 3600 * 1000));
    expect(await pending()).toBe(0);
  });
});

describe('EXT-2 / §9 the audit of an answer names, on each side, only what that side may read', () => {
  it("EXT-2 Harbor's log names its own project and the invited account, not Northwind's project; Northwind's names its linked project, not Harbor's", async () => {
    const secret = await world.project(cast.dave, 'NW-SECRET-TENDER');
    const id = await sent(hb1);
    const ok = await respond(DAVE, { invitationId: id, accept: true, existingProjectId: gid('Project', secret.id) });
    expectSuccess(ok.payload, ok.result);
    const harbor = await auditSummaries(cast.host.id, ALICE);
    expect(harbor).toEqual([`${DAVE}: accepted the invitation of Northwind Surveying to project HB-1`]);
    expect(harbor.join()).not.toContain('NW-SECRET-TENDER');
    const northwind = await auditSummaries(cast.supplier.id, DAVE);
    expect(northwind).toEqual([
      `${DAVE}: accepted an invitation of Harbor Engineering; linked project NW-SECRET-TENDER`,
    ]);
    expect(northwind.join()).not.toContain('HB-1');
  });
});

describe('EXT-4 setProvidedLicenses error paths', () => {
  it('EXT-4 errors name the position in the input as given: OWN_ACCOUNT and NOT_FOUND at accountIds.<i>', async () => {
    const set = (accountIds: string[]) =>
      mutate(
        world,
        'setProvidedLicenses',
        {
          projectId: gid('Project', hb1.id),
          accountIds: accountIds.map((id) => gid('Account', id)),
          unaffiliated: false,
        },
        ALICE,
      );
    const before = await world.rowCounts();
    expect(
      expectUserError((await set([cast.supplier.id, cast.supplier.id, cast.host.id])).payload, 'OWN_ACCOUNT').path,
    ).toEqual(['input', 'accountIds', '2']);
    expect(expectUserError((await set([cast.supplier.id, 'no-such-account'])).payload, 'NOT_FOUND').path).toEqual([
      'input',
      'accountIds',
      '1',
    ]);
    expect(await world.rowCounts()).toEqual(before);
  });
});

describe('EXT-4 / EXT-5 a DM link works both ways', () => {
  it('EXT-5 on the linked project, members of the inviting organization bring their own license, even when listed', async () => {
    const id = await sent(hb1);
    const accepted = await respond(DAVE, { invitationId: id, accept: true });
    const linked = expectSuccess(accepted.payload, accepted.result).linkedProject;
    // Dave — Northwind's ACCOUNT_ADMIN and HB-1-NOR's Project Owner, as EXT-4 needs — lists Harbor and
    // puts Carol (Harbor) on its team.
    const set = await mutate(
      world,
      'setProvidedLicenses',
      { projectId: linked.id, accountIds: [gid('Account', cast.host.id)], unaffiliated: false },
      DAVE,
    );
    expectSuccess(set.payload, set.result);
    const added = await mutate(world, 'addTeamMember', { projectId: linked.id, email: CAROL }, DAVE);
    expectSuccess(added.payload, added.result);
    await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'US');
    const decision = await mutate(
      world,
      'openProject',
      { projectId: linked.id, product: 'PW_EXPLORER' },
      CAROL,
      'decision { granted denialReason licenseSource steps { rule outcome detail } }',
    );
    const d = expectSuccess(decision.payload, decision.result).decision;
    expect(d).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(d.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
    expect(d.steps[1].detail).toContain(
      'Harbor Engineering is linked to project HB-1-NOR through Deliverables Management',
    );
  });
});

describe('EXT-5 a project without Deliverables Management', () => {
  it('EXT-5 has no service to open: openProject DELIVERABLES_NOT_ENABLED (nothing written), explainProjectAccess the same code', async () => {
    const plain = await world.project(cast.alice, 'HB-3');
    await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
    const before = await world.rowCounts();
    const { payload } = await mutate(
      world,
      'openProject',
      { projectId: gid('Project', plain.id), product: 'PW_EXPLORER' },
      ALICE,
    );
    expect(expectUserError(payload, 'DELIVERABLES_NOT_ENABLED').path).toEqual(['input', 'projectId']);
    expect(await world.rowCounts()).toEqual(before);
    const explained = await world.gql(
      'query($p: ID!) { explainProjectAccess(input: { projectId: $p, product: "PW_EXPLORER" }) { granted } }',
      { p: gid('Project', plain.id) },
      ALICE,
    );
    expectTopLevel(explained, 'DELIVERABLES_NOT_ENABLED');
    // Non-readers still get the answer for a missing project.
    expectUserError(
      (await mutate(world, 'openProject', { projectId: gid('Project', plain.id), product: 'PW_EXPLORER' }, ERIN))
        .payload,
      'NOT_FOUND',
    );
  });
});
