// Bearer-token verification (jose) and development token minting.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config.js';

/** Who the token says the caller is. The email is lower-cased (ID-1 stores emails lower-cased). */
export interface Identity {
  email: string;
  subject: string | null;
  name: string | null;
}

export type Authentication =
  | { status: 'anonymous' }
  | { status: 'invalid'; reason: string }
  | { status: 'authenticated'; identity: Identity };

export type TokenVerifier = (authorizationHeader: string | null) => Promise<Authentication>;

/** Clock skew tolerated between the token issuer and this server (§9: "beyond a minute"). */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * §9: every token carries `exp`; one issued in the future (beyond the skew) is refused; with a
 * maximum lifetime configured (production default), one that stays valid longer than that from now is
 * refused too — measured from now, not from `iat`, so a back-dated `iat` cannot stretch it.
 */
function timeProblem(payload: JWTPayload, now: number, maxLifetimeSeconds: number | undefined): string | null {
  if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_SKEW_SECONDS) {
    return 'the token was issued in the future ("iat"): check the issuer\'s clock';
  }
  if (maxLifetimeSeconds !== undefined && typeof payload.exp === 'number') {
    if (payload.exp - now > maxLifetimeSeconds + CLOCK_SKEW_SECONDS) {
      return `the token is valid for longer than the accepted maximum of ${maxLifetimeSeconds} s ("exp")`;
    }
  }
  return null;
}

/** How long a verified token is remembered at most (a JWKS key withdrawn stops counting within it). */
const VERIFIED_TOKEN_TTL_MS = 5 * 60 * 1000;

export function createTokenVerifier(config: AuthConfig, clock: () => Date = () => new Date()): TokenVerifier {
  const jwks = config.kind === 'jwks' ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
  // Issue 11: verifying a signature was an eighth of a sign-in's CPU, and a client sends the same token
  // on every request. A token that verified is remembered (by its exact text) until it expires, for at
  // most VERIFIED_TOKEN_TTL_MS; a hit still checks expiry against this verifier's clock, and anything
  // doubtful goes through jose again. Only successes are remembered.
  const verified = new LRUCache<string, Identity & { exp: number }>({ max: 10_000, ttl: VERIFIED_TOKEN_TTL_MS });
  return async (header) => {
    if (!header) return { status: 'anonymous' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return { status: 'invalid', reason: 'the Authorization header must be "Bearer <token>"' };
    const token = match[1];
    const known = verified.get(token);
    if (known && known.exp + CLOCK_SKEW_SECONDS > clock().getTime() / 1000) {
      return { status: 'authenticated', identity: { email: known.email, subject: known.subject, name: known.name } };
    }
    const answer = await verifyToken(config, jwks, token, clock);
    if (answer.status === 'authenticated') {
      const secondsLeft = answer.exp + CLOCK_SKEW_SECONDS - clock().getTime() / 1000;
      verified.set(
        token,
        { ...answer.identity, exp: answer.exp },
        { ttl: Math.min(VERIFIED_TOKEN_TTL_MS, secondsLeft * 1000) },
      );
      return { status: 'authenticated', identity: answer.identity };
    }
    return answer;
  };
}

/** The full check of one token: signature, issuer, audience, the time claims, the email. */
async function verifyToken(
  config: AuthConfig,
  jwks: ReturnType<typeof createRemoteJWKSet> | null,
  token: string,
  clock: () => Date,
): Promise<
  Exclude<Authentication, { status: 'authenticated' }> | { status: 'authenticated'; identity: Identity; exp: number }
> {
  let payload: JWTPayload;
  try {
    const options = {
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: clock(),
    };
    payload = jwks
      ? (await jwtVerify(token, jwks, options)).payload
      : (await jwtVerify(token, (config as { secret: Uint8Array }).secret, { ...options, algorithms: ['HS256'] }))
          .payload;
  } catch (error) {
    return { status: 'invalid', reason: describeJoseError(error) };
  }
  const problem = timeProblem(payload, Math.floor(clock().getTime() / 1000), config.maxLifetimeSeconds);
  if (problem) return { status: 'invalid', reason: problem };
  const email = payload.email;
  if (typeof email !== 'string' || email.trim() === '') {
    return { status: 'invalid', reason: 'the token has no "email" claim' };
  }
  return {
    status: 'authenticated',
    identity: {
      email: email.trim().toLowerCase(),
      subject: typeof payload.sub === 'string' ? payload.sub : null,
      name: typeof payload.name === 'string' && payload.name.trim() !== '' ? payload.name.trim() : null,
    },
    // requiredClaims guarantees it.
    exp: payload.exp as number,
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.reason === 'missing'
      ? `the token has no "${error.claim}" claim (required)`
      : `the token's "${error.claim}" claim is not accepted`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JOSEError) return `the token is not valid (${error.code})`;
  return 'the token could not be verified';
}

/** 30 days, or the configured maximum lifetime when shorter (so the server accepts what it mints). */
function defaultLifetime(config: AuthConfig): string | number {
  const thirtyDays = 30 * 24 * 60 * 60;
  return config.maxLifetimeSeconds !== undefined && config.maxLifetimeSeconds < thirtyDays
    ? `${config.maxLifetimeSeconds}s`
    : '30d';
}

/** Mints a development (HS256) token, as `npm run token` and the demo world print them. */
export async function mintDevelopmentToken(
  config: AuthConfig,
  email: string,
  name?: string,
  expiresIn: string | number = defaultLifetime(config),
): Promise<string> {
  if (config.kind !== 'hs256') throw new Error('development tokens need the HS256 secret (no JWKS configured)');
  const claims: JWTPayload = { email: email.trim().toLowerCase() };
  if (name) claims.name = name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(email.trim().toLowerCase())
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(config.secret);
}
