// DS-4 principals: the Principal union (user, group, user list, *Everyone) and principal ids in inputs.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import type { DataSourceGroupRow, DataSourceUserRow, PrincipalKind, UserListRow } from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import type { Key } from '../../graphql/pagination.js';
import { share } from '../../graphql/shared.js';
import type { PrincipalRef } from '../rules/principals.js';
import { DataSource, DataSourceGroup, DataSourceUser, EveryoneGroup, type EveryoneRow, UserList } from './nodes.js';

// ---------------------------------------------------------------------------------------------
// Principal union and participants

/** The GraphQL type of each kind of principal, and back (for ids given in inputs). */
export const TYPE_OF_KIND = {
  USER: 'DataSourceUser',
  GROUP: 'DataSourceGroup',
  LIST: 'UserList',
  EVERYONE: 'EveryoneGroup',
} as const satisfies Record<PrincipalKind, string>;

export const KIND_OF_TYPE = Object.fromEntries(
  Object.entries(TYPE_OF_KIND).map(([kind, type]) => [type, kind]),
) as Record<string, PrincipalKind | undefined>;

export const Principal = builder.unionType('Principal', {
  description: 'Someone who can be a work-area participant: a user, a group, a user list, or *Everyone.',
  types: [DataSourceUser, DataSourceGroup, UserList, EveryoneGroup],
  // Group and list rows look alike: loadPrincipal, the one producer of union values, tags them.
  resolveType: (value) => TYPE_OF_KIND[(value as unknown as PrincipalValue).principalKind],
});

export type PrincipalValue = (DataSourceUserRow | DataSourceGroupRow | UserListRow | EveryoneRow) & {
  principalKind: PrincipalKind;
};

/** Loads the principal a reference points at (through the per-request loaders), tagged with its kind. */
export async function loadPrincipal(ctx: Context, ref: PrincipalRef): Promise<PrincipalValue> {
  const load = () => {
    switch (ref.kind) {
      case 'USER':
        return DataSourceUser.getDataloader(ctx).load(ref.id);
      case 'GROUP':
        return DataSourceGroup.getDataloader(ctx).load(ref.id);
      case 'LIST':
        return UserList.getDataloader(ctx).load(ref.id);
      case 'EVERYONE':
        return EveryoneGroup.getDataloader(ctx).load(ref.id);
    }
  };
  return { ...(await load()), principalKind: ref.kind };
}

/** Data-source users by id through the per-request loader, for paging by login (DS-3). */
export async function usersByLogin(ctx: Context, ids: readonly string[]): Promise<DataSourceUserRow[]> {
  const rows = await DataSourceUser.getDataloader(ctx).loadMany([...ids]);
  return rows.filter((r): r is DataSourceUserRow => r !== null && !(r instanceof Error));
}

export const loginKeyOf = (u: DataSourceUserRow): Key[] => [u.loginKey, u.id];

builder.objectFields(EveryoneGroup, (t) => ({
  name: t.string({ description: 'Always "*Everyone".', resolve: () => '*Everyone' }),
  dataSource: t.field({
    type: DataSource,
    description: 'The data source whose every user it stands for.',
    resolve: (e) => e.dataSourceId,
  }),
}));

export const listMembers = z
  .array(z.string())
  .max(5000, 'at most 5000 members')
  .transform((ids, ctx) =>
    ids.flatMap((raw, i) => {
      const decoded = safeDecode(raw);
      const kind = decoded && KIND_OF_TYPE[decoded.typename];
      if (!decoded || !kind || kind === 'EVERYONE') {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: 'must be the id of a DataSourceUser, DataSourceGroup or UserList',
        });
        return [];
      }
      return [{ kind, id: decoded.id }];
    }),
  );

export function safeDecode(id: string) {
  try {
    return decodeGlobalID(id);
  } catch {
    return null;
  }
}

export const principalId = z.string().transform((raw, ctx) => {
  const decoded = safeDecode(raw);
  const kind = decoded && KIND_OF_TYPE[decoded.typename];
  if (!decoded || !kind) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be the id of a DataSourceUser, DataSourceGroup, UserList or EveryoneGroup',
    });
    return z.NEVER;
  }
  return { kind, id: decoded.id } satisfies PrincipalRef;
});

// Deliverables Management lists and edits connector entries of principals (DM-8, DM-9).
declare module '../../graphql/shared.js' {
  interface SharedRefs {
    Principal: typeof Principal;
    loadPrincipal: typeof loadPrincipal;
    principalId: typeof principalId;
    principalTypename: (kind: PrincipalKind) => string;
  }
}
share('Principal', Principal);
share('loadPrincipal', loadPrincipal);
share('principalId', principalId);
share('principalTypename', (kind) => TYPE_OF_KIND[kind]);
