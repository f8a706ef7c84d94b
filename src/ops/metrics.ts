// Prometheus metrics at /metrics (issue 12, "Observability"), through yoga's Prometheus plugin and
// prom-client, in a registry of the server's own (a test process runs many servers).
//
// Every label has a bounded set of values, whatever clients send: operations are labelled by their type
// and first root field (a schema field, not the client's operation name, which could be anything),
// errors by their code, HTTP durations by method and status (never the URL: a GET carries variables).

import type { FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { RequestReport } from './request-log.js';

export const METRICS_PATH = '/metrics';

/** Per parsed document (yoga caches documents: one object per text) and operation name. */
const rootFields = new WeakMap<DocumentNode, Map<string | undefined, string>>();

/**
 * The first root field an operation selects, or "unknown". The counter and the histogram both ask for
 * every request: it is worked out once per document and operation name.
 */
function rootFieldOf(params: FillLabelsFnParams): string {
  const { document, operationName } = params;
  if (!document) return 'unknown';
  let byName = rootFields.get(document);
  if (!byName) {
    byName = new Map();
    rootFields.set(document, byName);
  }
  let field = byName.get(operationName);
  if (field === undefined) {
    // Envelop names an unnamed operation "Anonymous": then the document's only operation is the one.
    const operation = getOperationAST(document, operationName) ?? getOperationAST(document);
    const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    field = first && first.kind === Kind.FIELD ? first.name.value : 'unknown';
    byName.set(operationName, field);
  }
  return field;
}

const operationLabels = (params: FillLabelsFnParams) => ({
  operationType: params.operationType ?? 'unknown',
  rootField: rootFieldOf(params),
});

export interface SignInOutcome {
  granted: boolean;
  licenseSource: string | null;
  denialReason: string | null;
}

export interface ServerMetrics {
  registry: Registry;
  /** yoga's Prometheus plugin, configured as above, serving METRICS_PATH. */
  plugin: Plugin;
  /** ACC/LIC: a sign-in was decided (granted or not, and who pays). */
  signInDecided(outcome: SignInOutcome): void;
  /** A request finished: its outcome and error codes (called by the request log). */
  requestFinished(report: RequestReport, outcome: string): void;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  // Process metrics, among them nodejs_eventloop_lag_seconds: SQLite has one writer in this process and
  // no pool, so the event loop is the queue every request waits in. (No in-flight gauge: a request
  // whose handling is abandoned never reaches onResponse, and such a gauge would only ever grow.)
  collectDefaultMetrics({ register: registry });
  const signIns = new Counter({
    name: 'threshold_sign_in_decisions_total',
    help: 'signInToDataSource decisions by outcome, license source (LIC-1) and denial reason.',
    labelNames: ['outcome', 'license_source', 'denial_reason'],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'threshold_requests_total',
    help: 'Finished HTTP requests by outcome (ok, refused, error, fault).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'threshold_errors_total',
    help: 'Error codes answered: top-level errors (kind=error) and UserErrors of mutations (kind=refusal).',
    labelNames: ['code', 'kind'],
    registers: [registry],
  });
  const plugin = usePrometheus({
    registry,
    endpoint: METRICS_PATH,
    labels: { url: false, method: true, statusCode: true, operationName: false, operationType: true },
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'GraphQL operations executed, by type and first root field.',
          labelNames: ['operationType', 'rootField'],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Time to execute a GraphQL operation (seconds), by type and first root field.',
          labelNames: ['operationType', 'rootField'],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_error_result: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: true,
    },
  });
  return {
    registry,
    plugin,
    signInDecided({ granted, licenseSource, denialReason }) {
      signIns.inc({
        outcome: granted ? 'granted' : 'denied',
        license_source: licenseSource ?? 'none',
        denial_reason: denialReason ?? 'none',
      });
    },
    requestFinished(report, outcome) {
      requests.inc({ outcome });
      for (const code of new Set(report.errors)) errors.inc({ code, kind: 'error' });
      for (const code of new Set(report.refusals)) errors.inc({ code, kind: 'refusal' });
    },
  };
}
