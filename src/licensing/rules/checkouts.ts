// §4 license checkouts: expiry and restrictions (LIC-5, LIC-6), status and listing (LIC-9), and the
// checks of an import into the license tool (LIC-10). Pure rules.
import { AppError } from '../../errors.js';

/** LIC-5: a four-part product version, e.g. 10.0.3.280. */
export { PRODUCT_VERSION } from '../../formats.js';

export const CHECKOUT_STATUSES = ['ACTIVE', 'CHECKED_IN', 'EXPIRED'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

const DAY_MS = 86_400_000;
export const DEFAULT_MAX_DURATION_DAYS = 365;
/** LIC-9: the default listing keeps expired checkouts this long after their expiry. */
export const EXPIRED_LISTING_DAYS = 90;

export function checkoutStatus(c: { checkedInAt: Date | null; expiresAt: Date }, now: Date): CheckoutStatus {
  if (c.checkedInAt) return 'CHECKED_IN';
  return c.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}

/** LIC-9: the cut-off for the default listing: expired before this are only in the full history. */
export function expiredListingCutoff(now: Date): Date {
  return new Date(now.getTime() - EXPIRED_LISTING_DAYS * DAY_MS);
}

export interface RestrictionFacts {
  checkoutsEnabled: boolean;
  maxDurationDays: number;
  /** null: applies to all products. */
  products: readonly string[] | null;
}

export interface CheckoutPlanInput {
  now: Date;
  country: string;
  products: readonly string[];
  /** Active entitlements of the issuing account in the country: product → contract end date. */
  contractEnds: ReadonlyMap<string, string>;
  restriction: RestrictionFacts | null;
  /** An explicit expiry, or null for the default. */
  expiresAt: Date | null;
}

/** The end of a contract's last day (UTC). */
const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);

/**
 * LIC-5 / LIC-6: decides the expiry of a new checkout or throws NOT_ENTITLED, CHECKOUTS_DISABLED,
 * EXPIRY_IN_PAST or CHECKOUT_TOO_LONG. The longest allowed is the earliest of: now + the
 * restriction's maximum duration (365 days without one), and every product's contract end.
 * The default expiry is that longest allowed.
 */
export function planCheckout(input: CheckoutPlanInput): { expiresAt: Date; latestAllowed: Date } {
  const missing = input.products.filter((p) => !input.contractEnds.has(p));
  if (missing.length > 0) {
    throw new AppError(
      'NOT_ENTITLED',
      `the account holds no active entitlement in ${input.country} for ${missing.join(', ')}`,
      ['input', 'products'],
    );
  }
  const restricted = (product: string) =>
    input.restriction !== null && (input.restriction.products === null || input.restriction.products.includes(product));
  const disabled = input.products.filter((p) => restricted(p) && input.restriction?.checkoutsEnabled === false);
  if (disabled.length > 0) {
    throw new AppError(
      'CHECKOUTS_DISABLED',
      `checkouts are disabled in ${input.country} for ${disabled.join(', ')} (checkout restrictions)`,
      ['input', 'products'],
    );
  }
  const maxDays = input.products.some(restricted)
    ? (input.restriction?.maxDurationDays ?? DEFAULT_MAX_DURATION_DAYS)
    : DEFAULT_MAX_DURATION_DAYS;
  const limits = [
    { at: new Date(input.now.getTime() + maxDays * DAY_MS), why: `${maxDays} days from now` },
    ...input.products.map((p) => ({
      at: endOfDay(input.contractEnds.get(p) ?? ''),
      why: `the ${p} contract end (${input.contractEnds.get(p)})`,
    })),
  ];
  const latest = limits.reduce((a, b) => (b.at.getTime() < a.at.getTime() ? b : a));
  if (input.expiresAt === null) return { expiresAt: latest.at, latestAllowed: latest.at };
  if (input.expiresAt.getTime() <= input.now.getTime()) {
    throw new AppError('EXPIRY_IN_PAST', 'the expiry must be in the future', ['input', 'expiresAt']);
  }
  if (input.expiresAt.getTime() > latest.at.getTime()) {
    throw new AppError(
      'CHECKOUT_TOO_LONG',
      `the expiry may be at the latest ${latest.at.toISOString()} (${latest.why})`,
      ['input', 'expiresAt'],
    );
  }
  return { expiresAt: input.expiresAt, latestAllowed: latest.at };
}

/** LIC-10: what a verified file must also satisfy before it is stored as reserved. */
export function assertImportable(
  license: { email: string; machineName: string; expiresAt: string },
  checkout: { checkedInAt: Date | null } | null,
  caller: { email: string; machineName: string; now: Date },
): void {
  if (license.email.toLowerCase() !== caller.email) {
    throw new AppError('WRONG_USER', `this license was issued to ${license.email}, not to you`, ['input', 'file']);
  }
  if (license.machineName !== caller.machineName) {
    throw new AppError(
      'WRONG_MACHINE',
      `this license is for the machine "${license.machineName}", not "${caller.machineName}"`,
      ['input', 'machineName'],
    );
  }
  if (new Date(license.expiresAt).getTime() <= caller.now.getTime()) {
    throw new AppError('EXPIRED', `this license expired at ${license.expiresAt}`, ['input', 'file']);
  }
  if (!checkout || checkout.checkedInAt) {
    throw new AppError('CHECKED_IN', 'this license has been checked in and no longer counts', ['input', 'file']);
  }
}
