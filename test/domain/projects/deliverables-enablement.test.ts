import { describe, expect, it } from 'vitest';
import { enableDeliverablesDecision } from '../../../src/projects/rules/deliverables-enablement.js';
import { effectivePermissions } from '../../../src/projects/rules/effective-permissions.js';
import { builtIn } from '../../../src/projects/rules/roles.js';

const owner = effectivePermissions({ roles: [builtIn('PROJECT_OWNER')], isImsAdmin: false });
const imsAdmin = effectivePermissions({ roles: [], isImsAdmin: true });
const admin = effectivePermissions({ roles: [builtIn('PROJECT_ADMINISTRATOR')], isImsAdmin: false });
const base = { actor: owner, actorIsAccountMember: true, actorEmail: 'Ann@Acme.com', alreadyEnabled: false };

describe('PRJ-2 enableDeliverables', () => {
  it('PRJ-2 a Project Owner or an IMS admin who is a member enables DM; the internal domain is their email domain', () => {
    expect(enableDeliverablesDecision(base)).toEqual({ internalDomain: 'acme.com' });
    expect(enableDeliverablesDecision({ ...base, actor: imsAdmin })).toEqual({ internalDomain: 'acme.com' });
  });

  it('PRJ-2 anyone else, even with MANAGE_SETTINGS, is refused', () => {
    expect(enableDeliverablesDecision({ ...base, actor: admin })).toEqual({ error: 'FORBIDDEN' });
  });

  it('PRJ-2 a Project Owner who left the account is refused', () => {
    expect(enableDeliverablesDecision({ ...base, actorIsAccountMember: false })).toEqual({ error: 'FORBIDDEN' });
  });

  it('PRJ-2 DELIVERABLES_ALREADY_ENABLED on a second call', () => {
    expect(enableDeliverablesDecision({ ...base, alreadyEnabled: true })).toEqual({
      error: 'DELIVERABLES_ALREADY_ENABLED',
    });
  });
});
