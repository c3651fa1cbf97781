/**
 * Answers that never reach a route, over a real socket: headers too large (431), bytes that are not
 * HTTP (400), a URL that does not decode (400), a body that never finishes (408 after
 * REQUEST_TIMEOUT) — each `{error, message}` with the security headers; the API's docs page off
 * when API_DOCS is; pages never stored by a cache (their address may hold a token); passwords that
 * are not Unicode and email addresses beyond RFC 5321's sizes refused, internationalised domains
 * kept in punycode.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { register } from '../../test/registration.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { db } from '../../test/queries.ts';

/** Writes `text` on a new connection and returns everything the server answers until it closes. */
function raw(port: number, text: string | Buffer, options: { keepOpenMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within the wait; got ${JSON.stringify(answer)}`));
    }, options.keepOpenMs ?? 10_000);
  });
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : null };
}

describe('answers before a route', () => {
  let open: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(open.map((t) => t.close()));
    open = [];
  });
  const listening = async (env: Record<string, string> = {}) => {
    const t = await createTestApp('sqlite', { env });
    open.push(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    return { t, port: (t.app.server.address() as { port: number }).port };
  };

  it('answers oversized headers, non-HTTP bytes and an undecodable URL in the one error shape, with the security headers', async () => {
    const { port } = await listening();
    const cases: [string, number, string][] = [
      [`GET /api/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
      ['GARBAGE\r\n\r\n', 400, 'invalid_request'],
      ['GET /api/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'invalid_request'],
    ];
    for (const [request, status, error] of cases) {
      const answer = parse(await raw(port, request));
      expect(answer.status, request.slice(0, 30)).toBe(status);
      expect(answer.body).toEqual({ error, message: expect.any(String) });
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(JSON.stringify(answer.body)).not.toContain('%E0');
    }
  });

  it('answers 408 and closes a request whose body does not arrive within REQUEST_TIMEOUT', async () => {
    const { port } = await listening({ REQUEST_TIMEOUT: '1s' });
    const started = Date.now();
    const answer = parse(await raw(port, 'POST /api/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":', { keepOpenMs: 15_000 }));
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ error: 'request_timeout', message: 'The request did not arrive in time.' });
    // Closed by the timeout, not by the test's own wait.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('serves the docs page only when API_DOCS is on; the OpenAPI document always', async () => {
    const on = (await createTestApp('sqlite'));
    open.push(on);
    expect((await on.client().get('/api/docs/')).status).toBe(200);
    const off = await createTestApp('sqlite', { env: { API_DOCS: 'off' } });
    open.push(off);
    expect((await off.client().get('/api/docs/')).status).toBe(404);
    expect((await off.client().get('/api/openapi.json')).status).toBe(200);
  });

  it('never lets a cache store a page: its address may hold a single-use token', async () => {
    const t = await createTestApp('sqlite');
    open.push(t);
    for (const path of ['/confirm-withdrawal?token=abc', '/reset-password?token=abc', '/', '/index.html']) {
      const page = await t.client().get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('refuses a password that is not Unicode text and addresses beyond RFC 5321’s sizes, and keeps an internationalised domain in punycode', async () => {
    const t = await createTestApp('sqlite');
    open.push(t);
    const lone = await register(t.client(), 'ada@example.com', 'violet-harbor\ud800-compass-91');
    expect(lone).toMatchObject({ status: 400, body: { error: 'invalid_request', message: 'password: must be valid Unicode text (it has an unpaired surrogate).' } });
    const login = await t.client().post('/api/auth/login', { email: 'ada@example.com', password: '\udfff' });
    expect(login.body.error).toBe('invalid_request');

    const local65 = await register(t.client(), `${'a'.repeat(65)}@example.com`);
    expect(local65.body).toMatchObject({ error: 'invalid_request', message: 'email: must have at most 64 characters before the @.' });
    expect((await register(t.client(), `${'a'.repeat(64)}@example.com`)).status).toBe(202);
    expect((await register(t.client(), `ada@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(58)}.com`)).body.error).toBe('invalid_request');

    expect((await register(t.client(), 'jürgen@bücher.example')).body.error).toBe('invalid_request');
    expect((await register(t.client(), 'juergen@Bücher.example')).status).toBe(202);
    expect(await db(t).selectFrom('users').select('email').where('email', 'like', 'juergen@%').execute()).toEqual([{ email: 'juergen@xn--bcher-kva.example' }]);
    // Sent to the ASCII form (the test SMTP server shows the domain decoded again).
    expect(await db(t).selectFrom('outbox').select('recipient').where('recipient', 'like', 'juergen@%').execute()).toEqual([{ recipient: 'juergen@xn--bcher-kva.example' }]);
  });
});
