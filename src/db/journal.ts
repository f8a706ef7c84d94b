// The migrations a build ships, as drizzle-kit's journal of each dialect's folder lists them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const shipped = new Map<string, { idx: number; tag: string; when: number }[]>();

/** The migrations of this build in a drizzle-kit folder, read once per process (/ready asks on every probe). */
export function shippedMigrations(folder: string): { idx: number; tag: string; when: number }[] {
  let entries = shipped.get(folder);
  if (!entries) {
    entries = (
      JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
        entries: { idx: number; tag: string; when: number }[];
      }
    ).entries;
    shipped.set(folder, entries);
  }
  return entries;
}

/** The newest migration of a folder by time, as drizzle's migrators compare them (whatever the journal's order). */
export function newestShippedMigration(folder: string): number {
  return Math.max(0, ...shippedMigrations(folder).map((m) => m.when));
}
