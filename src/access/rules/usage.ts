// LIC-4: an account is charged at most once per user, product and calendar quarter (UTC).

/** The calendar quarter of an instant, as "2026-Q2" (UTC). */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

/** What a usage record (LIC-2) names: a sign-in to a data source, or the opening of a project (EXT-5). */
export const USAGE_KINDS = ['DATA_SOURCE_SIGN_IN', 'PROJECT_OPEN'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/**
 * LIC-3 (HIS-1, HIS-2): the billed account may not know who used it when it paid as the licensing owner
 * of a data source it does not own — it reads the data source, never its users. The usage queries spell
 * the same rule in SQL (use-cases/usage.ts personHiddenSql).
 */
export function personKeptFromBilled(
  licenseSource: string | null,
  billedAccountId: string | null,
  ownerAccountId: string | null,
): boolean {
  return licenseSource === 'DATASOURCE_OWNER' && billedAccountId !== null && billedAccountId !== ownerAccountId;
}
