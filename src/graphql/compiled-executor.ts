// Issue 11: queries compiled once per document (graphql-jit, through envelop's plugin) instead of
// interpreted on every request — pages of 500 run in about half the time (docs/benchmarks.md). It
// builds each result object in the order its fields were selected, as the GraphQL spec says (the
// executor yoga bundles, @graphql-tools/executor — pinned in package.json `overrides` because its newer
// releases need Node 22 — did not).
//
// graphql-jit reports errors with its own GraphQLError whose `extensions` are fixed at creation (and
// absent unless the original error had some). The masking step (mask-errors.ts) gives each caller's
// error its code on the same object — yoga logs every error its mask replaces as a server fault — so
// errors leave the executor as upstream GraphQLErrors, with the same message, path, locations and
// original error.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** An upstream GraphQLError for one of graphql-jit's (an upstream one is returned as it is). */
function upstream(error: GraphQLError): GraphQLError {
  if (Object.getOwnPropertyDescriptor(error, 'extensions')?.writable) return error;
  const copy = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: { ...error.extensions } } : {}),
  });
  if (error.locations) (copy as { locations?: unknown }).locations = error.locations;
  return copy;
}

export function useCompiledExecutor(): Plugin[] {
  return [
    useGraphQlJit() as Plugin,
    {
      onExecute() {
        return {
          onExecuteDone({ result, setResult }) {
            if (!('errors' in result) || !result.errors?.length) return;
            setResult({
              ...result,
              errors: result.errors.map((e) => (e instanceof GraphQLError ? upstream(e) : e)),
            });
          },
        };
      },
    },
  ];
}
