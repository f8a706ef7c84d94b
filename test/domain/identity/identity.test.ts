import { describe, expect, it } from 'vitest';
import { AccessDenied, AppError } from '../../../src/errors.js';
import {
  assertKeepsAccountAdmin,
  assertMayAssociate,
  assertMayCreateAccount,
  assertMayJoin,
  assertMayManageRole,
  assertNewEntitlement,
  emailDomain,
  isContractActive,
  isImsAdmin,
  normalizeDomains,
  normalizeEmail,
} from '../../../src/identity/rules.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError || error instanceof AccessDenied) return error.code;
    throw error;
  }
  return undefined;
}

describe('ID-1 emails', () => {
  it('ID-1 stores emails trimmed and lower-cased', () => {
    expect(normalizeEmail('  Alice.Smith@Harbor-Eng.Example ')).toBe('alice.smith@harbor-eng.example');
    expect(emailDomain('alice@harbor.example')).toBe('harbor.example');
  });

  it.each([
    'no-at-sign.example',
    '@harbor.example',
    'two@@harbor.example',
    'a@b@harbor.example',
    'alice@localhost',
    'alice@harbor.',
    'alice@.example',
    'al ice@harbor.example',
    'alice.@harbor.example',
    '',
  ])('ID-1 rejects %j with INVALID_EMAIL', (email) => {
    expect(codeOf(() => normalizeEmail(email))).toBe('INVALID_EMAIL');
  });

  it.each(['a@b.co', 'first.last+tag@sub.harbor.example', "o'brien@harbor.example"])('ID-1 accepts %j', (email) => {
    expect(codeOf(() => normalizeEmail(email))).toBeUndefined();
  });
});

describe('ID-2 accounts', () => {
  const creator = { id: 'u1', email: 'alice@harbor.example', homeAccountId: null };

  it('ID-2 normalizes domains (lower case, leading @, duplicates removed)', () => {
    expect(normalizeDomains(['Harbor.Example', '@harbor.example', 'harbor.co.example'], ['d'])).toEqual([
      'harbor.example',
      'harbor.co.example',
    ]);
  });

  it('ID-2 rejects a malformed domain with INVALID_DOMAIN and its position', () => {
    try {
      normalizeDomains(['harbor.example', 'not a domain'], ['input', 'emailDomains']);
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('INVALID_DOMAIN');
      expect((error as AppError).path).toEqual(['input', 'emailDomains', '1']);
    }
  });

  it("ID-2 one of the domains must be the creator's own", () => {
    expect(codeOf(() => assertMayCreateAccount(creator, ['harbor.example']))).toBeUndefined();
    expect(codeOf(() => assertMayCreateAccount(creator, ['other.example']))).toBe('CREATOR_DOMAIN_REQUIRED');
  });

  it('ID-2 a creator who already belongs to an account is refused', () => {
    expect(codeOf(() => assertMayCreateAccount({ ...creator, homeAccountId: 'a1' }, ['harbor.example']))).toBe(
      'ALREADY_IN_ACCOUNT',
    );
  });
});

describe('ID-3 members', () => {
  const account = { id: 'a1', name: 'Harbor', domains: ['harbor.example'] };
  it('ID-3 an unaffiliated user of one of the domains may join', () => {
    expect(
      codeOf(() => assertMayJoin(account, { id: 'u', email: 'x@harbor.example', homeAccountId: null })),
    ).toBeUndefined();
  });
  it('ID-3 refuses members of another account, of this one, and of other domains', () => {
    expect(codeOf(() => assertMayJoin(account, { id: 'u', email: 'x@harbor.example', homeAccountId: 'a2' }))).toBe(
      'USER_IN_ANOTHER_ACCOUNT',
    );
    expect(codeOf(() => assertMayJoin(account, { id: 'u', email: 'x@harbor.example', homeAccountId: 'a1' }))).toBe(
      'ALREADY_MEMBER',
    );
    expect(codeOf(() => assertMayJoin(account, { id: 'u', email: 'x@other.example', homeAccountId: null }))).toBe(
      'EMAIL_DOMAIN_MISMATCH',
    );
  });
});

