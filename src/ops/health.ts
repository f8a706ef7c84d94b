// Probes for whatever runs Threshold (issue 12): /health says the process answers (liveness: restart it
// when this fails), /ready says it can serve (readiness: send it traffic only while this is 200) — the
// database answers and every migration shipped with this build is applied. Neither touches GraphQL;
// a failure's cause goes to the log, never to the caller.
import type { Plugin } from 'graphql-yoga';
import { type Db, migrationPending, pingDatabase, schemaVersion } from '../db/client.js';
import type { Logger } from './logger.js';

export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';

function json(fetchAPI: { Response: typeof Response }, status: number, body: Record<string, string>): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

export function useProbes(db: Db, logger: Logger | null): Plugin {
  const version = schemaVersion();
  let report: (message: string) => void = (message) => (logger ? logger.error(message) : console.error(message));
  return {
    onYogaInit({ yoga }) {
      if (!logger) report = (message) => yoga.logger.error(message);
    },
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === HEALTH_PATH) {
        endResponse(json(fetchAPI, 200, { status: 'ok', schemaVersion: version }));
        return;
      }
      if (url.pathname !== READY_PATH) return;
      let problem: string | null = null;
      try {
        await pingDatabase(db);
        if (await migrationPending(db)) problem = 'migrations pending';
      } catch (error) {
        report(`${READY_PATH}: database check failed: ${error instanceof Error ? error.message : String(error)}`);
        problem = 'database not reachable';
      }
      endResponse(
        problem === null
          ? json(fetchAPI, 200, { status: 'ready', schemaVersion: version, database: 'ok' })
          : json(fetchAPI, 503, { status: 'unavailable', reason: problem }),
      );
    },
  };
}
