// LIC-4: an account is charged at most once per user, product and calendar quarter (UTC).

/** The calendar quarter of an instant, as "2026-Q2" (UTC). */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}
