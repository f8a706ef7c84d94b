// ARCHITECTURE "Layout": the import rules of the area folders, checked on the source text so a new file
// cannot quietly break them. Imports are read from `import … from '…'` lines (relative paths only).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const AREAS = ['identity', 'data-sources', 'access', 'licensing', 'projects', 'deliverables', 'organizations'];
/** The shared core: it imports no area (db/sqlite-schema.ts is the Drizzle entry point that lists every area's tables). */
const CORE = ['graphql', 'auth', 'authz', 'audit', 'db', 'errors.ts', 'formats.ts', 'service-context.ts'];
const CORE_EXCEPTIONS = new Set(['db/sqlite-schema.ts']);
/** Foreign keys: the audit tables name the accounts and users an entry concerns (a column, not logic). */
const FOREIGN_KEYS = new Set(['audit/tables.ts → identity/tables.ts']);
/** authz decides over pure rule functions only (ARCHITECTURE "Layout"). */
const AUTHZ_MAY_IMPORT = /^(authz|db|errors\.ts|[a-z-]+\/rules(\.ts|\/))/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** The src-relative targets of a file's relative imports (`.js` specifiers name the `.ts` files). */
function importsOf(file: string, runtimeOnly = false): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)(?:[^'"]*?from)? ?'(\.[^']+)'/gm)) {
    if (runtimeOnly && /^(?:import|export) type\b/.test(match[0])) continue;
    const specifier = match[1] ?? '';
    targets.push(relative(SRC, resolve(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts'));
  }
  return targets;
}

const areaOf = (path: string) => AREAS.find((a) => path === a || path.startsWith(`${a}/`));
const files = sourceFiles(SRC);

describe('layout (ARCHITECTURE.md)', () => {
  it('an area never imports another area’s graphql/', () => {
    const offences = files.flatMap((file) => {
      const area = areaOf(file);
      if (!area) return [];
      return importsOf(file)
        .filter((target) => {
          const other = areaOf(target);
          return other !== undefined && other !== area && target.startsWith(`${other}/graphql/`);
        })
        .map((target) => `${file} → ${target}`);
    });
    expect(offences).toEqual([]);
  });

  it('the shared core imports no area, and authz only their pure rules', () => {
    const core = files.filter((f) => CORE.some((c) => f === c || f.startsWith(`${c}/`)) && !CORE_EXCEPTIONS.has(f));
    expect(core.length).toBeGreaterThan(10);
    const offences = core.flatMap((file) =>
      importsOf(file)
        .filter((target) => (file.startsWith('authz/') ? !AUTHZ_MAY_IMPORT.test(target) : areaOf(target) !== undefined))
        .map((target) => `${file} → ${target}`)
        .filter((offence) => !FOREIGN_KEYS.has(offence)),
    );
    expect(offences).toEqual([]);
  });

  it('no SQL in GraphQL type files (reads live in loaders.ts, writes in use cases)', () => {
    const typeFiles = files.filter((f) => areaOf(f) && f.includes('/graphql/'));
    expect(typeFiles.length).toBeGreaterThan(10);
    const offences = typeFiles.filter((file) =>
      /from 'drizzle-orm'|\.(select|insert|update|delete)\(|\bsql`/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(offences).toEqual([]);
  });

  it('no circles: no module imports itself through others at run time (type-only imports vanish when compiled)', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f, true).filter((t) => files.includes(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('the checks see the imports they are about (a known import is found)', () => {
    expect(importsOf('schema.ts').some((t) => t.startsWith('identity/graphql/'))).toBe(true);
  });
});
