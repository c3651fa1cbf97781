#!/usr/bin/env node
// `npm start`. With NODE_ENV=production: the server compiled by `npm run build` (build/ and dist/web),
// with no build tool at run time. Otherwise (a laptop): build the web app with Vite, then run the
// TypeScript source through tsx, as `npm install && npm start` always has.
import { existsSync } from 'node:fs';
import { compiled, ROOT, runSource } from './entry.js';

if (process.env.NODE_ENV === 'production') {
  const built = compiled('main', { always: true });
  if (!built || !existsSync(new URL('dist/web/index.html', ROOT))) {
    process.stderr.write('Bastion is not built: run `npm run build` (with the development dependencies installed) before `NODE_ENV=production npm start`.\n');
    process.exit(1);
  }
  await import(built.href);
} else {
  const { build } = await import('vite');
  await build({ root: ROOT.pathname, configFile: new URL('vite.config.ts', ROOT).pathname, logLevel: 'warn' });
  await runSource('main');
}
