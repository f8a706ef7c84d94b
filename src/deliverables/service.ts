// The deliverables area's use cases (§7, WA-2), for the GraphQL layer and for the projects area's team
// use cases (DM-10 write-through).
export * from './use-cases/connector.js';
export * from './use-cases/facts.js';
export * from './use-cases/listing.js';
export * from './use-cases/permissions.js';
export * from './use-cases/report.js';
