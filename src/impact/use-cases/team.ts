// Issue 14, IMP-4: the team side of a change — who joins or leaves a project's team, or changes roles
// or Deliverables Management permissions — measured per project in one state, with the steps DM-9's
// explanation gives (WA-1/WA-1b, DM-1, DM-4, DM-3, DM-10) for a named user of its connector.
import { eq, inArray, or } from 'drizzle-orm';
import type { Step } from '../../access/rules/access.js';
import { authorize, type ProjectFacts, type Subject } from '../../authz/authorize.js';
import type { Reader } from '../../db/client.js';
import {
  connectors,
  imsRoles,
  type ProjectRow,
  projects,
  teamMembers,
  type UserRow,
  users,
  workAreas,
} from '../../db/schema.js';
import { explainUser } from '../../deliverables/rules/explain.js';
import type { DeliverablesFacts } from '../../deliverables/rules/facts.js';
import { namedUsersOfProfile } from '../../deliverables/rules/named-users.js';
import { connectorOf, loadDeliverablesFacts } from '../../deliverables/service.js';
import { effectivePermissions, grantedDmPermissions } from '../../projects/rules/effective-permissions.js';
import type { DmPermission, RoleRef } from '../../projects/rules/roles.js';
import { memberKey, projectFacts, rolesOfMembersIn } from '../../projects/service.js';

export interface TeamSide {
  member: boolean;
  /** How they joined (DM-5…DM-7: WORK_AREA; PRJ-7: TEAM); null when not a member. */
  source: 'WORK_AREA' | 'TEAM' | null;
  roles: RoleRef[];
  /** PRJ-5/PRJ-8: the DM permissions they hold in the project (IMS admins of its account hold all). */
  dmPermissions: DmPermission[];
  steps: Step[];
}

/** One project in one state: its team, and what explains the people around it. */
export interface ProjectState {
  project: ProjectRow;
  members: Map<string, { source: 'WORK_AREA' | 'TEAM'; roles: RoleRef[] }>;
  imsAdminIds: ReadonlySet<string>;
  facts: DeliverablesFacts | null;
  /** The caller's facts in the project (who may read its team: §9). */
  viewerFacts: ProjectFacts;
  /** The caller may read the connector's explanations (DM-9: MANAGE_SETTINGS, as explainParticipant). */
  readsConnector: boolean;
  emails: Map<string, string>;
}

/** The projects a change concerns: named ones, and those whose connector reaches the named data sources. */
export async function projectsConcerned(
  tx: Reader,
  projectIds: Iterable<string>,
  workAreaIds: Iterable<string>,
  dataSourceIds: Iterable<string>,
): Promise<Set<string>> {
  const found = new Set(projectIds);
  const areas = [...new Set(workAreaIds)];
  const sources = [...new Set(dataSourceIds)];
  if (areas.length + sources.length > 0) {
    const rows = await tx
      .select({ projectId: connectors.projectId })
      .from(connectors)
      .innerJoin(workAreas, eq(workAreas.id, connectors.workAreaId))
      .where(or(inArray(workAreas.id, areas), inArray(workAreas.dataSourceId, sources)));
    for (const row of rows) found.add(row.projectId);
  }
  return found;
}

/** The teams of these projects as they are now (a fixed number of statements per project). */
export async function measureProjects(
  tx: Reader,
  viewer: UserRow,
  /** The caller as the request began (their IMS roles). */
  subject: Subject,
  projectIds: ReadonlySet<string>,
): Promise<Map<string, ProjectState>> {
  const states = new Map<string, ProjectState>();
  if (projectIds.size === 0) return states;
  const rows = await tx
    .select()
    .from(projects)
    .where(inArray(projects.id, [...projectIds]));
  const members = await tx
    .select()
    .from(teamMembers)
    .where(inArray(teamMembers.projectId, [...projectIds]));
  const roles = await rolesOfMembersIn(tx, members);
  const admins = await tx
    .selectDistinct({ userId: imsRoles.userId, accountId: imsRoles.accountId })
    .from(imsRoles)
    .where(inArray(imsRoles.accountId, [...new Set(rows.map((p) => p.accountId))]));
  const emails = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.id, [...new Set(members.map((m) => m.userId))]))
    ).map((u) => [u.id, u.email]),
  );
  for (const project of rows) {
    const viewerFacts = await projectFacts(tx, project, viewer.id);
    const connector = await connectorOf(tx, project.id);
    const facts = connector ? await loadDeliverablesFacts(tx, project, connector) : null;
    // Named users (who may join) have profiles: their emails are the profiles' emails.
    if (facts) for (const [email, id] of facts.profiles) if (!emails.has(id)) emails.set(id, email);
    states.set(project.id, {
      project,
      members: new Map(
        members
          .filter((m) => m.projectId === project.id)
          .map((m) => [m.userId, { source: m.source, roles: roles.get(memberKey(project.id, m.userId)) ?? [] }]),
      ),
      imsAdminIds: new Set(admins.filter((a) => a.accountId === project.accountId).map((a) => a.userId)),
      facts,
      viewerFacts,
      readsConnector: authorize(subject, { action: 'deliverables.manage', project: viewerFacts }).allowed,
      emails,
    });
  }
  return states;
}

/** One person's side in one state: membership, roles, DM permissions and the steps that explain them. */
export function teamSide(state: ProjectState, userId: string): TeamSide {
  const member = state.members.get(userId);
  const roles = member?.roles ?? [];
  const dmPermissions = member
    ? grantedDmPermissions(effectivePermissions({ roles, isImsAdmin: state.imsAdminIds.has(userId) }))
    : [];
  const named = state.facts ? namedUsersOfProfile(state.facts, userId) : [];
  const membership: Step = member
    ? {
        rule: 'PRJ-7',
        outcome: 'PASSED',
        detail: `A team member (${member.source === 'TEAM' ? 'added to the team directly' : 'added by a synchronization'}).`,
      }
    : { rule: 'PRJ-7', outcome: 'FAILED', detail: 'Not a member of the team.' };
  let steps: Step[];
  // DM-9's explanation (participants, groups, connector permissions) is for MANAGE_SETTINGS holders, as
  // explainParticipant; a team manager without it sees membership only.
  if (state.facts && named[0] && state.readsConnector) steps = explainUser(state.facts, named[0].userId).steps;
  else if (state.facts && named[0]) steps = [membership];
  else if (state.facts) {
    steps = [
      { rule: 'WA-1', outcome: 'FAILED', detail: 'No participant of the associated work area reaches them.' },
      membership,
    ];
  } else steps = [membership];
  return { member: member !== undefined, source: member?.source ?? null, roles, dmPermissions, steps };
}

/** §9: the team rows of a project are for those who may read its team (each member their own). */
export function readsTeamRow(subject: Subject, state: ProjectState, userId: string): boolean {
  return authorize(subject, { action: 'team.read', project: state.viewerFacts, memberUserId: userId }).allowed;
}
