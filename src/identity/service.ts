// §1 use cases, one file per concept in use-cases/: profiles (ID-1), accounts and members (ID-2, ID-3),
// IMS roles (ID-4), associations (ID-5), entitlements (ID-6), external access and its review (HIS-4…HIS-6). Each authorizes (authz), runs in one
// transaction, appends its audit entry and returns what was written; other areas import from here.
export * from './use-cases/accounts.js';
export * from './use-cases/associations.js';
export * from './use-cases/entitlements.js';
export * from './use-cases/external-access.js';
export * from './use-cases/profiles.js';
export * from './use-cases/roles.js';
export * from './use-cases/shared.js';
