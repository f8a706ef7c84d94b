// The demo world: a small, believable set of organizations and people, loaded into a new empty
// database through the same services the API uses (so every rule holds and the audit log is real).
// Sections, each with its story by rule id: accounts, people and entitlements (loadDemoWorld), data
// sources (loadDemoDataSources), the project HB-1012 with Deliverables Management (loadDemoProject),
// and external organizations — the invitation, the linked project, provided licenses, and the pending
// invitation the examples answer (loadDemoExternalOrganizations). Deterministic in time: every step
// happens at the injected `now`.
import { count } from 'drizzle-orm';
import * as licensingOwner from '../access/use-cases/licensing-owner.js';
import type { PrincipalRef } from '../data-sources/rules/principals.js';
import * as ds from '../data-sources/service.js';
import type { Db } from '../db/client.js';
import { one } from '../db/query.js';
import {
  type AccountRow,
  type DataSourceRow,
  type ProjectRow,
  type UserRow,
  users,
  type WorkAreaRole,
  type WorkAreaRow,
} from '../db/schema.js';
import * as deliverables from '../deliverables/service.js';
import * as identity from '../identity/service.js';
import type { SigningKey } from '../licensing/license-keys.js';
import * as checkouts from '../licensing/service.js';
import * as organizations from '../organizations/service.js';
import * as projects from '../projects/service.js';

export interface DemoUser {
  email: string;
  name: string;
  role: string;
}

/** Everyone in the demo world, with what they are there for (printed at start with their tokens). */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: 'alice@harbor-eng.example',
    name: 'Alice Harbor',
    role: 'Harbor Engineering ACCOUNT_ADMIN (host firm); Project Owner of HB-1012 and HB-1013',
  },
  { email: 'bob@harbor-eng.example', name: 'Bob Keel', role: 'Harbor Engineering CO_ADMINISTRATOR' },
  {
    email: 'carol@harbor-eng.example',
    name: 'Carol Mast',
    role: 'Harbor Engineering member, no IMS role; PWDM_ISSUER on project HB-1012',
  },
  {
    email: 'ivy@harbor-eng.example',
    name: 'Ivy Slip',
    role: 'Harbor Engineering member; joined work area Bridge 12 after its association (NO_ACCESS_YET)',
  },
  {
    email: 'dave@northwind-survey.example',
    name: 'Dave North',
    role: 'Northwind Surveying ACCOUNT_ADMIN (supplier); point of contact for the invitations from Harbor, Project Owner of the linked project HB-1012-NOR',
  },
  {
    email: 'erin@northwind-survey.example',
    name: 'Erin Wind',
    role: 'Northwind Surveying member, associated with Harbor Engineering',
  },
  {
    email: 'frank@freelance.example',
    name: 'Frank Loose',
    role: 'unaffiliated freelancer, associated with Harbor Engineering; TEAM_MEMBER on project HB-1012',
  },
  {
    email: 'gus@freelance.example',
    name: 'Gus Drift',
    role: 'unaffiliated freelancer with a user on Northwind Field Data and no license: associating him with Harbor would make Harbor pay (issue 14 dry runs)',
  },
];

export async function isEmptyDatabase(db: Db): Promise<boolean> {
  return ((await one(db.select({ n: count() }).from(users)))?.n ?? 0) === 0;
}

