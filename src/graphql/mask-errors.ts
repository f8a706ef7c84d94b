// Yoga's error masking, plus three rules: an access failure keeps its UNAUTHENTICATED / FORBIDDEN code;
// a write the database was too busy for answers SERVICE_BUSY (nothing was written);
// and input that Pothos refuses while decoding it (a malformed or
// foreign global id, a bad cursor) is the caller's mistake, so it answers BAD_USER_INPUT like every
// other structural input failure instead of a bare message without `extensions.code`.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { AccessDenied, ServiceBusy } from '../errors.js';

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  // An access failure (domain AccessDenied) is the caller's answer, not a fault: its code, unmasked.
  if (error instanceof GraphQLError && error.originalError instanceof AccessDenied) {
    (error.extensions as Record<string, unknown>).code = error.originalError.code;
    return error;
  }
  // The database was too busy to run a write (nothing written): the caller may try again.
  if (error instanceof GraphQLError && error.originalError instanceof ServiceBusy) {
    (error.extensions as Record<string, unknown>).code = error.originalError.code;
    return error;
  }
  if (error instanceof GraphQLError && error.originalError instanceof PothosValidationError) {
    // The same error object, code added: yoga logs every error its mask replaces as a server fault,
    // and this one is the caller's.
    (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
    return error;
  }
  // A request GraphQL itself refused (bad variables, a document over armor's limits) is the caller's
  // mistake too: give it a code so clients can tell it from a fault.
  if (error instanceof GraphQLError && error.extensions.code === undefined) {
    // Variable coercion (graphql-js wraps the scalar's own parse error; its text is the caller's input).
    if (error.message.startsWith('Variable "$')) {
      (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
      return error;
    }
    if (!error.originalError) {
      (error.extensions as Record<string, unknown>).code = error.message.startsWith('Syntax Error')
        ? 'GRAPHQL_PARSE_FAILED'
        : 'GRAPHQL_VALIDATION_FAILED';
      return error;
    }
  }
  return yogaMaskError(error, message, isDev);
}
