// The data-sources area's node types (DataSource, DataSourceUser, groups, lists, *Everyone, work
// areas), their enums, and who may read each (§9, through authz).
import {
  CLIENT_LICENSING,
  type DataSourceRow,
  type DataSourceUserRow,
  EXTERNAL_LICENSING,
  USER_CREATION,
  WORK_AREA_ROLES,
  type WorkAreaRow,
} from '../../db/schema.js';
import { builder } from '../../graphql/builder.js';
import { describedValues } from '../../graphql/common.js';
import type { Context } from '../../graphql/context.js';
import { loaderOptions } from '../../graphql/loaders.js';
import { share } from '../../graphql/shared.js';
import { registerReadCheck } from '../../graphql/visibility.js';
import {
  loadDataSources,
  loadDataSourceUsers,
  loadEveryone,
  loadGroups,
  loadUserLists,
  loadWorkAreas,
} from '../loaders.js';

// Other areas name these types (access explains sign-ins to them, licensing-owner requests show them).
declare module '../../graphql/builder.js' {
  interface SharedObjects {
    DataSource: DataSourceRow;
    DataSourceUser: DataSourceUserRow;
    ExternalAccess: Pick<DataSourceRow, 'allowExternalImsUsers' | 'externalLicensing'>;
    WorkArea: WorkAreaRow;
  }
}

// ---------------------------------------------------------------------------------------------
// Enums

export const ExternalLicensingEnum = builder.enumType('ExternalLicensing', {
  description:
    'DS-2: whether the data source supplies licenses to external users (those from another home account, ACC-3).',
  values: describedValues(EXTERNAL_LICENSING, {
    SUPPLY:
      "External users' sign-ins are billed to the data source's licensing owner (LIC-1, source 2; LICENSING_OWNER_NOT_SET while none is set).",
    DENY: "Default. External users bring their own license: OWNER_PROVIDES is ignored for them, and the owner account's entitlements are skipped for them (LIC-1.2, LIC-1.4).",
  }),
});

export const ClientLicensingEnum = builder.enumType('ClientLicensing', {
  description: 'DS-3: who provides the license of a data-source user.',
  values: describedValues(CLIENT_LICENSING, {
    OWN_ORGANIZATION:
      "Default. The user's own organization pays: their home account's entitlement (LIC-1.3), else an associated account's (LIC-1.4).",
    OWNER_PROVIDES:
      "The data source's licensing owner pays (LIC-1, source 2) — ignored for external users when externalLicensing is DENY.",
  }),
});

export const UserCreationEnum = builder.enumType('DataSourceUserCreation', {
  description: 'DS-3: how a data-source user came to exist.',
  values: describedValues(USER_CREATION, {
    MANUAL: 'Created by an administrator (createDataSourceUser).',
    DYNAMIC:
      "Created automatically at a first granted IMS sign-in, because the dynamic creation filter names the user's home account (ACC-2); login, email and identity are the user's email.",
  }),
});

export const WorkAreaRoleEnum = builder.enumType('WorkAreaRole', {
  description:
    'WA-1: the role of a participant in a work area. For a named user reached by several entries, their own entry decides; otherwise the most permissive applies, ADMINISTRATOR > LEADER > TEAM_MEMBER > CUSTOM > OBSERVER > NO_ACCESS (WA-1b).',
  values: describedValues(WORK_AREA_ROLES, {
    ADMINISTRATOR:
      "Administers the work area ('Project Administrator' in older ProjectWise versions). Most permissive.",
    LEADER: "Leads the work area ('Project Leader' in older ProjectWise versions).",
    TEAM_MEMBER: "Works in the work area ('Project Team Member' in older ProjectWise versions).",
    OBSERVER: "Follows the work area ('Project Observer' in older ProjectWise versions).",
    CUSTOM: 'A role with permissions configured in the data source; ranks between TEAM_MEMBER and OBSERVER (WA-1b).',
    NO_ACCESS:
      "No access. As a user's own entry it wins over every group, list and *Everyone that contains them (WA-1b); on a group or list it simply grants nothing.",
  }),
});

// ---------------------------------------------------------------------------------------------
// Loading (one statement per batch) and reading rules

/** *Everyone of a data source (it has no row of its own). */
export type EveryoneRow = { dataSourceId: string };

export const DataSource = builder.loadableNode('DataSource', {
  description: 'A document repository owned by an account (DS-1), with its access configuration (DS-2).',
  id: { resolve: (d) => d.id },
  load: loadDataSources,
  sort: (d) => d.id,
  loaderOptions,
});

export const DataSourceUser = builder.loadableNode('DataSourceUser', {
  description: 'A user account of a data source (DS-3).',
  id: { resolve: (u) => u.id },
  load: loadDataSourceUsers,
  sort: (u) => u.id,
  loaderOptions,
});

export const DataSourceGroup = builder.loadableNode('DataSourceGroup', {
  description: 'A group of data-source users (DS-4).',
  id: { resolve: (g) => g.id },
  load: loadGroups,
  sort: (g) => g.id,
  loaderOptions,
});

export const UserList = builder.loadableNode('UserList', {
  description: 'A user list: users, groups and other lists; nesting and cycles are allowed (DS-4).',
  id: { resolve: (l) => l.id },
  load: loadUserLists,
  sort: (l) => l.id,
  loaderOptions,
});

export const EveryoneGroup = builder.loadableNode('EveryoneGroup', {
  description: '*Everyone: the built-in pseudo-group of every user of a data source. It cannot be edited or deleted.',
  id: { resolve: (e) => e.dataSourceId },
  load: async (ids: string[], ctx: Context): Promise<EveryoneRow[]> => await loadEveryone(ctx.db, ids),
  sort: (e) => e.dataSourceId,
  loaderOptions,
});

export const WorkArea = builder.loadableNode('WorkArea', {
  description: 'A folder tree inside a data source with its own participants (WA-1).',
  id: { resolve: (w) => w.id },
  load: loadWorkAreas,
  sort: (w) => w.id,
  loaderOptions,
});

/** Rows inside a data source (groups, lists, *Everyone, work areas) are read by those who administer it. */
export const administersRow = async (ctx: Context, row: { dataSourceId: string }) =>
  await ctx.administersDataSource(row.dataSourceId);

// §9: its admins; and, for its name, owner and access settings (fields below), the IMS admins of its
// licensing owner account (LIC-3) — never its users, groups, lists or work areas.
registerReadCheck(DataSource, (ctx, ds) =>
  ctx.can({
    action: 'dataSource.read',
    ownerAccountId: ds.ownerAccountId,
    licensingOwnerAccountId: ds.licensingOwnerAccountId,
  }),
);

registerReadCheck(DataSourceUser, async (ctx, u) => {
  const accounts = await ctx.dataSourceAccounts(u.dataSourceId);
  return (
    accounts !== undefined &&
    ctx.can({ action: 'dataSourceUser.read', ownerAccountId: accounts.ownerAccountId, identity: u.identity })
  );
});

registerReadCheck(DataSourceGroup, administersRow);

registerReadCheck(UserList, administersRow);

registerReadCheck(EveryoneGroup, administersRow);

registerReadCheck(WorkArea, administersRow);

/** Admin-only fields of anything that belongs to a data source. */
export const adminsOf = (row: { dataSourceId: string }) => ({ dataSourceAdmin: row.dataSourceId });

// Deliverables Management shows each participant's work-area role (DM-2, DM-9).
declare module '../../graphql/shared.js' {
  interface SharedRefs {
    WorkAreaRoleEnum: typeof WorkAreaRoleEnum;
  }
}
share('WorkAreaRoleEnum', WorkAreaRoleEnum);
