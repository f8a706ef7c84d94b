import { describe, expect, it } from 'vitest';
import {
  expandParticipants,
  expandPrincipal,
  type PrincipalGraph,
} from '../../../src/data-sources/rules/principals.js';

const graph: PrincipalGraph = {
  allUserIds: ['u1', 'u2', 'u3', 'u4'],
  groupMembers: new Map([
    ['g1', ['u1', 'u2']],
    ['g2', ['u3']],
  ]),
  listMembers: new Map([
    [
      'l1',
      [
        { kind: 'GROUP', id: 'g1' },
        { kind: 'LIST', id: 'l2' },
      ],
    ],
    [
      'l2',
      [
        { kind: 'USER', id: 'u4' },
        { kind: 'LIST', id: 'l1' },
      ],
    ], // a cycle l1 → l2 → l1
    [
      'l3',
      [
        { kind: 'LIST', id: 'l3' },
        { kind: 'GROUP', id: 'g2' },
      ],
    ], // contains itself
  ]),
};

describe('DS-4 expansion', () => {
  it('DS-4 a user is themselves; a group its members; *Everyone every user', () => {
    expect(expandPrincipal(graph, { kind: 'USER', id: 'u2' })).toEqual(['u2']);
    expect(expandPrincipal(graph, { kind: 'GROUP', id: 'g1' })).toEqual(['u1', 'u2']);
    expect(expandPrincipal(graph, { kind: 'EVERYONE', id: 'ds' })).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('DS-4 nested lists expand through groups and lists; a cycle is visited once and is harmless', () => {
    expect(expandPrincipal(graph, { kind: 'LIST', id: 'l1' }).sort()).toEqual(['u1', 'u2', 'u4']);
    expect(expandPrincipal(graph, { kind: 'LIST', id: 'l2' }).sort()).toEqual(['u1', 'u2', 'u4']);
    expect(expandPrincipal(graph, { kind: 'LIST', id: 'l3' })).toEqual(['u3']);
  });

  it('DS-4 an empty or unknown group/list expands to nobody', () => {
    expect(expandPrincipal(graph, { kind: 'GROUP', id: 'nope' })).toEqual([]);
    expect(expandPrincipal(graph, { kind: 'LIST', id: 'nope' })).toEqual([]);
  });
});

describe('WA-1 / WA-1b participants', () => {
  it('WA-1 participants expand into named users, each with every entry that reaches them', () => {
    const named = expandParticipants(graph, [
      { principal: { kind: 'LIST', id: 'l1' }, role: 'TEAM_MEMBER' },
      { principal: { kind: 'GROUP', id: 'g1' }, role: 'LEADER' },
    ]);
    const u1 = named.find((n) => n.userId === 'u1');
    expect(u1).toMatchObject({ effectiveRole: 'LEADER', individual: false });
    expect(u1?.via).toHaveLength(2);
    expect(named.find((n) => n.userId === 'u4')).toMatchObject({ effectiveRole: 'TEAM_MEMBER' });
    expect(named.map((n) => n.userId).sort()).toEqual(['u1', 'u2', 'u4']);
  });

  it('WA-1b an individual NO_ACCESS wins over every group, list and *Everyone containing the user', () => {
    const named = expandParticipants(graph, [
      { principal: { kind: 'EVERYONE', id: 'ds' }, role: 'ADMINISTRATOR' },
      { principal: { kind: 'GROUP', id: 'g1' }, role: 'LEADER' },
      { principal: { kind: 'USER', id: 'u1' }, role: 'NO_ACCESS' },
    ]);
    expect(named.find((n) => n.userId === 'u1')).toMatchObject({ effectiveRole: 'NO_ACCESS', individual: true });
    expect(named.find((n) => n.userId === 'u2')).toMatchObject({ effectiveRole: 'ADMINISTRATOR', individual: false });
  });

  it('WA-1b an individual entry of any role decides over groups; a group NO_ACCESS does not override another group', () => {
    const named = expandParticipants(graph, [
      { principal: { kind: 'GROUP', id: 'g1' }, role: 'ADMINISTRATOR' },
      { principal: { kind: 'USER', id: 'u2' }, role: 'OBSERVER' },
      { principal: { kind: 'LIST', id: 'l1' }, role: 'NO_ACCESS' },
    ]);
    expect(named.find((n) => n.userId === 'u2')?.effectiveRole).toBe('OBSERVER');
    expect(named.find((n) => n.userId === 'u1')?.effectiveRole).toBe('ADMINISTRATOR');
    expect(named.find((n) => n.userId === 'u4')?.effectiveRole).toBe('NO_ACCESS');
  });
});
