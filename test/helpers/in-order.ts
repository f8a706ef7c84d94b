// `items.map(fn)` for an async `fn`, one after another. Its own module (no vitest import) so the bench,
// which runs outside vitest, shares it with the tests.

/** `items.map(fn)` for an async `fn`, one after another (the rows are created in this order). */
export async function inOrder<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const [index, item] of items.entries()) out.push(await fn(item, index));
  return out;
}
