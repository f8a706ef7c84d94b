// §9 the largest request body (src/graphql/body-limit.ts): refused with 413 whether the client says its
// size (Content-Length, over real HTTP) or streams it (chunked), at the limit itself and one byte past;
// a Content-Length that is not one plain number is refused outright.
import { createServer as createHttpServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../helpers/world.js';

const LIMIT = 1_000;
/** `{"query":"{ __typename }"}` padded with spaces (valid JSON) to exactly `size` bytes. */
function bodyOf(size: number): string {
  const core = '{"query":"{ __typename }"}';
  return `${core.slice(0, -1)}${' '.repeat(size - core.length)}}`;
}

const world = await createWorld();
const yoga = await world.server({ maxRequestBodyBytes: LIMIT });
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createHttpServer((req, res) => void yoga(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** Over HTTP: with a Content-Length (`chunks` = 1) or chunked, in `chunks` writes, without one. */
function post(body: string, options: { chunks?: number; contentLength?: string } = {}): Promise<Answer> {
  const chunks = options.chunks ?? 1;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (chunks === 1) headers['content-length'] = options.contentLength ?? String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < chunks; i += 1) req.write(body.slice(i * size, (i + 1) * size));
    req.end();
  });
}

const answered = { status: 200, body: { data: { __typename: 'Query' } } };
const tooLarge = {
  status: 413,
  body: {
    errors: [
      expect.objectContaining({ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }),
    ],
  },
};

describe('§9 request body limit, with a Content-Length', () => {
  it('§9 a body of exactly the limit is answered', async () => {
    expect(await post(bodyOf(LIMIT))).toMatchObject(answered);
  });

  it('§9 one byte past the limit is refused with 413 before the body is read', async () => {
    expect(await post(bodyOf(LIMIT + 1))).toMatchObject(tooLarge);
  });

  it('§9 a Content-Length that is not one plain number is refused with 400 (by node:http itself)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.setHeader('content-length', '1e3');
      req.end(bodyOf(1_000));
    });
    expect(status).toBe(400);
  });
});

describe('§9 request body limit, streamed without a Content-Length', () => {
  it('§9 a chunked body of exactly the limit is answered', async () => {
    expect(await post(bodyOf(LIMIT), { chunks: 4 })).toMatchObject(answered);
  });

  it('§9 a chunked body one byte past the limit is refused with 413', async () => {
    expect(await post(bodyOf(LIMIT + 1), { chunks: 4 })).toMatchObject(tooLarge);
  });

  it('§9 in-process requests (yoga.fetch, as the tests send them) are limited too', async () => {
    const send = (body: string) =>
      yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
    expect((await send(bodyOf(LIMIT))).status).toBe(200);
    const refused = await send(bodyOf(LIMIT + 1));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject(tooLarge.body);
  });
});

describe('§9 request body limit, in process', () => {
  it('§9 a Content-Length that is not one plain number ("5, 5": a smuggling attempt) is refused with 400', async () => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': '5, 5' },
      body: bodyOf(100),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ message: 'Content-Length header is invalid.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('§9 a Content-Length header is not trusted when no HTTP parser enforced it: the body is counted', async () => {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': '10' },
      body: bodyOf(LIMIT + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject(tooLarge.body);
  });
});

describe('§9 the default limit', () => {
  it('§9 is 25 MB, as yoga’s: a 26 MB body is refused', async () => {
    const yogaDefault = await world.server();
    const response = await yogaDefault.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: bodyOf(26_000_000),
    });
    expect(response.status).toBe(413);
  });
});
