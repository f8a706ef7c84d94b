// start: config → take the port → open db → migrate → (demo data on a new db) → serve.
// stop (SIGTERM/SIGINT): stop accepting, finish requests in flight, close the database, exit 0 —
// or exit 1 after SHUTDOWN_LIMIT_MS. `npm start` is `exec node --import tsx src/main.ts`: npm passes a
// signal to its child only, and without `exec` that child is a shell (dash) that would not pass it on.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintDevelopmentToken } from './auth/tokens.js';
import { assertBundleCurrent } from './build-stamp.js';
import { loadConfig } from './config.js';
import { duringStartup, openConfiguredDatabase } from './db/client.js';
import { DEMO_USERS, isEmptyDatabase, loadDemoWorld } from './demo/world.js';
import { loadSigningKey } from './licensing/license-keys.js';
import { createLogger } from './ops/logger.js';
import { createMetrics } from './ops/metrics.js';
import { loadPersistedOperations } from './ops/persisted-operations.js';
import { schema } from './schema.js';
import { createServer, GRAPHQL_PATH, type ThresholdServer } from './server.js';

const SHUTDOWN_LIMIT_MS = 10_000;

/** Resolves once the port is ours; a port in use or forbidden becomes one clear line. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is already in use (set PORT to another port)`));
      } else if (error.code === 'EACCES') {
        reject(new Error(`no permission to listen on port ${port} (set PORT to another port)`));
      } else if (error.code === 'EADDRNOTAVAIL') {
        reject(new Error(`cannot listen on ${host}: no such local address (set HOST)`));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Graceful stop with Node's own http.Server API (close, closeIdleConnections, closeAllConnections are
 * all a shutdown library would add here): the listening socket closes at once, idle keep-alive
 * connections are dropped, busy ones are dropped as soon as their response is sent.
 */
function stopOnSignals(server: Server, closeDatabase: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C in a terminal reaches npm and node alike, and npm forwards it again: act once.
    if (stopping) return;
    stopping = true;
    const limit = setTimeout(() => {
      console.error(`requests still in flight after ${SHUTDOWN_LIMIT_MS / 1000} s: stopped without waiting for them`);
      server.closeAllConnections();
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    server.close(async (error) => {
      clearTimeout(limit);
      await closeDatabase().catch((closing: Error) => console.error(`closing the database: ${closing.message}`));
      if (error) {
        console.error(`stopping: ${error.message}`);
        process.exit(1);
      }
      console.log('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Said once the port no longer accepts connections.
    console.log(`${signal}: stopping (finishing requests in flight, at most ${SHUTDOWN_LIMIT_MS / 1000} s)`);
  };
  server.on('request', (_request, response) => {
    // A response finishing during shutdown leaves its keep-alive connection idle: close it then,
    // rather than wait for the keep-alive timeout.
    response.once('finish', () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A database URL as it may be printed: without its password. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

async function main() {
  assertBundleCurrent();
  const config = loadConfig();
  // A bad manifest stops the start before the port is taken or the database touched.
  const persistedOperations = config.persistedOperationsFile
    ? loadPersistedOperations(config.persistedOperationsFile, schema)
    : null;

  // The port first: a port in use must fail before a database file is created or migrated.
  let yoga: ThresholdServer | undefined;
  const server = createHttpServer((request, response) => {
    if (yoga) return yoga(request, response);
    response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('starting\n');
  });
  await listen(server, config.port, config.host);

  const database = await openConfiguredDatabase(config);
  stopOnSignals(server, () => database.close());

  // LIC-7: generated and stored on first start (or taken from THRESHOLD_LICENSE_KEY).
  const signingKey = await loadSigningKey(database.db, config.licenseKeyPem);
  // Several instances starting on one new PostgreSQL database: one loads the demo world.
  const demoLoaded = await duringStartup(database.db, async () => {
    const empty = config.demo && (await isEmptyDatabase(database.db));
    if (empty) await loadDemoWorld(database.db, new Date(), signingKey);
    return empty;
  });

  yoga = await createServer({
    db: database.db,
    auth: config.auth,
    graphiql: config.graphiql,
    introspection: config.introspection,
    licenseKeyPem: config.licenseKeyPem,
    logger: createLogger(config.logLevel),
    metrics: config.metrics ? createMetrics() : null,
    corsOrigins: config.corsOrigins,
    rateLimits: config.rateLimits,
    persistedOperations,
  });

  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const { port } = server.address() as AddressInfo; // PORT=0 picks a free one
  const url = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}${GRAPHQL_PATH}`;
  console.log(`Threshold is listening: ${url}${config.graphiql ? ' (GraphiQL)' : ''}`);
  const where = config.databaseUrl ? `PostgreSQL ${redactedUrl(config.databaseUrl)}` : config.databasePath;
  console.log(`Database: ${where}${demoLoaded ? ' (new: demo world loaded)' : ''}`);
  console.log('Stop with Ctrl-C or SIGTERM.');
  if (config.demo && config.auth.kind === 'hs256') {
    console.log('\nDevelopment tokens for the demo world (header  Authorization: Bearer <token>):');
    for (const user of DEMO_USERS) {
      const token = await mintDevelopmentToken(config.auth, user.email, user.name);
      console.log(`\n  ${user.email} — ${user.role}\n  ${token}`);
    }
    console.log('\nMore: npm run token -- someone@example.com "Their Name"');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
