// Every node's `id` answered synchronously (issue 11).
//
// Pothos' relay plugin builds each node type's `id` field with its `globalID` helper, whose resolver is
// an `async` function (plugin-relay 4.8, field-builder.js): every row of every page then hands
// graphql-js a promise for its id, and graphql-js awaits every row as a whole — a page of 500 members
// took as long as if each row had waited on a loader. The id itself is the node type's own `id.resolve`
// (a row's key, given to `builder.loadableNode`), so once the schema is built this sets each node's
// `id` resolver to encode that key directly — the same global id the plugin's default encoder gives
// (base64 of "Type:key"). A key that would itself need awaiting falls back to the plugin's resolver.
// No plugin wraps `id` (no auth scopes, errors or validation on it), so nothing is bypassed; a node type
// given type-level scopes (which would apply to `id` too) stops the server at start.
import { isThenable } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLFieldResolver, GraphQLInterfaceType, GraphQLSchema } from 'graphql';

type IdOf = GraphQLFieldResolver<unknown, unknown, unknown, unknown>;

export function synchronousNodeIds(schema: GraphQLSchema): void {
  const node = schema.getType('Node') as GraphQLInterfaceType;
  for (const type of schema.getImplementations(node).objects) {
    const options = type.extensions.pothosOptions as
      | { id?: { resolve?: IdOf }; authScopes?: unknown; grantScopes?: unknown }
      | undefined;
    // Scopes on a type are checked on each of its fields, `id` among them: not with this resolver.
    if (options?.authScopes !== undefined || options?.grantScopes !== undefined) {
      throw new Error(`node type ${type.name} has type-level scopes, which its synchronous id would skip`);
    }
    const idOf = options?.id?.resolve;
    const field = type.getFields().id;
    const viaPlugin = field?.resolve;
    if (!idOf || !field || !viaPlugin) throw new Error(`node type ${type.name} has no id resolver`);
    const typename = type.name;
    field.resolve = (parent, args, context, info) => {
      const key = idOf(parent, args, context, info);
      return isThenable(key) ? viaPlugin(parent, args, context, info) : encodeGlobalID(typename, String(key));
    };
  }
}
