// npm run schema:print: writes the SDL to schema/schema.graphql (a test fails when it drifts).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../graphql/schema.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema', 'schema.graphql');
writeFileSync(target, printedSchema());
console.log(`wrote ${target}`);
