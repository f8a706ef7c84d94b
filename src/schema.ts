// Assembles the schema: importing a types module registers its types, queries and mutations.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './graphql/builder.js';
import { synchronousNodeIds } from './graphql/node-ids.js';
import './graphql/common.js';
import './graphql/node.js';
import './identity/graphql/nodes.js';
import './identity/graphql/user.js';
import './identity/graphql/account.js';
import './identity/graphql/association.js';
import './identity/graphql/external-access.js';
import './identity/graphql/entitlement.js';
import './identity/graphql/audit-entry.js';
import './identity/graphql/audit-feed.js';
import './data-sources/graphql/nodes.js';
import './data-sources/graphql/principal.js';
import './data-sources/graphql/data-source.js';
import './data-sources/graphql/data-source-user.js';
import './data-sources/graphql/group.js';
import './data-sources/graphql/user-list.js';
import './data-sources/graphql/work-area.js';
import './access/graphql/access.js';
import './access/graphql/usage.js';
import './licensing/graphql/checkout.js';
import './licensing/graphql/restriction.js';
import './licensing/graphql/installed-license.js';
import './licensing/graphql/signing-key.js';
import './access/graphql/licensing-owner.js';
import './projects/graphql/nodes.js';
import './projects/graphql/project.js';
import './projects/graphql/team.js';
import './projects/graphql/roles.js';
import './projects/graphql/effective-permissions.js';
import './deliverables/graphql/connector.js';
import './deliverables/graphql/participants.js';
import './deliverables/graphql/permissions.js';
import './organizations/graphql/invitation.js';
import './organizations/graphql/link.js';
import './organizations/graphql/project-access.js';
import './organizations/graphql/provided-licenses.js';
import './impact/graphql/impact.js';
import './impact/graphql/access-report.js';
import './impact/graphql/license-exposure.js';

export const schema = builder.toSchema();
synchronousNodeIds(schema);

/** The SDL as committed in schema/schema.graphql (sorted, so diffs stay stable). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
