// Connection-aware query cost. graphql-armor's cost limit counts fields once whatever the page size;
// here a connection field costs its page size (first/last, default 50) times what each item selects,
// so `members(first: 500) { … }` is priced for the 500 items it may return — and `nodes(ids:)` for
// as many objects as it is given ids.
//
// Priced at execution, with each request's own variables — never as a validation rule: yoga caches
// validation results per document text, so a rule reading variables would let one caller's variables
// (or their bad input) decide the answer for every later request of the same text (ARCHITECTURE,
// "Known pitfalls").
import {
  type DocumentNode,
  GraphQLError,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.js';

const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNamedType(field.type);
  if (!isObjectType(type) || !type.name.endsWith('Connection') || !('edges' in type.getFields())) return undefined;
  const page = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  return 1 + Math.max(Number.isFinite(page) ? page : DEFAULT_PAGE_SIZE, 1) * childComplexity;
};

/** `nodes(ids:)` answers one object per id: priced like a page of that many items. */
const listByIdsEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const ids = args.ids;
  // More than MAX_PAGE_SIZE ids is refused by validation (BAD_USER_INPUT), so price at most that many.
  return Array.isArray(ids) ? 1 + Math.min(Math.max(ids.length, 1), MAX_PAGE_SIZE) * childComplexity : undefined;
};

const estimators = [connectionEstimator, listByIdsEstimator, simpleEstimator({ defaultComplexity: 1 })];

/** The cost of one operation with these variables, or null when the variables do not coerce (the
 *  executor then answers with GraphQL's own variable error, for this request only). */
function queryCost(args: {
  schema: Parameters<typeof getComplexity>[0]['schema'];
  document: Parameters<typeof getComplexity>[0]['query'];
  variables: Record<string, unknown> | null | undefined;
  operationName: string | null | undefined;
}): number | null {
  try {
    return getComplexity({
      schema: args.schema,
      query: args.document,
      variables: args.variables ?? {},
      ...(args.operationName ? { operationName: args.operationName } : {}),
      estimators,
    });
  } catch {
    return null;
  }
}

/**
 * Issue 11: pricing walks the whole document (with the schema) on every request — a twelfth of a
 * sign-in's CPU. The cost depends only on the document, the operation and the values of the variables
 * the document declares; yoga's parser cache hands out the same DocumentNode for the same text. So
 * costs are remembered in one bounded cache (entries and bytes of keys), keyed by the document's
 * number, the operation and its declared variables only — undeclared ones cannot bloat it — and
 * never for large variable sets (a bulk checkout's CSV is not worth keeping).
 */
const documentNumbers = new WeakMap<DocumentNode, number>();
let documentsSeen = 0;
const MAX_REMEMBERED_VARIABLES = 2048;
const costs = new LRUCache<string, { cost: number | null }>({
  max: 20_000,
  maxSize: 8 * 1024 * 1024,
  sizeCalculation: (_value, key) => key.length + 16,
});

function declaredVariables(document: DocumentNode, operationName: string | null | undefined): string[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  return (operation?.variableDefinitions ?? []).map((v) => v.variable.name.value);
}

function rememberedCost(args: Parameters<typeof queryCost>[0]): number | null {
  let number = documentNumbers.get(args.document);
  if (number === undefined) {
    documentsSeen += 1;
    number = documentsSeen;
    documentNumbers.set(args.document, number);
  }
  const variables = args.variables ?? {};
  // A missing variable (its default applies) and an explicit null are told apart: [] against [null].
  const declared = declaredVariables(args.document, args.operationName).map((name) => [
    name,
    name in variables ? [variables[name]] : [],
  ]);
  const key = `${number}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(declared)}`;
  if (key.length > MAX_REMEMBERED_VARIABLES) return queryCost(args);
  const known = costs.get(key);
  if (known) return known.cost;
  const cost = queryCost(args);
  costs.set(key, { cost });
  return cost;
}

export function useConnectionCost(maximumComplexity: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = rememberedCost({
        schema: args.schema,
        document: args.document,
        variables: args.variableValues as Record<string, unknown> | undefined,
        operationName: args.operationName,
      });
      if (cost !== null && cost > maximumComplexity) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `query cost ${cost} exceeds the limit of ${maximumComplexity}: ask for smaller pages (first/last) or fewer fields`,
              { extensions: { code: 'QUERY_TOO_COMPLEX' } },
            ),
          ],
        });
      }
    },
  };
}
