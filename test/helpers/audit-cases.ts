// §10 "every mutation appends an audit entry": one case per mutation of the schema, so the audit test
// in test/api/foundation.test.ts can run them all. A new mutation needs a case here (that test fails
// until it has one): who calls it, how to set up what it needs, its input, and whose log shows it.
import { eq } from 'drizzle-orm';
import { one } from '../../src/db/query.js';
import { accounts } from '../../src/db/schema.js';
import { expectSuccess, mutate } from './ops.js';
import { gid, type hostAndSupplier, type World } from './world.js';

type MaybePromise<T> = T | Promise<T>;

export type Cast = Awaited<ReturnType<typeof hostAndSupplier>>;

export interface AuditCase {
  /** The caller's email. */
  as: string;
  /** Sets up what the mutation needs (world builder or API) and returns its input. */
  input: (world: World, cast: Cast) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** After the mutation: the account whose audit log shows the entry, and an IMS admin of it who reads
   *  that log; null when the mutation concerns no account (registerProfile). */
  log: ((world: World, cast: Cast) => MaybePromise<{ accountId: string; reader: string }>) | null;
}

const ALICE = 'alice@harbor.example';
const DAVE = 'dave@northwind.example';
const FRANK = 'frank@freelance.example';
const PW = [{ product: 'PW_EXPLORER', version: '10.0.3.280' }];

const hostLog = (_world: World, cast: Cast) => ({ accountId: cast.host.id, reader: ALICE });
const supplierLog = (_world: World, cast: Cast) => ({ accountId: cast.supplier.id, reader: DAVE });

/** Set-up through the API: `as` runs `mutation` and we keep `field`'s id (or the whole payload). */
async function created(world: World, as: string, mutation: string, input: Record<string, unknown>, field: string) {
  const { payload, result } = await mutate(world, mutation, input, as, `${field} { id }`);
  return expectSuccess(payload, result)[field].id as string;
}

const dataSource = async (world: World, cast: Cast) => await world.dataSource(cast.host, cast.alice, 'Harbor Projects');
const dsId = async (world: World, cast: Cast) => gid('DataSource', (await dataSource(world, cast)).id);
const dsUserId = async (world: World, cast: Cast, login = 'hal') => {
  const ds = await dataSource(world, cast);
  return { ds, userId: gid('DataSourceUser', (await world.dsUser(ds, cast.alice, login)).id) };
};
/** LIC-3: the host asks the supplier to pay for its data source. */
const licensingOwnerRequest = async (world: World, cast: Cast) =>
  created(
    world,
    ALICE,
    'requestLicensingOwner',
    { dataSourceId: await dsId(world, cast), accountId: gid('Account', cast.supplier.id) },
    'request',
  );
/** EXT-1: Alice invites Northwind (Dave) to a DM-enabled project of Harbor. */
const invitation = async (world: World, cast: Cast) =>
  created(
    world,
    ALICE,
    'inviteExternalOrganization',
    {
      projectId: gid(
        'Project',
        (await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice)).id,
      ),
      accountId: gid('Account', cast.supplier.id),
      pointOfContactEmail: DAVE,
    },
    'invitation',
  );
const group = async (world: World, cast: Cast) => {
  const { ds, userId } = await dsUserId(world, cast);
  const groupId = await created(
    world,
    ALICE,
    'createGroup',
    { dataSourceId: gid('DataSource', ds.id), name: 'G' },
    'group',
  );
  return { groupId, userId };
};
const list = async (world: World, cast: Cast) => {
  const { ds, userId } = await dsUserId(world, cast);
  const listId = await created(
    world,
    ALICE,
    'createUserList',
    { dataSourceId: gid('DataSource', ds.id), name: 'L' },
    'list',
  );
  return { listId, userId };
};
const workArea = async (world: World, cast: Cast) => {
  const { ds, userId } = await dsUserId(world, cast);
  const workAreaId = await created(
    world,
    ALICE,
    'createWorkArea',
    { dataSourceId: gid('DataSource', ds.id), name: 'W' },
    'workArea',
  );
  return { workAreaId, userId };
};
/** Northwind (PW_EXPLORER in DE) checks a license out for Frank on FRANK-LAPTOP. */
const frankCheckout = async (world: World, cast: Cast) => {
  await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
  const { payload, result } = await mutate(
    world,
    'createLicenseCheckout',
    { ...checkoutInput(cast), email: FRANK, machineName: 'FRANK-LAPTOP' },
    DAVE,
    'checkout { id licenseFile }',
  );
  return expectSuccess(payload, result).checkout as { id: string; licenseFile: string };
};
const checkoutInput = (cast: Cast) => ({
  accountId: gid('Account', cast.supplier.id),
  products: PW,
  entitlementCountry: 'DE',
});

