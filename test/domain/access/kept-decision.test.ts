// HIS-1: the kept form of a decision — placeholders for what §9 may hide, the real names beside them,
// content-addressed — and its rendering for a reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/access/rules/access.js';
import {
  HIDDEN_NAMES,
  type KeptVisibility,
  keepDecision,
  placeholder,
  renderKeptDecision,
} from '../../../src/access/rules/kept-decision.js';

const ALL: KeptVisibility = { dataSource: true, person: true, login: true, project: true };
const NONE: KeptVisibility = { dataSource: false, person: false, login: false, project: false };

const steps: Step[] = [
  { rule: 'ACC-1', outcome: 'PASSED', detail: `IMS authentication is enabled on "${placeholder('dataSource')}".` },
  {
    rule: 'ACC-2',
    outcome: 'PASSED',
    detail: `Data-source user "${placeholder('login')}" has the identity ${placeholder('email')}.`,
  },
  { rule: 'ACC-3', outcome: 'PASSED', detail: `The caller is a member of the owner account ${placeholder('owner')}.` },
  { rule: 'LIC-1.2', outcome: 'APPLIED', detail: `billed to the licensing owner ${placeholder('licensingOwner')}.` },
  {
    rule: 'EXT-5',
    outcome: 'SKIPPED',
    detail: `project ${placeholder('projectNumber')} "${placeholder('projectName')}"`,
  },
  { rule: 'LIC-1.5', outcome: 'FAILED', detail: 'No license source applies.' },
  { rule: 'LIC-1.2', outcome: 'IGNORED', detail: 'ignored.' },
];
const names = {
  dataSource: 'Harbor Projects',
  login: 'dnorth',
  email: 'dave@northwind.example',
  owner: 'Harbor Engineering',
  licensingOwner: 'Northwind Surveying',
  projectNumber: 'HB-1',
  projectName: 'Bridge',
};

describe('HIS-1 kept decisions', () => {
  it('HIS-1 a reader who may read everything gets the steps with the real names, outcomes intact', () => {
    const kept = keepDecision(steps, names);
    expect(renderKeptDecision(kept.body, ALL)).toEqual([
      { rule: 'ACC-1', outcome: 'PASSED', detail: 'IMS authentication is enabled on "Harbor Projects".' },
      {
        rule: 'ACC-2',
        outcome: 'PASSED',
        detail: 'Data-source user "dnorth" has the identity dave@northwind.example.',
      },
      { rule: 'ACC-3', outcome: 'PASSED', detail: 'The caller is a member of the owner account Harbor Engineering.' },
      { rule: 'LIC-1.2', outcome: 'APPLIED', detail: 'billed to the licensing owner Northwind Surveying.' },
      { rule: 'EXT-5', outcome: 'SKIPPED', detail: 'project HB-1 "Bridge"' },
      { rule: 'LIC-1.5', outcome: 'FAILED', detail: 'No license source applies.' },
      { rule: 'LIC-1.2', outcome: 'IGNORED', detail: 'ignored.' },
    ]);
  });

  it('HIS-1 each kind of name is hidden on its own, by the label explainAccess uses', () => {
    const { body } = keepDecision(steps, names);
    const text = (visibility: Partial<KeptVisibility>) =>
      renderKeptDecision(body, { ...ALL, ...visibility })
        .map((s) => s.detail)
        .join(' | ');
    const noDataSource = text({ dataSource: false });
    expect(noDataSource).toContain('"this data source"');
    expect(noDataSource).toContain("the data source's owner account");
    expect(noDataSource).toContain('its licensing owner account');
    expect(noDataSource).toContain('dave@northwind.example');
    expect(noDataSource).toContain('HB-1');
    const noPerson = text({ person: false });
    expect(noPerson).not.toContain('dave@northwind.example');
    // The login names the person too: hidden with them, even where the reader could read it.
    expect(noPerson).not.toContain('dnorth');
    expect(noPerson).toContain('Harbor Projects');
    const noLogin = text({ login: false });
    expect(noLogin).not.toContain('dnorth');
    expect(noLogin).toContain('dave@northwind.example');
    const noProject = text({ project: false });
    expect(noProject).not.toContain('HB-1');
    expect(noProject).not.toContain('Bridge');
    expect(noProject).toContain('Harbor Projects');
    const nothing = text(NONE);
    for (const value of Object.values(names)) expect(nothing).not.toContain(value);
  });

  it('HIS-1 equal decisions have equal ids; any difference in steps or names gives another', () => {
    const a = keepDecision(steps, names);
    expect(keepDecision(steps, { ...names }).id).toBe(a.id);
    expect(keepDecision(steps, { ...names, email: 'erin@northwind.example' }).id).not.toBe(a.id);
    expect(keepDecision(steps.slice(1), names).id).not.toBe(a.id);
    expect(keepDecision([{ ...(steps[0] as Step), outcome: 'FAILED' }, ...steps.slice(1)], names).id).not.toBe(a.id);
    // A name the steps do not use is not kept (and does not change the id).
    const noProjectSteps = steps.filter((s) => s.rule !== 'EXT-5');
    expect(keepDecision(noProjectSteps, names).body).not.toContain('HB-1');
    expect(keepDecision(noProjectSteps, names).id).toBe(
      keepDecision(noProjectSteps, { ...names, projectNumber: 'other' }).id,
    );
  });

  it('HIS-1 any names round-trip: shown exactly, hidden entirely (property)', () => {
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(HIDDEN_NAMES.map((n) => [n, fc.string({ minLength: 1 })]))),
        (random) => {
          const values = random as Record<(typeof HIDDEN_NAMES)[number], string>;
          const one = HIDDEN_NAMES.map((n) => `[${placeholder(n)}]`).join(' ');
          const { body } = keepDecision([{ rule: 'X-1', outcome: 'PASSED', detail: one }], values);
          expect(renderKeptDecision(body, ALL)[0]?.detail).toBe(HIDDEN_NAMES.map((n) => `[${values[n]}]`).join(' '));
          expect(renderKeptDecision(body, NONE)[0]?.detail).not.toContain('\u0000');
        },
      ),
    );
  });

  it('HIS-1 a kept step with an unknown outcome is a fault, not a guess', () => {
    const body = JSON.stringify({ s: [['ACC-1', 'Z', 'x']], n: {} });
    expect(() => renderKeptDecision(body, ALL)).toThrow(/unknown step outcome/);
  });
});
