// Scalars, the shared Error interface, warnings, enums used everywhere, and connection helpers.
import { and, count, getTableColumns, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { CountryCodeResolver, DateTimeResolver, EmailAddressResolver, LocalDateResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { IMS_ROLES } from '../db/schema.js';
import { AppError, ERROR_CODES, WARNING_CODES, type Warning } from '../errors.js';

export type { Warning, WarningCode } from '../errors.js';

import { one } from '../db/query.js';
import { PRODUCT_CODE, PRODUCT_VERSION } from '../formats.js';
import { builder } from './builder.js';
import { keysOf, type PageArgs, type SortKey, sortKeysSelection, sqlPage } from './pagination.js';

/**
 * Enum values with a description each (GraphiQL's explorer shows them), built from the `as const` list
 * that owns the values: the list stays the one place that says which values exist, and the type makes
 * a missing or extra description a compile error.
 */
export function describedValues<const V extends string>(
  values: readonly V[],
  descriptions: Record<V, string>,
): Record<V, { description: string }> {
  return Object.fromEntries(values.map((v) => [v, { description: descriptions[v] }])) as Record<
    V,
    { description: string }
  >;
}

builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'An instant, ISO-8601 with time zone (e.g. 2026-05-01T09:30:00.000Z); returned in UTC.',
});
builder.addScalarType('EmailAddress', EmailAddressResolver, {
  description:
    'An email address (RFC 5322). Emails are compared and stored lower-cased; inputs are also checked against ID-1 (one "@", a local part, a domain with a dot: INVALID_EMAIL).',
});
// ID-6: a country code is accepted in any case and is one country everywhere ("us" = "US"): inputs are
// upper-cased here, at the edge, so no rule downstream ever sees two spellings.
builder.scalarType('CountryCode', {
  description: 'An ISO 3166-1 alpha-2 country code, accepted in any case and always returned upper-case (ID-6).',
  serialize: (value) => String(CountryCodeResolver.serialize(value)).toUpperCase(),
  parseValue: (value) => String(CountryCodeResolver.parseValue(value)).toUpperCase(),
  parseLiteral: (ast) => String(CountryCodeResolver.parseLiteral(ast, null)).toUpperCase(),
});
builder.addScalarType('LocalDate', LocalDateResolver, {
  description: 'A calendar date without time, YYYY-MM-DD (e.g. a contract end date, counted in UTC days).',
});

builder.queryType({ description: 'Who may enter which data, with which permissions, and whose license pays.' });
builder.subscriptionType({
  description:
    'Live feeds over server-sent events (GraphQL over SSE, as graphql-yoga serves it: POST /graphql with `Accept: text/event-stream`).',
});
builder.mutationType({
  description:
    'Every mutation takes one `input` and returns a `…Payload` union (§10): `…Success`, or an `Error` when a business rule refused it. Each is one transaction with its audit entry: on any error nothing is written.',
});

