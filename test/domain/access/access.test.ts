// ACC-1…ACC-3 and LIC-1 / LIC-3 on the pure decision: each denial, each license source, the
// first-match order of LIC-1 (one test per adjacent pair), and the DENY cases.
import { describe, expect, it } from 'vitest';
import { type AccessFacts, decideAccess } from '../../../src/access/rules/access.js';

const host = { id: 'host', name: 'Harbor Engineering' };
const supplier = { id: 'sup', name: 'Northwind Surveying' };
const third = { id: 'third', name: 'Third Party' };

/** An external supplier user with a data-source user, on a data source that lets external users in. */
function facts(overrides: Partial<AccessFacts> = {}, ds: Partial<AccessFacts['dataSource']> = {}): AccessFacts {
  return {
    product: 'PW_EXPLORER',
    machineName: 'M1',
    caller: { email: 'erin@northwind.example', usageCountry: 'DE', homeAccount: supplier },
    dataSource: {
      name: 'Harbor Projects',
      owner: host,
      imsAuthEnabled: true,
      filterAccountIds: null,
      licensingOwner: host,
      allowExternalImsUsers: true,
      externalLicensing: 'SUPPLY',
      ...ds,
    },
    dataSourceUser: { id: 'dsu', login: 'erin', clientLicensing: 'OWN_ORGANIZATION' },
    associations: [],
    reservedCheckout: null,
    entitledAccountIds: new Set(),
    ...overrides,
  };
}

const rules = (f: AccessFacts) => decideAccess(f).steps.map((s) => `${s.rule}:${s.outcome}`);

describe('ACC-1…ACC-3 denials', () => {
  it('ACC-1 IMS authentication must be enabled: IMS_AUTH_DISABLED', () => {
    const d = decideAccess(facts({}, { imsAuthEnabled: false }));
    expect(d).toMatchObject({
      granted: false,
      denialReason: 'IMS_AUTH_DISABLED',
      licenseSource: null,
      billedAccount: null,
    });
    expect(rules(facts({}, { imsAuthEnabled: false }))).toEqual(['ACC-1:FAILED']);
  });

  it('ACC-2 the data-source user with the caller’s identity is used', () => {
    expect(decideAccess(facts()).dataSourceUser).toEqual({ existingId: 'dsu' });
  });

  it('ACC-2 without one, a caller whose home account the filter names gets one created', () => {
    const d = decideAccess(facts({ dataSourceUser: null }, { filterAccountIds: ['sup'] }));
    expect(d.granted).toBe(true);
    expect(d.dataSourceUser).toBe('CREATE');
  });

  it('ACC-2 otherwise NO_DATASOURCE_ACCOUNT (no filter, filter not naming them, or no home account)', () => {
    expect(decideAccess(facts({ dataSourceUser: null })).denialReason).toBe('NO_DATASOURCE_ACCOUNT');
    expect(decideAccess(facts({ dataSourceUser: null }, { filterAccountIds: ['host'] })).denialReason).toBe(
      'NO_DATASOURCE_ACCOUNT',
    );
    const unaffiliated = facts(
      { dataSourceUser: null, caller: { email: 'f@x.example', usageCountry: 'US', homeAccount: null } },
      { filterAccountIds: ['host'] },
    );
    expect(decideAccess(unaffiliated).denialReason).toBe('NO_DATASOURCE_ACCOUNT');
  });

  it('ACC-3 an external caller needs an association with the owner or allowExternalImsUsers: EXTERNAL_ACCESS_NOT_ALLOWED', () => {
    const closed = { allowExternalImsUsers: false };
    expect(decideAccess(facts({}, closed)).denialReason).toBe('EXTERNAL_ACCESS_NOT_ALLOWED');
    expect(decideAccess(facts({ associations: [host] }, closed)).granted).toBe(true);
    expect(decideAccess(facts({}, { allowExternalImsUsers: true })).granted).toBe(true);
  });

  it('ACC-3 a member of the owner account is not external', () => {
    const internal = facts(
      {
        caller: { email: 'alice@harbor.example', usageCountry: 'US', homeAccount: host },
        entitledAccountIds: new Set(['host']),
      },
      { allowExternalImsUsers: false },
    );
    const d = decideAccess(internal);
    expect(d).toMatchObject({ granted: true, external: false, licenseSource: 'OWN_ORGANIZATION' });
  });

  it('ACC-3 an unaffiliated caller is external', () => {
    const d = decideAccess(
      facts(
        { caller: { email: 'f@x.example', usageCountry: 'US', homeAccount: null } },
        { allowExternalImsUsers: false },
      ),
    );
    expect(d).toMatchObject({ external: true, denialReason: 'EXTERNAL_ACCESS_NOT_ALLOWED' });
  });
});

