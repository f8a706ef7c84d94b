// npm run build: the server as one JavaScript file, dist/threshold.mjs, for `npm run serve` (production).
//
// `npm start` runs the TypeScript through tsx's loader, which resolves and compiles each of the ~150
// modules of src/ on every start (about 1.8 s to a first answer, measured by `npm run bench`); the
// bundle starts in about half that (issue 11: startup ≤ 1.5 s). esbuild (which tsx itself uses) only
// strips types and joins src/ into one module: packages stay imports from node_modules, and paths to
// drizzle/ and schema/ are found from the package root (src/paths.ts), so the bundle must stay in dist/.
import { build } from 'esbuild';
import { sourceHash } from '../build-stamp.js';
import { packagePath } from '../paths.js';

export const BUNDLE = packagePath('dist', 'threshold.mjs');

const started = performance.now();
const result = await build({
  entryPoints: [packagePath('src', 'main.ts')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // One line per source file (`// src/db/client.ts`) keeps stack traces readable without source maps.
  legalComments: 'none',
  // The bundle refuses to start once src/ or drizzle/ change without a new build (src/build-stamp.ts).
  define: { THRESHOLD_SOURCE_HASH: JSON.stringify(sourceHash()) },
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(
  `wrote ${BUNDLE} (${Math.round(bytes / 1024)} KiB, ${Object.keys(result.metafile.inputs).length} modules) in ${Math.round(performance.now() - started)} ms`,
);
