// EXT-5 as a pure decision: team members only; PROJECT_PROVIDED (EXT-4 covers the caller, never a
// DM-linked organization, and the project's account is entitled) before LIC-1.3 and LIC-1.4, which are
// the very steps a sign-in takes (access/rules' licenseFromEntitlements).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccountRef, licenseFromEntitlements, type Step } from '../../../src/access/rules/access.js';
import { decideProjectAccess, type ProjectAccessFacts } from '../../../src/organizations/rules/project-access.js';

const HARBOR: AccountRef = { id: 'harbor', name: 'Harbor Engineering' };
const NORTHWIND: AccountRef = { id: 'northwind', name: 'Northwind Surveying' };
const OTHER: AccountRef = { id: 'other', name: 'Other Firm' };

/** Dave of Northwind, on Harbor's project HB-1, which provides licenses to Northwind; Harbor is entitled. */
function facts(overrides: Partial<ProjectAccessFacts> = {}): ProjectAccessFacts {
  return {
    product: 'PW_EXPLORER',
    caller: { email: 'dave@northwind.example', usageCountry: 'DE', homeAccount: NORTHWIND },
    associations: [],
    entitledAccountIds: new Set([HARBOR.id]),
    project: { number: 'HB-1', name: 'Bridge', account: HARBOR },
    onTeam: true,
    provided: { accountIds: new Set([NORTHWIND.id]), unaffiliated: false },
    homeAccountLinked: false,
    ...overrides,
  };
}

const rules = (steps: Step[]) => steps.map((s) => `${s.rule} ${s.outcome}`);

describe('EXT-5 team members only', () => {
  it('EXT-5 a caller not on the team is denied NOT_A_TEAM_MEMBER, even where the project would pay; one step', () => {
    const decision = decideProjectAccess(facts({ onTeam: false }));
    expect(decision).toMatchObject({
      granted: false,
      denialReason: 'NOT_A_TEAM_MEMBER',
      licenseSource: null,
      billedAccount: null,
    });
    expect(rules(decision.steps)).toEqual(['EXT-5 FAILED']);
    expect(decision.steps[0]?.detail).toContain('not on the team of project HB-1');
  });

  it('EXT-5 a team member passes the first step', () => {
    expect(rules(decideProjectAccess(facts()).steps)[0]).toBe('EXT-5 PASSED');
  });
});

describe('EXT-5 PROJECT_PROVIDED (EXT-4)', () => {
  it('EXT-5 home account listed and the project account entitled: PROJECT_PROVIDED, billed to the project account', () => {
    const decision = decideProjectAccess(facts());
    expect(decision).toMatchObject({
      granted: true,
      denialReason: null,
      licenseSource: 'PROJECT_PROVIDED',
      billedAccount: HARBOR,
    });
    expect(rules(decision.steps)).toEqual(['EXT-5 PASSED', 'EXT-4 APPLIED']);
  });

  it('EXT-5 PROJECT_PROVIDED comes before the own organization, even when that is entitled too', () => {
    const decision = decideProjectAccess(facts({ entitledAccountIds: new Set([HARBOR.id, NORTHWIND.id]) }));
    expect(decision.licenseSource).toBe('PROJECT_PROVIDED');
  });

  it('EXT-5 home account not listed: skipped, the own organization pays', () => {
    const decision = decideProjectAccess(
      facts({
        provided: { accountIds: new Set([OTHER.id]), unaffiliated: true },
        entitledAccountIds: new Set([HARBOR.id, NORTHWIND.id]),
      }),
    );
    expect(decision).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: NORTHWIND });
    expect(rules(decision.steps)).toEqual(['EXT-5 PASSED', 'EXT-4 SKIPPED', 'LIC-1.3 APPLIED']);
    expect(decision.steps[1]?.detail).toContain('does not provide licenses to Northwind Surveying');
  });

  it('EXT-5 listed, but the project account holds no entitlement for the product in the usage country: skipped', () => {
    const decision = decideProjectAccess(facts({ entitledAccountIds: new Set([NORTHWIND.id]) }));
    expect(decision).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: NORTHWIND });
    expect(decision.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
    expect(decision.steps[1]?.detail).toContain('Harbor Engineering holds no active entitlement for PW_EXPLORER in DE');
  });

  it('EXT-5 listed, but the home account is linked to the project through DM: never provided (they bring their own)', () => {
    const linked = decideProjectAccess(facts({ homeAccountLinked: true }));
    expect(linked).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
    expect(linked.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
    expect(linked.steps[1]?.detail).toContain('linked to project HB-1 through Deliverables Management');
    const own = decideProjectAccess(
      facts({ homeAccountLinked: true, entitledAccountIds: new Set([HARBOR.id, NORTHWIND.id]) }),
    );
    expect(own).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: NORTHWIND });
  });

  it('EXT-5 an unaffiliated caller with the UNAFFILIATED flag: PROJECT_PROVIDED', () => {
    const decision = decideProjectAccess(
      facts({
        caller: { email: 'frank@freelance.example', usageCountry: 'DE', homeAccount: null },
        provided: { accountIds: new Set(), unaffiliated: true },
      }),
    );
    expect(decision).toMatchObject({ licenseSource: 'PROJECT_PROVIDED', billedAccount: HARBOR });
    expect(decision.steps[1]?.detail).toContain('provides licenses to unaffiliated users');
  });

  it('EXT-5 an unaffiliated caller without the flag is not covered by listed accounts; an association pays', () => {
    const decision = decideProjectAccess(
      facts({
        caller: { email: 'frank@freelance.example', usageCountry: 'DE', homeAccount: null },
        provided: { accountIds: new Set([NORTHWIND.id, OTHER.id]), unaffiliated: false },
        associations: [OTHER],
        entitledAccountIds: new Set([HARBOR.id, OTHER.id]),
      }),
    );
    expect(decision).toMatchObject({ licenseSource: 'ASSOCIATED_ACCOUNT', billedAccount: OTHER });
    expect(rules(decision.steps)).toEqual(['EXT-5 PASSED', 'EXT-4 SKIPPED', 'LIC-1.3 SKIPPED', 'LIC-1.4 APPLIED']);
  });

  it('EXT-5 the UNAFFILIATED flag does not cover a caller who has a home account', () => {
    const decision = decideProjectAccess(facts({ provided: { accountIds: new Set(), unaffiliated: true } }));
    expect(decision).toMatchObject({ granted: false, denialReason: 'NO_LICENSE' });
  });

  it("EXT-5 a member of the project's own account is not provided for (its entitlement is their own organization's)", () => {
    const decision = decideProjectAccess(
      facts({
        caller: { email: 'carol@harbor.example', usageCountry: 'DE', homeAccount: HARBOR },
        provided: { accountIds: new Set([HARBOR.id]), unaffiliated: true },
      }),
    );
    expect(decision).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: HARBOR });
    expect(decision.steps[1]).toMatchObject({ rule: 'EXT-4', outcome: 'SKIPPED' });
  });

  it('EXT-5 nothing applies: NO_LICENSE with the LIC-1.5 step', () => {
    const decision = decideProjectAccess(facts({ entitledAccountIds: new Set() }));
    expect(decision).toMatchObject({ granted: false, denialReason: 'NO_LICENSE', billedAccount: null });
    expect(rules(decision.steps)).toEqual([
      'EXT-5 PASSED',
      'EXT-4 SKIPPED',
      'LIC-1.3 SKIPPED',
      'LIC-1.4 SKIPPED',
      'LIC-1.5 FAILED',
    ]);
  });
});

