// Batching of what the rows of one answer refer to by where they came from (issue 11).
//
// A DataLoader batches by waiting: each row's field returns a promise, and the loader runs once the
// event loop has collected every key. Here the rows are batched by where they came from instead: a page
// (or a loader's batch) marks its rows as siblings, and the first row asking for, say, its home account
// loads the home accounts of all its siblings in one statement, at once; the others wait for the same
// statement through the request's cache. Same statement count as a DataLoader, no wait for the event
// loop. (Issue 11 made these synchronous on SQLite; issue 13 made every read awaitable, for PostgreSQL.)
// Nothing here decides who may read what: fields keep their §9 checks.
import { createContextCache } from '@pothos/core';
import type { Db } from '../db/client.js';
import type { Context } from './context.js';

/**
 * Rows fetched together, by row object. Module-wide and weak: rows are fresh objects of one request's
 * reads, so an entry lives exactly as long as its rows; the loaded values are cached per request below.
 */
const siblingsOf = new WeakMap<object, readonly object[]>();

/**
 * Marks rows as answered together. A page (`sqlPage`, `listPage`) always marks its rows: a row then
 * batches with the rows of its own page only, so the work a field does stays bounded by the page sizes
 * the query asked for (and priced). A loader's batch marks rows no page has marked (rows fetched by id).
 *
 * The price of batching at once: a field of rows in nested pages (each user's groups) reads once per
 * parent page, not once for all of them as a DataLoader waiting for the event loop would.
 */
export function markSiblings(rows: readonly unknown[], kind: 'page' | 'batch'): void {
  const objects = rows.filter((row): row is object => typeof row === 'object' && row !== null);
  for (const row of objects) if (kind === 'page' || !siblingsOf.has(row)) siblingsOf.set(row, objects);
}

export interface SiblingLoad<P, K, V> {
  /** The key a row asks about (null: nothing to load, the answer is `none()`). */
  key(row: P): K | null;
  /** The values of these keys, read in one statement; a key left out gets `none()`. */
  fetch(db: Db, keys: K[]): Promise<Iterable<readonly [K, V]>>;
  /** The answer for a row without a key, or a key `fetch` did not return (a fresh value each time). */
  none(): V;
}

/** A sibling loader: `load(ctx, row)`, and `prime` for values the request has read another way. */
export interface SiblingLoader<P, K, V> {
  (ctx: Context, row: P): Promise<V>;
  prime(ctx: Context, key: K, value: V): void;
}

/**
 * `load(ctx, row)`: the value for this row's key, loading it together with its siblings' keys not yet
 * known to this request. The batch starts at once (no wait for the event loop, unlike a DataLoader);
 * the keys it covers are cached per request as pending answers, so a sibling asking while it runs
 * waits for the same statement (and all is forgotten after a mutation, with the rest of the request's
 * cache). A fetch that fails caches nothing: each row asking again fails too, as each would have with a
 * DataLoader — no row reads as empty because another's read failed.
 */
export function siblingLoader<P extends object, K, V>(spec: SiblingLoad<P, K, V>): SiblingLoader<P, K, V> {
  const known = createContextCache(() => new Map<K, Promise<V>>());
  const load = (ctx: Context, row: P): Promise<V> => {
    const key = spec.key(row);
    if (key === null) return Promise.resolve(spec.none());
    const cache = known(ctx);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const wanted = new Set<K>([key]);
    for (const sibling of siblingsOf.get(row) ?? []) {
      const k = spec.key(sibling as P);
      if (k !== null && !cache.has(k)) wanted.add(k);
    }
    const batch = spec.fetch(ctx.db, [...wanted]).then((entries) => new Map(entries));
    for (const k of wanted) {
      const answer = batch.then(
        (found) => (found.has(k) ? (found.get(k) as V) : spec.none()),
        (error: unknown) => {
          if (cache.get(k) === answer) cache.delete(k);
          throw error;
        },
      );
      // Only the row that asked awaits its answer; its siblings' stay pending until asked for.
      answer.catch(() => undefined);
      cache.set(k, answer);
    }
    return cache.get(key) as Promise<V>;
  };
  return Object.assign(load, {
    prime(ctx: Context, key: K, value: V) {
      const cache = known(ctx);
      if (!cache.has(key)) cache.set(key, Promise.resolve(value));
    },
  });
}
