// Typed failures. Business-rule failures (AppError) come back to clients as data in the mutation
// payload; access failures (AccessDenied) become top-level UNAUTHENTICATED / FORBIDDEN errors (the
// API layer's error masking gives them their `extensions.code`). No GraphQL here: the rules are pure.

/** Every business-rule error code, as clients see them in `UserError.code` (DOMAIN.md ids in comments). */
export const ERROR_CODES = [
  // ID-1
  'INVALID_EMAIL',
  'PROFILE_EXISTS',
  // ID-2
  'INVALID_DOMAIN',
  'DOMAIN_TAKEN',
  'CREATOR_DOMAIN_REQUIRED',
  'ACCOUNT_NAME_TAKEN',
  'ALREADY_IN_ACCOUNT',
  // ID-3
  'USER_NOT_FOUND',
  'ALREADY_MEMBER',
  'USER_IN_ANOTHER_ACCOUNT',
  'EMAIL_DOMAIN_MISMATCH',
  // ID-4
  'NOT_A_MEMBER',
  'ROLE_ALREADY_HELD',
  'ROLE_NOT_HELD',
  'LAST_ACCOUNT_ADMIN',
  // ID-5
  'NOT_EXTERNAL',
  'ALREADY_ASSOCIATED',
  // ID-6
  'DUPLICATE_ENTITLEMENT',
  'CONTRACT_ENDED',
  // §2 data sources (DS-2, DS-3, DS-4, DS-5), §5 work areas, LIC-3
  'INVALID_IDENTITY_FILTER',
  'NAME_TAKEN',
  'LOGIN_TAKEN',
  'IDENTITY_TAKEN',
  'IN_USE',
  'NOT_A_PARTICIPANT',
  'BILLING_OWNER_LOCKED',
  // LIC-3 licensing-owner requests
  'CONSENT_REQUIRED',
  'OWN_ACCOUNT',
  'ALREADY_LICENSING_OWNER',
  'REQUEST_PENDING',
  'REQUEST_NOT_PENDING',
  // §4 checkouts (LIC-5 … LIC-10)
  'NOT_ENTITLED',
  'CHECKOUTS_DISABLED',
  'CHECKOUT_TOO_LONG',
  'EXPIRY_IN_PAST',
  'INVALID_EXPIRY_DAYS',
  'DUPLICATE_CHECKOUT',
  'INVALID_BULK_FILE',
  'INVALID_LICENSE_FILE',
  'INVALID_SIGNATURE',
  'WRONG_USER',
  'WRONG_MACHINE',
  'EXPIRED',
  'CHECKED_IN',
  // §6 projects, teams and roles (PRJ-1 … PRJ-7)
  'NO_HOME_ACCOUNT',
  'INVALID_PROJECT_NUMBER',
  'PROJECT_NUMBER_TAKEN',
  'LAST_PROJECT_OWNER',
  'DELIVERABLES_ALREADY_ENABLED',
  'INVALID_ROLE_NAME',
  'EMPTY_ROLE_PERMISSIONS',
  'ROLE_NAME_TAKEN',
  'BUILT_IN_ROLE',
  'ROLE_IN_USE',
  'CANNOT_GRANT_UNHELD_PERMISSION',
  'USER_NOT_REGISTERED',
  'ALREADY_TEAM_MEMBER',
  'NOT_TEAM_MEMBER',
  // §5 WA-2, §7 Deliverables Management (DM-6 … DM-8)
  'ACCOUNT_MISMATCH',
  'DELIVERABLES_NOT_ENABLED',
  'NO_WORK_AREA_ASSOCIATED',
  'DUPLICATE_ENTRY',
  'EMAIL_ADDRESS_MISSING',
  'IMS_ACCOUNT_MISSING',
  'PERMISSION_MANAGED_IN_TEAM',
  'CUSTOM_ROLE_GRANTS_PERMISSION',
  // §8 external organizations (EXT-1, EXT-2)
  'POINT_OF_CONTACT_DOMAIN',
  'INVITATION_PENDING',
  'ALREADY_LINKED',
  'INVITATION_NOT_PENDING',
  'NOT_ACCOUNT_MEMBER',
  'NOT_PROJECT_OWNER',
  // general
  'NOT_FOUND',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes of warnings: the mutation succeeded, but something deserves a look (API.md "warnings"). */
export const WARNING_CODES = [
  'GRANTS_LICENSING',
  'DIFFERENT_DOMAIN_ACCESS',
  'PERMISSION_STILL_GRANTED',
  'WILL_BE_RESYNCHRONIZED',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];
export interface Warning {
  code: WarningCode;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The input field the error concerns, as a path from the mutation's `input` (e.g. ["input","email"]). */
  readonly path: string[] | null;

  constructor(code: ErrorCode, message: string, path?: string[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.path = path ?? null;
  }
}

/**
 * The database stayed too busy with conflicting writes to run this one (issue 13: PostgreSQL
 * serialization failures past the retries, or SQLite's write lock held by another process past its
 * timeout). Nothing was written; the caller may simply try again. A top-level SERVICE_BUSY error.
 */
export class ServiceBusy extends Error {
  readonly code = 'SERVICE_BUSY';

  constructor() {
    super('the database is busy with conflicting changes; nothing was written — try again');
    this.name = 'ServiceBusy';
  }
}

export type AccessCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

/** The caller may not do this (or is not signed in): a top-level error with this code, never masked. */
export class AccessDenied extends Error {
  readonly code: AccessCode;

  constructor(code: AccessCode, message: string) {
    super(message);
    this.name = 'AccessDenied';
    this.code = code;
  }
}

export const forbidden = (message = 'you are not allowed to do this') => new AccessDenied('FORBIDDEN', message);
