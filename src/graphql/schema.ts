// Assembles the schema: importing a types module registers its types, queries and mutations.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './types/common.js';
import './types/node.js';
import './types/identity.js';
import './types/data-sources.js';
import './types/access.js';
import './types/checkouts.js';
import './types/licensing-owner.js';

export const schema = builder.toSchema();

/** The SDL as committed in schema/schema.graphql (sorted, so diffs stay stable). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
