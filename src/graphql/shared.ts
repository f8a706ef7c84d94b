// What one area's GraphQL layer lends to others without being imported (ARCHITECTURE "Layout": an
// area never imports another area's graphql/): the lending area declares the entry's type in
// `SharedRefs` (declaration merging) and registers it with `share`; a borrower calls `shared(name)`
// where Pothos builds fields (inside `fields`/`args` thunks, or in resolvers), when every area has
// registered. Node types are shared the same way through visibility.ts (`nodeType`, `loadNode`).

// biome-ignore lint/suspicious/noEmptyInterface: filled by the areas (declaration merging)
export interface SharedRefs {}

const entries = new Map<string, unknown>();

export function share<Name extends keyof SharedRefs & string>(name: Name, value: SharedRefs[Name]): void {
  entries.set(name, value);
}

export function shared<Name extends keyof SharedRefs & string>(name: Name): SharedRefs[Name] {
  if (!entries.has(name)) throw new Error(`${name} is not shared (is its area imported by schema.ts?)`);
  return entries.get(name) as SharedRefs[Name];
}
