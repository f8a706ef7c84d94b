// A bundled server (`npm run build` → dist/threshold.mjs) refuses to start when src/ or drizzle/ changed
// since it was built: it would migrate the database with the new migrations and then run the old code
// against them. The build stamps a hash of both folders into the bundle; under tsx and vitest there is
// no stamp and nothing to check.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from './paths.js';

/** Set by esbuild's `define` when bundling (src/cli/build.ts); undeclared everywhere else. */
declare const THRESHOLD_SOURCE_HASH: string | undefined;

const STAMPED = ['src', 'drizzle'];

/** A hash of every file under src/ and drizzle/ (names and contents); null where they are not shipped. */
export function sourceHash(): string | null {
  const hash = createHash('sha256');
  for (const folder of STAMPED) {
    const root = packagePath(folder);
    if (!existsSync(root)) return null;
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files) {
      hash.update(file.slice(root.length - folder.length));
      hash.update('\0');
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

/** Throws when this is a bundle built from other sources than the package holds now. */
export function assertBundleCurrent(): void {
  if (typeof THRESHOLD_SOURCE_HASH === 'undefined') return;
  const current = sourceHash();
  if (current !== null && current !== THRESHOLD_SOURCE_HASH) {
    throw new Error(
      'dist/threshold.mjs was built from other sources than src/ and drizzle/ hold now: run npm run build again',
    );
  }
}
