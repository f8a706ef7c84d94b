// §2 and §5 use cases, one file per concept in use-cases/: data sources and their settings (DS-1, DS-2),
// users (DS-3), groups and user lists (DS-4), deletion (DS-5), work areas (WA-1), and the principal
// graph that WA-1/WA-1b expand. Every use case authorizes (authz), runs in one transaction and writes
// an audit entry. Other areas import from here.
export * from './use-cases/data-sources.js';
export * from './use-cases/deletion.js';
export * from './use-cases/groups.js';
export * from './use-cases/principal-graph.js';
export * from './use-cases/shared.js';
export * from './use-cases/user-lists.js';
export * from './use-cases/users.js';
export * from './use-cases/work-areas.js';