describe('ID-4 IMS roles', () => {
  it('ID-4 any IMS role makes an IMS admin; none does not', () => {
    expect(isImsAdmin(['CONNECT_SERVICES_ADMIN'])).toBe(true);
    expect(isImsAdmin([])).toBe(false);
  });

  it('ID-4 ACCOUNT_ADMIN grants and revokes any role, on anyone', () => {
    for (const role of ['ACCOUNT_ADMIN', 'CO_ADMINISTRATOR', 'CONNECT_SERVICES_ADMIN'] as const) {
      expect(codeOf(() => assertMayManageRole(['ACCOUNT_ADMIN'], ['ACCOUNT_ADMIN'], role))).toBeUndefined();
    }
  });

  it('ID-4 CO_ADMINISTRATOR manages every role but ACCOUNT_ADMIN', () => {
    expect(codeOf(() => assertMayManageRole(['CO_ADMINISTRATOR'], [], 'CONNECT_SERVICES_ADMIN'))).toBeUndefined();
    expect(codeOf(() => assertMayManageRole(['CO_ADMINISTRATOR'], [], 'CO_ADMINISTRATOR'))).toBeUndefined();
    expect(codeOf(() => assertMayManageRole(['CO_ADMINISTRATOR'], [], 'ACCOUNT_ADMIN'))).toBe('FORBIDDEN');
  });

  it('ID-4 CO_ADMINISTRATOR may not act on an ACCOUNT_ADMIN at all', () => {
    expect(codeOf(() => assertMayManageRole(['CO_ADMINISTRATOR'], ['ACCOUNT_ADMIN'], 'CONNECT_SERVICES_ADMIN'))).toBe(
      'FORBIDDEN',
    );
  });

  it('ID-4 CONNECT_SERVICES_ADMIN and non-admins manage no roles', () => {
    expect(codeOf(() => assertMayManageRole(['CONNECT_SERVICES_ADMIN'], [], 'CONNECT_SERVICES_ADMIN'))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(() => assertMayManageRole([], [], 'CONNECT_SERVICES_ADMIN'))).toBe('FORBIDDEN');
  });

  it('ID-4 the account keeps at least one ACCOUNT_ADMIN', () => {
    expect(codeOf(() => assertKeepsAccountAdmin(1))).toBeUndefined();
    expect(codeOf(() => assertKeepsAccountAdmin(0))).toBe('LAST_ACCOUNT_ADMIN');
  });
});

describe('ID-5 associations', () => {
  const account = { id: 'a1', name: 'Harbor', domains: ['harbor.example'] };
  it('ID-5 external users (other account or none) may be associated once', () => {
    expect(
      codeOf(() => assertMayAssociate(account, { id: 'u', email: 'e@x.example', homeAccountId: 'a2' }, false)),
    ).toBeUndefined();
    expect(
      codeOf(() => assertMayAssociate(account, { id: 'u', email: 'e@x.example', homeAccountId: null }, false)),
    ).toBeUndefined();
    expect(
      codeOf(() => assertMayAssociate(account, { id: 'u', email: 'e@x.example', homeAccountId: 'a2' }, true)),
    ).toBe('ALREADY_ASSOCIATED');
  });
  it('ID-5 a member is not external', () => {
    expect(
      codeOf(() => assertMayAssociate(account, { id: 'u', email: 'e@harbor.example', homeAccountId: 'a1' }, false)),
    ).toBe('NOT_EXTERNAL');
  });
});

describe('ID-6 entitlements', () => {
  const now = new Date('2026-06-15T23:59:00Z');
  it('ID-6 a contract counts through its end date (UTC) and not after', () => {
    expect(isContractActive('2026-06-15', now)).toBe(true);
    expect(isContractActive('2026-06-14', now)).toBe(false);
  });
  it('ID-6 a new entitlement must not have ended and must not duplicate one', () => {
    expect(codeOf(() => assertNewEntitlement('2027-01-01', now, false))).toBeUndefined();
    expect(codeOf(() => assertNewEntitlement('2026-06-14', now, false))).toBe('CONTRACT_ENDED');
    expect(codeOf(() => assertNewEntitlement('2027-01-01', now, true))).toBe('DUPLICATE_ENTITLEMENT');
  });
});
