// HIS-3 (issue 15): CSV downloads beside /graphql — `GET /exports/<name>.csv?accountId=…&from=…&to=…`
// with the same bearer token, the same context and the same authorization as the GraphQL field that
// shows the same rows (the account's IMS admins). Areas register what they export (as they register
// read checks); this module owns the route: authentication, parameters, §9, and streaming.
//
// Streamed in constant memory: an export yields its rows a batch at a time (keyset reads in the area),
// each batch becomes CSV text (csv-stringify) only when the client pulls for more, and the per-request
// loader caches are emptied between batches so that what a batch looked up is not kept for the next.
import { initContextCache } from '@pothos/core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { stringify } from 'csv-stringify/sync';
import { DateTimeResolver } from 'graphql-scalars';
import type { Plugin } from 'graphql-yoga';
import type { AuthzRequest } from '../authz/authorize.js';
import { type Context, type ContextDeps, createContext } from './context.js';
import { findNode } from './visibility.js';

export const EXPORTS_PATH = '/exports/';

/** What an export is asked for: one account, and a period [from, to) (null: unbounded, where allowed). */
export interface ExportRequest {
  accountId: string;
  from: Date | null;
  to: Date | null;
}

export type CsvCell = string | number | boolean | Date | null;

export interface CsvExport {
  /** The header row. */
  columns: readonly string[];
  /** Whether `from` and `to` must be given (a usage export is for a period; the audit log may be whole). */
  period: 'required' | 'optional';
  /** §9: what the caller must be allowed for the account (the GraphQL field's rule). */
  authorize(accountId: string): AuthzRequest;
  /** The rows, a batch at a time, oldest first. */
  batches(ctx: Context, request: ExportRequest): AsyncIterable<CsvCell[][]>;
}

const registry = new Map<string, CsvExport>();

/** An area offers an export at /exports/<name>.csv. */
export function registerExport(name: string, csvExport: CsvExport): void {
  if (registry.has(name)) throw new Error(`export ${name} is registered twice`);
  registry.set(name, csvExport);
}

/** The exports offered (for tests and docs). */
export const registeredExports = (): string[] => [...registry.keys()].sort();

/**
 * A cell as text. A cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab
 * or a carriage return: OWASP "CSV injection") gets a leading apostrophe — names and summaries come
 * from users. Instants are ISO 8601 (UTC).
 */
