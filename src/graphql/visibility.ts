// §9 "who may read what", for objects fetched by id (node, nodes, account(id), …) and objects nested in
// answers. An object the viewer may not read resolves to null, exactly like a missing one.

import type { ObjectRef } from '@pothos/core';
import { brandWithType } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { type AuthzRequest, authorize } from '../authz/authorize.js';
import { AccessDenied, AppError } from '../errors.js';
import type { SharedObjects, Types } from './builder.js';
import type { Context } from './context.js';

type ReadCheck = (ctx: Context, value: never) => boolean | Promise<boolean>;

/** A loadable node type (what `builder.loadableNode` returns): its name and per-request loader. */
interface NodeTypeRef<T> {
  name: string;
  getDataloader(ctx: Context): { load(id: string): Promise<T | null> };
}

interface NodeEntry {
  ref: unknown;
  load(ctx: Context, id: string): Promise<unknown>;
  check: ReadCheck;
}

const nodeTypes = new Map<string, NodeEntry>();

/** Each node type registers who may read it; a type without a check is readable by nobody by id. */
export function registerReadCheck<T>(
  type: NodeTypeRef<T>,
  check: (ctx: Context, value: T) => boolean | Promise<boolean>,
) {
  nodeTypes.set(type.name, {
    ref: type,
    load: (ctx, id) => type.getDataloader(ctx).load(id),
    check: check as ReadCheck,
  });
}

/** The registered entry of a node type other areas name; naming an unregistered one is a fault. */
function registered(name: string): NodeEntry {
  const entry = nodeTypes.get(name);
  if (!entry) throw new Error(`node type ${name} is not registered (is its area imported by schema.ts?)`);
  return entry;
}

/**
 * The node type another area defines, for `t.globalID({ for: nodeType('Account') })` (the relay plugin
 * checks an input id's type against the type's ref, and an area does not import another's graphql/).
 * Call it where Pothos builds fields (inside `fields`/`args` thunks), when every area has registered.
 */
export function nodeType<Name extends keyof SharedObjects & string>(name: Name): ObjectRef<Types, SharedObjects[Name]> {
  return registered(name).ref as ObjectRef<Types, SharedObjects[Name]>;
}

/**
 * The object a row refers to, of a node type another area defines, through the per-request loader
 * (batched), without a read check: for fields whose type's rule lets every reader of the parent see
 * it (an account's name: §9 "anyone signed in"). A reference that points nowhere is a server fault.
 */
export function loadNode<Name extends keyof SharedObjects & string>(
  ctx: Context,
  name: Name,
  id: string,
): Promise<SharedObjects[Name]>;
export function loadNode<Name extends keyof SharedObjects & string>(
  ctx: Context,
  name: Name,
  id: string | null,
): Promise<SharedObjects[Name] | null>;
export async function loadNode(ctx: Context, name: string, id: string | null): Promise<unknown> {
  if (id === null) return null;
  const value = await registered(name).load(ctx, id);
  if (value == null) throw new Error(`${name} ${id} is referenced but missing`);
  return value;
}

/** The object a caller's input names, through the per-request loader, unchecked: null when missing. */
export async function findNode<Name extends keyof SharedObjects & string>(
  ctx: Context,
  name: Name,
  id: string,
): Promise<SharedObjects[Name] | null> {
  return ((await registered(name).load(ctx, id)) as SharedObjects[Name] | null) ?? null;
}

export async function visibleOrNull<T>(ctx: Context, typename: string, value: T | null | undefined): Promise<T | null> {
  if (value == null || !ctx.viewer) return null;
  const entry = nodeTypes.get(typename);
  if (!entry) return null;
  return (await entry.check(ctx, value as never)) ? value : null;
}

/** The object of a registered node type by its row id, if the viewer may read it (§9). */
export function visibleNode<Name extends keyof SharedObjects & string>(
  ctx: Context,
  typename: Name,
  id: string | null | undefined,
): Promise<SharedObjects[Name] | null>;
export function visibleNode<T>(ctx: Context, typename: string, id: string | null | undefined): Promise<T | null>;
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

/**
 * A restricted field of an object the caller may read: its value when authz allows the request; null
 * without an error when authz hides it (§9: what the caller may not see does not exist for them — e.g.
 * the team of a project they read only as a member of a linked project, EXT-3); FORBIDDEN otherwise.
 */
export async function whenAllowed<T>(
  ctx: Context,
  request: AuthzRequest,
  value: () => T | Promise<T>,
): Promise<T | null> {
  const decision = authorize(ctx.subject(), request);
  if (decision.allowed) return value();
  if (decision.hidden) return null;
  throw new AccessDenied('FORBIDDEN', decision.reason);
}

/**
 * An explanation asked as a query (`explainAccess`, `explainProjectAccess`): `explain` gets whether the
 * user it is about — you, or `userId` — is one you may read (§9: the steps name their accounts), and a
 * NOT_FOUND from it (a missing or unreadable subject) answers null, since a query has no payload for
 * typed errors.
 */
export async function explanation<T>(
  ctx: Context,
  userId: string | null | undefined,
  explain: (subjectReadable: boolean) => Promise<T>,
): Promise<T | null> {
  const other = userId && userId !== ctx.viewer?.id ? userId : null;
  const subjectReadable = other === null || (await visibleNode(ctx, 'User', other)) !== null;
  try {
    return await explain(subjectReadable);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
