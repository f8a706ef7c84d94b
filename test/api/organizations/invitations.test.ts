// EXT-1 / EXT-2 (inviting, cancelling, reading invitations) through the API, with who may and may not.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRow } from '../../../src/db/schema.js';
import { expectSuccess, expectTopLevel, expectUserError, mutate, nodes } from '../../helpers/ops.js';
import { createWorld, gid, hostAndSupplier, type World } from '../../helpers/world.js';

let world: World;
let cast: Awaited<ReturnType<typeof hostAndSupplier>>;
let project: ProjectRow;

const ALICE = 'alice@harbor.example';
const CAROL = 'carol@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';
const FRANK = 'frank@freelance.example';

beforeEach(async () => {
  world = await createWorld();
  cast = await hostAndSupplier(world);
  project = await world.enableDeliverables(await world.project(cast.alice, 'HB-1'), cast.alice);
});

const INVITATION =
  'invitation { id status pointOfContactEmail projectName projectNumber invitedAccount { name } invitingAccount { name } sentAt expiresAt }';
const invite = (as: string, input: Record<string, unknown> = {}) =>
  mutate(
    world,
    'inviteExternalOrganization',
    {
      projectId: gid('Project', project.id),
      accountId: gid('Account', cast.supplier.id),
      pointOfContactEmail: DAVE,
      ...input,
    },
    as,
    INVITATION,
  );

/** ALICE's invitation of Northwind (Dave), asserting success: its id. */
async function sent(): Promise<string> {
  const { payload, result } = await invite(ALICE);
  return expectSuccess(payload, result).invitation.id;
}

describe('EXT-1 inviting an external organization', () => {
  it('EXT-1 a Project Owner invites an account, naming a point of contact in its domains; PENDING for 30 days', async () => {
    const { payload, result } = await invite(ALICE);
    const sent = expectSuccess(payload, result).invitation;
    expect(sent).toMatchObject({
      status: 'PENDING',
      pointOfContactEmail: DAVE,
      projectName: 'Project HB-1',
      projectNumber: 'HB-1',
      invitedAccount: { name: 'Northwind Surveying' },
      invitingAccount: { name: 'Harbor Engineering' },
    });
    expect(new Date(sent.expiresAt).getTime() - new Date(sent.sentAt).getTime()).toBe(30 * 24 * 3600 * 1000);
  });

  it('EXT-1 every refusal, nothing written: DELIVERABLES_NOT_ENABLED, OWN_ACCOUNT, POINT_OF_CONTACT_DOMAIN, INVITATION_PENDING', async () => {
    const plain = await world.project(cast.alice, 'HB-2');
    const before = await world.rowCounts();
    expectUserError((await invite(ALICE, { projectId: gid('Project', plain.id) })).payload, 'DELIVERABLES_NOT_ENABLED');
    expectUserError(
      (await invite(ALICE, { accountId: gid('Account', cast.host.id), pointOfContactEmail: CAROL })).payload,
      'OWN_ACCOUNT',
    );
    const domain = expectUserError(
      (await invite(ALICE, { pointOfContactEmail: 'dave@gmail.example' })).payload,
      'POINT_OF_CONTACT_DOMAIN',
    );
    expect(domain.path).toEqual(['input', 'pointOfContactEmail']);
    expect(await world.rowCounts()).toEqual(before);
    await sent();
    expectUserError((await invite(ALICE, { pointOfContactEmail: ERIN })).payload, 'INVITATION_PENDING');
  });

  it('EXT-2 an expired invitation is no longer pending: a new one may be sent; both are listed', async () => {
    await invite(ALICE);
    world.setNow(new Date(world.now.getTime() + 30 * 24 * 3600 * 1000));
    const again = await invite(ALICE, { pointOfContactEmail: ERIN });
    expectSuccess(again.payload, again.result);
    const listed = await world.gql(
      `query($id: ID!) { project(id: $id) { invitations { totalCount edges { node { status pointOfContactEmail } } } } }`,
      { id: gid('Project', project.id) },
      ALICE,
    );
    expect(nodes(listed.data?.project?.invitations)).toEqual([
      { status: 'PENDING', pointOfContactEmail: ERIN },
      { status: 'EXPIRED', pointOfContactEmail: DAVE },
    ]);
  });

  it('EXT-1 who may: the three permissions together (PWDM_ISSUER) or MANAGE_SETTINGS; not one of them alone; NOT_FOUND for outsiders', async () => {
    await world.teamMember(project, cast.alice, cast.carol, 'TEAM_MEMBER');
    expectTopLevel((await invite(CAROL)).result, 'FORBIDDEN');
    const partial = await world.customRole(project, cast.alice, 'Inviter only', [
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ]);
    await world.teamMember(project, cast.alice, cast.frank);
    await mutate(
      world,
      'assignProjectRoles',
      {
        projectId: gid('Project', project.id),
        userId: gid('User', cast.frank.id),
        roleIds: [gid('ProjectRole', partial)],
      },
      ALICE,
    );
    expectTopLevel((await invite(FRANK)).result, 'FORBIDDEN');
    expectUserError((await invite(DAVE)).payload, 'NOT_FOUND');
    await mutate(
      world,
      'assignProjectRoles',
      {
        projectId: gid('Project', project.id),
        userId: gid('User', cast.carol.id),
        roleIds: [gid('ProjectRole', `${project.id}/PWDM_ISSUER`)],
      },
      ALICE,
    );
    const byIssuer = await invite(CAROL);
    expectSuccess(byIssuer.payload, byIssuer.result);
  });
});

