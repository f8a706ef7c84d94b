// Persisted operations only (issue 12, "Operator settings"): with THRESHOLD_PERSISTED_OPERATIONS set to
// a manifest — a JSON object of operation id → GraphQL document — the server runs those documents and
// nothing else. Clients send an id, not a document: `{"documentId": "<id>"}` or Apollo's
// `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<id>"}}}`. `npm run
// persisted-operations` writes such a manifest from schema/examples (ids: the SHA-256 of each document).
// Through yoga's persisted-operations plugin; every document is parsed and validated at start.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { type GraphQLSchema, parse, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export type PersistedOperations = ReadonlyMap<string, string>;

/** The id a manifest gives a document: its SHA-256, hex (what Apollo clients send as sha256Hash). */
export const operationId = (document: string): string => createHash('sha256').update(document).digest('hex');

/** Reads and checks a manifest: every entry a document that parses and is valid against `schema`. */
export function loadPersistedOperations(file: string, schema: GraphQLSchema): PersistedOperations {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `THRESHOLD_PERSISTED_OPERATIONS: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error('THRESHOLD_PERSISTED_OPERATIONS: the manifest must be a JSON object of id → document');
  }
  const operations = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    if (typeof document !== 'string') throw new Error(`THRESHOLD_PERSISTED_OPERATIONS: "${id}" is not a document`);
    let problems: readonly { message: string }[];
    try {
      problems = validate(schema, parse(document));
    } catch (error) {
      problems = [{ message: error instanceof Error ? error.message : String(error) }];
    }
    if (problems.length > 0) {
      throw new Error(`THRESHOLD_PERSISTED_OPERATIONS: "${id}" is not a valid operation: ${problems[0]?.message}`);
    }
    operations.set(id, document);
  }
  if (operations.size === 0) throw new Error('THRESHOLD_PERSISTED_OPERATIONS: the manifest holds no operation');
  return operations;
}

/** Runs the manifest's operations by id and refuses any document sent as text. */
export function usePersistedOperationsOnly(operations: PersistedOperations): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => operations.get(id) ?? null,
    allowArbitraryOperations: false,
    // `documentId` (the GraphQL-over-HTTP draft's name; server.ts lets the parameter through), else
    // Apollo's extensions.persistedQuery.sha256Hash.
    // (yoga's GET parser keeps only its own four parameters: a GET's documentId is read from the URL).
    extractPersistedOperationId: (params, request, context) => {
      const documentId =
        (params as { documentId?: unknown }).documentId ??
        (request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null);
      return typeof documentId === 'string' ? documentId : defaultExtractPersistedOperationId(params, request, context);
    },
    customErrors: {
      notFound: { message: 'no persisted operation has this id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      persistedQueryOnly: {
        message: 'this server runs persisted operations only: send a documentId',
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
      },
      keyNotFound: {
        message: 'this server runs persisted operations only: send a documentId',
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
      },
    },
  }) as Plugin;
}
