import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { possibleTypesOf, printedPossibleTypes } from '../../src/graphql/possible-types.js';

describe('contract: schema/possible-types.json (Apollo Client possibleTypes)', () => {
  it('matches what the current schema produces (run `npm run schema:print` after changing types)', () => {
    const committed = readFileSync(new URL('../../schema/possible-types.json', import.meta.url), 'utf8');
    expect(printedPossibleTypes()).toBe(committed);
  });

  it('lists the payload unions and the Error interface, so `... on Error` matches UserError', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/possible-types.json', import.meta.url), 'utf8'));
    expect(committed.CreateAccountPayload).toEqual(['CreateAccountSuccess', 'UserError']);
    expect(committed.Error).toContain('UserError');
    expect(committed.Node).toContain('Account');
  });

  it('covers unions and interfaces (also interfaces implementing interfaces), sorted at both levels', () => {
    const sample = buildSchema(`
      interface Node { id: ID! }
      interface Entity implements Node { id: ID! }
      type Zebra implements Node & Entity { id: ID! }
      type Ant implements Node & Entity { id: ID! }
      type Plain { id: ID! }
      union Animal = Zebra | Ant
      type Query { animal: Animal plain: Plain node: Node }
    `);
    const possible = possibleTypesOf(sample);
    expect(Object.keys(possible)).toEqual(['Animal', 'Entity', 'Node']);
    expect(possible).toEqual({ Animal: ['Ant', 'Zebra'], Entity: ['Ant', 'Zebra'], Node: ['Ant', 'Zebra'] });
    expect(JSON.parse(printedPossibleTypes(sample))).toEqual(possible);
  });
});
