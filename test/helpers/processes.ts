// Real server processes for the suites that need them (durability, concurrency): `npm start`'s command
// on a data directory, with a known JWT secret so tests mint their own tokens.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintDevelopmentToken } from '../../src/auth/tokens.js';
import { type AuthConfig, DEV_AUDIENCE, DEV_ISSUER } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'process-suites-secret-of-at-least-32-characters';
const AUTH: AuthConfig = {
  kind: 'hs256',
  secret: new TextEncoder().encode(SECRET),
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
};

export interface Running {
  child: ChildProcess;
  url: string;
}

/** A token the processes accept, valid for an hour. */
export const tokenFor = (email: string) => mintDevelopmentToken(AUTH, email, undefined, '1h');

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * `npm start`'s command on `dataDir` (the demo world on a new database, no request log, no rate limits),
 * plus `env` (e.g. THRESHOLD_DATABASE_URL); resolves once it listens. `track` receives a clean-up that
 * kills it.
 */
export async function startServer(
  dataDir: string,
  track: (stop: () => void) => void,
  env: Record<string, string> = {},
): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    // Only what it needs: an exported THRESHOLD_DATABASE or NODE_ENV must not reach the process under test.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      PORT: String(port),
      HOST: '127.0.0.1',
      THRESHOLD_DATA_DIR: dataDir,
      THRESHOLD_DEMO: '1',
      THRESHOLD_JWT_SECRET: SECRET,
      THRESHOLD_LOG_LEVEL: 'silent',
      THRESHOLD_SIGN_IN_LIMIT: '0',
      THRESHOLD_BULK_CHECKOUT_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Threshold is listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before listening: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

/** SIGKILL, as a crash or `kill -9` would; resolves once the process is gone. */
export async function killHard(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGKILL');
  await exited;
}

export interface Answer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql(running: Running, token: string, query: string, variables?: unknown): Promise<Answer> {
  const response = await fetch(`${running.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}
