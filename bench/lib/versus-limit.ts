/**
 * A throughput race that password hashing bounds (sign-in, sign-up): run by run, the machine's
 * argon2id limit (N at a time, in a process of its own), then Bastion, then better-auth, each for
 * the same time at the same connections; medians, and each against the limit.
 */
import type autocannon from 'autocannon';
import { cpus } from 'node:os';
import { addCounts, load, median, type LoadResult } from './load.ts';
import { hashLimit, threadPool } from './machine.ts';
import { during } from './progress.ts';
import { counts, fmt, percent, table, type Options } from './scenario.ts';

export const CONNECTIONS = 16;

/** The machine's limit: argon2id verifications per second at the thread pool's width and at the core count; the higher. */
export async function machineLimit(ms: number): Promise<{ perSecond: number; parallel: number }> {
  const widths = [...new Set([threadPool(), cpus().length])];
  const measured = [];
  for (const parallel of widths) measured.push(await hashLimit(parallel, ms));
  return measured.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
}

export interface Contender {
  name: string;
  url: string;
  requests: autocannon.Request[];
}

export interface Summary {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  runs: LoadResult[];
  statuses: Record<string, number>;
  codes: Record<string, number>;
}

function summarise(name: string, runs: LoadResult[]): Summary {
  return {
    name,
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    runs,
    statuses: runs.reduce<Record<string, number>>((acc, x) => addCounts(acc, x.statuses), {}),
    codes: runs.reduce<Record<string, number>>((acc, x) => addCounts(acc, x.codes), {}),
  };
}

export interface Race {
  limit: number;
  parallel: number;
  limits: number[];
  contenders: Summary[];
  table: string;
}

export async function raceAgainstLimit(options: Options, unit: string, contenders: Contender[]): Promise<Race> {
  const go = (c: Contender, duration: number, note?: (n: number) => void) =>
    load({ url: c.url, connections: CONNECTIONS, duration, requests: c.requests, ...(note ? { onTick: note } : {}) });
  await during('warm-up (3 s each)', async () => {
    for (const c of contenders) await go(c, 3);
  });
  const limits: number[] = [];
  let parallel = 0;
  const runs = contenders.map(() => [] as LoadResult[]);
  for (let r = 1; r <= options.runs; r++) {
    const l = await during(`run ${r}/${options.runs}: machine limit (argon2id, ${options.duration} s)`, () => machineLimit(options.duration * 1000), (x) => `${fmt(x.perSecond, 1)} hashes/s at ${x.parallel} in parallel`);
    limits.push(l.perSecond);
    parallel = l.parallel;
    for (const [i, c] of contenders.entries()) {
      runs[i]!.push(await during(`run ${r}/${options.runs}: ${c.name}`, (s) => go(c, options.duration, (n) => s.note(`${fmt(n)} ${unit}`)), (x) => `${fmt(x.rps, 1)}/s, p99 ${fmt(x.p99)} ms`));
    }
  }
  const limit = median(limits);
  const summaries = contenders.map((c, i) => summarise(c.name, runs[i]!));
  return {
    limit,
    parallel,
    limits,
    contenders: summaries,
    table: table(
      ['what', 'per second (median)', 'of the limit', 'p50 ms', 'p99 ms', 'each run', 'answers'],
      [
        [`machine limit: argon2id, ${parallel} at a time`, fmt(limit, 1), '100%', '', '', limits.map((x) => fmt(x, 1)).join(' / '), ''],
        ...summaries.map((s) => [s.name, fmt(s.rps, 1), percent(s.rps, limit), fmt(s.p50), fmt(s.p99), s.runs.map((x) => fmt(x.rps, 1)).join(' / '), counts(s.statuses)]),
      ],
    ),
  };
}

export const limitCommand = (race: Race, options: Options) =>
  `node --import tsx bench/servers/hash-limit.ts with PARALLEL=${race.parallel} DURATION_MS=${options.duration * 1000} (run at the thread pool's width and at the core count; the higher is the limit)`;
