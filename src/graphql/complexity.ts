// Connection-aware query cost. graphql-armor's cost limit counts fields once whatever the page size;
// here a connection field costs its page size (first/last, default 50) times what each item selects,
// so `members(first: 500) { … }` is priced for the 500 items it may return.
import { GraphQLError, getNamedType, isObjectType } from 'graphql';
import { type ComplexityEstimator, createComplexityRule, simpleEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from './builder.js';

const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNamedType(field.type);
  if (!isObjectType(type) || !type.name.endsWith('Connection') || !('edges' in type.getFields())) return undefined;
  const page = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  return 1 + Math.max(page, 1) * childComplexity;
};

export function useConnectionCost(maximumComplexity: number): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      const params = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } }).params;
      addValidationRule(
        createComplexityRule({
          maximumComplexity,
          variables: params?.variables ?? {},
          ...(params?.operationName ? { operationName: params.operationName } : {}),
          estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
          createError: (max, actual) =>
            new GraphQLError(
              `query cost ${actual} exceeds the limit of ${max}: ask for smaller pages (first/last) or fewer fields`,
              { extensions: { code: 'QUERY_TOO_COMPLEX' } },
            ),
        }),
      );
    },
  };
}