/** Loads the demo world. Call only on an empty database. */
export async function loadDemoWorld(db: Db, now: Date, signingKey: SigningKey): Promise<void> {
  const person = async (email: string, usageCountry: string): Promise<UserRow> => {
    const demo = DEMO_USERS.find((u) => u.email === email);
    return await identity.registerProfile(
      db,
      { email, subject: email, name: demo?.name ?? null },
      { usageCountry },
      now,
    );
  };
  const as = (actor: UserRow) => ({ db, actor, now });
  const nextYear = `${now.getUTCFullYear() + 1}-12-31`;

  const alice = await person('alice@harbor-eng.example', 'US');
  const bob = await person('bob@harbor-eng.example', 'US');
  const carol = await person('carol@harbor-eng.example', 'GB');
  const ivy = await person('ivy@harbor-eng.example', 'US');
  const dave = await person('dave@northwind-survey.example', 'DE');
  const erin = await person('erin@northwind-survey.example', 'DE');
  const frank = await person('frank@freelance.example', 'FR');
  await person('gus@freelance.example', 'FR');

  const harbor = await identity.createAccount(as(alice), {
    name: 'Harbor Engineering',
    emailDomains: ['harbor-eng.example', 'harbor-eng.co.example'],
  });
  for (const member of [bob, carol, ivy]) {
    await identity.addAccountMember(as(alice), { accountId: harbor.id, email: member.email });
  }
  await identity.grantImsRole(as(alice), { accountId: harbor.id, userId: bob.id, role: 'CO_ADMINISTRATOR' });

  const northwind = await identity.createAccount(as(dave), {
    name: 'Northwind Surveying',
    emailDomains: ['northwind-survey.example'],
  });
  await identity.addAccountMember(as(dave), { accountId: northwind.id, email: erin.email });

  for (const [productCode, country] of [
    ['PW_EXPLORER', 'US'],
    ['PW_EXPLORER', 'GB'],
    ['MICROSTATION', 'US'],
  ] as const) {
    await identity.addEntitlement(as(alice), { accountId: harbor.id, productCode, country, contractEndDate: nextYear });
  }
  await identity.addEntitlement(as(dave), {
    accountId: northwind.id,
    productCode: 'PW_EXPLORER',
    country: 'DE',
    contractEndDate: nextYear,
  });

  await identity.associateExternalUser(as(alice), { accountId: harbor.id, email: erin.email });
  await identity.associateExternalUser(as(alice), { accountId: harbor.id, email: frank.email });
  await identity.addEntitlement(as(alice), {
    accountId: harbor.id,
    productCode: 'PW_EXPLORER',
    country: 'FR',
    contractEndDate: nextYear,
  });

  const harborProjects = await loadDemoDataSources(db, now, { alice, dave, harbor, northwind });
  const bridgeProject = await loadDemoProject(db, now, { alice, bob, carol, ivy, harbor, ...harborProjects });
  await loadDemoExternalOrganizations(db, now, { alice, dave, frank, harbor, northwind, project: bridgeProject });

  // Seed: the external supplier hands over a checked-out (reserved) license. Northwind reserves
  // PW_EXPLORER for Frank on FRANK-LAPTOP; once he imports the file (schema/examples), his sign-ins on
  // that machine are billed to Northwind instead of Harbor (through his association).
  await checkouts.createLicenseCheckout(as({ ...dave, homeAccountId: northwind.id }), signingKey, {
    accountId: northwind.id,
    email: frank.email,
    machineName: 'FRANK-LAPTOP',
    products: [{ product: 'PW_EXPLORER', version: '10.0.3.280' }],
    entitlementCountry: 'DE',
  });
}

/**
 * The seed's workflows (000_45217ee904e2fe23), one data source each:
 * - Harbor Projects (SUPPLY): Dave, an external supplier user, is billed to Harbor (owner supplies);
 *   Harbor's own people get a data-source user at first sign-in through the identity filter.
 * - Harbor Archive (DENY, no external IMS users): Erin, associated with Harbor, pays with Northwind's
 *   own license although her data-source user says OWNER_PROVIDES; Dave is refused.
 * - Northwind Field Data: Frank, a freelancer associated with Harbor, is billed to Harbor through the
 *   association (ID-5: an association grants the account's licensing).
 */