builder.globalConnectionField('totalCount', (t) =>
  t.int({ description: 'How many items the whole list has (all pages).', resolve: (parent) => parent.totalCount }),
);

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    "Stable codes of business-rule failures (§10), in `UserError.code`; each value names its rule (docs/DOMAIN.md). The error's `path` points at the input field concerned.",
  values: describedValues(ERROR_CODES, {
    INVALID_EMAIL:
      'ID-1: not a valid email address (one "@", a non-empty local part, a domain with a dot) — a token\'s email at registerProfile, or an email given as input.',
    PROFILE_EXISTS: 'ID-1: registerProfile when a profile is already registered for your email.',
    INVALID_DOMAIN: 'ID-2: an email domain of createAccount is malformed; `path` gives its index.',
    DOMAIN_TAKEN: 'ID-2: an email domain already belongs to another account (domains are unique across accounts).',
    CREATOR_DOMAIN_REQUIRED: "ID-2: none of the new account's domains is your own email domain.",
    ACCOUNT_NAME_TAKEN:
      'ID-2: an account with that name exists, ignoring case (identity filters name accounts by name, DS-2).',
    ALREADY_IN_ACCOUNT:
      'ID-2: you already belong to an account, so you cannot create another (ID-3: one account per user).',
    USER_NOT_FOUND:
      'ID-3 / ID-5: no identity profile is registered for that email; the person must register their own (ID-1).',
    ALREADY_MEMBER: 'ID-3: the user already is a member of this account.',
    USER_IN_ANOTHER_ACCOUNT: 'ID-3: the user belongs to another account; a user belongs to at most one.',
    EMAIL_DOMAIN_MISMATCH: "ID-3: the user's email domain is not one of the account's domains.",
    NOT_A_MEMBER:
      'ID-3 / ID-4: the user is not a member of this account (removing a member, granting or revoking a role).',
    ROLE_ALREADY_HELD: 'ID-4: grantImsRole of a role the member already holds.',
    ROLE_NOT_HELD: 'ID-4: revokeImsRole of a role the member does not hold.',
    LAST_ACCOUNT_ADMIN:
      'ID-4: revoking the role of, or removing, the last ACCOUNT_ADMIN; the account always keeps one.',
    NOT_EXTERNAL: 'ID-5: the user is a member of this account; only external users are associated.',
    ALREADY_ASSOCIATED: 'ID-5: the user already is associated with this account.',
    DUPLICATE_ENTITLEMENT:
      'ID-6: the account already holds an entitlement for this product and country; remove it, then add the renewed one.',
    CONTRACT_ENDED: 'ID-6: addEntitlement with a contract end date before today (UTC).',
    INVALID_IDENTITY_FILTER:
      'DS-2: the dynamic creation filter does not parse or names an unknown account; the message gives the 1-based column.',
    NAME_TAKEN:
      'DS-1 / DS-4 / WA-1: a data source (in its owner account), group, user list or work area (in its data source) already has that name, ignoring case; "*Everyone" is reserved.',
    LOGIN_TAKEN: 'DS-3: another user of this data source has that login, ignoring case.',
    IDENTITY_TAKEN:
      'DS-3: another user of this data source already signs in as that identity (ACC-2 needs exactly one).',
    IN_USE:
      'DS-5: the user, group or list is still referenced (work-area participant, list or group member); the message lists the references. Repeat with force: true to remove them too.',
    NOT_A_PARTICIPANT: 'WA-1: removeWorkAreaParticipant of a principal that is not a participant of the work area.',
    BILLING_OWNER_LOCKED:
      'LIC-3: usage has been recorded against the data source, so changing its licensing owner (set, remove, request) needs acknowledgeBillingChange: true.',
    CONSENT_REQUIRED:
      'LIC-3: setLicensingOwner with another account; it pays only with its consent — use requestLicensingOwner.',
    OWN_ACCOUNT:
      "LIC-3: requestLicensingOwner for the owner account itself, which needs no consent (use setLicensingOwner); EXT-1 / EXT-4: the project's own account, which is not an external organization.",
    ALREADY_LICENSING_OWNER: 'LIC-3: requestLicensingOwner for the account that already is the licensing owner.',
    REQUEST_PENDING:
      'LIC-3: a licensing-owner request for this data source is already pending (one at a time): cancel it or wait for the answer.',
    REQUEST_NOT_PENDING:
      'LIC-3: answering or cancelling a licensing-owner request that is no longer pending (accepted, rejected, cancelled or expired).',
    NOT_ENTITLED:
      'LIC-5: the issuing account holds no active entitlement in the checkout country for the products the message names.',
    CHECKOUTS_DISABLED:
      'LIC-6: checkout restrictions disable new checkouts in this entitlement country (for these products).',
    CHECKOUT_TOO_LONG:
      "LIC-6: the expiry is later than allowed: the restriction's maxDurationDays (365 without one) or the end of a product's contract.",
    EXPIRY_IN_PAST:
      'LIC-6: the expiry of a checkout is not after now; HIS-4: the expiry of an association or of confirmed external access is not after now.',
    INVALID_EXPIRY_DAYS: 'HIS-4: an account’s default expiry of external access must be 1–3650 days, or none.',
    DUPLICATE_CHECKOUT:
      'LIC-6: the user already has an active checkout of one of these products on this machine from this account — or a product is listed twice.',
    INVALID_BULK_FILE:
      'LIC-8: the bulk CSV is refused as a whole (not CSV, no header, no rows, over 5,000 rows), or has bad rows (BulkCheckoutError lists each). Nothing was checked out.',
    INVALID_LICENSE_FILE:
      'LIC-10: the file is not a license file of a supported format and algorithm (not JSON, cut short, unexpected structure).',
    INVALID_SIGNATURE:
      "LIC-10: the signature does not verify: the file was changed, or not issued with this server's key (licenseSigningKey).",
    WRONG_USER: 'LIC-10: the license file was issued to another email than yours.',
    WRONG_MACHINE: 'LIC-10: the license file was issued for another machine than the one importing it.',
    EXPIRED: 'LIC-9 / LIC-10: the checkout has expired, so it cannot be checked in or imported.',
    CHECKED_IN: 'LIC-9 / LIC-10: the checkout is already checked in, so it cannot be checked in again or imported.',
    NO_HOME_ACCOUNT:
      'PRJ-1: you belong to no account (unaffiliated), so there is no account for the project to belong to.',
    INVALID_PROJECT_NUMBER: 'PRJ-1: a project number is 1–40 characters (leading and trailing spaces do not count).',
    PROJECT_NUMBER_TAKEN: 'PRJ-1: another project of the account has this number, ignoring case.',
    LAST_PROJECT_OWNER: 'PRJ-1: the change would leave the project without a Project Owner.',
    DELIVERABLES_ALREADY_ENABLED:
      'PRJ-2: Deliverables Management is already enabled; its internal domain stays as it was fixed then.',
    INVALID_ROLE_NAME: 'PRJ-4: a custom role name is 1–100 characters (leading and trailing spaces do not count).',
    EMPTY_ROLE_PERMISSIONS: 'PRJ-4: a custom role needs at least one role permission.',
    ROLE_NAME_TAKEN:
      "PRJ-4: the project has a role of that name, ignoring case (built-in roles' keys and names count).",
    BUILT_IN_ROLE: 'PRJ-4: built-in roles cannot be edited or deleted.',
    ROLE_IN_USE: 'PRJ-4: the custom role is assigned to team members; delete with `force: true` to unassign it too.',
    CANNOT_GRANT_UNHELD_PERMISSION:
      'PRJ-7: the role has a role permission you do not hold yourself, so you may not assign, unassign or remove it.',
    USER_NOT_REGISTERED: 'PRJ-7: only registered users (an identity profile, ID-1) can be team members.',
    ALREADY_TEAM_MEMBER: 'PRJ-7: the user already is a team member (added directly).',
    NOT_TEAM_MEMBER: 'PRJ-7: the user is not a member of the project team.',
    ACCOUNT_MISMATCH:
      "WA-2: the work area's data source and the project belong to different accounts (the connector would let one account's admins read and edit the other's data-source users).",
    DELIVERABLES_NOT_ENABLED:
      'WA-2 / EXT-1: Deliverables Management is not enabled on the project (enableDeliverables, PRJ-2).',
    NO_WORK_AREA_ASSOCIATED:
      'DM-6 / DM-7: the project has no associated work area to synchronize with (associateWorkArea).',
    DUPLICATE_ENTRY: 'DM-8: the same participant appears twice in one call; `path` names the later one.',
    EMAIL_ADDRESS_MISSING:
      'DM-8: the data-source user has no email, so their permissions cannot be configured (DM-1): add an email and synchronize.',
    IMS_ACCOUNT_MISSING:
      'DM-8: no identity profile is registered for the user’s email, so their permissions cannot be configured until they register (DM-1).',
    PERMISSION_MANAGED_IN_TEAM:
      'DM-8: VIEW_PACKAGE and ADMIN are removed in the team (unassign TEAM_MEMBER / PROJECT_ADMINISTRATOR), not in the connector.',
    CUSTOM_ROLE_GRANTS_PERMISSION:
      'DM-8: a custom role held by an affected user grants a permission being removed; the error names the roles and users. Remove the role in the team instead.',
    POINT_OF_CONTACT_DOMAIN: "EXT-1: the point of contact's email is in none of the invited account's domains.",
    INVITATION_PENDING: 'EXT-1: a pending invitation of this project to this account exists already.',
    ALREADY_LINKED: 'EXT-1 / EXT-2: the account is already linked to the project (an account is linked once).',
    INVITATION_NOT_PENDING: 'EXT-2: the invitation was answered, cancelled or has expired; it can be answered once.',
    NOT_ACCOUNT_MEMBER: 'EXT-2: the point of contact must be a member of the invited account to answer.',
    NOT_PROJECT_OWNER: 'EXT-2: an existing project named on acceptance must be one of your account’s that you own.',
    NOT_FOUND:
      '§9: the object named by an input id does not exist, or you may not read it (the two are indistinguishable on purpose); also a member or principal that is not of the same data source (DS-4).',
  }),
});

