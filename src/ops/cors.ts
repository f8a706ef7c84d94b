// Which web pages on other origins may call the API from a browser (issue 12, "Operator settings").
//
// Yoga's default answers any origin, credentials allowed. Threshold answers only the origins the
// operator lists (THRESHOLD_CORS_ORIGINS); in development, when none are listed, pages served from
// this machine (http(s)://localhost or 127.0.0.1, any port: a front end's dev server). Tokens travel in
// the Authorization header, never in cookies, so credentials are not allowed for anyone. An origin not
// allowed gets no CORS headers at all: the browser then refuses the page the answer.
import type { CORSOptions, Plugin } from 'graphql-yoga';

/** The operator's list, or `local` (development without a list: this machine's pages only). */
export type CorsOrigins = readonly string[] | 'local';

const LOCAL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** Whether `origin` (the Origin header) may call the API under `origins`. */
export function originAllowed(origins: CorsOrigins, origin: string): boolean {
  return origins === 'local' ? LOCAL.test(origin) : origins.includes(origin);
}

/** yoga's `cors` option: headers for an allowed origin, none (false) for any other. */
export function corsPolicy(origins: CorsOrigins): (request: Request) => CORSOptions | false {
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !originAllowed(origins, origin)) return false;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'x-graphql-yoga-csrf'],
      exposedHeaders: ['x-request-id'],
      credentials: false,
      maxAge: 600,
    };
  };
}

/** THRESHOLD_CORS_ORIGINS: a comma-separated list of origins (`https://app.example.com`), each exactly an origin. */
export function parseCorsOrigins(text: string): string[] | { invalid: string } {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return { invalid: origin };
    }
    if (parsed.origin !== origin || !['http:', 'https:'].includes(parsed.protocol)) return { invalid: origin };
  }
  return origins;
}

/**
 * `Vary: Origin` on every answer: whether it carries CORS headers depends on the caller's origin, so a
 * cache (a proxy's or the browser's) must not hand one origin's answer to another. (The server adapter
 * adds it only when it picks among several listed origins.)
 */
export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (!vary?.split(',').some((v) => v.trim().toLowerCase() === 'origin')) {
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
      }
    },
  };
}
