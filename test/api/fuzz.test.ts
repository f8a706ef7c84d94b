// Issue 12, hostile input: every mutation of the schema, called with inputs fast-check generates from
// its input type — oversized and unicode strings, bad emails and ids, wrong enum values, far dates and
// numbers, CSV and license-file garbage — answers a success or a typed error, never a server fault; and
// a refusal writes nothing (every table's content hashed before and after).
import fc from 'fast-check';
import { type GraphQLInputType, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.js';
import { createWorld, gid, hostAndSupplier } from '../helpers/world.js';

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(70_000),
    '😀'.repeat(3_000),
    'a\u0000b',
    '\u202eevil',
    'not-an-email',
    '@example.com',
    'a@b',
    'UPPER@Harbor.Example',
    'email,machineName\nx@y.example,PC-1\n"unterminated',
    'email,machineName\n' + 'a@b.example,PC\n'.repeat(3),
    '-----BEGIN LICENSE-----\ngarbage\n-----END LICENSE-----',
    '{"payload":{},"signature":"AAAA"}',
    '9999-12-31',
    '0000-01-01',
    '2026-02-30',
    '+275760-09-13T00:00:00.000Z',
    'US',
    'ZZ',
    'PW_EXPLORER',
    '10.0.3.280',
  ),
);

/** Values a real caller would send, so that generated inputs get past the first check and reach the rules. */
const plausibleText = fc.constantFrom(
  'Harbor PW',
  'Evil Corp \u202e',
  'someone@harbor.example',
  'new.person@freelance.example',
  'harbor.example',
  'PC-1',
  'PW_EXPLORER',
  'MICROSTATION',
  '10.0.3.280',
  'US',
  'DE',
  '2027-12-31',
  '2099-01-01T00:00:00.000Z',
  'email,machineName\nsomeone@harbor.example,PC-1',
);

/** Mostly plausible, now and then hostile: each field is attacked in otherwise sensible inputs. */
const text = fc.oneof({ weight: 3, arbitrary: plausibleText }, { weight: 2, arbitrary: hostileText });

/** Ids: of the right and wrong types, of existing and missing rows, and not ids at all. */
function idArbitrary(existing: readonly string[]) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...existing) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'not-an-id', gid('Nope', 'x'), gid('Account', 'missing'), gid('User', '')),
    },
    { weight: 1, arbitrary: hostileText },
  );
}

function arbitraryFor(type: GraphQLInputType, ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  // A required value is always given (graphql-js refuses a missing one before anything runs); an
  // optional one is now and then null.
  if (isNonNullType(type)) return valueFor(type.ofType, ids, depth);
  return fc.oneof({ weight: 6, arbitrary: valueFor(type, ids, depth) }, { weight: 1, arbitrary: fc.constant(null) });
}

function valueFor(type: GraphQLInputType, ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, ids, depth);
  if (isListType(type)) return fc.array(arbitraryFor(type.ofType, ids, depth), { minLength: 1, maxLength: 3 });
  const named = getNamedType(type);
  if (isEnumType(named)) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...named.getValues().map((v) => v.value as string)) },
      { weight: 1, arbitrary: fc.constantFrom('NOPE', '', 'admin') },
    );
  }
  if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(named.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, arbitraryFor(f.type, ids, depth + 1)])), {
      requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
    });
  }
  switch (named.name) {
    case 'ID':
      return idArbitrary(ids);
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 600 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 0));
    case 'Float':
      return fc.double({ noNaN: true });
    case 'Boolean':
      return fc.boolean();
    default:
      return fc.oneof({ weight: 12, arbitrary: text }, { weight: 1, arbitrary: fc.integer() });
  }
}

const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

describe('issue 12: every mutation against generated hostile input', { timeout: 120_000 }, () => {
  it('covers every mutation of the schema', () => {
    expect(mutations.length).toBeGreaterThan(50);
    // `input`, and for the mutations that can be dry-run (issue 14) `dryRun`, which is generated too.
    for (const m of mutations)
      expect(
        m.args.map((a) => a.name).filter((name) => name !== 'dryRun'),
        m.name,
      ).toEqual(['input']);
  });

  for (const mutation of mutations) {
    it(`${mutation.name}: a success or a typed error, never a fault; a refusal writes nothing`, async () => {
      const world = await createWorld();
      const cast = await hostAndSupplier(world);
      const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW');
      const ids = [
        gid('Account', cast.host.id),
        gid('Account', cast.supplier.id),
        gid('User', cast.carol.id),
        gid('User', cast.erin.id),
        gid('DataSource', ds.id),
      ];
      const inputType = mutation.args.find((a) => a.name === 'input')?.type as GraphQLInputType;
      // Issue 14: where the mutation can be dry-run, half the runs are dry runs, which never write.
      const canDryRun = mutation.args.some((a) => a.name === 'dryRun');
      const query = canDryRun
        ? `mutation($input: ${String(inputType)}, $dryRun: Boolean) { m: ${mutation.name}(input: $input, dryRun: $dryRun) { __typename } }`
        : `mutation($input: ${String(inputType)}) { m: ${mutation.name}(input: $input) { __typename } }`;
      await fc.assert(
        fc.asyncProperty(
          arbitraryFor(inputType, ids, 0),
          fc.constantFrom('alice@harbor.example', 'dave@northwind.example'),
          fc.boolean(),
          async (input, who, dryRun) => {
            const before = await world.checksum();
            const result = await world.gql(query, canDryRun ? { input, dryRun } : { input }, who);
            const codes = (result.errors ?? []).map((e) => (e.extensions as { code?: string } | undefined)?.code);
            expect(codes, JSON.stringify(result.errors)).not.toContain('INTERNAL_SERVER_ERROR');
            expect(
              codes.every((c) => typeof c === 'string'),
              JSON.stringify(result.errors),
            ).toBe(true);
            const typename = (result.data?.m as { __typename?: string } | null | undefined)?.__typename;
            const refused = result.errors !== undefined || typename === undefined || !typename.endsWith('Success');
            if (refused) expect(await world.checksum(), `${mutation.name} refused but wrote`).toBe(before);
            if (canDryRun && dryRun) expect(await world.checksum(), `${mutation.name} dry run wrote`).toBe(before);
          },
        ),
        // A fixed seed: the same inputs on every run (FUZZ_SEED=<n> tries others).
        { numRuns: 30, seed: Number(process.env.FUZZ_SEED ?? 20261124) },
      );
    });
  }
});