export const ImsRoleEnum = builder.enumType('ImsRole', {
  description:
    'IMS roles, held by members of an account in that account only (ID-4). Any of them makes its holder an IMS admin of the account.',
  values: describedValues(IMS_ROLES, {
    ACCOUNT_ADMIN:
      'Administers the account; grants and revokes every IMS role. The account always keeps at least one (LAST_ACCOUNT_ADMIN). Creates and checks in license checkouts (LIC-5).',
    CO_ADMINISTRATOR:
      'Does everything an ACCOUNT_ADMIN does except grant, revoke or otherwise act on ACCOUNT_ADMINs (ID-4). Creates and checks in license checkouts (LIC-5).',
    CONNECT_SERVICES_ADMIN:
      'An IMS admin: manages members, associations, entitlements and data sources and reads checkouts, but grants or revokes no roles and creates or checks in no checkouts.',
  }),
});

/** Every error in a mutation payload implements this. */
export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'A business-rule failure. Nothing was written.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: 'Which rule refused it (stable).', resolve: (e) => e.code }),
    message: t.exposeString('message', { description: 'What went wrong, for people (may change; match on `code`).' }),
    path: t.stringList({
      nullable: true,
      description:
        'The input field concerned, from the mutation argument (e.g. ["input", "email"]); null when the error concerns the input as a whole.',
      resolve: (e) => e.path,
    }),
  }),
});

