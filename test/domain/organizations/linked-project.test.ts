import { describe, expect, it } from 'vitest';
import { accountTag, linkedProjectNumber } from '../../../src/organizations/rules/linked-project.js';

describe('EXT-2 the linked project’s number', () => {
  it('EXT-2 <inviting number>-<first three ASCII letters or digits of the account name, upper-case>', () => {
    expect(linkedProjectNumber('HB-1012', 'Northwind Surveying', [])).toBe('HB-1012-NOR');
    expect(accountTag('3D scan & co')).toBe('3DS');
    expect(accountTag('  é-Ka')).toBe('KA'); // non-ASCII letters do not count; fewer than three is what there is
  });

  it('EXT-2 ORG when the name has no ASCII letter or digit', () => {
    expect(accountTag('Éé — ü')).toBe('ORG');
    expect(linkedProjectNumber('P-1', 'Ёлка ✓', [])).toBe('P-1-ORG');
  });

  it('EXT-2 the inviting number is cut so that the whole fits 40 characters (40 fits, 41 is cut)', () => {
    const fits = 'N'.repeat(36); // 36 + "-NOR" = 40
    expect(linkedProjectNumber(fits, 'Northwind', [])).toBe(`${fits}-NOR`);
    const long = 'N'.repeat(37);
    const number = linkedProjectNumber(long, 'Northwind', []);
    expect(number).toBe(`${'N'.repeat(36)}-NOR`);
    expect([...number]).toHaveLength(40);
  });

  it('EXT-2 -2, -3, … while the number is taken (ignoring case), still within 40 characters', () => {
    expect(linkedProjectNumber('HB-1012', 'Northwind', ['hb-1012-nor'])).toBe('HB-1012-NOR-2');
    expect(linkedProjectNumber('HB-1012', 'Northwind', ['HB-1012-NOR', 'HB-1012-NOR-2'])).toBe('HB-1012-NOR-3');
    const long = 'N'.repeat(40);
    const second = linkedProjectNumber(long, 'Northwind', [`${'N'.repeat(36)}-NOR`]);
    expect(second).toBe(`${'N'.repeat(34)}-NOR-2`);
    expect([...second]).toHaveLength(40);
  });
});