describe('LIC-1 license sources', () => {
  const reserved = { checkoutId: 'c1', issuer: third };

  it('LIC-1.1 a reserved checkout imported on the machine bills its issuer', () => {
    const d = decideAccess(facts({ reservedCheckout: reserved }));
    expect(d).toMatchObject({
      granted: true,
      licenseSource: 'RESERVED_CHECKOUT',
      billedAccount: third,
      checkoutId: 'c1',
    });
  });

  it('LIC-1.1 beats LIC-1.2: reserved wins over an owner-supplied license', () => {
    expect(decideAccess(facts({ reservedCheckout: reserved })).licenseSource).toBe('RESERVED_CHECKOUT');
    expect(decideAccess(facts()).licenseSource).toBe('DATASOURCE_OWNER');
  });

  it('LIC-1.2 external + SUPPLY bills the licensing owner', () => {
    expect(decideAccess(facts())).toMatchObject({ licenseSource: 'DATASOURCE_OWNER', billedAccount: host });
  });

  it('LIC-1.2 OWNER_PROVIDES bills the licensing owner for an internal user too', () => {
    const other = { id: 'lo', name: 'Licensing Owner' };
    const internal = facts(
      {
        caller: { email: 'a@harbor.example', usageCountry: 'US', homeAccount: host },
        dataSourceUser: { id: 'd', login: 'a', clientLicensing: 'OWNER_PROVIDES' },
        entitledAccountIds: new Set(['host']),
      },
      { licensingOwner: other },
    );
    expect(decideAccess(internal)).toMatchObject({ licenseSource: 'DATASOURCE_OWNER', billedAccount: other });
  });

  it('LIC-1.2 beats LIC-1.3: an owner-supplied license wins over the caller’s own entitlement', () => {
    const d = decideAccess(facts({ entitledAccountIds: new Set(['sup']) }));
    expect(d.licenseSource).toBe('DATASOURCE_OWNER');
  });

  it('LIC-1.2 external + DENY ignores OWNER_PROVIDES, and a step says so', () => {
    const f = facts(
      {
        dataSourceUser: { id: 'd', login: 'erin', clientLicensing: 'OWNER_PROVIDES' },
        entitledAccountIds: new Set(['sup']),
      },
      { externalLicensing: 'DENY' },
    );
    const d = decideAccess(f);
    expect(d).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: supplier });
    expect(d.steps.find((s) => s.rule === 'LIC-1.2')).toMatchObject({
      outcome: 'IGNORED',
      detail: expect.stringMatching(/OWNER_PROVIDES.*denies/),
    });
  });

  it('LIC-3 an owner-supplied license without a licensing owner is denied: LICENSING_OWNER_NOT_SET', () => {
    const d = decideAccess(facts({ entitledAccountIds: new Set(['sup']) }, { licensingOwner: null }));
    expect(d).toMatchObject({ granted: false, denialReason: 'LICENSING_OWNER_NOT_SET' });
    expect(rules(facts({}, { licensingOwner: null })).slice(-2)).toEqual(['LIC-1.2:APPLIED', 'LIC-3:FAILED']);
  });

  it('LIC-1.3 the home account’s active entitlement in the usage country bills the home account', () => {
    const d = decideAccess(facts({ entitledAccountIds: new Set(['sup']) }, { externalLicensing: 'DENY' }));
    expect(d).toMatchObject({ licenseSource: 'OWN_ORGANIZATION', billedAccount: supplier });
  });

  it('LIC-1.3 beats LIC-1.4: own organization before an associated account', () => {
    const f = facts(
      { associations: [third], entitledAccountIds: new Set(['sup', 'third']) },
      { externalLicensing: 'DENY' },
    );
    expect(decideAccess(f).licenseSource).toBe('OWN_ORGANIZATION');
  });

  it('LIC-1.4 an associated account with the entitlement pays, oldest association first; the step names the association', () => {
    const f = facts(
      {
        associations: [supplier, third, host],
        entitledAccountIds: new Set(['third', 'host']),
        caller: { email: 'f@x.example', usageCountry: 'US', homeAccount: null },
      },
      { externalLicensing: 'DENY' },
    );
    const d = decideAccess(f);
    expect(d).toMatchObject({ licenseSource: 'ASSOCIATED_ACCOUNT', billedAccount: third });
    expect(d.steps.find((s) => s.outcome === 'APPLIED')?.detail).toMatch(
      /association grants the account's licensing \(ID-5\)/,
    );
  });

  it('LIC-1.4 with DENY the owner account is skipped among the associations', () => {
    const f = facts({ associations: [host], entitledAccountIds: new Set(['host']) }, { externalLicensing: 'DENY' });
    const d = decideAccess(f);
    expect(d.denialReason).toBe('NO_LICENSE');
    expect(d.steps.find((s) => s.rule === 'LIC-1.4')).toMatchObject({
      outcome: 'SKIPPED',
      detail: expect.stringMatching(/owner.*denies/),
    });
  });

  it('LIC-1.4 beats LIC-1.5: an associated entitlement, else NO_LICENSE', () => {
    const base = { associations: [third] };
    expect(
      decideAccess(facts({ ...base, entitledAccountIds: new Set(['third']) }, { externalLicensing: 'DENY' }))
        .licenseSource,
    ).toBe('ASSOCIATED_ACCOUNT');
    expect(decideAccess(facts(base, { externalLicensing: 'DENY' })).denialReason).toBe('NO_LICENSE');
  });

  it('LIC-1.5 no source: NO_LICENSE, after every check in order', () => {
    expect(rules(facts({}, { externalLicensing: 'DENY' }))).toEqual([
      'ACC-1:PASSED',
      'ACC-2:PASSED',
      'ACC-3:PASSED',
      'LIC-1.1:SKIPPED',
      'LIC-1.2:SKIPPED',
      'LIC-1.3:SKIPPED',
      'LIC-1.4:SKIPPED',
      'LIC-1.5:FAILED',
    ]);
  });
});
