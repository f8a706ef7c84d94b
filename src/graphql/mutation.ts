// One way to declare a mutation (§10 and the API's payload style): `name(input: NameInput!)` returning
// `NamePayload = NameSuccess | UserError` (plus any extra error types), callable by a registered user
// (or anyone signed in, for registerProfile), with the authz actions its use case asks declared in the
// schema extension `authz` (a test checks every field declares them). The use case authorizes, runs
// one transaction and audits; the resolver only passes the input through.
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { FieldAuthz } from '../authz/actions.js';
import { AppError } from '../errors.js';
import { builder, type SharedObjects, type Types } from './builder.js';
import type { Context } from './context.js';
import { dryRun, impactOf } from './dry-run.js';

export interface MutationSpec<Input, Success> {
  description: string;
  input: InputObjectRef<Types, Input>;
  inputDescription?: string;
  success: ObjectRef<Types, Success>;
  /** The authz actions the use case asks (documentation and the schema test; the use case decides). */
  authz: FieldAuthz;
  /** Who may call it at all: a registered user (default), or anyone with a valid token. */
  caller?: 'registered' | 'signedIn';
  /** Typed errors beyond AppError's UserError (e.g. BulkCheckoutError). */
  errorTypes?: (new (
    ...args: never[]
  ) => Error)[];
  resolve: (input: Input, ctx: Context) => Success | Promise<Success>;
  /**
   * Issue 14: the mutation changes who gets in or who pays, so it accepts `dryRun: true` (the use case
   * runs and is rolled back; the payload gains `impact`: src/graphql/dry-run.ts).
   */
  dryRun?: boolean;
}

const DRY_RUN_DESCRIPTION =
  "Issue 14: true runs the change in full (same authorization, rules, errors and payload) and rolls it back: nothing is written — no row, no audit entry, no usage record — and the payload's `impact` says what the change would do to whom. It must be the only field of its operation.";

export function defineMutation<Input, Success>(name: string, spec: MutationSpec<Input, Success>) {
  if (spec.dryRun) {
    builder.objectField(spec.success, 'impact', (t) =>
      t.field({
        type: 'ChangeImpact',
        nullable: true,
        description:
          'Issue 14: with `dryRun: true`, what the change would do — who gains or loses entry, whose license source and bill change, who joins or leaves a team or changes roles, and billable users before → after; null otherwise.',
        resolve: (payload) => impactOf(payload as object) as never,
      }),
    );
  }
  builder.mutationField(name, (t) =>
    t.field({
      type: spec.success,
      description: spec.description,
      authScopes: spec.caller === 'signedIn' ? { signedIn: true } : { registered: true },
      extensions: { authz: spec.authz },
      args: {
        input: t.arg({
          type: spec.input,
          required: true,
          ...(spec.inputDescription ? { description: spec.inputDescription } : {}),
        }),
        ...(spec.dryRun ? { dryRun: t.arg.boolean({ defaultValue: false, description: DRY_RUN_DESCRIPTION }) } : {}),
      },
      errors: spec.errorTypes ? { types: spec.errorTypes } : {},
      // Pothos cannot resolve its conditional argument and result types through this function's type
      // parameters; the public signature above is what keeps callers typed.
      resolve: (async (
        _root: unknown,
        args: { input: Input; dryRun?: boolean | null },
        ctx: Context,
        info: GraphQLResolveInfo,
      ) => {
        try {
          const result = args.dryRun
            ? await dryRun(ctx, info, args.input, async () => (await spec.resolve(args.input, ctx)) as object)
            : await spec.resolve(args.input, ctx);
          await ctx.afterWrite();
          return result;
        } catch (error) {
          // A business rule said no: the payload answers the UserError; the request's log line and the
          // metrics name its code.
          if (error instanceof AppError) ctx.report?.refusals.push(error.code);
          throw error;
        }
      }) as never,
    }),
  );
}

/** The same declaration for query fields that are not plain reads of a parent: what they authorize. */
export const authzExtension = (authz: FieldAuthz) => ({ authz });

/**
 * The success type of a mutation that answers one object: `(typeName, description) => { <key>: Type }`.
 * Pothos cannot type a computed field name, hence the casts inside; the call sites stay typed by `Shape`.
 */
export function successOf<Key extends string, Shape>(
  key: Key,
  type: ObjectRef<Types, Shape>,
  fieldDescription: string,
): (typeName: string, description: string) => ObjectRef<Types, { [K in Key]: Shape }>;
/** … or of a type another area defines, by its name. */
export function successOf<Key extends string, Name extends keyof SharedObjects>(
  key: Key,
  type: Name,
  fieldDescription: string,
): (typeName: string, description: string) => ObjectRef<Types, { [K in Key]: SharedObjects[Name] }>;
export function successOf<Key extends string, Shape>(
  key: Key,
  type: ObjectRef<Types, Shape> | keyof SharedObjects,
  fieldDescription: string,
) {
  return (typeName: string, description: string) =>
    builder.objectRef<{ [K in Key]: Shape }>(typeName).implement({
      description,
      fields: (t) =>
        ({
          [key]: t.field({
            type: type as never,
            description: fieldDescription,
            resolve: (r) => r[key] as never,
          }),
        }) as never,
    });
}
