// npm run schema:print: writes the SDL to schema/schema.graphql and Apollo's possibleTypes to
// schema/possible-types.json (a test fails when either drifts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedPossibleTypes } from '../graphql/possible-types.js';
import { packagePath } from '../paths.js';
import { printedSchema } from '../schema.js';

const schemaDir = packagePath('schema');
const outputs: [file: string, text: string][] = [
  ['schema.graphql', printedSchema()],
  ['possible-types.json', printedPossibleTypes()],
];
for (const [file, text] of outputs) {
  const target = join(schemaDir, file);
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
