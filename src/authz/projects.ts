// §9 for §6 (projects, teams, roles): who may do what in a project is decided from the viewer's
// effective permissions (PRJ-8, the one function of projects/rules) — no check of §6–§8 decides alone.
import { type EffectivePermissions, effectivePermissions } from '../projects/rules/effective-permissions.js';
import type { RolePermission } from '../projects/rules/roles.js';
import { ownerOnlyProblem } from '../projects/rules/team.js';
import type { Decision, ProjectFacts, Subject } from './actions.js';
import { adminOf, allow, type DecisionsFor, deny, hide } from './common.js';

/**
 * PRJ-8 for the viewer: their roles in the project, and whether they are an IMS admin of its account.
 * Use cases ask this too (PRJ-7 compares a role with the permissions the actor holds).
 */
export function viewerPermissions(subject: Subject, project: ProjectFacts): EffectivePermissions {
  return effectivePermissions({
    roles: project.viewerRoles ?? [],
    isImsAdmin: adminOf(subject, project.accountId),
  });
}

/**
 * §9 "read a project": its team members and the IMS admins of its account (EXT-3 adds members of
 * linked projects). Anyone else gets the answer for a missing project.
 */
function readable(subject: Subject, project: ProjectFacts): Decision | null {
  if (project.viewerRoles !== null) return null;
  if (adminOf(subject, project.accountId)) return null;
  return hide('§9', 'not a project you may read');
}

const holds = (perms: EffectivePermissions, ...wanted: RolePermission[]) =>
  wanted.some((p) => perms.rolePermissions[p].granted);

/** PRJ-7: project settings (and PROJECT_OWNER) are for Project Owners and IMS admins of the project's account. */
const ownerOrAdmin = (perms: EffectivePermissions) => ownerOnlyProblem(perms) === null;

export const PROJECT_DECISIONS: DecisionsFor<
  | 'project.create'
  | 'project.read'
  | 'project.manageSettings'
  | 'project.enableDeliverables'
  | 'team.read'
  | 'team.manage'
  | 'team.manageOwners'
  | 'effectivePermissions.read'
  | 'deliverables.manage'
  | 'connector.readState'
  | 'organization.invite'
  | 'invitation.read'
  | 'invitation.answer'
  | 'invitation.cancel'
  | 'projectLink.read'
  | 'providedLicenses.read'
  | 'providedLicenses.change'
  | 'projectAccess.explainFor'