export const AUDIT_CASES: Record<string, AuditCase> = {
  // §1 identity
  registerProfile: { as: 'nina@nowhere.example', input: () => ({ usageCountry: 'US' }), log: null },
  updateProfile: { as: 'carol@harbor.example', input: () => ({ displayName: 'Carol C.' }), log: hostLog },
  createAccount: {
    as: FRANK,
    input: () => ({ name: 'Loose Ends Studio', emailDomains: ['freelance.example'] }),
    log: async (world) => ({
      accountId: (await one(world.db.select().from(accounts).where(eq(accounts.name, 'Loose Ends Studio'))))?.id ?? '',
      reader: FRANK,
    }),
  },
  addAccountMember: {
    as: ALICE,
    input: async (world, cast) => {
      await world.user('hal@harbor.example');
      return { accountId: gid('Account', cast.host.id), email: 'hal@harbor.example' };
    },
    log: hostLog,
  },
  removeAccountMember: {
    as: ALICE,
    input: (_world, cast) => ({ accountId: gid('Account', cast.host.id), userId: gid('User', cast.carol.id) }),
    log: hostLog,
  },
  grantImsRole: {
    as: ALICE,
    input: (_world, cast) => ({
      accountId: gid('Account', cast.host.id),
      userId: gid('User', cast.carol.id),
      role: 'CONNECT_SERVICES_ADMIN',
    }),
    log: hostLog,
  },
  revokeImsRole: {
    as: ALICE,
    input: (_world, cast) => ({
      accountId: gid('Account', cast.host.id),
      userId: gid('User', cast.bob.id),
      role: 'CO_ADMINISTRATOR',
    }),
    log: hostLog,
  },
  associateExternalUser: {
    as: ALICE,
    input: (_world, cast) => ({ accountId: gid('Account', cast.host.id), email: FRANK }),
    log: hostLog,
  },
  setExternalAccessDays: {
    as: ALICE,
    input: (_world, cast) => ({ accountId: gid('Account', cast.host.id), days: 90 }),
    log: hostLog,
  },
  confirmExternalAccess: {
    as: ALICE,
    input: async (world, cast) => {
      await world.associate(cast.host, cast.frank, cast.alice);
      return { accountId: gid('Account', cast.host.id), emails: [FRANK] };
    },
    log: hostLog,
  },
  revokeExternalAccess: {
    as: ALICE,
    input: async (world, cast) => {
      await world.associate(cast.host, cast.frank, cast.alice);
      return { accountId: gid('Account', cast.host.id), emails: [FRANK] };
    },
    log: hostLog,
  },
  removeExternalAssociation: {
    as: ALICE,
    input: async (world, cast) => ({
      associationId: gid('Association', await world.associate(cast.host, cast.frank, cast.alice)),
    }),
    log: hostLog,
  },
  addEntitlement: {
    as: ALICE,
    input: (_world, cast) => ({
      accountId: gid('Account', cast.host.id),
      productCode: 'PW_EXPLORER',
      country: 'US',
      contractEndDate: '2027-12-31',
    }),
    log: hostLog,
  },
  removeEntitlement: {
    as: ALICE,
    input: async (world, cast) => ({
      entitlementId: gid('Entitlement', await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US')),
    }),
    log: hostLog,
  },

  // §2 data sources, users, groups, lists; §5 work areas
  createDataSource: {
    as: ALICE,
    input: (_world, cast) => ({ accountId: gid('Account', cast.host.id), name: 'Harbor Archive' }),
    log: hostLog,
  },
  updateDataSourceSettings: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), imsAuthEnabled: true }),
    log: hostLog,
  },
  setLicensingOwner: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), accountId: gid('Account', cast.host.id) }),
    log: hostLog,
  },
  requestLicensingOwner: {
    as: ALICE,
    input: async (world, cast) => ({
      dataSourceId: await dsId(world, cast),
      accountId: gid('Account', cast.supplier.id),
    }),
    log: supplierLog,
  },
  respondToLicensingOwnerRequest: {
    as: DAVE,
    input: async (world, cast) => ({ requestId: await licensingOwnerRequest(world, cast), answer: 'ACCEPT' }),
    log: hostLog,
  },
  cancelLicensingOwnerRequest: {
    as: ALICE,
    input: async (world, cast) => ({ requestId: await licensingOwnerRequest(world, cast) }),
    log: supplierLog,
  },
  createDataSourceUser: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), login: 'hal' }),
    log: hostLog,
  },
  updateDataSourceUser: {
    as: ALICE,
    input: async (world, cast) => ({ userId: (await dsUserId(world, cast)).userId, email: 'hal@harbor.example' }),
    log: hostLog,
  },
  deleteDataSourceUser: {
    as: ALICE,
    input: async (world, cast) => ({ userId: (await dsUserId(world, cast)).userId }),
    log: hostLog,
  },
  createGroup: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), name: 'Surveyors' }),
    log: hostLog,
  },
  setGroupMembers: {
    as: ALICE,
    input: async (world, cast) => {
      const { groupId, userId } = await group(world, cast);
      return { groupId, userIds: [userId] };
    },
    log: hostLog,
  },
  deleteGroup: {
    as: ALICE,
    input: async (world, cast) => ({ groupId: (await group(world, cast)).groupId }),
    log: hostLog,
  },
  createUserList: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), name: 'Reviewers' }),
    log: hostLog,
  },
  setUserListMembers: {
    as: ALICE,
    input: async (world, cast) => {
      const { listId, userId } = await list(world, cast);
      return { listId, members: [userId] };
    },
    log: hostLog,
  },
  deleteUserList: {
    as: ALICE,
    input: async (world, cast) => ({ listId: (await list(world, cast)).listId }),
    log: hostLog,
  },
  createWorkArea: {
    as: ALICE,
    input: async (world, cast) => ({ dataSourceId: await dsId(world, cast), name: 'Bridge' }),
    log: hostLog,
  },
  setWorkAreaParticipant: {
    as: ALICE,
    input: async (world, cast) => {
      const { workAreaId, userId } = await workArea(world, cast);
      return { workAreaId, principalId: userId, role: 'TEAM_MEMBER' };
    },
    log: hostLog,
  },
  removeWorkAreaParticipant: {
    as: ALICE,
    input: async (world, cast) => {
      const { workAreaId, userId } = await workArea(world, cast);
      const set = await mutate(
        world,
        'setWorkAreaParticipant',
        { workAreaId, principalId: userId, role: 'OBSERVER' },
        ALICE,
      );
      expectSuccess(set.payload, set.result);
      return { workAreaId, principalId: userId };
    },
    log: hostLog,
  },

  // §3 sign-in
  signInToDataSource: {
    as: 'carol@harbor.example',
    input: async (world, cast) => {
      await world.entitlement(cast.host, cast.alice, 'PW_EXPLORER', 'US');
      const ds = await world.dataSource(cast.host, cast.alice, 'Harbor Projects', { imsAuthEnabled: true });
      await world.dsUser(ds, cast.alice, 'carol', { identity: 'carol@harbor.example' });
      return { dataSourceId: gid('DataSource', ds.id), machineName: 'WS-1' };
    },
    log: hostLog,
  },

  // §4 checkouts
  createLicenseCheckout: {
    as: DAVE,
    input: async (world, cast) => {
      await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
      return { ...checkoutInput(cast), email: FRANK, machineName: 'FRANK-LAPTOP' };
    },
    log: supplierLog,
  },
  createBulkLicenseCheckout: {
    as: DAVE,
    input: async (world, cast) => {
      await world.entitlement(cast.supplier, cast.dave, 'PW_EXPLORER', 'DE');
      return { ...checkoutInput(cast), csv: 'email,machineName\na@crew.example,PC-1\nb@crew.example,PC-2' };
    },
    log: supplierLog,
  },
  checkInLicense: {
    as: DAVE,
    input: async (world, cast) => ({ checkoutId: (await frankCheckout(world, cast)).id }),
    log: supplierLog,
  },
  setCheckoutRestrictions: {
    as: DAVE,
    input: (_world, cast) => ({ accountId: gid('Account', cast.supplier.id), country: 'DE', maxDurationDays: 30 }),
    log: supplierLog,
  },
  importLicenseFile: {
    as: FRANK,
    input: async (world, cast) => ({
      file: (await frankCheckout(world, cast)).licenseFile,
      machineName: 'FRANK-LAPTOP',
    }),
    log: supplierLog,
  },

  // §6 projects, teams and roles
  createProject: {
    as: ALICE,
    input: () => ({ number: 'P-100', name: 'Harbor Bridge' }),
    log: hostLog,
  },
  updateProject: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid('Project', (await world.project(cast.alice, 'P-1')).id),
      name: 'Renamed',
    }),
    log: hostLog,
  },
  enableDeliverables: {
    as: ALICE,
    input: async (world, cast) => ({ projectId: gid('Project', (await world.project(cast.alice, 'P-1')).id) }),
    log: hostLog,
  },
  addTeamMember: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid('Project', (await world.project(cast.alice, 'P-1')).id),
      email: FRANK,
    }),
    log: hostLog,
  },
  removeTeamMember: {
    as: ALICE,
    input: async (world, cast) => {
      const project = await world.project(cast.alice, 'P-1');
      await world.teamMember(project, cast.alice, cast.frank);
      return { projectId: gid('Project', project.id), userId: gid('User', cast.frank.id) };
    },
    log: hostLog,
  },
  assignProjectRoles: {
    as: ALICE,
    input: async (world, cast) => {
      const project = await world.project(cast.alice, 'P-1');
      await world.teamMember(project, cast.alice, cast.frank);
      return {
        projectId: gid('Project', project.id),
        userId: gid('User', cast.frank.id),
        roleIds: [gid('ProjectRole', `${project.id}/PWDM_RECEIVER`)],
      };
    },
    log: hostLog,
  },
  unassignProjectRoles: {
    as: ALICE,
    input: async (world, cast) => {
      const project = await world.project(cast.alice, 'P-1');
      await world.teamMember(project, cast.alice, cast.frank, 'PWDM_RECEIVER');
      return {
        projectId: gid('Project', project.id),
        userId: gid('User', cast.frank.id),
        roleIds: [gid('ProjectRole', `${project.id}/PWDM_RECEIVER`)],
      };
    },
    log: hostLog,
  },
  createCustomRole: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid('Project', (await world.project(cast.alice, 'P-1')).id),
      name: 'Reviewer',
      permissions: ['APPROVE_RFI_RESPONSE'],
    }),
    log: hostLog,
  },
  updateCustomRole: {
    as: ALICE,
    input: async (world, cast) => {
      const project = await world.project(cast.alice, 'P-1');
      return {
        roleId: gid('ProjectRole', await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE'])),
        name: 'Checker',
      };
    },
    log: hostLog,
  },
  deleteCustomRole: {
    as: ALICE,
    input: async (world, cast) => {
      const project = await world.project(cast.alice, 'P-1');
      return {
        roleId: gid('ProjectRole', await world.customRole(project, cast.alice, 'Reviewer', ['APPROVE_RFI_RESPONSE'])),
      };
    },
    log: hostLog,
  },

  // §5 WA-2, §7 Deliverables Management
  associateWorkArea: {
    as: ALICE,
    input: async (world, cast) => {
      const { project, area } = await dmWorld(world, cast);
      return { projectId: gid('Project', project.id), workAreaId: gid('WorkArea', area.id) };
    },
    log: hostLog,
  },
  dissociateWorkArea: {
    as: ALICE,
    input: async (world, cast) => ({ projectId: gid('Project', (await associated(world, cast)).id) }),
    log: hostLog,
  },
  synchronizeDeliverables: {
    as: ALICE,
    input: async (world, cast) => ({ projectId: gid('Project', (await associated(world, cast)).id) }),
    log: hostLog,
  },
  synchronizeWorkAreaConnection: {
    as: ALICE,
    input: async (world, cast) => ({ projectId: gid('Project', (await associated(world, cast)).id) }),
    log: hostLog,
  },
  setDeliverablesPermissions: {
    as: ALICE,
    input: async (world, cast) => {
      const { project, area, hal } = await dmWorld(world, cast);
      await world.associateWorkArea(project, area, cast.alice);
      return {
        projectId: gid('Project', project.id),
        entries: [{ principalId: gid('DataSourceUser', hal.id), permissions: ['VIEW_PACKAGE', 'RECEIVE_PACKAGE'] }],
      };
    },
    log: hostLog,
  },

  // §8 external organizations
  inviteExternalOrganization: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid(
        'Project',
        (await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice)).id,
      ),
      accountId: gid('Account', cast.supplier.id),
      pointOfContactEmail: DAVE,
    }),
    log: hostLog,
  },
  cancelInvitation: {
    as: ALICE,
    input: async (world, cast) => ({ invitationId: await invitation(world, cast) }),
    log: hostLog,
  },
  respondToInvitation: {
    as: DAVE,
    input: async (world, cast) => ({ invitationId: await invitation(world, cast), accept: true }),
    log: supplierLog,
  },
  setProvidedLicenses: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid('Project', (await world.project(cast.alice, 'P-1')).id),
      accountIds: [gid('Account', cast.supplier.id)],
      unaffiliated: true,
    }),
    log: hostLog,
  },
  openProject: {
    as: ALICE,
    input: async (world, cast) => ({
      projectId: gid(
        'Project',
        (await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice)).id,
      ),
      product: 'PW_EXPLORER',
    }),
    log: hostLog,
  },
};

/** A DM-enabled project and a work area of the same account with one participant (hal, a LEADER). */
async function dmWorld(world: World, cast: Cast) {
  const project = await world.enableDeliverables(await world.project(cast.alice, 'P-1'), cast.alice);
  const ds = await dataSource(world, cast);
  const hal = await world.dsUser(ds, cast.alice, 'hal', { email: 'carol@harbor.example' });
  const area = await world.workArea(ds, cast.alice, 'Bridge');
  await world.participant(area, cast.alice, { kind: 'USER', id: hal.id }, 'LEADER');
  return { project, area, hal };
}

async function associated(world: World, cast: Cast) {
  const { project, area } = await dmWorld(world, cast);
  await world.associateWorkArea(project, area, cast.alice);
  return project;
}
