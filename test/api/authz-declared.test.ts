// Issue 8 / §9: every entry point of the schema declares who may call it — the authz actions its
// resolver or use case asks (the catalogue of src/authz/actions.ts), or `public` / `self` where no
// resource is involved. A new query field or mutation without that declaration fails here.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/authz/actions.js';
import { schema } from '../../src/schema.js';

const allowed = new Set<string>([...ACTIONS, 'public', 'self']);

describe('§9 every query field and mutation declares its authorization', () => {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    it(`${root?.name}: each field names its authz actions (extensions.authz), all from the catalogue`, () => {
      const problems: string[] = [];
      for (const field of Object.values(root?.getFields() ?? {})) {
        const authz = (field.extensions as { authz?: readonly string[] }).authz;
        if (!authz || authz.length === 0) problems.push(`${root?.name}.${field.name}: no authz declared`);
        for (const action of authz ?? []) {
          if (!allowed.has(action)) problems.push(`${root?.name}.${field.name}: "${action}" is not in the catalogue`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('every action of the catalogue is declared by some entry point', () => {
    const declared = new Set(
      [schema.getQueryType(), schema.getMutationType()].flatMap((root) =>
        Object.values(root?.getFields() ?? {}).flatMap((f) => (f.extensions as { authz?: string[] }).authz ?? []),
      ),
    );
    // Read actions reached only through nested fields are declared by node/nodes.
    expect(ACTIONS.filter((a) => !declared.has(a))).toEqual([]);
  });
});
