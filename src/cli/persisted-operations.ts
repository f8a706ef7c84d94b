// npm run persisted-operations -- <manifest.json>: every operation of schema/examples as a manifest for
// THRESHOLD_PERSISTED_OPERATIONS (id: the SHA-256 of the document), printed with each id and file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { operationId } from '../ops/persisted-operations.js';
import { packagePath } from '../paths.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: npm run persisted-operations -- <manifest.json>');
  process.exit(2);
}
const dir = packagePath('schema', 'examples');
const manifest: Record<string, string> = {};
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.graphql'))
  .sort()) {
  const document = readFileSync(`${dir}/${file}`, 'utf8');
  const id = operationId(document);
  manifest[id] = document;
  console.log(`${id}  ${file}`);
}
writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${Object.keys(manifest).length} operations to ${out}`);
