import { describe, expect, it } from 'vitest';
import { effectivePermissions } from '../../../src/projects/rules/effective-permissions.js';
import { builtIn, type RoleRef } from '../../../src/projects/rules/roles.js';
import {
  addTeamMemberDecision,
  assignRoleProblem,
  lastProjectOwnerProblem,
  removeTeamMemberProblem,
  teamMembershipProblem,
  unassignRoleProblem,
} from '../../../src/projects/rules/team.js';

const actor = (roles: RoleRef[], isImsAdmin = false) => effectivePermissions({ roles, isImsAdmin });
const issuer = actor([builtIn('PWDM_ISSUER')]);
const projectAdmin = actor([builtIn('PROJECT_ADMINISTRATOR'), builtIn('PWDM_ISSUER')]);
const owner = actor([builtIn('PROJECT_OWNER')]);
const imsAdmin = actor([], true);
const allEightCustom = actor([
  {
    kind: 'CUSTOM',
    id: 'c',
    name: 'Everything',
    permissions: [
      'READ_AND_CREATE_DRAFT_PACKAGES',
      'RECEIVE_EXTERNAL_PACKAGES',
      'ISSUE_PACKAGES',
      'APPROVE_RFI_RESPONSE',
      'MANAGE_SETTINGS',
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ],
  },
]);
const nobody = { roles: [] as RoleRef[] };

