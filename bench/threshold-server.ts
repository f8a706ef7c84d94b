// Threshold as `npm start` serves it (src/server.ts createServer behind node:http, as src/main.ts does),
// on a copy of the generated world, in its own process: `node --import tsx bench/threshold-server.ts
// <database file>`. It prints one JSON line { port } once it listens on loopback.
// Given a `postgres://` URL instead of a file, it opens that database as THRESHOLD_DATABASE_URL would
// (openConfiguredDatabase, THRESHOLD_DATABASE_POOL_SIZE connections at most, default 10): several of
// these processes on one URL are instances of one deployment (issue 13). Every instance verifies the
// same HS256 secret (bench/auth.ts), as THRESHOLD_JWT_SECRET makes them do.
//
// Bench-only addition, outside src/: every SQL statement is counted through a Drizzle logger (Drizzle
// calls it for each statement it executes, prepared or not; on SQLite not for BEGIN/COMMIT, which
// src/db/client.ts runs on the connection itself — on PostgreSQL Drizzle runs them, so they count), and
// GET /__bench/stats answers { statements, rss } without touching the database or GraphQL.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { destination } from 'pino';
import { openConfiguredDatabase } from '../src/db/client.js';
import { createLogger } from '../src/ops/logger.js';
import { createMetrics } from '../src/ops/metrics.js';
import { createServer } from '../src/server.js';
import { benchAuth as auth } from './auth.js';

const file = process.argv[2];
if (!file) throw new Error('usage: threshold-server.ts <database file | postgres:// URL>');
const postgres = /^postgres(ql)?:\/\//.test(file);
let statements = 0;
const database = await openConfiguredDatabase(
  {
    databaseUrl: postgres ? file : null,
    databasePath: file,
    databasePoolSize: Number(process.env.THRESHOLD_DATABASE_POOL_SIZE ?? 10),
  },
  {
    logQuery() {
      statements += 1;
    },
  },
);
// As `npm run serve` runs it: a log line per request (formatted and written, here to /dev/null: the
// bench reads this process's stdout for its port only) and metrics counted — but no rate limits: the
// bench's one caller signs in thousands of times a minute on purpose (THRESHOLD_SIGN_IN_LIMIT=0).
const yoga = await createServer({
  db: database.db,
  auth,
  graphiql: false,
  introspection: false,
  logger: createLogger('info', destination({ dest: '/dev/null', sync: false })),
  metrics: createMetrics(),
});
const server = createHttpServer((request, response) => {
  if (request.url === '/__bench/stats') {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ statements, rss: process.memoryUsage.rss() }));
    return;
  }
  void yoga(request, response);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port }));
});
const stop = () => server.close(() => database.close());
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
