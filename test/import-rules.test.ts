/**
 * The import rule (.dependency-cruiser.cjs, run by `npm test` as `npm run lint:imports`) catches
 * what it is for: run on a small tree with an upward import and a cycle, it names both files.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = require('../.dependency-cruiser.cjs') as { forbidden: unknown[] };
const fixture = fileURLToPath(new URL('./fixtures/import-rules/', import.meta.url));

describe('the import rule', () => {
  it('refuses an upward import and a cycle, naming the files', async () => {
    const result = await cruise(['src'], { baseDir: fixture, ruleSet: { forbidden: rules.forbidden }, validate: true, tsPreCompilationDeps: true } as never);
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    const found = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      'account-imports-upward: src/account/users.ts → src/flows/login/sign-in.ts',
      'no-cycles: src/account/users.ts → src/flows/login/sign-in.ts',
    ]);
  });
});
