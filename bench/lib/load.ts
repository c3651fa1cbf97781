/**
 * Load through autocannon, from the bench process, against a server's real HTTP port: requests per
 * second (completed requests over the run's wall time), latency percentiles, and how the answers
 * went (by status, and by Bastion's error code where the body names one).
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; or `amount` requests, whichever the scenario needs. */
  duration?: number;
  amount?: number;
  requests: autocannon.Request[];
  headers?: Record<string, string>;
  /** Requests in flight on one connection (1: a browser's way). */
  pipelining?: number;
  /** Called once a second with the requests done so far. */
  onTick?: (done: number) => void;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  seconds: number;
  /** Answers by status code ("200", "429"…). */
  statuses: Record<string, number>;
  /** Refusals by error code (`error` in the JSON body), e.g. attempt_in_progress. */
  codes: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** Counts each refusal's error code: wraps a request's onResponse. */
export function countingCodes(codes: Record<string, number>, request: autocannon.Request): autocannon.Request {
  const inner = request.onResponse as ((...args: unknown[]) => void) | undefined;
  return {
    ...request,
    onResponse: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => {
      if (status >= 400) {
        const code = /"error":"([a-z_]+)"/.exec(body ?? '')?.[1] ?? `http_${status}`;
        codes[code] = (codes[code] ?? 0) + 1;
      }
      inner?.(status, body, context, headers as never);
    },
  } as autocannon.Request;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const codes: Record<string, number> = {};
  let finished!: (result: autocannon.Result) => void;
  let failed!: (error: unknown) => void;
  const outcome = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
    url: options.url,
    connections: options.connections,
    pipelining: options.pipelining ?? 1,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    // A browser's page sends its origin; Bastion refuses a request carrying its cookies without one (CSRF).
    headers: { origin: options.url, ...options.headers },
    requests: options.requests.map((r) => countingCodes(codes, r)),
    timeout: 30,
    } as autocannon.Options,
    (error, result) => (error ? failed(error) : finished(result)),
  );
  let done = 0;
  instance.on('response', () => done++);
  const ticker = options.onTick ? setInterval(() => options.onTick!(done), 1000) : undefined;
  const result = await outcome;
  clearInterval(ticker);
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = (stats as { count: number }).count;
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    rps: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    seconds: result.duration,
    statuses,
    codes,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) of a sample, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Adds up answers by status or code over several runs. */
export function addCounts(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}