describe('EXT-5 the license steps are those of a sign-in (LIC-1.3, LIC-1.4)', () => {
  const account = fc.constantFrom(HARBOR, NORTHWIND, OTHER);
  const arbitraryFacts = fc
    .record({
      home: fc.option(account, { nil: null }),
      associations: fc.uniqueArray(account, { selector: (a) => a.id, maxLength: 3 }),
      entitled: fc.subarray([HARBOR.id, NORTHWIND.id, OTHER.id]),
      provided: fc.subarray([HARBOR.id, NORTHWIND.id, OTHER.id]),
      unaffiliated: fc.boolean(),
      onTeam: fc.boolean(),
      linked: fc.boolean(),
    })
    .map((r) =>
      facts({
        caller: { email: 'x@example.com', usageCountry: 'DE', homeAccount: r.home },
        associations: r.associations,
        entitledAccountIds: new Set(r.entitled),
        provided: { accountIds: new Set(r.provided), unaffiliated: r.unaffiliated },
        onTeam: r.onTeam,
        homeAccountLinked: r.home !== null && r.linked,
      }),
    );

  it('EXT-5 PROJECT_PROVIDED exactly when on the team, covered by EXT-4 and the project account is entitled; else the LIC-1 decision', () => {
    fc.assert(
      fc.property(arbitraryFacts, (f) => {
        const decision = decideProjectAccess(f);
        const home = f.caller.homeAccount;
        const covered =
          !f.homeAccountLinked &&
          (home ? home.id !== HARBOR.id && f.provided.accountIds.has(home.id) : f.provided.unaffiliated);
        if (!f.onTeam) {
          expect(decision.denialReason).toBe('NOT_A_TEAM_MEMBER');
          return;
        }
        if (covered && f.entitledAccountIds.has(HARBOR.id)) {
          expect(decision).toMatchObject({ licenseSource: 'PROJECT_PROVIDED', billedAccount: HARBOR });
          return;
        }
        const steps: Step[] = [];
        const license = licenseFromEntitlements(f, steps);
        expect(decision.licenseSource).toBe(license?.licenseSource ?? null);
        expect(decision.billedAccount).toEqual(license?.billedAccount ?? null);
        expect(decision.denialReason).toBe(license ? null : 'NO_LICENSE');
        // The same steps, word for word, after EXT-5 and EXT-4.
        expect(decision.steps.slice(2)).toEqual(steps);
      }),
      { numRuns: 500 },
    );
  });
});
