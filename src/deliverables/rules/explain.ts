// DM-9 "every status and permission must be explainable": the ordered steps that place one data-source
// user in the connector — whether they are a named user (WA-1, WA-1b), their status (DM-1), their
// connector permissions (DM-4), and what the team makes of them (DM-3, DM-5…DM-7, DM-10).
import type { Step } from '../../access/rules/access.js';
import { holdsBuiltIn } from '../../projects/rules/roles.js';
import { type DeliverablesFacts, describePrincipal, teamMember } from './facts.js';
import { type NamedUser, namedUserById, participantAccessOf } from './named-users.js';
import { isSynchronizedStatus } from './status.js';
import { permissionList, RECONCILED_ROLES, translatePermissions } from './vocabulary.js';

/** WA-1 / WA-1b: why a user is, or is not, a named user of the work area. */
function namingSteps(facts: DeliverablesFacts, userId: string): { named: boolean; steps: Step[] } {
  const access = participantAccessOf(facts, userId);
  if (!access) {
    return {
      named: false,
      steps: [{ rule: 'WA-1', outcome: 'FAILED', detail: 'No participant of the work area reaches this user.' }],
    };
  }
  const via = access.via.map((p) => `${describePrincipal(facts, p.principal)} (${p.role})`).join(', ');
  if (access.effectiveRole === 'NO_ACCESS') {
    const detail = access.individual
      ? `An individual NO_ACCESS participant wins over every group, list and *Everyone (reached through ${via}).`
      : `Reached only through NO_ACCESS participants (${via}), which add nobody.`;
    return { named: false, steps: [{ rule: 'WA-1b', outcome: 'FAILED', detail }] };
  }
  return { named: true, steps: [{ rule: 'WA-1', outcome: 'PASSED', detail: `A named user, through ${via}.` }] };
}

/** DM-5 … DM-7: why a named user is not on the team, and what (if anything) would add them. */
function whyNotOnTeam(user: NamedUser): Step {
  const view = user.connectorPermissions.includes('VIEW_PACKAGE');
  if (!user.profileId)
    return { rule: 'PRJ-7', outcome: 'SKIPPED', detail: 'Not a team member: only registered users can be.' };
  if (!isSynchronizedStatus(user.status)) {
    return {
      rule: 'DM-5',
      outcome: 'SKIPPED',
      detail: 'Not a team member yet: the next synchronization adds them once synchronized.',
    };
  }
  if (view) {
    return {
      rule: 'DM-6',
      outcome: 'SKIPPED',
      detail: 'Not a team member: synchronizeDeliverables adds them (they have VIEW_PACKAGE).',
    };
  }
  if (user.onlyEveryone) {
    return {
      rule: 'DM-7',
      outcome: 'SKIPPED',
      detail:
        'Not a team member: reached only through *Everyone without VIEW_PACKAGE, so no synchronization adds them.',
    };
  }
  return {
    rule: 'DM-7',
    outcome: 'SKIPPED',
    detail:
      'Not a team member: synchronizeWorkAreaConnection adds them; synchronizeDeliverables adds only users with VIEW_PACKAGE.',
  };
}

/** The whole explanation for one data-source user of the associated work area. */
export function explainUser(facts: DeliverablesFacts, userId: string): { named: boolean; steps: Step[] } {
  const naming = namingSteps(facts, userId);
  const user = naming.named ? namedUserById(facts, userId) : undefined;
  if (!user) return naming;
  const steps: Step[] = [...naming.steps, ...user.statusSteps, ...user.connectorSteps];
  const translated = translatePermissions(user.connectorPermissions);
  steps.push({
    rule: 'DM-3',
    outcome: 'APPLIED',
    detail: `The connector permissions (${permissionList(user.connectorPermissions)}) translate to ${
      translated.length > 0 ? translated.join(', ') : 'no role'
    }.`,
  });
  const member = user.profileId ? teamMember(facts, user.profileId) : undefined;
  if (!member) {
    steps.push(whyNotOnTeam(user));
    return { named: true, steps };
  }
  const missing = translated.filter((r) => !holdsBuiltIn(member.roles, r));
  const unwanted = RECONCILED_ROLES.filter((r) => holdsBuiltIn(member.roles, r) && !translated.includes(r));
  steps.push({
    rule: 'DM-10',
    outcome: missing.length + unwanted.length === 0 ? 'PASSED' : 'FAILED',
    detail:
      missing.length + unwanted.length === 0
        ? `A ${member.source} team member holding every translated role; team and connector agree (DM-9).`
        : `A ${member.source} team member; the next synchronization ${[
            missing.length > 0 ? `adds ${missing.join(', ')}` : '',
            unwanted.length > 0 ? `removes ${unwanted.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' and ')} (DM-9).`,
  });
  return { named: true, steps };
}
