/**
 * The bench (npm run bench [-- scenario… ] [--runs N] [--duration S] [--profile]): runs the
 * scenarios asked for (all by default), each starting its own servers, and writes RESULTS.md.
 * Never part of the test suite: no pass or fail, only numbers and whether they met their targets.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, stopAll } from './lib/children.ts';
import { load, machine } from './lib/machine.ts';
import { heading } from './lib/progress.ts';
import { saveSection, writeResults } from './lib/report.ts';
import type { Options, Scenario } from './lib/scenario.ts';
import { attack } from './scenarios/attack.ts';
import { me } from './scenarios/me.ts';
import { scale } from './scenarios/scale.ts';
import { signin } from './scenarios/signin.ts';
import { signup } from './scenarios/signup.ts';
import { totp } from './scenarios/totp.ts';

/** Every scenario, in the order `npm run bench` runs them. */
const SCENARIOS: Scenario[] = [
  me,
  signin,
  signup,
  totp,
  attack,
  scale,
];

function parse(argv: string[]): { names: string[]; options: Options } {
  const names: string[] = [];
  const options: Options = { runs: 3, duration: 10, profileDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') options.runs = Math.max(3, Number(argv[++i]));
    else if (arg === '--duration') options.duration = Math.max(1, Number(argv[++i]));
    else if (arg === '--profile') options.profileDir = join(BENCH_DIR, 'profiles');
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else names.push(arg);
  }
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}: choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return { names: names.length > 0 ? names : SCENARIOS.map((s) => s.name), options };
}

async function main(): Promise<void> {
  const { names, options } = parse(process.argv.slice(2));
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: stopped by ${signal}; the scenarios finished so far are in bench/results/\n`);
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const m = machine();
  process.stderr.write(`bench: ${names.join(', ')} — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load ${load().join(' / ')}\n`);
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    heading(`${scenario.name}: ${scenario.title}`);
    const startedAt = new Date().toISOString();
    const loadStart = load();
    const part = await scenario.run(options);
    saveSection({ scenario: scenario.name, title: scenario.title, startedAt, loadStart, loadEnd: load(), machine: m, ...part });
    for (const t of part.targets) process.stderr.write(`  ${t.met ? 'met' : 'NOT met'}: ${t.text}\n`);
  }
  const file = writeResults(SCENARIOS.map((s) => s.name));
  process.stderr.write(`\nbench: wrote ${file}\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
