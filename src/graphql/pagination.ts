// Relay connections with keyset cursors (API.md): a cursor is the sort key of its row, opaque to
// clients, so a row added or removed between two page requests neither repeats nor skips a row the
// way an offset would. Pothos' relay helpers only offer offset and array cursors, hence this module.
//
// Two sources share one cursor format:
// - sqlPage: a list that lives in SQL, paged in SQL (WHERE key > cursor ORDER BY key LIMIT n+1);
// - listPage: a list already in memory (expansions, and nested lists that a per-request loader fetched
//   for a whole page of parents at once), paged the same way in JavaScript.
import { and, Column, getTableName, is, not, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { GraphQLError } from 'graphql';
import { markSiblings } from './siblings.js';

/** Connection page sizes (API.md): default 50, at most 500; larger is a validation error. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
}

export type Key = string | number;

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

const CURSOR_PREFIX = 'k1:';

/** A cursor is the list's name and the row's sort key: one list's cursor is refused by another. */
export function encodeCursor(list: string, keys: readonly Key[]): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify([list, ...keys])).toString('base64url');
}

function badCursor(name: string): GraphQLError {
  return new GraphQLError(`invalid input: "${name}" is not a cursor of this list (use a cursor it returned)`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** The keys a cursor carries; BAD_USER_INPUT when it is not one this list returned. */
export function decodeCursor(list: string, cursor: string, name: 'after' | 'before'): Key[] {
  let text: string;
  try {
    text = Buffer.from(cursor, 'base64url').toString('utf8');
  } catch {
    throw badCursor(name);
  }
  if (!text.startsWith(CURSOR_PREFIX)) throw badCursor(name);
  let keys: unknown;
  try {
    keys = JSON.parse(text.slice(CURSOR_PREFIX.length));
  } catch {
    throw badCursor(name);
  }
  if (
    !Array.isArray(keys) ||
    keys[0] !== list ||
    keys.length < 2 ||
    !keys.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))
  ) {
    throw badCursor(name);
  }
  return keys.slice(1) as Key[];
}

/**
 * An edge whose cursor is encoded when it is read: most clients select no cursor of a nested list, and
 * encoding thousands of them per page was a measurable share of a page's time (issue 11).
 */
class Edge<T> {
  #cursor: string | undefined;
  constructor(
    private readonly list: string,
    private readonly keys: readonly Key[],
    readonly node: T,
  ) {}
  get cursor(): string {
    this.#cursor ??= encodeCursor(this.list, this.keys);
    return this.#cursor;
  }
}

function edgesOf<T>(list: string, rows: readonly { node: T; keys: readonly Key[] }[]): Page<T>['edges'] {
  return rows.map((r) => new Edge(list, r.keys, r.node));
}

function pageInfo<T>(edges: Page<T>['edges'], hasPreviousPage: boolean, hasNextPage: boolean): Page<T>['pageInfo'] {
  return {
    hasPreviousPage,
    hasNextPage,
    get startCursor() {
      return edges[0]?.cursor ?? null;
    },
    get endCursor() {
      return edges[edges.length - 1]?.cursor ?? null;
    },
  };
}

/** The same page with each node replaced (e.g. a reference by the object it points at). */
export async function withNodes<T, U>(page: Page<T>, load: (node: T) => Promise<U>): Promise<Page<U>> {
  const nodes = await Promise.all(page.edges.map((e) => load(e.node)));
  const edges = page.edges.map((e, i) => ({
    get cursor() {
      return e.cursor;
    },
    node: nodes[i] as U,
  }));
  return { ...page, edges };
}

// ---------------------------------------------------------------------------------------------
// In memory

function compareKeys(a: readonly Key[], b: readonly Key[], descending: readonly boolean[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as Key;
    const y = b[i] as Key;
    if (x === y) continue;
    const less = typeof x === typeof y ? x < y : typeof x === 'number';
    return (less ? -1 : 1) * (descending[i] ? -1 : 1);
  }
  return 0;
}

/**
 * A page of an in-memory list. `keyOf` gives each item's sort key (unique per list); the list is sorted
 * here by it (`descending[i]` per key part), so callers may pass items in any order.
 */
export function listPage<T>(
  list: string,
  items: readonly T[],
  args: PageArgs,
  keyOf: (item: T) => Key[],
  descending: readonly boolean[] = [],
): Page<T> {
  const keyed = items.map((node) => ({ node, keys: keyOf(node) }));
  keyed.sort((a, b) => compareKeys(a.keys, b.keys, descending));
  const after = args.after ? decodeCursor(list, args.after, 'after') : null;
  const before = args.before ? decodeCursor(list, args.before, 'before') : null;
  let start = 0;
  let end = keyed.length;
  if (after) {
    const i = keyed.findIndex((r) => compareKeys(r.keys, after, descending) > 0);
    start = i === -1 ? keyed.length : i;
  }
  if (before) {
    const i = keyed.findIndex((r) => compareKeys(r.keys, before, descending) >= 0);
    end = Math.max(start, i === -1 ? keyed.length : i);
  }
  let slice = keyed.slice(start, end);
  let hasNextPage = end < keyed.length;
  let hasPreviousPage = start > 0;
  const first = args.first ?? (args.last == null ? DEFAULT_PAGE_SIZE : null);
  if (first != null && slice.length > first) {
    slice = slice.slice(0, first);
    hasNextPage = true;
  }
  if (args.last != null && slice.length > args.last) {
    slice = slice.slice(slice.length - args.last);
    hasPreviousPage = true;
  }
  markSiblings(
    slice.map((r) => r.node),
    'page',
  );
  const edges = edgesOf(list, slice);
  return { edges, pageInfo: pageInfo(edges, hasPreviousPage, hasNextPage), totalCount: keyed.length };
}

