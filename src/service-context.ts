// What every use case gets: the database, who acts (a registered user), and the request's clock (tests
// pin it). Shared core: the GraphQL context builds it, every area's use cases take it.
import type { Db } from './db/client.js';
import type { UserRow } from './db/schema.js';

export interface ServiceContext {
  db: Db;
  actor: UserRow;
  now: Date;
}