async function loadDemoDataSources(
  db: Db,
  now: Date,
  { alice, dave, harbor, northwind }: { alice: UserRow; dave: UserRow; harbor: AccountRow; northwind: AccountRow },
): Promise<{ projects: DataSourceRow; bridge: WorkAreaRow }> {
  const asAlice = { db, actor: { ...alice, homeAccountId: harbor.id }, now };
  const asDave = { db, actor: { ...dave, homeAccountId: northwind.id }, now };

  const projects = await ds.createDataSource(asAlice, {
    accountId: harbor.id,
    name: 'Harbor Projects',
    imsAuthEnabled: true,
    dynamicCreationFilter: 'Organization = "Harbor Engineering"',
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'SUPPLY' },
  });
  await licensingOwner.setLicensingOwner(asAlice, { dataSourceId: projects.id, accountId: harbor.id });
  const user = async (dataSourceId: string, login: string, fields: Omit<ds.DataSourceUserInput, 'login'>) =>
    await ds.createDataSourceUser(asAlice, { dataSourceId, login, ...fields });
  const aliceU = await user(projects.id, 'alice', {
    email: 'alice@harbor-eng.example',
    identity: 'alice@harbor-eng.example',
  });
  const bobU = await user(projects.id, 'bob', { email: 'bob@harbor-eng.example', identity: 'bob@harbor-eng.example' });
  const hank = await user(projects.id, 'hank.legacy', {});
  const daveU = await user(projects.id, 'dnorth', {
    email: 'dave@northwind-survey.example',
    identity: 'dave@northwind-survey.example',
  });
  const structural = await ds.createGroup(asAlice, {
    dataSourceId: projects.id,
    name: 'Structural',
    userIds: [aliceU.id, hank.id],
  });
  const suppliers = await ds.createGroup(asAlice, {
    dataSourceId: projects.id,
    name: 'Suppliers',
    userIds: [daveU.id],
  });
  const bridgeTeam = await ds.createUserList(asAlice, {
    dataSourceId: projects.id,
    name: 'Bridge Team',
    members: [
      { kind: 'GROUP', id: structural.id },
      { kind: 'USER', id: bobU.id },
    ],
  });
  const reviewers = await ds.createUserList(asAlice, {
    dataSourceId: projects.id,
    name: 'Reviewers',
    members: [
      { kind: 'USER', id: bobU.id },
      { kind: 'LIST', id: bridgeTeam.id },
    ],
  });
  // Nested both ways: a harmless cycle (DS-4).
  await ds.setUserListMembers(asAlice, {
    listId: bridgeTeam.id,
    members: [
      { kind: 'GROUP', id: structural.id },
      { kind: 'USER', id: bobU.id },
      { kind: 'LIST', id: reviewers.id },
    ],
  });
  const bridge = await ds.createWorkArea(asAlice, { dataSourceId: projects.id, name: 'Bridge 12' });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: bridge.id,
    principal: { kind: 'USER', id: aliceU.id },
    role: 'ADMINISTRATOR',
  });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: bridge.id,
    principal: { kind: 'LIST', id: bridgeTeam.id },
    role: 'TEAM_MEMBER',
  });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: bridge.id,
    principal: { kind: 'GROUP', id: suppliers.id },
    role: 'OBSERVER',
  });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: bridge.id,
    principal: { kind: 'USER', id: hank.id },
    role: 'NO_ACCESS',
  });
  // Issue 14's third surprise: associating a work area makes its participants team members (DM-5) —
  // the seeds advise associating an empty one first. Quay Yard is not empty; project HB-1013 has none
  // yet, and a dry run of the association shows who would join (schema/examples).
  const quayYard = await ds.createWorkArea(asAlice, { dataSourceId: projects.id, name: 'Quay Yard' });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: quayYard.id,
    principal: { kind: 'USER', id: bobU.id },
    role: 'LEADER',
  });
  await ds.setWorkAreaParticipant(asAlice, {
    workAreaId: quayYard.id,
    principal: { kind: 'GROUP', id: suppliers.id },
    role: 'TEAM_MEMBER',
  });

  const archive = await ds.createDataSource(asAlice, {
    accountId: harbor.id,
    name: 'Harbor Archive',
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: false, externalLicensing: 'DENY' },
  });
  await licensingOwner.setLicensingOwner(asAlice, { dataSourceId: archive.id, accountId: harbor.id });
  await user(archive.id, 'erin', {
    email: 'erin@northwind-survey.example',
    identity: 'erin@northwind-survey.example',
    clientLicensing: 'OWNER_PROVIDES',
  });
  await user(archive.id, 'dnorth', { identity: 'dave@northwind-survey.example' });

  const field = await ds.createDataSource(asDave, {
    accountId: northwind.id,
    name: 'Northwind Field Data',
    imsAuthEnabled: true,
    externalAccess: { allowExternalImsUsers: true, externalLicensing: 'DENY' },
  });
  await licensingOwner.setLicensingOwner(asDave, { dataSourceId: field.id, accountId: northwind.id });
  await ds.createDataSourceUser(asDave, {
    dataSourceId: field.id,
    login: 'frank',
    identity: 'frank@freelance.example',
  });
  // Issue 14's first surprise, waiting to happen: Gus may enter (external IMS users allowed) but holds
  // no license (NO_LICENSE). Associating him with Harbor (ID-5) would bill his sign-ins here to Harbor —
  // a dry run shows it before it is done (schema/examples).
  await ds.createDataSourceUser(asDave, { dataSourceId: field.id, login: 'gus', identity: 'gus@freelance.example' });

  // LIC-3: Northwind asks its client Harbor to pay for the survey data source; pending until a Harbor
  // IMS admin (alice, bob) answers it — see Harbor's account.licensingOwnerRequests.
  await licensingOwner.requestLicensingOwner(asDave, { dataSourceId: field.id, accountId: harbor.id });
  return { projects, bridge };
}

