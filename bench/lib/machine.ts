/** What machine ran the bench (RESULTS.md), and its limit for password hashes, measured in the same run. */
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem, availableParallelism, platform, release } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_DIR, ROOT_DIR } from './children.ts';

const run = promisify(execFile);

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

/** The 1, 5 and 15-minute load averages. */
export const load = (): [number, number, number] => loadavg().map((n) => Math.round(n * 100) / 100) as [number, number, number];

/** libuv's thread pool, which @node-rs/argon2 hashes on (UV_THREADPOOL_SIZE, default 4). */
export const threadPool = () => Number(process.env.UV_THREADPOOL_SIZE ?? 4);

export interface HashLimit {
  parallel: number;
  perSecond: number;
}

/** N argon2id verifications at a time for `ms`, in a fresh process with nothing else running. */
export async function hashLimit(parallel: number, ms: number): Promise<HashLimit> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'servers/hash-limit.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, PARALLEL: String(parallel), DURATION_MS: String(ms) },
  });
  const parsed = JSON.parse(stdout.trim()) as { perSecond: number };
  return { parallel, perSecond: parsed.perSecond };
}
