// The token configuration every benchmark shares (a development HS256 secret, never a real one).
import type { AuthConfig } from '../src/config.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config.js';

export const benchAuth: AuthConfig = {
  kind: 'hs256',
  secret: new TextEncoder().encode('bench-secret-bench-secret-bench-secret!'),
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
};
