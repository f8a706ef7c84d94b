// EXT-2: the number of the linked project an accepted invitation creates — "<inviting number>-<first
// three ASCII letters or digits of the invited account's name, upper-case; ORG if none>", the inviting
// number cut so that the whole fits 40 characters, and -2, -3, … appended while the number is taken in
// the invited account (compared as PRJ-1 compares numbers: trimmed, ignoring case).
import { PROJECT_NUMBER_MAX_LENGTH, projectNumberKey } from '../../projects/rules/settings.js';

/** EXT-2: up to three ASCII letters or digits of the account name, upper-case; `ORG` when it has none. */
export function accountTag(accountName: string): string {
  const tag = (accountName.match(/[A-Za-z0-9]/g) ?? []).slice(0, 3).join('').toUpperCase();
  return tag === '' ? 'ORG' : tag;
}

/** Cuts `text` to at most `max` characters (code points, as PRJ-1 counts them). */
function cut(text: string, max: number): string {
  return [...text].slice(0, Math.max(0, max)).join('');
}

/**
 * EXT-2: the first free number. Decision: when a counter is needed, the inviting number is cut further
 * so that the counter fits too (the whole always fits 40 characters); trailing spaces or dashes left by
 * a cut are kept as they are (the number is the inviting one's prefix, character for character).
 */
export function linkedProjectNumber(
  invitingNumber: string,
  invitedAccountName: string,
  taken: readonly string[],
): string {
  const suffix = `-${accountTag(invitedAccountName)}`;
  const takenKeys = new Set(taken.map(projectNumberKey));
  const base = invitingNumber.trim();
  for (let n = 1; ; n += 1) {
    const counter = n === 1 ? '' : `-${n}`;
    const number = `${cut(base, PROJECT_NUMBER_MAX_LENGTH - suffix.length - counter.length)}${suffix}${counter}`;
    if (!takenKeys.has(projectNumberKey(number))) return number;
  }
}
