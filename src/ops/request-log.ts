// One log line per request, and the request id (issue 12, "Observability").
//
// Each request gets an id — the caller's `x-request-id` when it is a plain token of at most 128
// characters, else a new UUID — echoed in the response's `x-request-id`. When the response is sent, one
// JSON line says what happened: method and path (never the query string: a GET carries its variables
// there), status, duration, the operation's name and type, the viewer's id, the outcome and the error
// codes. Never a token, a variable, a header or a license file: the line is built from those fields
// only. The outcome: `ok`; `refused` (a mutation answered a UserError: a business rule said no);
// `error` (top-level errors: bad input, not signed in, not allowed); `fault` (a server fault, 5xx).
import { randomUUID } from 'node:crypto';
import { type GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a request's handling tells its log line, collected as it goes. */
export interface RequestReport {
  requestId: string;
  started: number;
  operationName?: string | null;
  operationType?: string;
  viewerId?: string | null;
  /** Codes of the UserErrors mutations answered with (defineMutation records them). */
  refusals: string[];
  /** Codes of top-level errors. */
  errors: string[];
}

const reports = new WeakMap<Request, RequestReport>();

/** The report of the request being handled (null outside a request: in-process calls without HTTP). */
export function reportOf(request: Request | undefined): RequestReport | null {
  return request ? (reports.get(request) ?? null) : null;
}

export function outcomeOf(status: number, report: RequestReport): 'ok' | 'refused' | 'error' | 'fault' {
  if (status >= 500 || report.errors.includes('INTERNAL_SERVER_ERROR')) return 'fault';
  if (report.errors.length > 0 || status >= 400) return 'error';
  if (report.refusals.length > 0) return 'refused';
  return 'ok';
}

function codesOf(errors: readonly GraphQLError[] | undefined): string[] {
  return (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

export interface RequestLogOptions {
  /** Told when each request finishes (metrics count them). */
  observer?: {
    requestFinished(report: RequestReport, outcome: ReturnType<typeof outcomeOf>): void;
  } | null;
  /** Paths logged at debug level only (probes: /health, /ready, /metrics). */
  quietPaths?: readonly string[];
}

/** `logger` null: no log lines, but request ids and the observer all the same. */
export function useRequestLog(logger: Logger | null, options: RequestLogOptions = {}): Plugin {
  const quiet = new Set(options.quietPaths ?? []);
  return {
    onRequest({ request }) {
      const given = request.headers.get(REQUEST_ID_HEADER);
      reports.set(request, {
        requestId: given !== null && ACCEPTED_ID.test(given) ? given : randomUUID(),
        started: performance.now(),
        refusals: [],
        errors: [],
      });
    },
    onExecute({ args }) {
      const context = args.contextValue as { request?: Request; viewer?: { id: string } | null };
      const report = reportOf(context.request);
      if (!report) return;
      const operation = getOperationAST(args.document, args.operationName);
      // A name is one token of any length: the line keeps its first 100 characters.
      report.operationName = (operation?.name?.value ?? args.operationName ?? null)?.slice(0, 100) ?? null;
      report.operationType = operation?.operation;
      report.viewerId = context.viewer?.id ?? null;
    },
    onResultProcess({ request, result }) {
      const report = reportOf(request);
      if (!report) return;
      for (const one of Array.isArray(result) ? result : [result]) {
        report.errors.push(...codesOf((one as { errors?: readonly GraphQLError[] }).errors));
      }
    },
    onResponse({ request, response }) {
      const report = reportOf(request);
      if (!report) return;
      response.headers.set(REQUEST_ID_HEADER, report.requestId);
      const outcome = outcomeOf(response.status, report);
      options.observer?.requestFinished(report, outcome);
      if (!logger) return;
      const path = new URL(request.url).pathname;
      const line = {
        requestId: report.requestId,
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round((performance.now() - report.started) * 10) / 10,
        ...(report.operationType
          ? { operationName: report.operationName, operationType: report.operationType, viewerId: report.viewerId }
          : {}),
        outcome,
        errorCodes: [...new Set([...report.errors, ...report.refusals])],
      };
      if (quiet.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    },
  };
}
