// The Drizzle schema entry point: every area's tables (drizzle-kit and the typed client read this).
export * from '../access/tables.js';
export * from '../audit/tables.js';
export * from '../data-sources/tables.js';
export * from '../deliverables/tables.js';
export * from '../identity/tables.js';
export * from '../licensing/tables.js';
export * from '../organizations/tables.js';
export * from '../projects/tables.js';
