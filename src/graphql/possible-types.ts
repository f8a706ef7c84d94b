// Apollo Client's `possibleTypes` (docs/clients.md): every union and interface with the object types
// that can stand for it. Without it Apollo's cache cannot match `... on Error` inside a payload union.
import { type GraphQLSchema, isAbstractType } from 'graphql';
import { schema } from '../schema.js';

export type PossibleTypes = Record<string, string[]>;

/** Code-point order: the same on every machine, whatever its locale. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `{ [abstract type]: [object types…] }`, unions and interfaces, both levels sorted by name. */
export function possibleTypesOf(target: GraphQLSchema): PossibleTypes {
  const result: PossibleTypes = {};
  const abstractTypes = Object.values(target.getTypeMap())
    .filter(isAbstractType)
    .filter((type) => !type.name.startsWith('__'))
    .sort((a, b) => byName(a.name, b.name));
  for (const type of abstractTypes) {
    result[type.name] = target
      .getPossibleTypes(type)
      .map((member) => member.name)
      .sort(byName);
  }
  return result;
}

/** Biome's line width (biome.json): the JSON is printed the way `biome check` formats it. */
const LINE_WIDTH = 120;

/**
 * The JSON as committed in schema/possible-types.json: one abstract type a line, its members inline,
 * or one a line when they do not fit (as Biome would format it, so `biome check` passes unchanged).
 */
export function printedPossibleTypes(target: GraphQLSchema = schema): string {
  const entries = Object.entries(possibleTypesOf(target));
  const lines = entries.map(([name, members], index) => {
    const comma = index < entries.length - 1 ? ',' : '';
    const key = `  ${JSON.stringify(name)}: `;
    const inline = `${key}[${members.map((member) => JSON.stringify(member)).join(', ')}]${comma}`;
    if (inline.length <= LINE_WIDTH) return inline;
    return [
      `${key}[`,
      ...members.map((member, i) => `    ${JSON.stringify(member)}${i < members.length - 1 ? ',' : ''}`),
      `  ]${comma}`,
    ].join('\n');
  });
  return `{\n${lines.join('\n')}\n}\n`;
}
