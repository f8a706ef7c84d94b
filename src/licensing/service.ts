// §4 use cases, one file per concept in use-cases/: a checkout (LIC-5…LIC-7), bulk checkouts (LIC-8),
// check-in (LIC-9), restrictions (LIC-6) and the license tool's import (LIC-10). Each authorizes
// (authz), runs in one transaction and appends its audit entry; other areas import from here.
export * from './use-cases/bulk-checkout.js';
export * from './use-cases/check-in.js';
export * from './use-cases/checkout.js';
export * from './use-cases/import.js';
export * from './use-cases/restrictions.js';
export * from './use-cases/shared.js';
