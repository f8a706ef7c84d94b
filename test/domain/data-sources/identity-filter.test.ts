import { describe, expect, it } from 'vitest';
import {
  FilterSyntaxError,
  parseIdentityFilter,
  resolveIdentityFilter,
} from '../../../src/data-sources/rules/identity-filter.js';
import { AppError } from '../../../src/errors.js';

const accounts: Record<string, string> = { 'harbor engineering': 'a1', 'northwind surveying': 'a2' };
const lookup = (name: string) => accounts[name.toLowerCase()];

function failure(text: string): { position: number; message: string } {
  try {
    parseIdentityFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { position: error.position, message: error.message };
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

describe('DS-2 identity filter', () => {
  it('DS-2 parses one term', () => {
    expect(parseIdentityFilter('Organization = "Harbor Engineering"')).toEqual([
      { accountName: 'Harbor Engineering', position: 16 },
    ]);
  });

  it('DS-2 parses terms joined by OR, keywords in any case, spacing free', () => {
    const terms = parseIdentityFilter(
      '  organization="Harbor Engineering"   or ORGANIZATION =  "Northwind Surveying" ',
    );
    expect(terms.map((t) => t.accountName)).toEqual(['Harbor Engineering', 'Northwind Surveying']);
  });

  it('DS-2 supports escaped quotes in names', () => {
    expect(parseIdentityFilter('Organization = "O\\"Brien & Co"')[0]?.accountName).toBe('O"Brien & Co');
  });

  it.each([
    ['', 1, /empty/],
    ['Organisation = "X"', 1, /Organization/],
    ['Organization "X"', 14, /=/],
    ['Organization = X', 16, /quoted/],
    ['Organization = "X', 16, /closing quote/],
    ['Organization = ""', 16, /empty/],
    ['Organization = "X" AND Organization = "Y"', 20, /OR/],
    ['Organization = "X" OR', 22, /Organization/],
    ['Organization = "X" ORganization = "Y"', 20, /OR/],
  ])('DS-2 refuses %j at position %i', (text, position, message) => {
    const f = failure(text);
    expect(f.position).toBe(position);
    expect(f.message).toMatch(message);
  });

  it('DS-2 resolves names to accounts, ignoring case, without duplicates', () => {
    expect(
      resolveIdentityFilter(
        'Organization = "harbor engineering" OR Organization = "Harbor Engineering" OR Organization = "Northwind Surveying"',
        lookup,
        [],
      ),
    ).toEqual(['a1', 'a2']);
  });

  it('DS-2 an unknown account is INVALID_IDENTITY_FILTER pointing at its position', () => {
    try {
      resolveIdentityFilter('Organization = "Harbor Engineering" OR Organization = "Nobody Inc"', lookup, [
        'input',
        'dynamicCreationFilter',
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_IDENTITY_FILTER');
      expect((error as AppError).message).toMatch(/position 55.*Nobody Inc/);
      expect((error as AppError).path).toEqual(['input', 'dynamicCreationFilter']);
    }
  });

  it('DS-2 a syntax error is INVALID_IDENTITY_FILTER with the position', () => {
    expect(() => resolveIdentityFilter('Organization = Harbor', lookup, [])).toThrow(/position 16/);
  });
});
