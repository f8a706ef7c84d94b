// Review item 19: administrators learn the model from GraphiQL's schema explorer, so every element of
// the schema carries a description — every type, field, argument, input field and enum value, the
// relay plugin's generated ones (PageInfo, connections, edges, Node) included. This test is the guard
// for future additions: it names each element that has none.
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.js';

const described = (d: string | null | undefined) => typeof d === 'string' && d.trim().length > 0;

/** Every schema element without a non-empty description, named as `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`. */
function undescribedElements(): string[] {
  const missing: string[] = [];
  const checkArgs = (owner: string, args: readonly GraphQLArgument[]) => {
    for (const arg of args) if (!described(arg.description)) missing.push(`${owner}(${arg.name}:)`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const name = `${type.name}.${field.name}`;
        if (!described(field.description)) missing.push(name);
        checkArgs(name, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) {
        if (!described(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!described(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing.sort();
}

describe('review item 19: the schema explorer documents every element', () => {
  it('every type, field, argument, input field and enum value has a description', () => {
    const missing = undescribedElements();
    expect(
      missing,
      `${missing.length} schema element(s) have no description (write one, with the rule id where one applies):\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });
});
