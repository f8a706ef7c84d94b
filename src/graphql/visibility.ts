// §9 "who may read what", for objects fetched by id (node, nodes, account(id), …). An object the viewer
// may not read resolves to null, exactly like a missing one.
import type { Context } from './context.js';

type ReadCheck = (ctx: Context, value: never) => boolean | Promise<boolean>;

const readChecks = new Map<string, ReadCheck>();

/** Each node type registers who may read it; a type without a check is readable by nobody by id. */
export function registerReadCheck<T>(typename: string, check: (ctx: Context, value: T) => boolean | Promise<boolean>) {
  readChecks.set(typename, check as ReadCheck);
}

export async function visibleOrNull<T>(ctx: Context, typename: string, value: T | null | undefined): Promise<T | null> {
  if (value == null || !ctx.viewer) return null;
  const check = readChecks.get(typename);
  if (!check) return null;
  return (await check(ctx, value as never)) ? value : null;
}
