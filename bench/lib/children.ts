/**
 * The servers under test, each a child process of its own (Bastion, better-auth, bare Fastify, the
 * hash-limit probe): started on a free loopback port, waited for until it answers, stopped with
 * SIGTERM (Bastion then finishes gracefully, which is also when `--cpu-prof` writes its profile).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT_DIR = join(BENCH_DIR, '..');
export const HOST = '127.0.0.1';

/** A port nothing listens on right now (the OS's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  /** The command line, for RESULTS.md. */
  command: string;
  stop(): Promise<void>;
}

export interface ChildSpec {
  name: string;
  /** Node's arguments: flags, then the script and its arguments. */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** A GET path that answers 200 once the server is ready. */
  readyPath: string;
  cwd?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startChild(spec: ChildSpec): Promise<Child> {
  const url = `http://${HOST}:${spec.port}`;
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd ?? ROOT_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${spec.name} exited (${exited}) before it was ready: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.name} was not ready within 60 s: ${stderr.trim()}`);
    }
    try {
      const response = await fetch(`${url}${spec.readyPath}`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const envText = Object.entries(spec.env)
    .filter(([key]) => !/SECRET|TOKEN|KEY/.test(key))
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return {
    name: spec.name,
    url,
    process: child,
    command: `${envText} node ${spec.args.map((a) => a.replace(ROOT_DIR + '/', '')).join(' ')}`,
    stop: async () => {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Stops every child still running when the bench ends or is interrupted. */
const running = new Set<Child>();
export function track(child: Child): Child {
  running.add(child);
  child.process.once('exit', () => running.delete(child));
  return child;
}
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop()));
}
