// Issue 13: which SQL dialect this process speaks — SQLite (the embedded default) or PostgreSQL. A process
// opens one kind of database: the first open decides (openDatabase, openPostgresDatabase), and the
// tables services name (src/db/schema.ts) and the few dialect-specific fragments (`dialectSql`) follow
// it when a statement is built.
import type { SQL, SQLWrapper } from 'drizzle-orm';

export type Dialect = 'sqlite' | 'postgresql';

let active: Dialect | null = null;

/** The dialect of this process's database (SQLite until a PostgreSQL database is opened). */
export function currentDialect(): Dialect {
  return active ?? 'sqlite';
}

/** Called by the functions that open a database: a process speaks one dialect. */
export function useDialect(dialect: Dialect): void {
  if (active !== null && active !== dialect) {
    throw new Error(`this process already uses ${active}: one process opens databases of one dialect only`);
  }
  active = dialect;
}

/**
 * A fragment written once per dialect, chosen when the statement is built (so a module-level constant
 * follows the database opened later).
 */
export function dialectSql(forms: Record<Dialect, () => SQL>): SQLWrapper {
  // Drizzle puts a wrapper's SQL in parentheses unless it says not to: the fragment is given as written.
  return { getSQL: () => forms[currentDialect()](), shouldOmitSQLParens: () => true } as SQLWrapper;
}