builder.objectType(AppError, {
  name: 'UserError',
  description: 'A business rule refused the mutation; `code` says which.',
  interfaces: [ErrorInterface],
});

export const WarningCodeEnum = builder.enumType('WarningCode', {
  description: 'Stable codes of warnings: the mutation succeeded, but something deserves a look.',
  values: describedValues(WARNING_CODES, {
    GRANTS_LICENSING:
      "ID-5: the association also grants the user the account's licensing — their sign-ins may be billed to this account (LIC-1, source 4).",
    DIFFERENT_DOMAIN_ACCESS:
      'DM-8: VIEW_PACKAGE was granted to a user outside the internal domain — that organization will see all internal deliverables.',
    PERMISSION_STILL_GRANTED:
      'DM-8: a removed permission is still granted by another role, IMS_ADMIN or PROJECT_OWNER (effectivePermissions says which).',
    WILL_BE_RESYNCHRONIZED:
      'DM-7: the removed member is still behind a participant of the associated work area; a synchronization may add them again.',
  }),
});

export const WarningType = builder.objectRef<Warning>('Warning').implement({
  description: 'Something that succeeded but deserves a look.',
  fields: (t) => ({
    code: t.field({ type: WarningCodeEnum, description: 'What kind of warning (stable).', resolve: (w) => w.code }),
    message: t.exposeString('message', { description: 'The warning, for people.' }),
  }),
});

/** A list argument of at most `max` items (§9: every list argument is bounded before any work). */
export const atMost = (max: number, noun: string) => z.array(z.unknown()).max(max, `at most ${max} ${noun}`);

// Structural input formats shared by several inputs (checked at the edge, before any resolver).
export const productCodeInput = z
  .string()
  .regex(PRODUCT_CODE, 'product codes are upper-case identifiers like PW_EXPLORER (2–40 characters)');
export const productVersionInput = z.string().regex(PRODUCT_VERSION, 'a four-part version like 10.0.3.280');
export const machineNameInput = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters');

/**
 * A keyset-paged connection over one table's rows matching `where`, in `order` (make it total: end with
 * a unique column). The cast is only because Drizzle cannot infer a select's row type through a generic
 * table parameter.
 */
export async function tablePage<T extends SQLiteTable>(
  db: Db,
  args: PageArgs,
  table: T,
  where: SQL | undefined,
  order: SortKey[],
) {
  return await tableColumnsPage<InferSelectModel<T>>(db, args, table, getTableColumns(table), where, order);
}

/**
 * `tablePage` reading only `columns` (issue 11: a type's pages select what its fields show; a column
 * few clients select, such as a license file, is read by its field when asked for, for the whole page).
 */
export async function tableColumnsPage<Row>(
  db: Db,
  args: PageArgs,
  table: SQLiteTable,
  columns: Record<string, SQLiteColumn>,
  where: SQL | undefined,
  order: SortKey[],
) {
  return await sqlPage<Row>(args, order, {
    count: async () => (await one(db.select({ n: count() }).from(table).where(where)))?.n ?? 0,
    fetch: async (seek, orderBy, limit) =>
      (
        await db
          .select({ row: columns, ...sortKeysSelection(order) })
          .from(table)
          .where(and(where, seek))
          .orderBy(...orderBy)
          .limit(limit)
      ).map((r) => ({ node: r.row as Row, keys: keysOf(r, order) })),
  });
}
