// The server side of the bulk-checkout latency benchmark (bench/bulk-latency.ts starts it as a child
// process, so the measuring client's own work — e.g. parsing the bulk response — is never counted as
// the server's stall). It seeds an account that may check out PW_EXPLORER in DE, listens on loopback
// on a free port and prints one JSON line: { port, accountId, email }.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { migrateDatabase, openDatabase } from '../src/db/client.js';
import * as identity from '../src/identity/service.js';
import { createServer } from '../src/server.js';
import { benchAuth as auth } from './auth.js';

const now = new Date();
const database = openDatabase({ source: ':memory:' });
migrateDatabase(database);
const db = database.db;
const email = 'admin@bulk.example';
const admin = identity.registerProfile(db, { email, subject: null, name: 'Admin' }, { usageCountry: 'DE' }, now);
const account = identity.createAccount({ db, actor: admin, now }, { name: 'Bulk', emailDomains: ['bulk.example'] });
identity.addEntitlement(
  { db, actor: { ...admin, homeAccountId: account.id }, now },
  { accountId: account.id, productCode: 'PW_EXPLORER', country: 'DE', contractEndDate: '2099-12-31' },
);

const yoga = createServer({ db, auth, graphiql: false, introspection: false });
const server = createHttpServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port, accountId: encodeGlobalID('Account', account.id), email }));
});
const stop = () => server.close(() => database.close());
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
