import { describe, expect, it } from 'vitest';
import { builtIn } from '../../../src/projects/rules/roles.js';
import {
  builtInRoleProblem,
  customRoleProblem,
  deleteRoleProblem,
  projectNumberProblem,
} from '../../../src/projects/rules/settings.js';

describe('PRJ-1 project number', () => {
  it('PRJ-1 1 and 40 characters are accepted; empty, blank and 41 refused', () => {
    expect(projectNumberProblem('P', [])).toBeNull();
    expect(projectNumberProblem('x'.repeat(40), [])).toBeNull();
    expect(projectNumberProblem('x'.repeat(41), [])).toBe('INVALID_PROJECT_NUMBER');
    expect(projectNumberProblem('', [])).toBe('INVALID_PROJECT_NUMBER');
    expect(projectNumberProblem('   ', [])).toBe('INVALID_PROJECT_NUMBER');
  });

  it('PRJ-1 characters are counted as a person counts them (an emoji is one)', () => {
    expect(projectNumberProblem('🏗'.repeat(40), [])).toBeNull();
    expect(projectNumberProblem('🏗'.repeat(41), [])).toBe('INVALID_PROJECT_NUMBER');
  });

  it('PRJ-1 PROJECT_NUMBER_TAKEN within the account, ignoring case and surrounding spaces', () => {
    expect(projectNumberProblem('P-1', ['P-2'])).toBeNull();
    expect(projectNumberProblem('P-1', ['P-1'])).toBe('PROJECT_NUMBER_TAKEN');
    expect(projectNumberProblem(' p-1 ', ['P-1'])).toBe('PROJECT_NUMBER_TAKEN');
  });
});

describe('PRJ-4 custom roles', () => {
  it('PRJ-4 a named role with a non-empty permission set is accepted', () => {
    expect(
      customRoleProblem({ name: 'Reviewer', permissions: ['APPROVE_RFI_RESPONSE'] }, [{ name: 'Other' }]),
    ).toBeNull();
  });

  it('PRJ-4 EMPTY_ROLE_PERMISSIONS', () => {
    expect(customRoleProblem({ name: 'Reviewer', permissions: [] }, [])).toBe('EMPTY_ROLE_PERMISSIONS');
  });

  it('PRJ-4 INVALID_ROLE_NAME: blank, or over 100 characters', () => {
    expect(customRoleProblem({ name: '  ', permissions: ['ISSUE_PACKAGES'] }, [])).toBe('INVALID_ROLE_NAME');
    expect(customRoleProblem({ name: 'r'.repeat(100), permissions: ['ISSUE_PACKAGES'] }, [])).toBeNull();
    expect(customRoleProblem({ name: 'r'.repeat(101), permissions: ['ISSUE_PACKAGES'] }, [])).toBe('INVALID_ROLE_NAME');
  });

  it('PRJ-4 ROLE_NAME_TAKEN ignoring case, also for the built-in roles', () => {
    const ok = ['ISSUE_PACKAGES'] as const;
    expect(customRoleProblem({ name: 'reviewer ', permissions: [...ok] }, [{ name: 'Reviewer' }])).toBe(
      'ROLE_NAME_TAKEN',
    );
    expect(customRoleProblem({ name: 'project owner', permissions: [...ok] }, [])).toBe('ROLE_NAME_TAKEN');
    expect(customRoleProblem({ name: 'pwdm_issuer', permissions: [...ok] }, [])).toBe('ROLE_NAME_TAKEN');
  });

  it('PRJ-4 BUILT_IN_ROLE: built-in roles cannot be edited or deleted', () => {
    expect(builtInRoleProblem(builtIn('TEAM_MEMBER'))).toBe('BUILT_IN_ROLE');
    expect(builtInRoleProblem({ kind: 'CUSTOM', id: 'r', name: 'R', permissions: ['ISSUE_PACKAGES'] })).toBeNull();
    expect(deleteRoleProblem(builtIn('PWDM_APPROVER'), 0, true)).toBe('BUILT_IN_ROLE');
  });

  it('PRJ-4 ROLE_IN_USE: an assigned custom role is deleted only with force', () => {
    const role = { kind: 'CUSTOM' as const, id: 'r', name: 'R', permissions: ['ISSUE_PACKAGES' as const] };
    expect(deleteRoleProblem(role, 1, false)).toBe('ROLE_IN_USE');
    expect(deleteRoleProblem(role, 1, true)).toBeNull();
    expect(deleteRoleProblem(role, 0, false)).toBeNull();
  });
});
