import { describe, expect, it } from 'vitest';
import {
  effectivePermissions,
  grantedDmPermissions,
  grantedRolePermissions,
} from '../../../src/projects/rules/effective-permissions.js';
import {
  BUILT_IN_ROLE_PERMISSIONS,
  BUILT_IN_ROLES,
  builtIn,
  DM_PERMISSIONS,
  dmPermissionsFrom,
  ROLE_PERMISSIONS,
  type RolePermission,
  type RoleRef,
} from '../../../src/projects/rules/roles.js';

const ALL8 = [
  'READ_AND_CREATE_DRAFT_PACKAGES',
  'RECEIVE_EXTERNAL_PACKAGES',
  'ISSUE_PACKAGES',
  'APPROVE_RFI_RESPONSE',
  'MANAGE_SETTINGS',
  'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
  'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
  'MANAGE_EXTERNAL_ORGANIZATIONS',
];

describe('PRJ-3 / PRJ-4 / PRJ-5 vocabularies', () => {
  it('PRJ-3 the eight role permissions', () => {
    expect([...ROLE_PERMISSIONS]).toEqual(ALL8);
  });

  it.each([
    ['TEAM_MEMBER', ['READ_AND_CREATE_DRAFT_PACKAGES']],
    ['PWDM_RECEIVER', ['RECEIVE_EXTERNAL_PACKAGES']],
    [
      'PWDM_ISSUER',
      [
        'ISSUE_PACKAGES',
        'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
        'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
        'MANAGE_EXTERNAL_ORGANIZATIONS',
      ],
    ],
    ['PWDM_APPROVER', ['APPROVE_RFI_RESPONSE']],
    [
      'PROJECT_ADMINISTRATOR',
      [
        'READ_AND_CREATE_DRAFT_PACKAGES',
        'RECEIVE_EXTERNAL_PACKAGES',
        'ISSUE_PACKAGES',
        'APPROVE_RFI_RESPONSE',
        'MANAGE_SETTINGS',
      ],
    ],
    ['PROJECT_OWNER', ALL8],
  ] as const)('PRJ-4 %s has exactly %j', (role, permissions) => {
    expect([...BUILT_IN_ROLE_PERMISSIONS[role]].sort()).toEqual([...permissions].sort());
  });

  it('PRJ-4 there are exactly six built-in roles', () => {
    expect([...BUILT_IN_ROLES].sort()).toEqual(
      ['PROJECT_ADMINISTRATOR', 'PROJECT_OWNER', 'PWDM_APPROVER', 'PWDM_ISSUER', 'PWDM_RECEIVER', 'TEAM_MEMBER'].sort(),
    );
  });

  it.each([
    ['READ_AND_CREATE_DRAFT_PACKAGES', ['VIEW_PACKAGE']],
    ['RECEIVE_EXTERNAL_PACKAGES', ['RECEIVE_PACKAGE']],
    ['ISSUE_PACKAGES', ['ISSUE_PACKAGE']],
    ['APPROVE_RFI_RESPONSE', ['APPROVE_RFI_RESPONSE']],
    ['MANAGE_SETTINGS', [...DM_PERMISSIONS]],
    ['INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS', []],
    ['ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT', []],
    ['MANAGE_EXTERNAL_ORGANIZATIONS', []],
  ] as const)('PRJ-5 %s gives the DM permissions %j', (permission, dm) => {
    expect(dmPermissionsFrom([permission])).toEqual(dm);
  });

  it('PRJ-5 there are exactly five DM permissions', () => {
    expect([...DM_PERMISSIONS]).toEqual([
      'VIEW_PACKAGE',
      'RECEIVE_PACKAGE',
      'ISSUE_PACKAGE',
      'APPROVE_RFI_RESPONSE',
      'ADMIN',
    ]);
  });
});

const custom = (id: string, name: string, permissions: RolePermission[]): RoleRef => ({
  kind: 'CUSTOM',
  id,
  name,
  permissions,
});

