// Input formats and payload helpers shared by the data-source mutations.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from '../../graphql/builder.js';
import { DataSource } from './nodes.js';

// ---------------------------------------------------------------------------------------------
// Mutations

export const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const login = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const filterText = z.string().max(2000, 'must be at most 2000 characters');

/** DS-5: what a delete answers — the deleted row's global id (of `nodeType`) and its data source. */
export const DeleteSuccess = (typeName: string, field: string, what: string, nodeType: string) =>
  builder.objectRef<{ id: string; dataSourceId: string }>(typeName).implement({
    description: `The ${what} was deleted, with every reference to it when force was given (DS-5).`,
    fields: (t) => ({
      [field]: t.id({
        description: `Global id of the deleted ${what} (it no longer resolves).`,
        resolve: (r) => encodeGlobalID(nodeType, r.id),
      }),
      dataSource: t.field({
        type: DataSource,
        description: `The data source the ${what} belonged to.`,
        resolve: (r) => r.dataSourceId,
      }),
    }),
  });

export const DELETE_DESCRIPTION =
  'DS-5: refused with IN_USE while referenced, unless force: true removes the references too.';

export const FORCE_DESCRIPTION =
  'DS-5: also remove every reference (participant entries, list and group memberships) in the same transaction. Default false: refused with IN_USE while referenced.';
