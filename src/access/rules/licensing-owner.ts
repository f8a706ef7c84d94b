// LIC-3: who pays when the data source's owner provides the license. The owner account sets itself (or
// nobody) directly; any other account pays only with its consent: a request that its IMS admins accept
// or reject, pending for 30 days at most. Pure rules; the service gathers the facts.
import { AppError } from '../../errors.js';

/** LIC-3: a request expires this long after it was made. */
export const LICENSING_OWNER_REQUEST_DAYS = 30;

export const LICENSING_OWNER_REQUEST_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const;
export type LicensingOwnerRequestStatus = (typeof LICENSING_OWNER_REQUEST_STATUSES)[number];

export function requestExpiry(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + LICENSING_OWNER_REQUEST_DAYS * 24 * 60 * 60 * 1000);
}

/** The status at `now`: a pending request is EXPIRED from its expiry instant on (exact at any moment). */
export function requestStatus(
  request: { state: Exclude<LicensingOwnerRequestStatus, 'EXPIRED'>; expiresAt: Date },
  now: Date,
): LicensingOwnerRequestStatus {
  return request.state === 'PENDING' && now.getTime() >= request.expiresAt.getTime() ? 'EXPIRED' : request.state;
}

/** LIC-3 lock: once usage was recorded against the data source, changing who pays needs an acknowledgement. */
export function assertBillingChangeAcknowledged(usageRecorded: boolean, acknowledged: boolean | null | undefined) {
  if (usageRecorded && !acknowledged) {
    throw new AppError(
      'BILLING_OWNER_LOCKED',
      'usage has already been recorded against this data source: changing who pays needs acknowledgeBillingChange: true (both accounts may be billed in this period)',
      ['input', 'acknowledgeBillingChange'],
    );
  }
}

/** LIC-3 setLicensingOwner: only the owner account itself, or nobody; another account needs its consent. */
export function assertDirectlySettable(ownerAccountId: string, accountId: string | null) {
  if (accountId !== null && accountId !== ownerAccountId) {
    throw new AppError(
      'CONSENT_REQUIRED',
      'another account pays only with its consent: ask it with requestLicensingOwner; its IMS admins accept or reject',
      ['input', 'accountId'],
    );
  }
}

export interface RequestFacts {
  ownerAccountId: string;
  requestedAccountId: string;
  currentLicensingOwnerId: string | null;
  /** A request for this data source is pending (and not expired). */
  pendingRequest: boolean;
  usageRecorded: boolean;
  acknowledgeBillingChange: boolean | null | undefined;
}

/** LIC-3 requestLicensingOwner: each refusal in the order a caller would fix them. */
export function assertRequestable(facts: RequestFacts) {
  if (facts.requestedAccountId === facts.ownerAccountId) {
    throw new AppError('OWN_ACCOUNT', 'the owner account needs no consent: set it directly with setLicensingOwner', [
      'input',
      'accountId',
    ]);
  }
  if (facts.requestedAccountId === facts.currentLicensingOwnerId) {
    throw new AppError('ALREADY_LICENSING_OWNER', 'that account already is the licensing owner', [
      'input',
      'accountId',
    ]);
  }
  if (facts.pendingRequest) {
    throw new AppError(
      'REQUEST_PENDING',
      'a licensing-owner request for this data source is already pending: cancel it first, or wait for the answer',
      ['input', 'dataSourceId'],
    );
  }
  assertBillingChangeAcknowledged(facts.usageRecorded, facts.acknowledgeBillingChange);
}

/** LIC-3: only a pending request can be answered or cancelled. */
export function assertPending(status: LicensingOwnerRequestStatus) {
  if (status !== 'PENDING') {
    throw new AppError('REQUEST_NOT_PENDING', `the request is ${status.toLowerCase()}, no longer pending`, [
      'input',
      'requestId',
    ]);
  }
}
