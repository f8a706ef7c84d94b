// Bearer-token verification (jose) and development token minting.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
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

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const jwks = config.kind === 'jwks' ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
  return async (header) => {
    if (!header) return { status: 'anonymous' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return { status: 'invalid', reason: 'the Authorization header must be "Bearer <token>"' };
    let payload: JWTPayload;
    try {
      const options = { issuer: config.issuer, audience: config.audience };
      payload = jwks
        ? (await jwtVerify(match[1], jwks, options)).payload
        : (await jwtVerify(match[1], (config as { secret: Uint8Array }).secret, { ...options, algorithms: ['HS256'] }))
            .payload;
    } catch (error) {
      return { status: 'invalid', reason: describeJoseError(error) };
    }
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
    };
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JOSEError) return `the token is not valid (${error.code})`;
  return 'the token could not be verified';
}

/** Mints a development (HS256) token, as `npm run token` and the demo world print them. */
export async function mintDevelopmentToken(
  config: AuthConfig,
  email: string,
  name?: string,
  expiresIn = '30d',
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
