// The real process as an operator runs it: `npm start` with its own data dir and port, stopped by a
// signal to the npm process (what a supervisor or Ctrl-C does), and refused cleanly on a busy port.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Start-up compiles TypeScript on the fly; a 2-core CI machine running other test files is slow. */
const START_LIMIT_MS = 30_000;
/** Well under the 10 s shutdown limit and node's 5 s keep-alive timeout. */
const STOP_LIMIT_MS = 4_000;

interface Started {
  child: ChildProcess;
  port: number;
  dataDir: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const task of cleanup.splice(0)) task();
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function npmStart(port?: number, script: 'start' | 'serve' = 'start', demo = false): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-lifecycle-'));
  const chosen = port ?? (await freePort());
  // --silent: npm's own banner and notices stay out of the output under test.
  const child = spawn('npm', ['run', script, '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(chosen),
      HOST: '127.0.0.1',
      THRESHOLD_DATA_DIR: dataDir,
      THRESHOLD_DEMO: demo ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { child, port: chosen, dataDir, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when `text` appears on the process's stdout; fails early if the process exits. */
function waitForOutput(started: Started, text: string, ms: number): Promise<void> {
  const seen = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (started.stdout().includes(text)) {
        started.child.stdout?.off('data', check);
        resolve();
      }
    };
    started.child.stdout?.on('data', check);
    started.exited.then(() => reject(new Error(`exited before "${text}"; stderr: ${started.stderr()}`)));
    check();
  });
  return within(seen, ms, `"${text}" on stdout (stderr: ${started.stderr()})`);
}

async function listening(port?: number, script: 'start' | 'serve' = 'start', demo = false): Promise<Started> {
  const started = await npmStart(port, script, demo);
  await waitForOutput(started, 'Threshold is listening', START_LIMIT_MS);
  return started;
}

/** Whether a TCP connection to the port is refused (nothing listens any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Reads from a raw socket until `pattern` matches what has arrived. */
function readUntil(socket: Socket, pattern: RegExp, ms: number): Promise<string> {
  let received = '';
  return within(
    new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        received += chunk.toString();
        if (pattern.test(received)) {
          socket.off('data', onData);
          resolve(received);
        }
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error(`connection closed; received: ${received}`)));
    }),
    ms,
    `${pattern} from the server`,
  );
}

describe('npm start and stopping', { timeout: 60_000 }, () => {
  it('SIGTERM to the npm process stops the server: idle keep-alive connections closed, exit 0, port free', async () => {
    const started = await listening();
    // An idle keep-alive connection left over from a finished request.
    const agent = new Agent({ keepAlive: true });
    cleanup.push(() => agent.destroy());
    const idleClosed = new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port: started.port, path: '/health', agent }, (response) => {
        expect(response.statusCode).toBe(200);
        response.resume();
        response.socket.once('close', () => resolve());
      }).once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const signalledAt = Date.now();
    started.child.kill('SIGTERM');
    const exit = await within(started.exited, STOP_LIMIT_MS, 'npm start exiting after SIGTERM');
    await within(idleClosed, 1_000, 'the idle keep-alive connection closing');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(STOP_LIMIT_MS);
    expect(started.stdout()).toContain('SIGTERM: stopping');
    expect(started.stdout()).toContain('stopped');
    expect(await refused(started.port), 'nothing listens on the port any more').toBe(true);
  });

  it('SIGINT stops it the same way', async () => {
    const started = await listening();
    started.child.kill('SIGINT');
    expect(await within(started.exited, STOP_LIMIT_MS, 'exit after SIGINT')).toEqual({ code: 0, signal: null });
    expect(await refused(started.port)).toBe(true);
  });

  it('a request in flight when SIGTERM arrives completes; new connections are refused meanwhile', async () => {
    const started = await listening();
    const body = JSON.stringify({ query: '{ __typename }' });
    const socket = connect(started.port, '127.0.0.1');
    cleanup.push(() => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    // `Expect: 100-continue`: the server's "100 Continue" proves it has the request in hand; the body
    // is sent only after the signal, so the request is still in flight when the server is told to stop.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: keep-alive\r\n\r\n`,
    );
    await readUntil(socket, /100 Continue\r\n\r\n/, 5_000);

    started.child.kill('SIGTERM');
    await waitForOutput(started, 'SIGTERM: stopping', 5_000);
    expect(await refused(started.port), 'a new connection is refused while stopping').toBe(true);
    expect(started.child.exitCode, 'still running while the request is in flight').toBeNull();

    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(body);
    const response = await readUntil(socket, /"data":\{"__typename":"Query"\}\}/, 5_000);
    expect(response).toMatch(/HTTP\/1\.1 200 OK/);
    await within(closed, 2_000, 'the connection closing after its response');
    expect(await within(started.exited, STOP_LIMIT_MS, 'exit after the request')).toEqual({ code: 0, signal: null });
  });

  it('a port in use: one line naming the port, a non-zero exit, and no database created', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => blocker.close());
    const { port } = blocker.address() as { port: number };

    const started = await npmStart(port);
    const exit = await within(started.exited, START_LIMIT_MS, 'exit on a busy port');

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(started.stderr().trim().split('\n')).toEqual([`port ${port} is already in use (set PORT to another port)`]);
    expect(existsSync(join(started.dataDir, 'threshold.db'))).toBe(false);
  });
});

describe('npm run build, then npm run serve (production starts the bundle)', { timeout: 90_000 }, () => {
  it('the bundled server finds its migrations and examples, loads the demo world, answers, and stops on SIGTERM', async () => {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/threshold\.mjs \(\d+ KiB, \d+ modules\)/);

    const started = await listening(undefined, 'serve', true);
    const base = `http://127.0.0.1:${started.port}`;
    const health = await fetch(`${base}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', schemaVersion: expect.stringMatching(/^\d{4}_/) });
    // The demo world came from the bundle too: its tokens are printed, and the first one answers.
    await waitForOutput(started, 'More: npm run token', 5_000);
    const token = /@\S+ — .*\n\s+(\S+)/.exec(started.stdout())?.[1];
    expect(token).toBeDefined();
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { email homeAccount { name } } }' }),
    });
    expect(((await answer.json()) as { data: { viewer: { email: string } } }).data.viewer.email).toMatch(/@/);
    // GraphiQL's tabs are the files of schema/examples, read from the package root.
    const page = await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('Start here: the ids the other examples need');

    started.child.kill('SIGTERM');
    expect(await within(started.exited, STOP_LIMIT_MS, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('a bundle older than its sources', { timeout: 90_000 }, () => {
  it('refuses to start (before touching the database) once src/ or drizzle/ changed without npm run build', () => {
    // A copy of the package, so that changing a source does not touch the checkout under test.
    const copy = mkdtempSync(join(tmpdir(), 'threshold-stale-'));
    cleanup.push(() => rmSync(copy, { recursive: true, force: true }));
    for (const part of ['src', 'drizzle', 'schema', 'package.json'])
      cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const run = (...args: string[]) =>
      spawnSync('npm', ['run', ...args, '--silent'], {
        cwd: copy,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          THRESHOLD_DATA_DIR: join(copy, 'data'),
          THRESHOLD_DEMO: '0',
        },
      });
    expect(run('build').status).toBe(0);
    const journal = join(copy, 'drizzle', 'meta', '_journal.json');
    writeFileSync(journal, `${readFileSync(journal, 'utf8')}\n`);
    const served = run('serve');
    expect(served.status).toBe(1);
    expect(served.stderr).toContain('dist/threshold.mjs was built from other sources');
    expect(existsSync(join(copy, 'data')), 'no data directory or database created').toBe(false);
  });
});
