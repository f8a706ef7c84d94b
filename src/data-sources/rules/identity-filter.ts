// DS-2 identity filter: `Organization = "<account name>"` terms joined by OR, keywords
// case-insensitive. A hand-written recursive-descent parser: the grammar is four tokens long, and the
// errors must point at a position in the product's own words, which a parser generator would not
// make simpler.
import { AppError } from '../../errors.js';

export interface FilterTerm {
  accountName: string;
  /** 1-based column where the quoted name starts (for error messages). */
  position: number;
}

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Parses a filter into its terms; throws FilterSyntaxError with a 1-based position. */
export function parseIdentityFilter(text: string): FilterTerm[] {
  let i = 0;
  const at = () => i + 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  };
  const keyword = (word: string): boolean => {
    skipSpace();
    const slice = text.slice(i, i + word.length);
    const next = text.charAt(i + word.length);
    if (slice.toLowerCase() === word.toLowerCase() && !/[A-Za-z0-9_]/.test(next)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const quoted = (): FilterTerm => {
    skipSpace();
    if (text.charAt(i) !== '"')
      throw new FilterSyntaxError('expected a quoted account name like "Harbor Engineering"', at());
    const position = at();
    i += 1;
    let name = '';
    while (i < text.length && text.charAt(i) !== '"') {
      if (text.charAt(i) === '\\' && i + 1 < text.length) i += 1;
      name += text.charAt(i);
      i += 1;
    }
    if (i >= text.length) throw new FilterSyntaxError('the account name is missing its closing quote', position);
    i += 1;
    if (name.trim() === '') throw new FilterSyntaxError('the account name is empty', position);
    return { accountName: name.trim(), position };
  };
  const term = (): FilterTerm => {
    skipSpace();
    if (!keyword('Organization')) throw new FilterSyntaxError('expected Organization', at());
    skipSpace();
    if (text.charAt(i) !== '=') throw new FilterSyntaxError('expected "=" after Organization', at());
    i += 1;
    return quoted();
  };

  skipSpace();
  if (i >= text.length) throw new FilterSyntaxError('the filter is empty (set it to null to remove it)', 1);
  const terms = [term()];
  for (;;) {
    skipSpace();
    if (i >= text.length) break;
    if (!keyword('OR')) throw new FilterSyntaxError('expected OR between terms, or the end of the filter', at());
    terms.push(term());
  }
  return terms;
}

/** The account names a filter refers to (none when it does not parse: resolving it reports why). */
export function identityFilterAccountNames(text: string): string[] {
  try {
    return parseIdentityFilter(text).map((t) => t.accountName);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return [];
    throw error;
  }
}

/**
 * DS-2: parses and resolves a filter against the known accounts (`accountIdByName` looks a name up,
 * ignoring case). Throws INVALID_IDENTITY_FILTER with the position of the first problem.
 */
export function resolveIdentityFilter(
  text: string,
  accountIdByName: (name: string) => string | undefined,
  path: string[],
): string[] {
  let terms: FilterTerm[];
  try {
    terms = parseIdentityFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      throw new AppError(
        'INVALID_IDENTITY_FILTER',
        `identity filter, position ${error.position}: ${error.message}`,
        path,
      );
    }
    throw error;
  }
  const ids: string[] = [];
  for (const t of terms) {
    const id = accountIdByName(t.accountName);
    if (!id) {
      throw new AppError(
        'INVALID_IDENTITY_FILTER',
        `identity filter, position ${t.position}: no account is named "${t.accountName}"`,
        path,
      );
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
