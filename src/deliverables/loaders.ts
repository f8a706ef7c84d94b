// The deliverables area's reads for GraphQL: each project's connector and each work area's (WA-2: at
// most one each way), batched per request.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type ConnectorRow, connectors, type ProjectRow } from '../db/schema.js';
import type { Context } from '../graphql/context.js';
import { loaderOptions } from '../graphql/loaders.js';
import type { DeliverablesFacts } from './rules/facts.js';
import { loadDeliverablesFacts } from './use-cases/facts.js';

function connectorBy(column: SQLiteColumn, keyOf: (c: ConnectorRow) => string) {
  return createContextCache(
    (ctx: Context) =>
      new DataLoader<string, ConnectorRow | null>(async (keys) => {
        const rows = await ctx.db
          .select()
          .from(connectors)
          .where(inArray(column, [...keys]));
        const byKey = new Map(rows.map((r) => [keyOf(r), r]));
        return keys.map((k) => byKey.get(k) ?? null);
      }, loaderOptions),
  );
}

export const connectorByProject = connectorBy(connectors.projectId, (c) => c.projectId);
export const connectorByWorkArea = connectorBy(connectors.workAreaId, (c) => c.workAreaId);

/**
 * §7: a project's connector facts (null without an associated work area), once per request per
 * project — the listing, its entries and their named users all read the same facts (a constant number
 * of statements whatever the page size).
 */
export const deliverablesFactsOf = createContextCache(
  (ctx: Context) =>
    new DataLoader<ProjectRow, DeliverablesFacts | null, string>(
      async (projects) =>
        Promise.all(
          projects.map(async (project) => {
            const connector = await connectorByProject(ctx).load(project.id);
            return connector ? await loadDeliverablesFacts(ctx.db, project, connector) : null;
          }),
        ),
      { cacheKeyFn: (p) => p.id },
    ),
);