> = {
  'project.create': (subject, _viewer, request) => {
    return adminOf(subject, request.accountId)
      ? allow('PRJ-1', 'an IMS admin of your home account')
      : deny('PRJ-1', 'creating a project needs an IMS admin role in your home account');
  },
  'project.read': (subject, _viewer, request) => {
    // EXT-3: members of a linked project read the inviting project (its name, number, account and the
    // link) — nothing else: every other action still needs the team or the account.
    if (request.project.viewerInLinkedProject && readable(subject, request.project)) {
      return allow('EXT-3', 'a member of a project linked to this one');
    }
    return (
      readable(subject, request.project) ??
      allow('§9', request.project.viewerRoles ? 'a team member' : "an IMS admin of the project's account")
    );
  },
  'project.manageSettings': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    return ownerOrAdmin(viewerPermissions(subject, request.project))
      ? allow('PRJ-7', "a Project Owner or an IMS admin of the project's account")
      : deny('PRJ-7', "only Project Owners and IMS admins of the project's account manage its settings");
  },
  'project.enableDeliverables': (subject, viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    if (!ownerOrAdmin(viewerPermissions(subject, request.project))) {
      return deny(
        'PRJ-2',
        "only Project Owners and IMS admins of the project's account enable Deliverables Management",
      );
    }
    return viewer.homeAccountId === request.project.accountId
      ? allow('PRJ-2', "a Project Owner or IMS admin who is a member of the project's account")
      : deny(
          'PRJ-2',
          "Deliverables Management is enabled by a member of the project's account (their email domain becomes the internal domain)",
        );
  },
  'team.read': (subject, viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    if (
      holds(viewerPermissions(subject, request.project), 'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT', 'MANAGE_SETTINGS')
    ) {
      return allow('§9', 'holds ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS');
    }
    return request.memberUserId === viewer.id
      ? allow('§9', 'a team member reads their own membership')
      : deny('§9', 'the team is for holders of ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT or MANAGE_SETTINGS to read');
  },
  'team.manage': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    return holds(viewerPermissions(subject, request.project), 'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT')
      ? allow('PRJ-7', 'holds ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT')
      : deny(
          'PRJ-7',
          'adding, removing and assigning roles to team members needs ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
        );
  },
  'team.manageOwners': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    return ownerOrAdmin(viewerPermissions(subject, request.project))
      ? allow('PRJ-7', "a Project Owner or an IMS admin of the project's account")
      : deny('PRJ-7', 'only Project Owners and IMS admins grant or remove PROJECT_OWNER or remove a Project Owner');
  },
  'effectivePermissions.read': (subject, viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    if (request.userId === viewer.id) return allow('PRJ-8', 'your own effective permissions');
    return holds(
      viewerPermissions(subject, request.project),
      'MANAGE_SETTINGS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
    )
      ? allow('PRJ-8', 'holds MANAGE_SETTINGS or ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT')
      : deny(
          'PRJ-8',
          "another user's effective permissions need MANAGE_SETTINGS or ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT",
        );
  },
  'deliverables.manage': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    return holds(viewerPermissions(subject, request.project), 'MANAGE_SETTINGS')
      ? allow('PRJ-5', 'holds MANAGE_SETTINGS (every connector capability)')
      : deny('PRJ-5', 'the Deliverables Management connector is for holders of MANAGE_SETTINGS');
  },
  'organization.invite': (subject, _viewer, request) => mayInvite(subject, request.project),
  'invitation.read': (subject, viewer, request) => {
    if (viewer.email === request.pointOfContactEmail) return allow('EXT-2', 'the point of contact');
    return mayInvite(subject, request.project).allowed
      ? allow('EXT-1', 'may invite for the project')
      : hide('EXT-1', 'not an invitation you may read');
  },
  'projectLink.read': (subject, _viewer, request) => {
    return request.project.viewerRoles !== null || adminOf(subject, request.project.accountId)
      ? allow('§9', "a link is read by the project's team members and its account's IMS admins")
      : hide('§9', 'not a link you may read');
  },
  'invitation.answer': (subject, viewer, request) => {
    if (viewer.email === request.pointOfContactEmail) return allow('EXT-2', 'the point of contact');
    return mayInvite(subject, request.project).allowed
      ? deny('EXT-2', 'only the point of contact answers an invitation')
      : hide('EXT-2', 'not an invitation you may read');
  },
  'invitation.cancel': (subject, viewer, request) => {
    const may = mayInvite(subject, request.project);
    if (may.allowed) return allow('EXT-1', 'may invite for the project');
    // The point of contact reads the invitation (§9) but answers it rather than cancelling it.
    return viewer.email === request.pointOfContactEmail
      ? deny('EXT-1', 'cancelling an invitation is for those who may invite; the point of contact answers it')
      : may;
  },
  'providedLicenses.read': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    return ownerOrAdmin(viewerPermissions(subject, request.project))
      ? allow('EXT-4', "a Project Owner or an IMS admin of the project's account")
      : deny('EXT-4', "provided licenses are for Project Owners and the account's IMS admins to read");
  },
  'providedLicenses.change': (subject, _viewer, request) => {
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    const perms = viewerPermissions(subject, request.project);
    return perms.isImsAdmin && perms.isProjectOwner
      ? allow('EXT-4', "an IMS admin of the project's account and a Project Owner")
      : deny(
          'EXT-4',
          "changing provided licenses needs an IMS admin of the project's account who is also a Project Owner",
        );
  },
  'connector.readState': (subject, _viewer, request) => {
    // EXT-3: when the connector last synchronized is the project's own business — its team and its
    // account's IMS admins; members of a linked project see nothing of the connector.
    return readable(subject, request.project) ?? allow('§9', "a team member or an IMS admin of the project's account");
  },
  'projectAccess.explainFor': (subject, _viewer, request) => {
    // EXT-5: those who set what the project provides (EXT-4) may see whom it covers, and who pays.
    const hidden = readable(subject, request.project);
    if (hidden) return hidden;
    if (!ownerOrAdmin(viewerPermissions(subject, request.project))) {
      return deny(
        'EXT-5',
        "only Project Owners and IMS admins of the project's account may explain project access for another user",
      );
    }
    return request.subjectReadable
      ? allow('EXT-5', "a Project Owner or an IMS admin of the project's account, about a user they may read")
      : hide('§9', 'not a user you may read');
  },
};

/** EXT-1: the three permissions of inviting together, or MANAGE_SETTINGS. */
function mayInvite(subject: Subject, project: ProjectFacts): Decision {
  const hidden = readable(subject, project);
  if (hidden) return hidden;
  const perms = viewerPermissions(subject, project);
  const all = (
    [
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ] as const
  ).every((p) => perms.rolePermissions[p].granted);
  return all || holds(perms, 'MANAGE_SETTINGS')
    ? allow('EXT-1', 'holds the three permissions of inviting (or MANAGE_SETTINGS)')
    : deny(
        'EXT-1',
        'inviting external organizations needs INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS, ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT and MANAGE_EXTERNAL_ORGANIZATIONS together, or MANAGE_SETTINGS',
      );
}