describe('EXT-2 cancelling and reading invitations', () => {
  it('EXT-2 a pending invitation can be cancelled once; INVITATION_NOT_PENDING afterwards', async () => {
    const id = await sent();
    const cancelled = await mutate(
      world,
      'cancelInvitation',
      { invitationId: id },
      ALICE,
      'invitation { status answeredAt }',
    );
    expect(expectSuccess(cancelled.payload, cancelled.result).invitation.status).toBe('CANCELLED');
    expectUserError(
      (await mutate(world, 'cancelInvitation', { invitationId: id }, ALICE)).payload,
      'INVITATION_NOT_PENDING',
    );
  });

  it('§9 the point of contact sees their pending invitations (viewer only) and reads the invitation by id; others do not', async () => {
    const id = await sent();
    const mine = await world.gql(
      `{ viewer { invitations { edges { node { projectName invitingAccount { name } } } } } }`,
      {},
      DAVE,
    );
    expect(nodes(mine.data?.viewer?.invitations)).toEqual([
      { projectName: 'Project HB-1', invitingAccount: { name: 'Harbor Engineering' } },
    ]);
    const byId = async (as: string) =>
      (await world.gql(`query($id: ID!) { node(id: $id) { ... on Invitation { status project { id } } } }`, { id }, as))
        .data?.node;
    expect(await byId(DAVE)).toEqual({ status: 'PENDING', project: null }); // the point of contact cannot read the project itself
    expect(await byId(ERIN)).toBeNull();
    expect(await byId(CAROL)).toBeNull();
    expect((await byId(ALICE))?.status).toBe('PENDING');
    const erins = await world.gql(`{ viewer { invitations { totalCount } } }`, {}, ERIN);
    expect(erins.data?.viewer?.invitations?.totalCount).toBe(0);
  });
});