describe('PRJ-6 / PRJ-8 effective permissions', () => {
  it('PRJ-8 nothing held: nothing granted, no provenance', () => {
    const eff = effectivePermissions({ roles: [], isImsAdmin: false });
    expect(grantedRolePermissions(eff)).toEqual([]);
    expect(grantedDmPermissions(eff)).toEqual([]);
    for (const p of DM_PERMISSIONS) expect(eff.dmPermissions[p]).toEqual({ granted: false, grantedBy: [] });
    expect(eff.isProjectOwner).toBe(false);
  });

  it('PRJ-8 a built-in role grants its permissions and their DM permissions, naming the role', () => {
    const eff = effectivePermissions({ roles: [builtIn('PWDM_ISSUER')], isImsAdmin: false });
    expect(grantedRolePermissions(eff)).toEqual([
      'ISSUE_PACKAGES',
      'INVITE_AND_CONFIGURE_TEAM_PARTICIPANTS',
      'ACCESS_TEAM_MEMBER_AND_ROLE_MANAGEMENT',
      'MANAGE_EXTERNAL_ORGANIZATIONS',
    ]);
    expect(grantedDmPermissions(eff)).toEqual(['ISSUE_PACKAGE']);
    expect(eff.dmPermissions.ISSUE_PACKAGE.grantedBy).toEqual([{ kind: 'BUILT_IN_ROLE', role: 'PWDM_ISSUER' }]);
  });

  it('PRJ-8 every role granting a permission is listed (built-in in PRJ-4 order, then custom by name)', () => {
    const eff = effectivePermissions({
      roles: [
        custom('c2', 'Zeta', ['ISSUE_PACKAGES']),
        custom('c1', 'Alpha', ['MANAGE_SETTINGS']),
        builtIn('PWDM_ISSUER'),
        builtIn('PROJECT_ADMINISTRATOR'),
      ],
      isImsAdmin: false,
    });
    expect(eff.dmPermissions.ISSUE_PACKAGE.grantedBy).toEqual([
      { kind: 'BUILT_IN_ROLE', role: 'PWDM_ISSUER' },
      { kind: 'BUILT_IN_ROLE', role: 'PROJECT_ADMINISTRATOR' },
      { kind: 'CUSTOM_ROLE', id: 'c1', name: 'Alpha' },
      { kind: 'CUSTOM_ROLE', id: 'c2', name: 'Zeta' },
    ]);
    // PRJ-5: the custom role with MANAGE_SETTINGS grants every DM permission, not only ADMIN.
    expect(eff.dmPermissions.VIEW_PACKAGE.grantedBy).toEqual([
      { kind: 'BUILT_IN_ROLE', role: 'PROJECT_ADMINISTRATOR' },
      { kind: 'CUSTOM_ROLE', id: 'c1', name: 'Alpha' },
    ]);
    expect(eff.rolePermissions.READ_AND_CREATE_DRAFT_PACKAGES.grantedBy).toEqual([
      { kind: 'BUILT_IN_ROLE', role: 'PROJECT_ADMINISTRATOR' },
    ]);
  });

  it('PRJ-6 a Project Owner holds all eight and every DM permission, with provenance PROJECT_OWNER only', () => {
    const eff = effectivePermissions({ roles: [builtIn('PROJECT_OWNER')], isImsAdmin: false });
    expect(eff.isProjectOwner).toBe(true);
    for (const p of ROLE_PERMISSIONS) expect(eff.rolePermissions[p].grantedBy).toEqual([{ kind: 'PROJECT_OWNER' }]);
    for (const p of DM_PERMISSIONS) expect(eff.dmPermissions[p].grantedBy).toEqual([{ kind: 'PROJECT_OWNER' }]);
  });

  it('PRJ-6 an IMS admin holds everything without any role, with provenance IMS_ADMIN', () => {
    const eff = effectivePermissions({ roles: [], isImsAdmin: true });
    expect(eff.isProjectOwner).toBe(false);
    expect(eff.isImsAdmin).toBe(true);
    expect(grantedRolePermissions(eff)).toEqual([...ROLE_PERMISSIONS]);
    for (const p of DM_PERMISSIONS) expect(eff.dmPermissions[p].grantedBy).toEqual([{ kind: 'IMS_ADMIN' }]);
  });

  it('PRJ-8 provenance lists roles, then PROJECT_OWNER, then IMS_ADMIN; a role loaded twice counts once', () => {
    const eff = effectivePermissions({
      roles: [builtIn('PROJECT_OWNER'), builtIn('PWDM_RECEIVER'), builtIn('PWDM_RECEIVER')],
      isImsAdmin: true,
    });
    expect(eff.dmPermissions.RECEIVE_PACKAGE.grantedBy).toEqual([
      { kind: 'BUILT_IN_ROLE', role: 'PWDM_RECEIVER' },
      { kind: 'PROJECT_OWNER' },
      { kind: 'IMS_ADMIN' },
    ]);
  });
});
