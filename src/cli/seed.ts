// npm run seed: migrates the configured database and loads the demo world if it is empty.
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { isEmptyDatabase, loadDemoWorld } from '../demo/world.js';
import { loadSigningKey } from '../licensing/license-keys.js';

const config = loadConfig();
const database = openDatabase({ source: config.databasePath });
await migrateDatabase(database);
if (await isEmptyDatabase(database.db)) {
  await loadDemoWorld(database.db, new Date(), await loadSigningKey(database.db, config.licenseKeyPem));
  console.log(`demo world loaded into ${config.databasePath}`);
} else {
  console.log(`${config.databasePath} already has data: nothing loaded`);
}
await database.close();
