// Where the package's own files are (migrations in drizzle/, example operations in schema/examples/),
// found from this module's location: it runs from src/ (tsx, vitest) or bundled into dist/
// (`npm run build`), so the root is the nearest folder above it that holds package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRootAbove(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = packageRootAbove(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('drizzle')`. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
