/** What a scenario is: a name to run it by, and a run that measures and returns its section of RESULTS.md. */
import type { Machine } from './machine.ts';

export interface Options {
  /** Measured runs of each target (medians are taken over them); at least 3. */
  runs: number;
  /** Seconds per measured run, where a scenario runs for a time. */
  duration: number;
  /** Write Bastion's CPU profiles (node --cpu-prof) into this folder. */
  profileDir: string | undefined;
}

export interface Target {
  text: string;
  met: boolean;
}

export interface Section {
  scenario: string;
  title: string;
  /** When it ran, and the load average before and after (other engineers share the machine). */
  startedAt: string;
  loadStart: [number, number, number];
  loadEnd: [number, number, number];
  machine: Machine;
  /** The exact commands: each server's command line and the load's settings. */
  commands: string[];
  /** The section's body in Markdown (tables). */
  body: string;
  targets: Target[];
  /** The headline numbers, machine-readable. */
  numbers: Record<string, number>;
}

export interface Scenario {
  name: string;
  title: string;
  run(options: Options): Promise<Omit<Section, 'scenario' | 'title' | 'startedAt' | 'loadStart' | 'loadEnd' | 'machine'>>;
}

/** A Markdown table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
export const percent = (a: number, b: number) => (b > 0 ? `${((a / b) * 100).toFixed(1)}%` : 'n/a');
export const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort()
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ') || 'none';
