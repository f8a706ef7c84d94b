// The measuring client of `npm run bench`: server child processes, and requests over node:http with
// keep-alive connections. A hand-written loop rather than autocannon: node_modules is shared with the
// main checkout (no new dependency needed for a few dozen lines), every response is checked (a sign-in
// must be granted, a page must be the floor's bytes), and node:http's client costs a few tens of
// microseconds per request — far below what either server spends, on the same 2 cores.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  agent: Agent;
}

/** Starts bench/<script> on `databaseFile` in its own process; resolves once it prints its port. */
export async function startServer(name: string, script: string, databaseFile: string): Promise<Server> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  // As deployed (README, "First deployment"): graphql-js, for one, drops its development-time
  // checks under NODE_ENV=production. Both servers get the same environment.
  const child = spawn(process.execPath, ['--import', 'tsx', path, databaseFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (!child.stdout) throw new Error(`${name}: no stdout`);
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return { name, child, port, agent: new Agent({ keepAlive: true, maxSockets: 64 }) };
  }
  throw new Error(`${name} exited before listening`);
}

export async function stopServer(server: Server): Promise<void> {
  server.agent.destroy();
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

export interface Response {
  status: number;
  body: Buffer;
}

/** One request; resolves with the whole body. */
export function send(
  server: { port: number; agent?: Agent },
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  token?: string,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (token) headers.authorization = `Bearer ${token}`;
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, method, path, headers, agent: server.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const graphql = (server: Server, body: string, token: string) => send(server, 'POST', '/graphql', body, token);

export interface Stats {
  statements: number;
  rss: number;
}

export async function stats(server: Server): Promise<Stats> {
  return JSON.parse((await send(server, 'GET', '/__bench/stats')).body.toString('utf8')) as Stats;
}

/** Sequential requests: the latency of each, after `warmup` untimed ones. */
export async function latencies(
  server: Server,
  body: string,
  token: string,
  runs: number,
  warmup: number,
  check: (response: Response) => void,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i += 1) {
    const start = performance.now();
    const response = await graphql(server, body, token);
    const ms = performance.now() - start;
    check(response);
    if (i >= warmup) times.push(ms);
  }
  return times;
}

/**
 * `clients` concurrent clients, each sending the next request as soon as its previous one is answered,
 * for `warmupMs` untimed and then `durationMs` timed: completed requests per second in the timed window.
 * Given several servers (instances of one deployment), client i sends to server i mod their number.
 */
export async function throughput(
  servers: Server | readonly Server[],
  body: string,
  token: string,
  clients: number,
  warmupMs: number,
  durationMs: number,
  check: (response: Response) => void,
): Promise<number> {
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  let completed = 0;
  const targets = 'port' in servers ? [servers] : servers;
  const client = async (_: unknown, i: number) => {
    const server = targets[i % targets.length] as Server;
    for (;;) {
      const response = await graphql(server, body, token);
      const now = performance.now();
      check(response);
      if (now > until) return;
      if (now >= from) completed += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return completed / (durationMs / 1000);
}

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

export const median = (values: readonly number[]) => percentile(values, 50);
