/**
 * RESULTS.md, written by the run: the machine, then each scenario's section (its commands, medians,
 * ratios and targets) from the latest run of that scenario (kept in results/<scenario>.json, so
 * running one scenario updates its section and keeps the others), then what the CPU profile showed
 * and what changed (profile-notes.md, written by people).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './children.ts';
import type { Section } from './scenario.ts';

const RESULTS_DIR = join(BENCH_DIR, 'results');
const LOADED = 1.0;

export function saveSection(section: Section): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${section.scenario}.json`), `${JSON.stringify(section, null, 2)}\n`);
}

function loadSections(order: readonly string[]): Section[] {
  if (!existsSync(RESULTS_DIR)) return [];
  const all = readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as Section);
  return all.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
}

const loadText = (l: readonly number[]) => l.map((n) => n.toFixed(2)).join(' / ');

export function writeResults(order: readonly string[]): string {
  const sections = loadSections(order);
  const machine = sections[0]?.machine;
  const lines: string[] = ['# Benchmark results', '', 'Written by `npm run bench` (bench/run.ts); do not edit by hand: re-run, and edit `bench/profile-notes.md` for the last section.', ''];
  if (machine) {
    lines.push('## Machine', '', `- CPU: ${machine.cpu}, ${machine.cores} cores`, `- Memory: ${machine.memoryGiB} GiB`, `- Node.js ${machine.node} on ${machine.os}`);
    lines.push('- Load average (1 / 5 / 15 min) at the start and end of each scenario is given in its section. Other engineers share this machine: a scenario that started or ended with a 1-minute load above ' + `${LOADED} is marked so.`, '');
  }
  lines.push('## How to run', '', '```sh', 'npm run bench                 # every scenario (installs bench/ dependencies if missing)', 'npm run bench -- me signin    # some of them', 'npm run bench -- me --runs 5 --duration 15 --profile   # more runs, longer, Bastion under node --cpu-prof (bench/profiles/)', '```', '');
  lines.push('Every server is a child process on 127.0.0.1; autocannon runs in the bench process against each in the same run, targets interleaved run by run. Medians are over the runs listed.', '');
  lines.push('## Targets', '', '| scenario | target | met |', '| --- | --- | --- |');
  for (const s of sections) for (const t of s.targets) lines.push(`| ${s.scenario} | ${t.text} | ${t.met ? 'yes' : '**no**'} |`);
  lines.push('');
  for (const s of sections) {
    const busy = Math.max(s.loadStart[0], s.loadEnd[0]) > LOADED;
    lines.push(`## ${s.scenario}: ${s.title}`, '');
    // Scenarios may be run apart (npm run bench -- me), on what was then another machine: that is said.
    const elsewhere = machine && s.machine.cpu !== machine.cpu ? ` on another machine (${s.machine.cpu}, ${s.machine.cores} cores, Node ${s.machine.node})` : '';
    lines.push(`Ran ${s.startedAt}${elsewhere}; load average ${loadText(s.loadStart)} at the start, ${loadText(s.loadEnd)} at the end${busy ? ' — **the machine was busy (load above 1): treat these numbers with care**' : ''}.`, '');
    lines.push('Commands:', '', ...s.commands.map((c) => `- \`${c}\``), '');
    lines.push(s.body, '');
  }
  const notes = join(BENCH_DIR, 'profile-notes.md');
  if (existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trim(), '');
  const file = join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(file, lines.join('\n'));
  return file;
}
