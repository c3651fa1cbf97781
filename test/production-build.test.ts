/**
 * The production path from a clean copy of the project, as the README's "Running in production"
 * gives it: a build stage (`npm run build` with the development dependencies), then a run stage with
 * only the production dependencies (`npm ci --omit=dev`) and `NODE_ENV=production npm start`. The
 * node must start and serve the API, the web app, mail and the strength meter's worker with no tsx,
 * Vite or TypeScript installed; the CLI runs the compiled code too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_AUDIT_KEY, TEST_CODE_PEPPER, TEST_DEPOSIT_KEYS, TEST_KEY, TEST_SESSION_SECRET } from './harness.ts';
import { freePort } from './ports.ts';
import { TestSmtpServer } from './smtp.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const { version } = (await import('../package.json', { with: { type: 'json' } })).default;

/** Runs a command in the copy to its end; its output on failure. */
function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

/** The project's files as a clean clone has them (tracked and new, never ignored ones such as node_modules or a build). */
function cleanCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-production-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(dir, file));
  return dir;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the production build', () => {
  it('builds once, then runs with the production dependencies only: the API, the web app, mail, the strength worker and the CLI', { timeout: 420_000 }, async () => {
    const copy = cleanCopy();
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));

    // Build stage: the development dependencies (this checkout's, as a build image would have them).
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    await run(copy, 'npm', ['run', 'build', '--silent']);
    unlinkSync(join(copy, 'node_modules'));
    expect(existsSync(join(copy, 'build/main.js'))).toBe(true);
    expect(existsSync(join(copy, 'build/cli/main.js'))).toBe(true);
    expect(existsSync(join(copy, 'dist/web/index.html'))).toBe(true);

    // Run stage: production dependencies only. None of the build tools is there.
    await run(copy, 'npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund']);
    for (const tool of ['tsx', 'vite', 'typescript', 'esbuild', 'vitest']) expect(existsSync(join(copy, 'node_modules', tool)), tool).toBe(false);

    const smtp = new TestSmtpServer();
    await smtp.start();
    cleanups.push(() => smtp.stop());
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: base,
      ALLOW_INSECURE_BASE_URL: 'true',
      DATA_DIR: join(copy, 'data'),
      DATABASE_URL: `sqlite:${join(copy, 'data', 'bastion.db')}`,
      SESSION_SECRET: TEST_SESSION_SECRET,
      CODE_PEPPER: TEST_CODE_PEPPER,
      AUDIT_KEY: TEST_AUDIT_KEY,
      ENCRYPTION_KEYS: TEST_KEY,
      SMTP_URL: smtp.url,
      MAIL_POLL_INTERVAL: '50',
      TERMS_URL: 'https://example.com/terms',
      DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
      DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
      LOG_LEVEL: 'info',
    };

    // The CLI answers from the compiled code (tsx is not installed: the source could not run).
    expect((await run(copy, 'node', ['bin/bastion.js', '--version'], env)).trim()).toBe(version);
    expect(await run(copy, 'node', ['bin/bastion.js', '--help'], env)).toMatch(/migrate[\s\S]*audit[\s\S]*staff/);
    expect(await run(copy, 'node', ['bin/bastion.js', 'migrate'], env)).toMatch(/applied: 001_/);

    let log = '';
    const node: ChildProcess = spawn('npm', ['start', '--silent'], { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    node.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    node.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<string>((resolve) => node.on('close', (code, signal) => resolve(`${code ?? signal}`)));
    cleanups.push(async () => {
      if (node.exitCode === null) process.kill(-node.pid!, 'SIGKILL');
    });

    await expect.poll(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status, { timeout: 60_000, interval: 200 }).toBe(200);
    const page = await fetch(`${base}/dashboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(((await (await fetch(`${base}/api/app-info`)).json()) as { terms: unknown }).terms).toMatchObject({ url: 'https://example.com/terms', placeholder: false });

    // The strength meter's worker thread runs the compiled worker.
    const headers = { 'content-type': 'application/json', origin: base };
    const strength = await fetch(`${base}/api/auth/password/strength`, { method: 'POST', headers, body: JSON.stringify({ password: 'amber-lantern-voyage-47', email: 'new@example.com' }) });
    expect(strength.status).toBe(200);
    expect(((await strength.json()) as { score: number }).score).toBeGreaterThanOrEqual(3);

    // A sign-up: its verification email goes out through the outbox worker.
    const register = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email: 'new@example.com', password: 'amber-lantern-voyage-47', acceptTerms: true }) });
    expect(register.status).toBe(202);
    await expect.poll(() => smtp.messages.filter((m) => m.to === 'new@example.com').length, { timeout: 20_000 }).toBe(1);

    // SIGTERM, as a supervisor sends it to the service's processes, stops the node cleanly.
    process.kill(-node.pid!, 'SIGTERM');
    await exited;
    expect(log).toContain('"msg":"stopped"');
    expect(log).not.toMatch(/"level":(50|60)/);
  });
});