describe('EXT-2 answering an invitation', () => {
  const respond = (as: string, input: Record<string, unknown>) =>
    mutate(
      world,
      'respondToInvitation',
      input,
      as,
      'invitation { status } linkedProject { id number name account { name } deliverablesEnabled internalDomain }',
    );

  it('EXT-2 the point of contact accepts without any IMS role: a linked project, theirs as Project Owner, DM on with their domain', async () => {
    const supplierMember = await world.member(cast.supplier, await world.user('pat@northwind.example'));
    const sentTo = await invite(ALICE, { pointOfContactEmail: supplierMember.email });
    const id = expectSuccess(sentTo.payload, sentTo.result).invitation.id;
    const { payload, result } = await respond(supplierMember.email, { invitationId: id, accept: true });
    const answered = expectSuccess(payload, result);
    expect(answered.invitation.status).toBe('ACCEPTED');
    expect(answered.linkedProject).toMatchObject({
      number: 'HB-1-NOR',
      name: 'Project HB-1',
      account: { name: 'Northwind Surveying' },
      deliverablesEnabled: true,
      internalDomain: 'northwind.example',
    });
    // EXT-3: the linked project's member reads the inviting project's name, number and the link — nothing of its team.
    const inviting = await world.gql(
      `query($id: ID!) { project(id: $id) { number name account { name } } }`,
      { id: gid('Project', project.id) },
      supplierMember.email,
    );
    expect(inviting.data?.project).toEqual({
      number: 'HB-1',
      name: 'Project HB-1',
      account: { name: 'Harbor Engineering' },
    });
    const team = await world.gql(
      `query($id: ID!) { project(id: $id) { teamMembers { totalCount } } }`,
      { id: gid('Project', project.id) },
      supplierMember.email,
    );
    // EXT-3: nothing of its team, roles, connector or settings — null, as if it did not exist (no error).
    expect(team.data?.project?.teamMembers).toBeNull();
    expect(team.errors).toBeUndefined();
    const closed = await world.gql(
      `query($id: ID!) { project(id: $id) { roles { name } deliverablesParticipants { totalCount } invitations { totalCount } providedLicenses { unaffiliated } linkedProjects { linkedAt } } }`,
      { id: gid('Project', project.id) },
      supplierMember.email,
    );
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.project).toEqual({
      roles: null,
      deliverablesParticipants: null,
      invitations: null,
      providedLicenses: null,
      linkedProjects: null,
    });
    const permissions = await world.gql(
      `query($p: ID!, $u: ID!) { effectivePermissions(projectId: $p, userId: $u) { isProjectOwner } }`,
      { p: gid('Project', project.id), u: gid('User', cast.alice.id) },
      supplierMember.email,
    );
    expect(permissions.data?.effectivePermissions ?? null).toBeNull();
    // …and changing it answers exactly as for a missing project.
    const rename = expectUserError(
      (await mutate(world, 'updateProject', { projectId: gid('Project', project.id), name: 'x' }, supplierMember.email))
        .payload,
      'NOT_FOUND',
    );
    const missing = expectUserError(
      (await mutate(world, 'updateProject', { projectId: gid('Project', 'nope'), name: 'x' }, supplierMember.email))
        .payload,
      'NOT_FOUND',
    );
    expect(rename).toEqual(missing);
    const links = await world.gql(
      `query($id: ID!) { project(id: $id) { linkedProjects { linkedAccount { name } linkedProject { number } } } }`,
      { id: gid('Project', project.id) },
      ALICE,
    );
    expect(links.data?.project?.linkedProjects).toEqual([
      { linkedAccount: { name: 'Northwind Surveying' }, linkedProject: null },
    ]);
  });

  it('EXT-2 once only (INVITATION_NOT_PENDING), only by the point of contact (others: NOT_FOUND or FORBIDDEN), a member of the invited account', async () => {
    const id = await sent();
    expectUserError((await respond(ERIN, { invitationId: id, accept: true })).payload, 'NOT_FOUND');
    expectTopLevel((await respond(ALICE, { invitationId: id, accept: false })).result, 'FORBIDDEN');
    const rejected = await respond(DAVE, { invitationId: id, accept: false });
    expect(expectSuccess(rejected.payload, rejected.result)).toMatchObject({
      invitation: { status: 'REJECTED' },
      linkedProject: null,
    });
    expectUserError((await respond(DAVE, { invitationId: id, accept: true })).payload, 'INVITATION_NOT_PENDING');
    // The point of contact must be a member of the invited account when answering.
    const outsider = await world.user('gil@northwind.example');
    const toOutsider = await invite(ALICE, { pointOfContactEmail: outsider.email });
    const second = expectSuccess(toOutsider.payload, toOutsider.result).invitation.id;
    expectUserError(
      (await respond(outsider.email, { invitationId: second, accept: true })).payload,
      'NOT_ACCOUNT_MEMBER',
    );
  });

  it('EXT-2 accepting into an existing project: theirs and owned (NOT_PROJECT_OWNER otherwise); DM switched on; linked once', async () => {
    const theirs = await world.project(cast.dave, 'NW-7');
    const id = await sent();
    const notOwned = await world.project(cast.alice, 'HB-9');
    expectUserError(
      (await respond(DAVE, { invitationId: id, accept: true, existingProjectId: gid('Project', notOwned.id) })).payload,
      'NOT_PROJECT_OWNER',
    );
    const ok = await respond(DAVE, { invitationId: id, accept: true, existingProjectId: gid('Project', theirs.id) });
    expect(expectSuccess(ok.payload, ok.result).linkedProject).toMatchObject({
      number: 'NW-7',
      deliverablesEnabled: true,
      internalDomain: 'northwind.example',
    });
    // Linked once: a new invitation of the same account is ALREADY_LINKED.
    expectUserError((await invite(ALICE, { pointOfContactEmail: ERIN })).payload, 'ALREADY_LINKED');
  });

  it('EXT-2 an expired invitation cannot be answered', async () => {
    const id = await sent();
    world.setNow(new Date(world.now.getTime() + 30 * 24 * 3600 * 1000));
    expectUserError((await respond(DAVE, { invitationId: id, accept: true })).payload, 'INVITATION_NOT_PENDING');
  });
});
