// Another process writing to the same database (HIS-7's test): `node --import tsx
// test/helpers/feed-writer.ts <database file | postgres:// URL> <admin email> <account id> <product…>`
// adds one entitlement per product as that admin — each one transaction with its audit entry in the
// account's log — then exits.
import { eq } from 'drizzle-orm';
import { openConfiguredDatabase } from '../../src/db/client.js';
import { one } from '../../src/db/query.js';
import { users } from '../../src/db/schema.js';
import * as identity from '../../src/identity/service.js';

const [file, email, accountId, ...products] = process.argv.slice(2);
if (!file || !email || !accountId)
  throw new Error('usage: feed-writer.ts <file> <admin email> <account id> <product…>');
const postgres = /^postgres(ql)?:\/\//.test(file);
const database = await openConfiguredDatabase({
  databaseUrl: postgres ? file : null,
  databasePath: file,
  databasePoolSize: 2,
});
try {
  const actor = await one(database.db.select().from(users).where(eq(users.email, email)));
  if (!actor) throw new Error(`no user ${email}`);
  for (const productCode of products) {
    await identity.addEntitlement(
      { db: database.db, actor, now: new Date() },
      { accountId, productCode, country: 'US', contractEndDate: '2030-12-31' },
    );
  }
  console.log(JSON.stringify({ wrote: products.length }));
} finally {
  await database.close();
}