export function csvText(cell: CsvCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  const text = String(cell);
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const csvChunk = (rows: CsvCell[][]) => stringify(rows.map((row) => row.map(csvText)));

class ExportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parseInstant(url: URL, name: 'from' | 'to', required: boolean): Date | null {
  const text = url.searchParams.get(name);
  if (text === null || text === '') {
    if (required) throw new ExportRefusal(400, 'BAD_USER_INPUT', `"${name}" is required (an ISO 8601 instant)`);
    return null;
  }
  // Exactly the instants GraphQL's DateTime accepts (graphql-scalars): a date, a time and an offset —
  // never one read in the server's time zone, nor an impossible date rolled over.
  try {
    return DateTimeResolver.parseValue(text) as Date;
  } catch {
    throw new ExportRefusal(
      400,
      'BAD_USER_INPUT',
      `"${name}" is not an ISO 8601 instant with an offset (e.g. 2026-07-01T00:00:00Z): ${JSON.stringify(text)}`,
    );
  }
}

/** The account a global id names; malformed and other types read as missing (§9, as node(id:)). */
function accountIdOf(text: string | null): string | null {
  if (!text) return null;
  try {
    const decoded = decodeGlobalID(text);
    return decoded.typename === 'Account' ? decoded.id : null;
  } catch {
    return null;
  }
}

async function prepare(deps: ContextDeps, request: Request, url: URL, csvExport: CsvExport) {
  const ctx = await createContext(deps, request);
  if (ctx.auth.status !== 'authenticated') {
    throw new ExportRefusal(
      401,
      'UNAUTHENTICATED',
      ctx.auth.status === 'invalid' ? ctx.auth.reason : 'a bearer token is required',
    );
  }
  if (!ctx.viewer) throw new ExportRefusal(403, 'FORBIDDEN', 'a registered identity profile is required');
  const required = csvExport.period === 'required';
  // Parameters are checked before the account is looked up: a bad request says so, whoever asks.
  const from = parseInstant(url, 'from', required);
  const to = parseInstant(url, 'to', required);
  if (from && to && from >= to) throw new ExportRefusal(400, 'BAD_USER_INPUT', '"from" must be before "to"');
  const accountId = accountIdOf(url.searchParams.get('accountId'));
  const account = accountId ? await findNode(ctx, 'Account', accountId) : null;
  if (!accountId || !account) throw new ExportRefusal(404, 'NOT_FOUND', 'no such account');
  if (!ctx.can(csvExport.authorize(accountId))) {
    throw new ExportRefusal(403, 'FORBIDDEN', "only the account's IMS admins may export this");
  }
  return { ctx, exportRequest: { accountId, from, to }, accountName: account.name };
}

/** A file name a browser saves: the export, the account and the period, in safe characters. */
function fileName(name: string, accountName: string, request: ExportRequest): string {
  const day = (at: Date | null) => (at ? at.toISOString().slice(0, 10) : 'all');
  const slug = accountName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'account';
  return `${name}-${slug}-${day(request.from)}-${day(request.to)}.csv`;
}

/** The route: /exports/<name>.csv (GET), before yoga's GraphQL handling. */
export function useCsvExports(deps: ContextDeps, report: (message: string) => void): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!url.pathname.startsWith(EXPORTS_PATH)) return;
      const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
          }),
        );
      const match = /^\/exports\/([a-z-]+)\.csv$/.exec(url.pathname);
      const name = match?.[1];
      const csvExport = name ? registry.get(name) : undefined;
      if (!name || !csvExport) {
        refuse(404, 'NOT_FOUND', `no such export (there are: ${registeredExports().join(', ')})`);
        return;
      }
      if (request.method !== 'GET') {
        refuse(405, 'METHOD_NOT_ALLOWED', 'exports are downloaded with GET', { allow: 'GET' });
        return;
      }
      let prepared: Awaited<ReturnType<typeof prepare>>;
      try {
        prepared = await prepare(deps, request, url, csvExport);
      } catch (error) {
        if (!(error instanceof ExportRefusal)) throw error;
        refuse(error.status, error.code, error.message, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
        return;
      }
      const { ctx, exportRequest, accountName } = prepared;
      const batches = csvExport.batches(ctx, exportRequest)[Symbol.asyncIterator]();
      const failed = (error: unknown) =>
        report(`${url.pathname}: export failed: ${error instanceof Error ? error.message : String(error)}`);
      // The first batch is read before answering: a fault there is a 500 (masked), not a cut-off file.
      let first: IteratorResult<CsvCell[][]>;
      try {
        first = await batches.next();
      } catch (error) {
        failed(error);
        refuse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
        return;
      }
      const encoder = new TextEncoder();
      const body = new fetchAPI.ReadableStream<Uint8Array>({
        start(controller) {
          // The header with the first batch: one chunk.
          controller.enqueue(encoder.encode(csvChunk([[...csvExport.columns], ...(first.done ? [] : first.value)])));
          if (first.done) controller.close();
        },
        async pull(controller) {
          if (first.done) return;
          try {
            Object.assign(ctx, initContextCache());
            // One batch per pull: nothing is read ahead of what the client takes.
            const next = await batches.next();
            if (next.done) {
              controller.close();
              return;
            }
            if (next.value.length > 0) controller.enqueue(encoder.encode(csvChunk(next.value)));
          } catch (error) {
            failed(error);
            // The status line is gone: the download must end unfinished, visibly. Erroring the stream
            // alone leaves a chunked HTTP/1.1 response open (the Node adapter neither ends nor destroys
            // it), so the connection itself is closed: the client sees the body cut short.
            (
              serverContext as { req?: { socket?: { destroy(error?: Error): void } } } | undefined
            )?.req?.socket?.destroy();
            controller.error(new Error('the export failed'));
          }
        },
        async cancel() {
          await batches.return?.();
        },
      });
      endResponse(
        new fetchAPI.Response(body, {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${fileName(name, accountName, exportRequest)}"`,
            'cache-control': 'no-store',
          },
        }),
      );
    },
  };
}