describe('PRJ-7 assigning roles', () => {
  it('PRJ-7 a caller may assign a role whose permissions they all hold', () => {
    expect(assignRoleProblem(issuer, builtIn('PWDM_ISSUER'), nobody)).toBeNull();
    expect(assignRoleProblem(projectAdmin, builtIn('TEAM_MEMBER'), nobody)).toBeNull();
  });

  it('PRJ-7 CANNOT_GRANT_UNHELD_PERMISSION: an issuer cannot make anyone (themselves included) a Project Administrator', () => {
    expect(assignRoleProblem(issuer, builtIn('PROJECT_ADMINISTRATOR'), nobody)).toBe('CANNOT_GRANT_UNHELD_PERMISSION');
    expect(assignRoleProblem(issuer, builtIn('TEAM_MEMBER'), nobody)).toBe('CANNOT_GRANT_UNHELD_PERMISSION');
  });

  it('PRJ-7 CANNOT_GRANT_UNHELD_PERMISSION for a custom role with one permission the caller lacks', () => {
    const role: RoleRef = {
      kind: 'CUSTOM',
      id: 'r',
      name: 'Issuer+',
      permissions: ['ISSUE_PACKAGES', 'APPROVE_RFI_RESPONSE'],
    };
    expect(assignRoleProblem(issuer, role, nobody)).toBe('CANNOT_GRANT_UNHELD_PERMISSION');
    expect(assignRoleProblem(actor([builtIn('PWDM_ISSUER'), builtIn('PWDM_APPROVER')]), role, nobody)).toBeNull();
  });

  it('PRJ-7 PROJECT_OWNER is granted only by a Project Owner or an IMS admin, not by a role holding all eight', () => {
    expect(assignRoleProblem(owner, builtIn('PROJECT_OWNER'), nobody)).toBeNull();
    expect(assignRoleProblem(imsAdmin, builtIn('PROJECT_OWNER'), nobody)).toBeNull();
    expect(assignRoleProblem(allEightCustom, builtIn('PROJECT_OWNER'), nobody)).toBe('FORBIDDEN');
    expect(assignRoleProblem(allEightCustom, builtIn('PROJECT_ADMINISTRATOR'), nobody)).toBeNull();
  });

  it('PRJ-7 ROLE_ALREADY_HELD, only after the caller passed the rights checks', () => {
    const member = { roles: [builtIn('PWDM_ISSUER')] };
    expect(assignRoleProblem(issuer, builtIn('PWDM_ISSUER'), member)).toBe('ROLE_ALREADY_HELD');
    expect(assignRoleProblem(actor([builtIn('PWDM_RECEIVER')]), builtIn('PWDM_ISSUER'), member)).toBe(
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    const customHeld: RoleRef = { kind: 'CUSTOM', id: 'r1', name: 'A', permissions: ['ISSUE_PACKAGES'] };
    expect(assignRoleProblem(issuer, { ...customHeld }, { roles: [customHeld] })).toBe('ROLE_ALREADY_HELD');
    expect(assignRoleProblem(issuer, { ...customHeld, id: 'r2' }, { roles: [customHeld] })).toBeNull();
  });
});

describe('PRJ-7 / PRJ-1 unassigning roles', () => {
  it('PRJ-7 ROLE_NOT_HELD', () => {
    expect(unassignRoleProblem(issuer, builtIn('PWDM_ISSUER'), nobody, 1)).toBe('ROLE_NOT_HELD');
    expect(unassignRoleProblem(issuer, builtIn('PWDM_ISSUER'), { roles: [builtIn('PWDM_ISSUER')] }, 1)).toBeNull();
  });

  it('PRJ-7 CANNOT_GRANT_UNHELD_PERMISSION applies to unassigning too', () => {
    const member = { roles: [builtIn('PROJECT_ADMINISTRATOR')] };
    expect(unassignRoleProblem(issuer, builtIn('PROJECT_ADMINISTRATOR'), member, 1)).toBe(
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
  });

  it('PRJ-1 LAST_PROJECT_OWNER: the only owner keeps the role; with two owners one may go', () => {
    const member = { roles: [builtIn('PROJECT_OWNER')] };
    expect(unassignRoleProblem(owner, builtIn('PROJECT_OWNER'), member, 1)).toBe('LAST_PROJECT_OWNER');
    expect(unassignRoleProblem(imsAdmin, builtIn('PROJECT_OWNER'), member, 1)).toBe('LAST_PROJECT_OWNER');
    expect(unassignRoleProblem(owner, builtIn('PROJECT_OWNER'), member, 2)).toBeNull();
  });

  it('PRJ-7 removing PROJECT_OWNER needs a Project Owner or IMS admin', () => {
    const member = { roles: [builtIn('PROJECT_OWNER')] };
    expect(unassignRoleProblem(allEightCustom, builtIn('PROJECT_OWNER'), member, 2)).toBe('FORBIDDEN');
  });

  it('PRJ-1 lastProjectOwnerProblem boundary: zero refused, one accepted', () => {
    expect(lastProjectOwnerProblem(0)).toBe('LAST_PROJECT_OWNER');
    expect(lastProjectOwnerProblem(1)).toBeNull();
  });
});

describe('PRJ-7 team members', () => {
  it('PRJ-7 removing a member needs the right to unassign each of their roles', () => {
    expect(removeTeamMemberProblem(issuer, { roles: [builtIn('PWDM_ISSUER')] }, 1)).toBeNull();
    expect(removeTeamMemberProblem(issuer, { roles: [builtIn('PWDM_ISSUER'), builtIn('PWDM_APPROVER')] }, 1)).toBe(
      'CANNOT_GRANT_UNHELD_PERMISSION',
    );
    expect(removeTeamMemberProblem(issuer, nobody, 1)).toBeNull();
  });

  it('PRJ-7 removing a Project Owner needs a Project Owner or an IMS admin; PRJ-1 not the last one', () => {
    const ownerMember = { roles: [builtIn('PROJECT_OWNER'), builtIn('PWDM_RECEIVER')] };
    expect(removeTeamMemberProblem(allEightCustom, ownerMember, 2)).toBe('FORBIDDEN');
    expect(removeTeamMemberProblem(issuer, ownerMember, 2)).toBe('FORBIDDEN');
    expect(removeTeamMemberProblem(owner, ownerMember, 2)).toBeNull();
    expect(removeTeamMemberProblem(imsAdmin, ownerMember, 1)).toBe('LAST_PROJECT_OWNER');
  });

  it('PRJ-7 USER_NOT_REGISTERED, ALREADY_TEAM_MEMBER; DM-7 adding a WORK_AREA member makes it TEAM-sourced', () => {
    expect(addTeamMemberDecision({ registered: false, membership: null })).toEqual({ error: 'USER_NOT_REGISTERED' });
    expect(addTeamMemberDecision({ registered: true, membership: null })).toEqual({ action: 'ADD' });
    expect(addTeamMemberDecision({ registered: true, membership: { source: 'TEAM' } })).toEqual({
      error: 'ALREADY_TEAM_MEMBER',
    });
    expect(addTeamMemberDecision({ registered: true, membership: { source: 'WORK_AREA' } })).toEqual({
      action: 'MAKE_TEAM_SOURCED',
    });
  });

  it('PRJ-7 NOT_TEAM_MEMBER', () => {
    expect(teamMembershipProblem(false)).toBe('NOT_TEAM_MEMBER');
    expect(teamMembershipProblem(true)).toBeNull();
  });
});
