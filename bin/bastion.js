#!/usr/bin/env node
// The `bastion` command (npx bastion …): the compiled CLI (npm run build) when it is there and up to
// date, else the TypeScript source through tsx (development).
import { compiled, runSource } from './entry.js';

const built = compiled('cli/main');
if (built) await import(built.href);
else await runSource('cli/main');
