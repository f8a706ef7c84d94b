import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/errors.js';
import {
  assertImportable,
  checkoutStatus,
  expiredListingCutoff,
  planCheckout,
} from '../../../src/licensing/rules/checkouts.js';

const now = new Date('2026-06-15T12:00:00.000Z');
const day = 86_400_000;
const base = {
  now,
  country: 'DE',
  products: ['PW_EXPLORER'],
  contractEnds: new Map([
    ['PW_EXPLORER', '2028-12-31'],
    ['MICROSTATION', '2026-09-30'],
  ]),
  restriction: null,
  expiresAt: null,
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
};

describe('LIC-5 / LIC-6 planning a checkout', () => {
  it('LIC-6 default expiry: one year from now when the contract runs longer', () => {
    expect(planCheckout(base).expiresAt).toEqual(new Date(now.getTime() + 365 * day));
  });

  it('LIC-6 default expiry: the contract end (end of that day, UTC) when it is earlier', () => {
    expect(planCheckout({ ...base, products: ['PW_EXPLORER', 'MICROSTATION'] }).expiresAt).toEqual(
      new Date('2026-09-30T23:59:59.999Z'),
    );
  });

  it('LIC-6 an explicit expiry up to the limit is kept; later is CHECKOUT_TOO_LONG; in the past EXPIRY_IN_PAST', () => {
    const ok = new Date(now.getTime() + 30 * day);
    expect(planCheckout({ ...base, expiresAt: ok }).expiresAt).toEqual(ok);
    expect(codeOf(() => planCheckout({ ...base, expiresAt: new Date(now.getTime() + 366 * day) }))).toBe(
      'CHECKOUT_TOO_LONG',
    );
    expect(
      codeOf(() => planCheckout({ ...base, products: ['MICROSTATION'], expiresAt: new Date('2026-10-01T00:00:00Z') })),
    ).toBe('CHECKOUT_TOO_LONG');
    expect(codeOf(() => planCheckout({ ...base, expiresAt: now }))).toBe('EXPIRY_IN_PAST');
  });

  it('LIC-5 the account must hold an entitlement for every product in that country: NOT_ENTITLED', () => {
    expect(codeOf(() => planCheckout({ ...base, products: ['PW_EXPLORER', 'OPENROADS'] }))).toBe('NOT_ENTITLED');
  });

  it('LIC-6 restrictions: disabled stops checkouts (CHECKOUTS_DISABLED); maxDurationDays caps default and explicit expiry', () => {
    const restriction = { checkoutsEnabled: false, maxDurationDays: 365, products: null };
    expect(codeOf(() => planCheckout({ ...base, restriction }))).toBe('CHECKOUTS_DISABLED');
    const short = { checkoutsEnabled: true, maxDurationDays: 30, products: null };
    expect(planCheckout({ ...base, restriction: short }).expiresAt).toEqual(new Date(now.getTime() + 30 * day));
    expect(
      codeOf(() => planCheckout({ ...base, restriction: short, expiresAt: new Date(now.getTime() + 31 * day) })),
    ).toBe('CHECKOUT_TOO_LONG');
  });

  it('LIC-6 a restriction for a listed subset applies to those products only', () => {
    const onlyMicrostation = { checkoutsEnabled: false, maxDurationDays: 10, products: ['MICROSTATION'] };
    expect(planCheckout({ ...base, restriction: onlyMicrostation }).expiresAt).toEqual(
      new Date(now.getTime() + 365 * day),
    );
    expect(
      codeOf(() => planCheckout({ ...base, products: ['PW_EXPLORER', 'MICROSTATION'], restriction: onlyMicrostation })),
    ).toBe('CHECKOUTS_DISABLED');
  });
});

describe('LIC-9 status and listing', () => {
  it('LIC-9 ACTIVE until expiry, EXPIRED after, CHECKED_IN once checked in', () => {
    expect(checkoutStatus({ checkedInAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe('ACTIVE');
    expect(checkoutStatus({ checkedInAt: null, expiresAt: now }, now)).toBe('EXPIRED');
    expect(checkoutStatus({ checkedInAt: now, expiresAt: new Date(now.getTime() + day) }, now)).toBe('CHECKED_IN');
  });

  it('LIC-9 the default listing keeps expired checkouts 90 days', () => {
    expect(expiredListingCutoff(now)).toEqual(new Date(now.getTime() - 90 * day));
  });
});

describe('LIC-10 import checks', () => {
  const license = {
    email: 'frank@freelance.example',
    machineName: 'FRANK-LAPTOP',
    expiresAt: '2027-01-01T00:00:00.000Z',
  };
  const caller = { email: 'frank@freelance.example', machineName: 'FRANK-LAPTOP', now };
  it('LIC-10 the named user on the named machine, not expired, not checked in', () => {
    expect(codeOf(() => assertImportable(license, { checkedInAt: null }, caller))).toBeUndefined();
  });
  it('LIC-10 WRONG_USER, WRONG_MACHINE, EXPIRED, CHECKED_IN', () => {
    expect(
      codeOf(() => assertImportable(license, { checkedInAt: null }, { ...caller, email: 'erin@northwind.example' })),
    ).toBe('WRONG_USER');
    expect(codeOf(() => assertImportable(license, { checkedInAt: null }, { ...caller, machineName: 'OTHER' }))).toBe(
      'WRONG_MACHINE',
    );
    expect(
      codeOf(() =>
        assertImportable(license, { checkedInAt: null }, { ...caller, now: new Date('2027-01-01T00:00:00Z') }),
      ),
    ).toBe('EXPIRED');
    expect(codeOf(() => assertImportable(license, { checkedInAt: now }, caller))).toBe('CHECKED_IN');
  });
});