/**
 * Deliverables Management (§6, §7): Harbor's project HB-1012 "Bridge 12 Replacement", DM enabled by
 * Alice (internal domain harbor-eng.example) and associated with the work area Bridge 12, whose
 * participants show every DM-1 status in the connector listing (project.deliverablesParticipants):
 * - ACTIVE_USER: alice (ADMINISTRATOR), bob (through the Bridge Team list);
 * - DIFFERENT_EMAIL_DOMAIN: dnorth (through the Suppliers group), erin (an individual OBSERVER);
 * - EMAIL_ADDRESS_MISSING: site.office, a shared login without an email;
 * - IMS_ACCOUNT_MISSING: ken, whose email no one has registered a profile for;
 * - NO_ACCESS_YET: ivy, added to the work area after the association (she joins at the next
 *   synchronization, schema/examples);
 * - hank.legacy is an individual NO_ACCESS participant: named by nothing (WA-1b), although the
 *   Structural group contains him; *Everyone participates too (its entry holds no permission, DM-2).
 * The team: Alice (Project Owner, and her connector roles), the users the association added, Bob also
 * with the custom role "Design Reviewer", and Carol, added directly as PWDM_ISSUER.
 */
async function loadDemoProject(
  db: Db,
  now: Date,
  {
    alice,
    bob,
    carol,
    ivy,
    harbor,
    projects: harborProjects,
    bridge,
  }: {
    alice: UserRow;
    bob: UserRow;
    carol: UserRow;
    ivy: UserRow;
    harbor: AccountRow;
    projects: DataSourceRow;
    bridge: WorkAreaRow;
  },
): Promise<ProjectRow> {
  const asAlice = { db, actor: { ...alice, homeAccountId: harbor.id }, now };
  const user = async (login: string, fields: Omit<ds.DataSourceUserInput, 'login'>) =>
    await ds.createDataSourceUser(asAlice, { dataSourceId: harborProjects.id, login, ...fields });
  const participant = async (principal: PrincipalRef, role: WorkAreaRole) =>
    await ds.setWorkAreaParticipant(asAlice, { workAreaId: bridge.id, principal, role });

  // Bridge 12 before the association: an external user by name, a login without an email, an email
  // without a profile, and *Everyone.
  const erinU = await user('erin', { email: 'erin@northwind-survey.example' });
  const office = await user('site.office', {});
  const ken = await user('ken', { email: 'ken.tide@harbor-eng.example' });
  await participant({ kind: 'USER', id: erinU.id }, 'OBSERVER');
  await participant({ kind: 'USER', id: office.id }, 'TEAM_MEMBER');
  await participant({ kind: 'USER', id: ken.id }, 'LEADER');
  await participant({ kind: 'EVERYONE', id: harborProjects.id }, 'OBSERVER');

  const project = await projects.createProject(asAlice, { number: 'HB-1012', name: 'Bridge 12 Replacement' });
  await projects.enableDeliverables(asAlice, { projectId: project.id });
  // DM-5: the initial synchronization makes alice, bob, dnorth and erin team members.
  await deliverables.associateWorkArea(asAlice, { projectId: project.id, workAreaId: bridge.id });

  // After the association: Ivy becomes a participant (NO_ACCESS_YET until a synchronization).
  const ivyU = await user('ivy', { email: ivy.email, identity: ivy.email });
  await participant({ kind: 'USER', id: ivyU.id }, 'TEAM_MEMBER');

  const reviewer = await projects.createCustomRole(asAlice, {
    projectId: project.id,
    name: 'Design Reviewer',
    permissions: ['READ_AND_CREATE_DRAFT_PACKAGES', 'APPROVE_RFI_RESPONSE'],
  });
  await projects.assignProjectRoles(asAlice, { projectId: project.id, userId: bob.id, roleIds: [reviewer.id] });
  await projects.addTeamMember(asAlice, {
    projectId: project.id,
    email: carol.email,
    roleIds: [projects.builtInRoleId(project.id, 'PWDM_ISSUER')],
  });
  return project;
}

