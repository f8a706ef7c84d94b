// Text a client sends may not contain the NUL character (U+0000): PostgreSQL cannot store it in a text
// column at all (issue 13), and no name, email, login or filter of this domain has a use for it. Refused
// here, for both databases alike, before anything runs: a BAD_USER_INPUT error, nothing written.
// (Neither graphql-js nor graphql-armor has such a rule; the check is one walk of the variables and
// of the document's string literals.)

import { type DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}

function literalContainsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

export function useNoNulInText(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (containsNul(args.variableValues) || literalContainsNul(args.document)) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError('text may not contain the NUL character (U+0000)', {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ],
        });
      }
    },
  };
}
