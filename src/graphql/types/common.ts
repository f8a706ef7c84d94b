// Scalars, the shared Error interface, warnings, enums used everywhere, and connection helpers.
import { and, count, type InferSelectModel, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { CountryCodeResolver, DateTimeResolver, EmailAddressResolver, LocalDateResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { IMS_ROLES } from '../../db/schema.js';
import { PRODUCT_VERSION } from '../../domain/checkouts.js';
import { AppError, ERROR_CODES } from '../../domain/errors.js';
import { PRODUCT_CODE } from '../../domain/identity.js';
import { builder } from '../builder.js';
import { keysOf, type PageArgs, type SortKey, sortKeysSelection, sqlPage } from '../pagination.js';

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
// ID-6: a country code is accepted in any case and is one country everywhere ("us" = "US"): inputs are
// upper-cased here, at the edge, so no rule downstream ever sees two spellings.
builder.scalarType('CountryCode', {
  description: 'An ISO 3166-1 alpha-2 country code, accepted in any case and always returned upper-case (ID-6).',
  serialize: (value) => String(CountryCodeResolver.serialize(value)).toUpperCase(),
  parseValue: (value) => String(CountryCodeResolver.parseValue(value)).toUpperCase(),
  parseLiteral: (ast) => String(CountryCodeResolver.parseLiteral(ast, null)).toUpperCase(),
});
builder.addScalarType('LocalDate', LocalDateResolver);

builder.queryType({ description: 'Who may enter which data, with which permissions, and whose license pays.' });
builder.mutationType({});

builder.globalConnectionField('totalCount', (t) =>
  t.int({ description: 'How many items the whole list has (all pages).', resolve: (parent) => parent.totalCount }),
);

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Stable codes of business-rule failures (see docs/DOMAIN.md for the rule behind each).',
  values: ERROR_CODES,
});

export const ImsRoleEnum = builder.enumType('ImsRole', { values: IMS_ROLES });

/** Every error in a mutation payload implements this. */
export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'A business-rule failure. Nothing was written.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
    path: t.stringList({
      nullable: true,
      description: 'The input field concerned, from the mutation argument (e.g. ["input", "email"]).',
      resolve: (e) => e.path,
    }),
  }),
});

builder.objectType(AppError, {
  name: 'UserError',
  description: 'A business rule refused the mutation; `code` says which.',
  interfaces: [ErrorInterface],
});

export const WARNING_CODES = ['GRANTS_LICENSING'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];
export interface Warning {
  code: WarningCode;
  message: string;
}

export const WarningCodeEnum = builder.enumType('WarningCode', { values: WARNING_CODES });

export const WarningType = builder.objectRef<Warning>('Warning').implement({
  description: 'Something that succeeded but deserves a look.',
  fields: (t) => ({
    code: t.field({ type: WarningCodeEnum, resolve: (w) => w.code }),
    message: t.exposeString('message'),
  }),
});

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
export function tablePage<T extends SQLiteTable>(
  db: Db,
  args: PageArgs,
  table: T,
  where: SQL | undefined,
  order: SortKey[],
) {
  return sqlPage(args, order, {
    count: () => db.select({ n: count() }).from(table).where(where).get()?.n ?? 0,
    fetch: (seek, orderBy, limit) =>
      db
        .select({ row: table as SQLiteTable, ...sortKeysSelection(order) })
        .from(table as SQLiteTable)
        .where(and(where, seek))
        .orderBy(...orderBy)
        .limit(limit)
        .all()
        .map((r) => ({ node: r.row as InferSelectModel<T>, keys: keysOf(r, order) })),
  });
}
