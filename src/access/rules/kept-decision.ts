// HIS-1 (issue 15): every usage record keeps the decision that produced it, so "why were we billed for
// this user?" is answered months later exactly as explainAccess (or explainProjectAccess) answered at
// that moment. Pure: what is kept, how it is addressed, and how it is shown to a reader.
//
// §9 applies to the reader, not to whoever signed in: the steps are kept with placeholders where they
// name something a reader may not be allowed to see (the data source and the accounts it answers to,
// the person, their data-source login, the project), and the real names beside them. Rendering puts
// each name back, or a neutral label, by what the reader may read when they read it.
import { createHash } from 'node:crypto';
import type { Step, StepOutcome } from './access.js';

/** The names a kept decision may hide from a reader, each behind a placeholder in the steps. */
export const HIDDEN_NAMES = [
  'dataSource',
  'owner',
  'licensingOwner',
  'email',
  'login',
  'machine',
  'projectNumber',
  'projectName',
] as const;
export type HiddenName = (typeof HIDDEN_NAMES)[number];

/** A kept detail split at NUL: text and placeholder names alternate (names at odd positions). */
const DELIMITER = '\u0000';

/**
 * The placeholder standing for a name in a kept step. NUL cannot occur in any stored text (it is refused
 * at the edge, src/graphql/text-input.ts, and PostgreSQL cannot store it), so no real name can be
 * mistaken for a placeholder; JSON keeps it as the six characters `\u0000`.
 */
export function placeholder(name: HiddenName): string {
  return `${DELIMITER}${name}${DELIMITER}`;
}

/** What a reader may see of a kept decision: each kind of name, shown or replaced by its label. */
export interface KeptVisibility {
  /** §9 dataSource.read: the data source's name and the accounts it answers to. */
  dataSource: boolean;
  /** LIC-3: the person — their email and machine — (not for a licensing owner that does not own the data source). */
  person: boolean;
  /** §9 dataSourceUser.read: their login on the data source (its owner's admins). */
  login: boolean;
  /** §9 project.read: the project's number and name. */
  project: boolean;
}

/** The neutral labels, the same explainAccess uses for a data source its caller may not read. */
const LABELS: Record<HiddenName, string> = {
  dataSource: 'this data source',
  owner: "the data source's owner account",
  licensingOwner: 'its licensing owner account',
  email: 'the user',
  login: '(hidden)',
  machine: 'their machine',
  projectNumber: '(hidden)',
  projectName: '(hidden)',
};

function shown(name: HiddenName, visibility: KeptVisibility): boolean {
  switch (name) {
    case 'dataSource':
    case 'owner':
    case 'licensingOwner':
      return visibility.dataSource;
    case 'email':
    case 'machine':
      return visibility.person;
    case 'login':
      return visibility.login && visibility.person;
    case 'projectNumber':
    case 'projectName':
      return visibility.project;
  }
}

const OUTCOME_CODES: Record<StepOutcome, string> = {
  PASSED: 'P',
  FAILED: 'F',
  SKIPPED: 'S',
  IGNORED: 'I',
  APPLIED: 'A',
};
const OUTCOMES_BY_CODE = new Map(
  Object.entries(OUTCOME_CODES).map(([outcome, code]) => [code, outcome as StepOutcome]),
);

/** The stored form: steps as [rule, outcome code, detail with placeholders], and the hidden names. */
interface KeptBody {
  s: [string, string, string][];
  n: Partial<Record<HiddenName, string>>;
}

export interface KeptDecision {
  /** The body's SHA-256 (base64url): identical decisions are stored once. */
  id: string;
  body: string;
}

/** HIS-1: the kept form of a decision whose steps were made with `placeholder(...)` for `names`. */
export function keepDecision(steps: readonly Step[], names: Partial<Record<HiddenName, string | null>>): KeptDecision {
  const n: KeptBody['n'] = {};
  // Only the names the steps use, in a fixed order, so equal decisions have equal bodies.
  for (const name of HIDDEN_NAMES) {
    const value = names[name];
    if (value != null && steps.some((step) => step.detail.includes(placeholder(name)))) n[name] = value;
  }
  const body = JSON.stringify({
    s: steps.map((step) => [step.rule, OUTCOME_CODES[step.outcome], step.detail]),
    n,
  } satisfies KeptBody);
  return { id: createHash('sha256').update(body).digest('base64url'), body };
}

function outcomeOf(code: string): StepOutcome {
  const outcome = OUTCOMES_BY_CODE.get(code);
  if (!outcome) throw new Error(`a kept decision with an unknown step outcome "${code}"`);
  return outcome;
}

/** A kept decision read back: parse it once (renderKept may then run for many readers). */
export type ParsedKept = KeptBody;

export function parseKept(body: string): ParsedKept {
  return JSON.parse(body) as KeptBody;
}

/** HIS-1: a kept decision's steps as `visibility` lets its reader see them. */
export function renderKept(kept: ParsedKept, visibility: KeptVisibility): Step[] {
  return kept.s.map(([rule, code, detail]) => ({
    rule,
    outcome: outcomeOf(code),
    detail: detail
      .split(DELIMITER)
      .map((part, i) => {
        if (i % 2 === 0) return part;
        const name = part as HiddenName;
        return shown(name, visibility) ? (kept.n[name] ?? LABELS[name]) : LABELS[name];
      })
      .join(''),
  }));
}

/** HIS-1: the steps of a kept decision's stored body, as `visibility` lets its reader see them. */
export function renderKeptDecision(body: string, visibility: KeptVisibility): Step[] {
  return renderKept(parseKept(body), visibility);
}
