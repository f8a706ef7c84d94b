// The seed workflow of external organizations (002): the host invites a supplier to a project; the
// supplier's point of contact accepts; the supplier gets its own project, linked and numbered as EXT-2
// says; its members then see the host project's name and the link — and nothing of its team, roles,
// connector or settings, by any path (EXT-3): fields, node, nodes, top-level queries, explanations.
import { describe, expect, it } from 'vitest';
import { expectSuccess, mutate, nodes } from '../../helpers/ops.js';
import { dmWorld, gid } from '../../helpers/world.js';

const ALICE = 'alice@harbor.example';
const DAVE = 'dave@northwind.example';
const ERIN = 'erin@northwind.example';

/** EXT-3: what a member of a linked project may read of the inviting project. */
const OPEN_FIELDS = [
  'id',
  'number',
  'name',
  'account',
  'deliverablesEnabled',
  'internalDomain',
  'createdAt',
  'deliverablesEnabledAt',
];

describe('EXT-1…EXT-3 the seed workflow', () => {
  it('EXT-3 invite → accept → linked project numbered by EXT-2 → the external members read nothing of the host team or connector', async () => {
    const dm = await dmWorld();
    const { world, cast, project } = dm;
    // The host project: a connector (a participant of its work area), a custom role, a team.
    const hal = await world.dsUser(dm.ds, cast.alice, 'hal', {
      email: 'carol@harbor.example',
      identity: 'carol@harbor.example',
    });
    await world.participant(dm.area, cast.alice, dm.userRef(hal), 'LEADER');
    await world.associateWorkArea(project, dm.area, cast.alice);
    await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE']);
    // Northwind already has a project numbered as the link would be: EXT-2 counts on.
    await world.project(cast.dave, 'P-DM-NOR');

    const invited = await mutate(
      world,
      'inviteExternalOrganization',
      { projectId: dm.pid(), accountId: gid('Account', cast.supplier.id), pointOfContactEmail: DAVE },
      ALICE,
      'invitation { id status }',
    );
    const invitation = expectSuccess(invited.payload, invited.result).invitation;
    expect(invitation.status).toBe('PENDING');
    const accepted = await mutate(
      world,
      'respondToInvitation',
      { invitationId: invitation.id, accept: true },
      DAVE,
      'linkedProject { id number name account { name } }',
    );
    const linked = expectSuccess(accepted.payload, accepted.result).linkedProject;
    expect(linked).toMatchObject({
      number: 'P-DM-NOR-2',
      name: project.name,
      account: { name: 'Northwind Surveying' },
    });
    // Dave puts Erin on his project's team: she is an external member too.
    const added = await mutate(world, 'addTeamMember', { projectId: linked.id, email: ERIN }, DAVE);
    expectSuccess(added.payload, added.result);

    // Everything of the host project, as its owner sees it.
    const all = await world.gql(
      `query($id: ID!) { project(id: $id) {
        roles { id }
        teamMembers(first: 50) { edges { node { user { id } } } }
        deliverablesParticipants(first: 50) { edges { node { principal { __typename ... on Node { id } } } } }
        workArea { id dataSource { id users(first: 50) { edges { node { id } } } } }
        invitations(first: 10) { edges { node { id } } } } }`,
      { id: dm.pid() },
      ALICE,
    );
    expect(all.errors).toBeUndefined();
    const host = all.data?.project;
    const hidden: string[] = [
      ...host.roles.map((r: { id: string }) => r.id),
      ...nodes(host.deliverablesParticipants).map((p) => p.principal.id),
      host.workArea.id,
      host.workArea.dataSource.id,
      ...nodes(host.workArea.dataSource.users).map((u) => u.id),
    ];
    expect(hidden.length).toBeGreaterThan(10);

    const projectFields = (
      await world.gql(`{ __type(name: "Project") { fields { name type { kind ofType { kind } } args { name } } } }`)
    ).data?.__type.fields as {
      name: string;
      type: { kind: string; ofType: { kind: string } | null };
      args: unknown[];
    }[];
    const restricted = projectFields.filter((f) => !OPEN_FIELDS.includes(f.name) && f.name !== 'linkedFrom');

    for (const external of [DAVE, ERIN]) {
      // The host project: its number, name and account.
      const seen = await world.gql(
        `query($id: ID!) { project(id: $id) { number name account { name } } }`,
        { id: dm.pid() },
        external,
      );
      expect(seen.data?.project, external).toEqual({
        number: 'P-DM',
        name: project.name,
        account: { name: 'Harbor Engineering' },
      });
      // …and the link from their own project.
      const link = await world.gql(
        `query($id: ID!) { project(id: $id) { linkedFrom { invitingProject { number } linkedAccount { name } } } }`,
        { id: linked.id },
        external,
      );
      expect(link.data?.project.linkedFrom, external).toEqual({
        invitingProject: { number: 'P-DM' },
        linkedAccount: { name: 'Northwind Surveying' },
      });
      // Every other field of the host project answers null, without an error.
      for (const field of restricted) {
        const composite =
          field.type.kind === 'OBJECT' || field.type.ofType?.kind === 'OBJECT' || field.type.kind === 'LIST';
        const selection = composite ? `${field.name} { __typename }` : field.name;
        const answer = await world.gql(
          `query($id: ID!) { project(id: $id) { ${selection} } }`,
          { id: dm.pid() },
          external,
        );
        expect(answer.errors, `${external} ${field.name}`).toBeUndefined();
        expect(answer.data?.project[field.name], `${external} ${field.name}`).toBeNull();
      }
      // Nothing by id: node, nodes.
      for (const id of hidden) {
        const byId = await world.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, external);
        expect(byId.data?.node ?? null, `${external} node ${id}`).toBeNull();
      }
      const many = await world.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: hidden }, external);
      expect(
        many.data?.nodes.every((n: unknown) => n === null),
        external,
      ).toBe(true);
      // Nor through the top-level queries and explanations.
      const top = await world.gql(
        `query($p: ID!, $w: ID!, $d: ID!, $u: ID!, $du: ID!) {
          workArea(id: $w) { id } dataSource(id: $d) { id }
          effectivePermissions(projectId: $p, userId: $u) { isProjectOwner }
          explainParticipant(projectId: $p, dataSourceUserId: $du) { __typename }
          explainProjectAccess(input: { projectId: $p, product: "PW_EXPLORER", userId: $u }) { granted } }`,
        {
          p: dm.pid(),
          w: host.workArea.id,
          d: host.workArea.dataSource.id,
          u: gid('User', cast.alice.id),
          du: gid('DataSourceUser', hal.id),
        },
        external,
      );
      expect(top.data, external).toEqual({
        workArea: null,
        dataSource: null,
        effectivePermissions: null,
        explainParticipant: null,
        explainProjectAccess: null,
      });
      // Their own team is theirs to read: Dave (its owner) all of it, Erin her own membership.
      const own = await world.gql(
        `query($id: ID!) { project(id: $id) { teamMembers(first: 5) { totalCount } } }`,
        { id: linked.id },
        external,
      );
      expect(own.data?.project.teamMembers.totalCount, external).toBe(external === DAVE ? 2 : 1);
    }
  });
});