// ---------------------------------------------------------------------------------------------
// In SQL

/** One part of a sort key: a non-null column or expression, ascending unless `desc`. */
export interface SortKey {
  key: SQLiteColumn | SQL;
  desc?: boolean;
}

/** `(k0, k1, …) comes after (v0, v1, …)` in this order, spelled out so mixed directions work anywhere. */
function comesAfter(order: readonly SortKey[], values: readonly Key[]): SQL {
  const parts = order.map((part, i) => {
    const equalBefore = order.slice(0, i).map((p, j) => sql`${p.key} = ${values[j]}`);
    const beyond = part.desc ? sql`${part.key} < ${values[i]}` : sql`${part.key} > ${values[i]}`;
    return and(...equalBefore, beyond) as SQL;
  });
  return or(...parts) as SQL;
}

function comesBefore(order: readonly SortKey[], values: readonly Key[]): SQL {
  return comesAfter(
    order.map((p) => ({ key: p.key, desc: !p.desc })),
    values,
  );
}

export interface SqlSource<T> {
  /** How many rows the whole list has. */
  count(): Promise<number>;
  /**
   * Rows matching `seek` (undefined: all), in `orderBy`, at most `limit`, each with the values of the
   * sort keys as selected raw from SQL (`sql\`${key}\``), in order.
   */
  fetch(seek: SQL | undefined, orderBy: SQL[], limit: number): Promise<{ node: T; keys: Key[] }[]>;
}

export const sortKeysSelection = (order: readonly SortKey[]) =>
  Object.fromEntries(order.map((p, i) => [`k${i}`, sql<Key>`${p.key}`])) as Record<string, SQL<Key>>;

export const keysOf = (row: Record<string, unknown>, order: readonly SortKey[]): Key[] =>
  order.map((_p, i) => row[`k${i}`] as Key);

const orderSql = (order: readonly SortKey[], reverse: boolean) =>
  order.map((p) => ((p.desc ?? false) !== reverse ? sql`${p.key} desc` : sql`${p.key} asc`));

/** The name a SQL list's cursors carry: its sort keys (table.column, or `expr` for expressions). */
function listName(order: readonly SortKey[]): string {
  return order
    .map((p) => `${is(p.key, Column) ? `${getTableName(p.key.table)}.${p.key.name}` : 'expr'}${p.desc ? ' desc' : ''}`)
    .join(',');
}

/** A page of a list that lives in SQL: 2 statements (count, page), 3 when `after`/`before` is given. */
export async function sqlPage<T>(args: PageArgs, order: readonly SortKey[], source: SqlSource<T>): Promise<Page<T>> {
  const list = listName(order);
  const after = args.after ? decodeCursor(list, args.after, 'after') : null;
  const before = args.before ? decodeCursor(list, args.before, 'before') : null;
  if ((after && after.length !== order.length) || (before && before.length !== order.length)) {
    throw badCursor(after ? 'after' : 'before');
  }
  const seek = and(after ? comesAfter(order, after) : undefined, before ? comesBefore(order, before) : undefined);
  const totalCount = await source.count();
  const backward = args.last != null && args.first == null;
  const size = backward ? (args.last as number) : (args.first ?? DEFAULT_PAGE_SIZE);
  let rows = await source.fetch(seek, orderSql(order, backward), size + 1);
  const more = rows.length > size;
  rows = rows.slice(0, size);
  if (backward) rows.reverse();
  let trimmedFront = false;
  if (!backward && args.last != null && rows.length > args.last) {
    rows = rows.slice(rows.length - args.last);
    trimmedFront = true;
  }
  // Whether rows exist on the far side of the cursor we started from (one cheap look-up).
  const beyond = async (cursor: Key[] | null, side: 'before' | 'after') =>
    cursor !== null &&
    (await source.fetch(side === 'before' ? not(comesAfter(order, cursor)) : not(comesBefore(order, cursor)), [], 1))
      .length > 0;
  markSiblings(
    rows.map((r) => r.node),
    'page',
  );
  const edges = edgesOf(list, rows);
  return {
    edges,
    totalCount,
    pageInfo: backward
      ? pageInfo(edges, more, await beyond(before, 'after'))
      : pageInfo(edges, trimmedFront || (await beyond(after, 'before')), more),
  };
}

/**
 * Every row of a list that lives in SQL, `batch` at a time, by the same keyset as sqlPage (HIS-3: what
 * an export streams, never the whole list in memory). `fetch` is a SqlSource's: sqlPage and this share it.
 */
export async function* sqlBatches<T>(
  order: readonly SortKey[],
  fetch: SqlSource<T>['fetch'],
  batch: number,
): AsyncGenerator<T[]> {
  let after: Key[] | null = null;
  for (;;) {
    const rows = await fetch(after ? comesAfter(order, after) : undefined, orderSql(order, false), batch);
    if (rows.length > 0) yield rows.map((r) => r.node);
    if (rows.length < batch) return;
    after = (rows[rows.length - 1] as { keys: Key[] }).keys;
  }
}
