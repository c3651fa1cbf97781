/**
 * Answers that never reach a route, over a real socket: headers too large (431), bytes that are not
 * HTTP (400), a URL that does not decode (400), a body that never finishes (408 after
 * REQUEST_TIMEOUT) — each `{error, message}` with the security headers; the API's docs page off
 * when API_DOCS is; pages never stored by a cache (their address may hold a token); passwords that
 * are not Unicode and email addresses beyond RFC 5321's sizes refused, internationalised domains
 * kept in punycode.
 */
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { register } from '../../test/registration.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { db } from '../../test/queries.ts';
import type { FeatureRoutes } from './route-context.ts';

/** A response that takes a while: half its body, a pause, the rest. */
const slowRoute: FeatureRoutes = async (app) => {
  app.get('/api/slow', (_request, reply) => {
    const body = new PassThrough();
    void reply.header('content-type', 'text/plain').send(body);
    body.write('hello');
    setTimeout(() => body.end(' world'), 300);
  });
};

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

  it('never writes an early answer into a response already on its way on the same connection; a route parameter too long is 414', async () => {
    const t = await createTestApp('sqlite', { extraRoutes: [slowRoute] });
    open.push(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        // The headers and the first half of the body are here: now bytes that are not HTTP, on the same connection.
        if (!text.includes('hello') && (text + chunk).includes('hello')) socket.write('GARBAGE\r\n\r\n');
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).not.toContain('400 Bad Request');
    const long = await t.client().get(`/api/withdrawals/${'a'.repeat(200)}`);
    expect([404, 414]).toContain(long.status);
    expect(long.body).toEqual({ error: expect.any(String), message: expect.any(String) });
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
    // Only a bare domain is converted: what a URL would drop (a path, a port, a query) is refused, not cut off.
    for (const cut of ['a@bücher.example/evil', 'a@bücher.example:25', 'a@bücher.example?x=1', 'a@bücher.example#x']) expect((await register(t.client(), cut)).body.error, cut).toBe('invalid_request');
    // An internationalised top-level domain too.
    expect((await register(t.client(), 'ivan@пример.рф')).status).toBe(202);
    expect(await db(t).selectFrom('users').select('email').where('email', 'like', 'ivan@%').execute()).toEqual([{ email: 'ivan@xn--e1afmkfd.xn--p1ai' }]);
    // Finding an account is not held to the sizes a new address must meet: an older, longer address can still sign in.
    expect((await t.client().post('/api/auth/login', { email: `${'a'.repeat(70)}@example.com`, password: 'whatever-it-is-1' })).status).toBe(401);
    expect((await register(t.client(), 'juergen@Bücher.example')).status).toBe(202);
    expect(await db(t).selectFrom('users').select('email').where('email', 'like', 'juergen@%').execute()).toEqual([{ email: 'juergen@xn--bcher-kva.example' }]);
    // Sent to the ASCII form (the test SMTP server shows the domain decoded again).
    expect(await db(t).selectFrom('outbox').select('recipient').where('recipient', 'like', 'juergen@%').execute()).toEqual([{ recipient: 'juergen@xn--bcher-kva.example' }]);
  });
});
