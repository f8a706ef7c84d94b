// Startup to first answered request on an existing database: `node dist/threshold.mjs` (what `npm run
// serve` runs after `npm run build`, production's way), and `node --import tsx src/main.ts` (what
// `npm start` runs) for reference, pointed at a copy of the generated world through its configuration (README
// "Configuration": NODE_ENV=production, THRESHOLD_DATABASE, THRESHOLD_DATA_DIR, THRESHOLD_JWT_SECRET, PORT,
// HOST), timed from the spawn until /health answers 200 and until a first GraphQL query is answered.
// The floor's startup (bench/floor-server.ts on its own copy, until /health answers) is timed the same way.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { mintDevelopmentToken } from '../src/auth/tokens.js';
import { benchAuth } from './auth.js';
import { send } from './http.js';
import { VIEWER } from './operations.js';

export interface Startup {
  /** Spawn → /health answers 200. */
  healthMs: number;
  /** Spawn → a first GraphQL query ({ viewer { id } }) is answered with data. */
  firstQueryMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const LIMIT_MS = 30_000;

async function until(started: number, what: string, attempt: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await attempt().catch(() => false)) return performance.now() - started;
    if (performance.now() - started > LIMIT_MS)
      throw new Error(`startup: ${what} did not answer within ${LIMIT_MS} ms`);
    await sleep(2);
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** One start of `kind` on `databaseFile`, then stops it. */
export async function timeStartup(
  kind: 'threshold' | 'threshold-tsx' | 'floor',
  databaseFile: string,
  dataDir: string,
): Promise<Startup> {
  const port = await freePort();
  const secret = benchAuth.kind === 'hs256' ? new TextDecoder().decode(benchAuth.secret) : '';
  mkdirSync(dataDir, { recursive: true });
  const args = {
    threshold: [join(root, 'dist', 'threshold.mjs')],
    'threshold-tsx': ['--import', 'tsx', join(root, 'src', 'main.ts')],
    floor: [FLOOR_BUNDLE, databaseFile],
  }[kind];
  // Production refuses tokens valid for more than 24 hours (§9): an hour is plenty.
  const token = await mintDevelopmentToken(benchAuth, 'admin@big.example', undefined, '1h');
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      THRESHOLD_DATA_DIR: dataDir,
      THRESHOLD_DATABASE: databaseFile,
      THRESHOLD_JWT_SECRET: secret,
      THRESHOLD_DEMO: '0',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const server = { port };
    const healthMs = await until(started, '/health', async () => (await send(server, 'GET', '/health')).status === 200);
    const body = JSON.stringify({ query: VIEWER });
    const firstQueryMs = await until(started, 'a first GraphQL query', async () => {
      const response = await send(server, 'POST', '/graphql', body, token);
      return response.status === 200 && response.body.toString('utf8').includes('"viewer":{"id"');
    });
    return { healthMs, firstQueryMs };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Where the floor's own bundle goes (git-ignored with the bench's results). */
const FLOOR_BUNDLE = join(root, 'bench', 'results', 'floor-server.mjs');

/**
 * `npm run build`: the bundle `npm run serve` starts (dist/threshold.mjs), built once before timing; and
 * the floor bundled the same way, so that both start under plain node (under tsx the floor would pay
 * for the loader that the bundle does not).
 */
export async function buildBundle(): Promise<void> {
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'build.ts')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`npm run build failed: ${built.stderr}`);
  await build({
    entryPoints: [join(root, 'bench', 'floor-server.ts')],
    outfile: FLOOR_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
