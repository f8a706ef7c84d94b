// The largest request body a client may send (yoga's `maxRequestBodySize`, same default, same errors).
//
// Written here rather than left to yoga's own plugin, which it replaces (`maxRequestBodySize: false` in
// server.ts): that plugin re-streams every body through a TransformStream and a second Request to count
// its bytes, and that alone was half the cost of a small request (issue 11: `{ __typename }` over HTTP
// went from about 1,900 to 3,700 answers per second without it). Node's HTTP parser never delivers more
// body than a request's Content-Length announces, so a request that came through node:http with a
// valid, small enough Content-Length needs no counting; any other body (chunked, or a request built in
// process, whose header nobody enforces) is counted as it streams, as yoga does.
import { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Yoga's default: large enough for a bulk checkout's CSV of many thousand rows. */
export const MAX_REQUEST_BODY_BYTES = 25_000_000;

const CONTENT_LENGTH = /^\d+$/;

function tooLarge(): GraphQLError {
  return new GraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });
}

/** The server adapter passes node:http's request and response along as `req` and `res`. */
function cameThroughNodeHttp(serverContext: unknown): boolean {
  const req = (serverContext as { req?: unknown } | undefined)?.req;
  return req instanceof IncomingMessage;
}

export function useRequestBodyLimit(limit: number = MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        // One non-negative integer only: "1, 2" (a smuggling attempt) or "-1" must not skip the check.
        if (!CONTENT_LENGTH.test(contentLength)) {
          throw new GraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
          });
        }
        if (Number(contentLength) > limit) throw tooLarge();
        // node:http's parser stops at Content-Length (and refuses it beside chunked encoding).
        if (cameThroughNodeHttp(serverContext)) return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((original) => {
        let bytes = 0;
        // The platform's TransformStream for the platform's own streams (in-process requests), else the
        // server adapter's: the two do not mix (yoga's issue 4583).
        const Transform = original.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
        const counted = original.body?.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              bytes += chunk.byteLength;
              if (bytes > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(
          new fetchAPI.Request(original.url, {
            method: original.method,
            headers: original.headers,
            signal: original.signal,
            body: counted ?? null,
            // @ts-expect-error — needed for a streamed body; missing from the RequestInit type
            duplex: 'half',
          }),
        );
      });
    },
  };
}
