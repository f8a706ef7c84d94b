// Issue 14: dry runs. A mutation that changes who gets in or who pays accepts `dryRun: true`: its use
// case runs as it always does — same authorization, same rules, same typed errors, same payload — in a
// transaction that is never committed, and the payload gains an `impact` (what the change would do to
// whom). One mechanism for every such mutation; nothing in a use case knows it is being dry-run.
//
// How: one transaction holds the whole operation.
//  1. A trial run of the use case under a savepoint shows what the change concerns — its input's ids
//     and the targets of the audit entries it writes — and is rolled back to the savepoint.
//  2. The impact probe (registered by src/impact/) measures the facts of that scope: before.
//  3. The use case runs again: the payload's change. The probe measures again: after.
//  4. The request reads through the transaction from then on (ctx.readFrom), so the payload shows the
//     change as made; when the operation's result is complete, the transaction is rolled back. Nothing
//     is written: no row, no audit entry, no usage record.
// The use case runs twice because who is concerned can depend on the change itself (a new identity
// filter admits another account's members): the before side must be measured for them too, and it is
// gone once the change is made. A dry run holds SQLite's write lock (or one PostgreSQL connection) for
// the length of its operation, at most DRY_RUN_HOLD_MS.
import { gt, max } from 'drizzle-orm';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLResolveInfo,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { inTransaction, type Reader, type Tx } from '../db/client.js';
import { one, rawRun } from '../db/query.js';
import { auditEntries } from '../db/schema.js';
import type { Context } from './context.js';

/** What the trial run showed the change concerns. */
export interface DryRunTrace {
  /** The mutation's input as parsed (global ids decoded to `{ typename, id }`). */
  input: unknown;
  /** The audit entries the trial run wrote: their targets as stored ("Type:id"). */
  auditEntries: { targets: string[] }[];
}

/**
 * What src/impact/ lends the core (an area registers, the core never imports it): measure the facts
 * a change concerns, and compare two measurements. `Scope` and `Measure` are the probe's own.
 */
export interface ImpactProbe<Scope = unknown, Measure = unknown, Impact = unknown> {
  /** In the changed state (right after the trial run): everything whose decisions to compare. */
  scope(tx: Tx, ctx: Context, trace: DryRunTrace): Promise<Scope>;
  /** Called in the state before the change, then after it, with the union of both scopes. */
  measure(tx: Tx, ctx: Context, scope: Scope): Promise<Measure>;
  /** Grows the scope with what the state before the change concerns (called before measuring). */
  widen(tx: Tx, ctx: Context, scope: Scope): Promise<Scope>;
  /** Called in the state after the change. */
  compare(tx: Tx, ctx: Context, before: Measure, after: Measure): Promise<Impact>;
}

let probe: ImpactProbe | null = null;

export function registerImpactProbe<S, M, I>(registered: ImpactProbe<S, M, I>): void {
  probe = registered as unknown as ImpactProbe;
}

/** The impact of each dry-run payload, by the payload object the resolver returned. */
const impacts = new WeakMap<object, unknown>();

export const impactOf = (payload: object): unknown => impacts.get(payload) ?? null;

/** How long a dry run's transaction may stay open for its payload to be read. */
export const DRY_RUN_HOLD_MS = 10_000;

const SAVEPOINT = 'threshold_dry_run';

/** Thrown inside the transaction to roll it back once the payload has been read. */
class DryRunOver extends Error {}

async function newestAuditId(tx: Reader): Promise<number> {
  return (await one(tx.select({ id: max(auditEntries.id) }).from(auditEntries)))?.id ?? 0;
}

async function auditTrace(tx: Tx, after: number): Promise<DryRunTrace['auditEntries']> {
  return await tx.select({ targets: auditEntries.targetIds }).from(auditEntries).where(gt(auditEntries.id, after));
}

/**
 * Runs `run` (the mutation's use case and payload) as a dry run; see the top of this file. A typed
 * error of the use case comes back as it would without the dry run (and nothing is written either way).
 */