/**
 * External organizations (§8), seed 002's "invite external organizations" on HB-1012 and a second
 * Harbor project:
 * - EXT-1 / EXT-2: Alice invites Northwind Surveying to HB-1012 with Dave as its point of contact; Dave
 *   accepts, which creates Northwind's linked project HB-1012-NOR "Bridge 12 Replacement" (Dave its
 *   Project Owner, DM enabled with northwind-survey.example). Alice sees the accepted invitation in
 *   project.invitations and the link in project.linkedProjects (Northwind's project itself stays
 *   hidden from her). Dave is also on HB-1012's own team, through the Suppliers group (DM-5), until
 *   the connection synchronization of the examples (DM-7) removes him.
 * - EXT-1: Harbor's second project HB-1013 "Quay Wall Survey" (DM enabled, Alice its only team member)
 *   invites Northwind too, Dave again the point of contact: left PENDING for the examples, where Dave
 *   finds it in viewer.invitations and accepts — and, not being on HB-1013's team, sees of it only what
 *   EXT-3 shows a linked project's member (its name, number, account, the link; never its team).
 * - EXT-4: Alice (ACCOUNT_ADMIN and Project Owner) provides licenses on HB-1012 to unaffiliated users
 *   (no account listed; never Northwind, a DM-linked organization, who brings its own license), and
 *   adds the freelancer Frank to its team as TEAM_MEMBER, so that under EXT-5 his use of the project is
 *   Harbor's to pay (Harbor holds PW_EXPLORER in FR, his usage country).
 */
async function loadDemoExternalOrganizations(
  db: Db,
  now: Date,
  {
    alice,
    dave,
    frank,
    harbor,
    northwind,
    project,
  }: {
    alice: UserRow;
    dave: UserRow;
    frank: UserRow;
    harbor: AccountRow;
    northwind: AccountRow;
    project: ProjectRow;
  },
) {
  const asAlice = { db, actor: { ...alice, homeAccountId: harbor.id }, now };
  const asDave = { db, actor: { ...dave, homeAccountId: northwind.id }, now };

  const invitation = await organizations.inviteExternalOrganization(asAlice, {
    projectId: project.id,
    accountId: northwind.id,
    pointOfContactEmail: dave.email,
  });
  await organizations.respondToInvitation(asDave, { invitationId: invitation.id, accept: true });

  await organizations.setProvidedLicenses(asAlice, { projectId: project.id, accountIds: [], unaffiliated: true });
  await projects.addTeamMember(asAlice, {
    projectId: project.id,
    email: frank.email,
    roleIds: [projects.builtInRoleId(project.id, 'TEAM_MEMBER')],
  });

  const quay = await projects.createProject(asAlice, { number: 'HB-1013', name: 'Quay Wall Survey' });
  await projects.enableDeliverables(asAlice, { projectId: quay.id });
  await organizations.inviteExternalOrganization(asAlice, {
    projectId: quay.id,
    accountId: northwind.id,
    pointOfContactEmail: dave.email,
  });
}
