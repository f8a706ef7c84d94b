// Issue 11: every node's `id` is answered synchronously (src/graphql/node-ids.ts) — a promise per row
// made graphql-js await every row of every page — and is the same global id as before: base64 of
// "Type:key", which node(id:) and every input accept.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLInterfaceType, GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.js';
import { createWorld, gid, hostAndSupplier } from '../helpers/world.js';

const nodeTypes = schema.getImplementations(schema.getType('Node') as GraphQLInterfaceType).objects;

describe('node ids', () => {
  it('every node type answers its id at once (no promise), as base64 of "Type:key"', () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(16);
    // Each node type's key is its row's `id` (EveryoneGroup: its data source's id; AuditEntry: its number).
    const row = { id: 'key-1', dataSourceId: 'key-1' };
    for (const type of nodeTypes) {
      const resolve = type.getFields().id?.resolve;
      const answer = resolve?.(row, {}, {}, {} as GraphQLResolveInfo);
      expect(typeof answer, type.name).toBe('string');
      expect(answer, type.name).toBe(encodeGlobalID(type.name, 'key-1'));
    }
  });

  it('ids read from answers find the same object through node(id:)', async () => {
    const world = await createWorld();
    const cast = await hostAndSupplier(world);
    const ds = await world.dataSource(cast.host, cast.alice, 'Harbor PW');
    const result = await world.gql(
      `query($id: ID!, $ds: ID!) { account(id: $id) { id members(first: 1) { edges { node { id homeAccount { id } } } } }
        dataSource(id: $ds) { id everyone { id } } }`,
      { id: gid('Account', cast.host.id), ds: gid('DataSource', ds.id) },
      'alice@harbor.example',
    );
    expect(result.errors).toBeUndefined();
    const account = result.data?.account;
    expect(account.id).toBe(gid('Account', cast.host.id));
    expect(account.members.edges[0].node.homeAccount.id).toBe(account.id);
    const dsNode = result.data?.dataSource;
    expect(dsNode.id).toBe(gid('DataSource', ds.id));
    const again = await world.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
      { ids: [account.id, account.members.edges[0].node.id, dsNode.id, dsNode.everyone.id] },
      'alice@harbor.example',
    );
    expect(again.data?.nodes).toEqual([
      { __typename: 'Account', id: account.id },
      { __typename: 'User', id: account.members.edges[0].node.id },
      { __typename: 'DataSource', id: dsNode.id },
      { __typename: 'EveryoneGroup', id: dsNode.everyone.id },
    ]);
  });
});
