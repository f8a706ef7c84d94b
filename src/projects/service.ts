// The projects area's use cases (§6), for the GraphQL layer and for other areas (deliverables and
// organizations build on projects and their teams).
export * from './use-cases/projects.js';
export * from './use-cases/roles.js';
export * from './use-cases/shared.js';
export * from './use-cases/team.js';