export async function dryRun<Result extends object>(
  ctx: Context,
  info: GraphQLResolveInfo,
  input: unknown,
  run: () => Promise<Result>,
): Promise<Result> {
  if (!probe) throw new Error('dry run: no impact probe registered (is src/impact/ imported by schema.ts?)');
  // The transaction lives until the operation's result is complete: another mutation in the same
  // operation would run inside it (and be rolled back with it) or wait for it. useDryRunRelease refuses
  // such an operation before it runs; this is the same rule where the field runs.
  if (rootFields(info.operation.selectionSet.selections, new Map(Object.entries(info.fragments))).length !== 1) {
    throw new GraphQLError(ONLY_FIELD, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const measuring = probe;
  let settle: { resolve(r: Result): void; reject(e: unknown): void } | undefined;
  const ready = new Promise<Result>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Once the transaction ends, the request reads the database again: never a handle that is over.
  const database = ctx.db;
  const held = inTransaction(database, async (tx) => {
    const mark = await newestAuditId(tx);
    await rawRun(tx, `savepoint ${SAVEPOINT}`);
    await run();
    const changed = await measuring.scope(tx, ctx, { input, auditEntries: await auditTrace(tx, mark) });
    await rawRun(tx, `rollback to savepoint ${SAVEPOINT}`);
    await rawRun(tx, `release savepoint ${SAVEPOINT}`);
    const scope = await measuring.widen(tx, ctx, changed);
    const before = await measuring.measure(tx, ctx, scope);
    const result = await run();
    const after = await measuring.measure(tx, ctx, scope);
    impacts.set(result, await measuring.compare(tx, ctx, before, after));
    ctx.readFrom(tx);
    settle?.resolve(result);
    await Promise.race([ctx.operationDone, new Promise((resolve) => setTimeout(resolve, DRY_RUN_HOLD_MS).unref())]);
    ctx.readFrom(database);
    throw new DryRunOver();
  });
  held.catch((error: unknown) => {
    if (!(error instanceof DryRunOver)) settle?.reject(error);
  });
  return ready;
}

const ONLY_FIELD = 'a dry run must be the only field of its operation';

/** The root fields of an operation, through its fragments. */
function rootFields(selections: readonly SelectionNode[], fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet.selections, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? rootFields(fragment.selectionSet.selections, fragments) : [];
  });
}

/** Whether a field is asked with `dryRun: true` (written out, or through a variable or its default). */
function asksDryRun(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): boolean {
  const argument = field.arguments?.find((a) => a.name.value === 'dryRun');
  if (!argument) return false;
  if (argument.value.kind === Kind.BOOLEAN) return argument.value.value;
  if (argument.value.kind !== Kind.VARIABLE) return false;
  const name = argument.value.name.value;
  if (variables && name in variables) return variables[name] === true;
  const declared = operation.variableDefinitions?.find((d) => d.variable.name.value === name)?.defaultValue;
  return declared?.kind === Kind.BOOLEAN && declared.value;
}

/**
 * Refuses, before anything runs, an operation with a dry run among other fields (a field before it
 * would have been written, one after it would run inside the dry run's transaction); and ends each
 * operation's dry run (if any) once its result is complete.
 */
export function useDryRunRelease(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Partial<Context>;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation === 'mutation') {
        const document = args.document as DocumentNode;
        const fragments = new Map(
          document.definitions
            .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
            .map((d) => [d.name.value, d] as const),
        );
        const fields = rootFields(operation.selectionSet.selections, fragments);
        if (fields.length > 1 && fields.some((f) => asksDryRun(f, operation, args.variableValues))) {
          setResultAndStopExecution({
            errors: [new GraphQLError(ONLY_FIELD, { extensions: { code: 'BAD_USER_INPUT' } })],
          });
          return;
        }
      }
      return {
        onExecuteDone() {
          context.endOperation?.();
        },
      };
    },
  };
}
