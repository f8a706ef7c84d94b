// npm run verify-license -- <license-file> [--public-key <pem-file>]
// Verifies a license file offline, with only the server's public key (from the licenseSigningKey
// query, saved as a PEM file). Without --public-key it uses the key of the local development server.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { loadSigningKey } from '../licensing/license-keys.js';
import { verifyLicenseFile } from '../licensing/rules/license-file.js';

async function localPublicKey(): Promise<string> {
  const config = loadConfig();
  const database = openDatabase({ source: config.databasePath });
  try {
    await migrateDatabase(database);
    return (await loadSigningKey(database.db, config.licenseKeyPem)).publicKeyPem;
  } finally {
    await database.close();
  }
}

const usage = 'usage: npm run -s verify-license -- <license-file> [--public-key <pem-file>]';
let file: string | undefined;
let keyFile: string | undefined;
try {
  const { values, positionals } = parseArgs({ options: { 'public-key': { type: 'string' } }, allowPositionals: true });
  [file] = positionals;
  keyFile = values['public-key'];
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (!file) {
  console.error(usage);
  process.exit(2);
}
try {
  const publicKey = keyFile ? readFileSync(keyFile, 'utf8') : await localPublicKey();
  const result = verifyLicenseFile(readFileSync(file, 'utf8'), publicKey);
  if (!result.ok) {
    console.error(`NOT VALID (${result.code}): ${result.reason}`);
    process.exit(1);
  }
  const l = result.license;
  console.log(`VALID license ${l.checkoutId}`);
  console.log(`  issued by ${l.issuer.name} to ${l.email} for machine ${l.machineName}`);
  console.log(`  products  ${l.products.map((p) => `${p.product} ${p.version}`).join(', ')} (${l.entitlementCountry})`);
  console.log(`  valid     ${l.issuedAt} → ${l.expiresAt}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
