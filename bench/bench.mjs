#!/usr/bin/env node
/**
 * `npm run bench [-- scenario…]`: installs bench/'s own dependencies when they are missing
 * (better-auth and autocannon are the bench's, never the product's), then runs bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const needed = ['autocannon', 'better-auth'];
if (needed.some((name) => !existsSync(join(here, 'node_modules', name, 'package.json')))) {
  process.stderr.write('bench: installing bench/ dependencies (npm --prefix bench ci)…\n');
  const install = spawnSync('npm', ['--prefix', here, existsSync(join(here, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: join(here, '..') });
process.exit(run.status ?? 1);
