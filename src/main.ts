// start: config → open db → migrate → (demo data on a new db) → listen.
import { createServer as createHttpServer } from 'node:http';
import { mintDevelopmentToken } from './auth/tokens.js';
import { loadConfig } from './config.js';
import { migrateDatabase, openDatabase } from './db/client.js';
import { DEMO_USERS, isEmptyDatabase, loadDemoWorld } from './demo/world.js';
import { createServer, GRAPHQL_PATH } from './server.js';
import { loadSigningKey } from './services/license-keys.js';

async function main() {
  const config = loadConfig();
  const database = openDatabase({ source: config.databasePath });
  migrateDatabase(database);

  // LIC-7: generated and stored on first start (or taken from THRESHOLD_LICENSE_KEY).
  const signingKey = loadSigningKey(database.db, config.licenseKeyPem);
  const demoLoaded = config.demo && isEmptyDatabase(database.db);
  if (demoLoaded) loadDemoWorld(database.db, new Date(), signingKey);

  const yoga = createServer({
    db: database.db,
    auth: config.auth,
    graphiql: config.graphiql,
    introspection: config.introspection,
    licenseKeyPem: config.licenseKeyPem,
  });
  const server = createHttpServer(yoga);
  server.listen(config.port, config.host, async () => {
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    const url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${config.port}${GRAPHQL_PATH}`;
    console.log(`Threshold is listening: ${url}${config.graphiql ? ' (GraphiQL)' : ''}`);
    console.log(`Database: ${config.databasePath}${demoLoaded ? ' (new: demo world loaded)' : ''}`);
    if (config.demo && config.auth.kind === 'hs256') {
      console.log('\nDevelopment tokens for the demo world (header  Authorization: Bearer <token>):');
      for (const user of DEMO_USERS) {
        const token = await mintDevelopmentToken(config.auth, user.email, user.name);
        console.log(`\n  ${user.email} — ${user.role}\n  ${token}`);
      }
      console.log('\nMore: npm run token -- someone@example.com "Their Name"');
    }
  });

  const stop = () => {
    server.close(() => {
      database.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
