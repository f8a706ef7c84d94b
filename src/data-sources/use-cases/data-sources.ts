// DS-1 / DS-2 use cases: creating a data source and changing its settings.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { assertAuthorized, loadSubject } from '../../authz/authorize.js';
import { inTransaction } from '../../db/client.js';
import { only } from '../../db/query.js';
import { type DataSourceRow, dataSources, type ExternalLicensing } from '../../db/schema.js';
import { accountById } from '../../identity/service.js';
import type { ServiceContext } from '../../service-context.js';
import { administeredDataSource, assertFreeName, audit, filterAccountIds, nameKey } from './shared.js';

// ---------------------------------------------------------------------------------------------
// DS-1 / DS-2 data sources and their settings

export interface ExternalAccessInput {
  allowExternalImsUsers?: boolean | null;
  externalLicensing?: ExternalLicensing | null;
}

export interface CreateDataSourceInput {
  accountId: string;
  name: string;
  imsAuthEnabled?: boolean | null;
  dynamicCreationFilter?: string | null;
  externalAccess?: ExternalAccessInput | null;
}

export async function createDataSource(ctx: ServiceContext, input: CreateDataSourceInput): Promise<DataSourceRow> {
  return inTransaction(ctx.db, async (tx) => {
    const owner = await accountById(tx, input.accountId);
    assertAuthorized(await loadSubject(tx, ctx.actor), { action: 'dataSource.create', accountId: owner.id });
    const name = input.name.trim();
    await assertFreeName(
      tx,
      dataSources,
      eq(dataSources.ownerAccountId, owner.id),
      name,
      null,
      `a data source of ${owner.name}`,
    );
    if (input.dynamicCreationFilter != null) {
      await filterAccountIds(tx, input.dynamicCreationFilter, ['input', 'dynamicCreationFilter']);
    }
    const ds = await only(
      tx
        .insert(dataSources)
        .values({
          id: randomUUID(),
          name,
          nameKey: nameKey(name),
          ownerAccountId: owner.id,
          imsAuthEnabled: input.imsAuthEnabled ?? false,
          dynamicCreationFilter: input.dynamicCreationFilter?.trim() ?? null,
          licensingOwnerAccountId: null,
          allowExternalImsUsers: input.externalAccess?.allowExternalImsUsers ?? false,
          externalLicensing: input.externalAccess?.externalLicensing ?? 'DENY',
          createdAt: ctx.now,
        })
        .returning(),
    );
    await audit(tx, ctx, ds, 'createDataSource', [{ type: 'Account', id: owner.id }], `created data source "${name}"`);
    return ds;
  });
}

export interface UpdateDataSourceSettingsInput {
  dataSourceId: string;
  name?: string | null;
  imsAuthEnabled?: boolean | null;
  /** undefined: unchanged; null: removed. */
  dynamicCreationFilter?: string | null;
  externalAccess?: ExternalAccessInput | null;
}

/** DS-2: fields left out stay as they are; `dynamicCreationFilter: null` removes the filter. */
export async function updateDataSourceSettings(
  ctx: ServiceContext,
  input: UpdateDataSourceSettingsInput,
): Promise<DataSourceRow> {
  return inTransaction(ctx.db, async (tx) => {
    const ds = await administeredDataSource(tx, ctx, input.dataSourceId);
    const changes: Partial<DataSourceRow> = {};
    const said: string[] = [];
    if (input.name != null && input.name.trim() !== ds.name) {
      const name = input.name.trim();
      await assertFreeName(
        tx,
        dataSources,
        eq(dataSources.ownerAccountId, ds.ownerAccountId),
        name,
        ds.id,
        'a data source',
      );
      changes.name = name;
      changes.nameKey = nameKey(name);
      said.push(`name "${name}"`);
    }
    if (input.imsAuthEnabled != null) {
      changes.imsAuthEnabled = input.imsAuthEnabled;
      said.push(`IMS authentication ${input.imsAuthEnabled ? 'on' : 'off'}`);
    }
    if (input.dynamicCreationFilter !== undefined) {
      if (input.dynamicCreationFilter !== null) {
        await filterAccountIds(tx, input.dynamicCreationFilter, ['input', 'dynamicCreationFilter']);
      }
      changes.dynamicCreationFilter = input.dynamicCreationFilter?.trim() ?? null;
      said.push(`identity filter ${changes.dynamicCreationFilter ? `'${changes.dynamicCreationFilter}'` : 'removed'}`);
    }
    if (input.externalAccess?.allowExternalImsUsers != null) {
      changes.allowExternalImsUsers = input.externalAccess.allowExternalImsUsers;
      said.push(`external IMS users ${changes.allowExternalImsUsers ? 'allowed' : 'not allowed'}`);
    }
    if (input.externalAccess?.externalLicensing != null) {
      changes.externalLicensing = input.externalAccess.externalLicensing;
      said.push(`external licensing ${changes.externalLicensing}`);
    }
    const updated =
      Object.keys(changes).length > 0
        ? await only(tx.update(dataSources).set(changes).where(eq(dataSources.id, ds.id)).returning())
        : ds;
    await audit(tx, ctx, updated, 'updateDataSourceSettings', [], `settings: ${said.join(', ') || 'no change'}`);
    return updated;
  });
}
