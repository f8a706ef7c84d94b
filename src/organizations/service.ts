// The organizations area's use cases (§8).
export * from './use-cases/invitations.js';
export * from './use-cases/project-access.js';
export * from './use-cases/provided-licenses.js';
