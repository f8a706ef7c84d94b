// The server's log: one JSON object per line on stdout (pino), for whatever collects the process's output.
import type { YogaLogger } from 'graphql-yoga';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger writing JSON lines to `destination` (stdout by default), ISO times, no pid/hostname noise. */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'threshold' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A failed statement's message as Drizzle writes it ends with the statement's parameters — the values
 * someone sent (names, emails, files): kept out of the log. The SQL text itself has placeholders only.
 */
const withoutParams = (text: string | undefined) =>
  text?.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, '\nparams: (not logged)');

/** An error as a log field: its kind, message, code and stack, and its cause's — never the document, never a statement's values. */
function errorField(error: Error): Record<string, unknown> {
  const graphql = error as Error & { extensions?: { code?: unknown }; path?: unknown; originalError?: unknown };
  const cause = graphql.originalError instanceof Error ? graphql.originalError : undefined;
  const driver = cause?.cause instanceof Error ? cause.cause : undefined;
  return {
    type: error.name,
    message: withoutParams(error.message),
    ...(graphql.extensions?.code !== undefined ? { code: graphql.extensions.code } : {}),
    ...(graphql.path !== undefined ? { path: graphql.path } : {}),
    stack: withoutParams(error.stack),
    ...(cause
      ? {
          cause: {
            type: cause.name,
            message: withoutParams(cause.message),
            stack: withoutParams(cause.stack),
            // The database's own error under Drizzle's (its code and message; PostgreSQL's `detail`,
            // which may quote a value, is left out).
            ...(driver
              ? {
                  driver: { message: driver.message, code: (driver as { code?: unknown }).code },
                }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * yoga's own log (a masked server fault, above all) through the same JSON lines. yoga hands over the
 * GraphQLError itself, whose printed form quotes the client's document around the failing field (its
 * literals, too): only the fields of `errorField` are written.
 */
export function yogaLoggerFor(logger: Logger): YogaLogger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const errors = args.filter((a): a is Error => a instanceof Error);
      const text = args
        .filter((a) => !(a instanceof Error))
        .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        .join(' ');
      for (const error of errors) logger[level]({ fault: errorField(error) }, text || 'server fault');
      if (errors.length === 0) logger[level](text);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
