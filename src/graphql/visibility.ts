// §9 "who may read what", for objects fetched by id (node, nodes, account(id), …) and objects nested in
// answers. An object the viewer may not read resolves to null, exactly like a missing one.
import { brandWithType } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Context } from './context.js';

type ReadCheck = (ctx: Context, value: never) => boolean | Promise<boolean>;

/** A loadable node type (what `builder.loadableNode` returns): its name and per-request loader. */
interface NodeTypeRef<T> {
  name: string;
  getDataloader(ctx: Context): { load(id: string): Promise<T | null> };
}

interface NodeEntry {
  load(ctx: Context, id: string): Promise<unknown>;
  check: ReadCheck;
}

const nodeTypes = new Map<string, NodeEntry>();

/** Each node type registers who may read it; a type without a check is readable by nobody by id. */
export function registerReadCheck<T>(
  type: NodeTypeRef<T>,
  check: (ctx: Context, value: T) => boolean | Promise<boolean>,
) {
  nodeTypes.set(type.name, { load: (ctx, id) => type.getDataloader(ctx).load(id), check: check as ReadCheck });
}

export async function visibleOrNull<T>(ctx: Context, typename: string, value: T | null | undefined): Promise<T | null> {
  if (value == null || !ctx.viewer) return null;
  const entry = nodeTypes.get(typename);
  if (!entry) return null;
  return (await entry.check(ctx, value as never)) ? value : null;
}

/** The object of a registered node type by its row id, if the viewer may read it (§9). */
export async function visibleNode<T>(ctx: Context, typename: string, id: string | null | undefined): Promise<T | null> {
  const entry = nodeTypes.get(typename);
  if (!id || !entry) return null;
  return visibleOrNull(ctx, typename, (await entry.load(ctx, id)) as T | null);
}

/** The global id's parts, or null when it is not one of ours (malformed ids read as missing). */
function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  try {
    const decoded = decodeGlobalID(globalId);
    return nodeTypes.has(decoded.typename) ? decoded : null;
  } catch {
    return null;
  }
}

/**
 * `node(id:)` / `nodes(ids:)`: the object behind a global id if the viewer may read it, else null —
 * missing, unreadable, of an unknown type and malformed all look the same (§9, API.md).
 */
export async function readNode(ctx: Context, globalId: string): Promise<unknown> {
  const parsed = parseGlobalId(globalId);
  if (!parsed) return null;
  const value = await visibleNode(ctx, parsed.typename, parsed.id);
  if (value !== null && typeof value === 'object') brandWithType(value, parsed.typename as never);
  return value;
}
