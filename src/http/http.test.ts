import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FeatureRoutes } from './route-context.ts';
import { clientOf } from './request-context.ts';
import { createTestApp, dialects, TEST_BASE_URL, type TestApp } from '../../test/harness.ts';

/** A route with a body schema, to exercise the shared validation and error handling. */
const probe: FeatureRoutes = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/probe',
    { schema: { body: z.strictObject({ email: z.email(), age: z.number().int(), profile: z.strictObject({ name: z.string() }).optional() }) } },
    async (request) => ({ ok: true, email: request.body.email }),
  );
  r.get('/api/boom', async () => {
    throw new Error('secret internal detail at /srv/app.ts:42');
  });
  r.get('/api/whoami', async (request) => ({ ip: clientOf(request).ip }));
  r.post('/api/log-secrets', async (request) => {
    request.log.info({ body: { password: 'hunter2-pass', token: 'tok-SECRET-1', code: '123456', user: { otp: '654321' } } }, 'handled');
    return { ok: true };
  });
};

describe.each(dialects)('HTTP shared plugins on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers each kind of bad input with 400 (or 413/415) and a message naming the field', async () => {
    t = await createTestApp(dialect, { extraRoutes: [probe] });
    const c = t.client();
    const cases: [unknown, number, string, RegExp][] = [
      ['{"email": ', 400, 'invalid_json', /not valid JSON/],
      [{ email: 'a@example.com', age: 3, extra: 1 }, 400, 'invalid_request', /Unknown field: extra/],
      [{ email: 'a@example.com', age: 3, profile: { name: 'x', nick: 'y' } }, 400, 'invalid_request', /profile\.nick/],
      [{ email: 'a@example.com', age: 'three' }, 400, 'invalid_request', /^age: /],
      [{ age: 3 }, 400, 'invalid_request', /^email: is required/],
      [{ email: 'not-an-email', age: 3 }, 400, 'invalid_request', /^email: /],
      [[1, 2], 400, 'invalid_request', /body|expected object/i],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await c.post('/api/probe', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error, JSON.stringify(body)).toBe(code);
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    const empty = await c.post('/api/probe', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('invalid_json');
    const big = await c.post('/api/probe', { email: 'a@example.com', age: 1, pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: 'payload_too_large', message: 'The request body is too large.' });
    const form = await c.post('/api/probe', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error).toBe('unsupported_media_type');
    const ok = await c.post('/api/probe', { email: 'a@example.com', age: 3 });
    expect(ok.status).toBe(200);
  });

  it('never sends a stack trace or internal detail: an unexpected error is a generic 500', async () => {
    t = await createTestApp(dialect, { extraRoutes: [probe] });
    const res = await t.client().get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'Something went wrong on our side. Please try again.' });
    expect(res.raw.body).not.toContain('/srv/app.ts');
  });

  it('takes the client IP from X-Forwarded-For only when TRUST_PROXY says so', async () => {
    t = await createTestApp(dialect, { extraRoutes: [probe] });
    const direct = t.client({ ip: '198.51.100.7' });
    expect((await direct.get('/api/whoami', { 'x-forwarded-for': '81.2.69.142' })).body.ip).toBe('198.51.100.7');
    await t.close();
    t = await createTestApp(dialect, { extraRoutes: [probe], env: { TRUST_PROXY: '198.51.100.7' } });
    const proxied = t.client({ ip: '198.51.100.7' });
    expect((await proxied.get('/api/whoami', { 'x-forwarded-for': '81.2.69.142' })).body.ip).toBe('81.2.69.142');
    const spoofed = t.client({ ip: '203.0.113.99' });
    expect((await spoofed.get('/api/whoami', { 'x-forwarded-for': '81.2.69.142' })).body.ip).toBe('203.0.113.99');
    // The right-most hop the proxy did not add itself; the client's own left-most entries count for nothing.
    expect((await proxied.get('/api/whoami', { 'x-forwarded-for': '6.6.6.6, 81.2.69.142' })).body.ip).toBe('81.2.69.142');
    // Text that is not an address (a script, 3,000 characters) never becomes the client's IP: the proxy's is used.
    for (const junk of ['<script>alert(1)</script>', 'x'.repeat(3000)]) expect((await proxied.get('/api/whoami', { 'x-forwarded-for': junk })).body.ip).toBe('198.51.100.7');
    expect((await proxied.get('/api/whoami', { 'x-forwarded-for': '::ffff:81.2.69.142' })).body.ip).toBe('81.2.69.142');
  });

  it('counts per-IP limits per IPv6 /64: rotating addresses inside one subscriber’s network does not escape them', async () => {
    t = await createTestApp(dialect);
    // 20 reset requests an hour per network: 20 addresses of one /64, then a 21st address of it is refused.
    for (let i = 1; i <= 20; i++) expect((await t.client({ ip: `2001:db8:1:2::${i.toString(16)}` }).post('/api/auth/password/forgot', { email: `u${i}@example.com` })).status).toBe(202);
    expect((await t.client({ ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' }).post('/api/auth/password/forgot', { email: 'u99@example.com' })).status).toBe(429);
    // Another /64 has its own count.
    expect((await t.client({ ip: '2001:db8:1:3::1' }).post('/api/auth/password/forgot', { email: 'u100@example.com' })).status).toBe(202);
  });

  it('answers unknown routes with a JSON 404', async () => {
    t = await createTestApp(dialect);
    const res = await t.client().get('/api/nope?token=x');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', message: 'No route for GET /api/nope.' });
  });

  it('sends security headers everywhere, and no HSTS over plain HTTP', async () => {
    t = await createTestApp(dialect);
    const res = await t.client().get('/healthz');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(csp).toContain("connect-src 'self';");
    await t.close();
    t = await createTestApp(dialect, { env: { WALLET_RPC_ORIGINS: 'https://evm.cronos.org' } });
    const withRpc = await t.client().get('/healthz');
    expect(String(withRpc.headers['content-security-policy'])).toContain("connect-src 'self' https://evm.cronos.org;");
    expect((await t.client().get('/api/app-info')).body).toEqual({ name: 'Bastion', devInbox: null, walletRpcOrigins: ['https://evm.cronos.org'], passkeys: true, freezeCooldownMs: 86_400_000, withdrawalHoldMs: 86_400_000, faucet: false, twoFactorResetDelayMs: 172_800_000, twoFactorResetHoldMs: 172_800_000, terms: { url: 'http://localhost:3000/terms', version: '1', placeholder: true } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a state-changing request with our cookie from another origin (CSRF)', async () => {
    t = await createTestApp(dialect, { extraRoutes: [probe] });
    const body = { email: 'a@example.com', age: 1 };
    const evil = t.client({ origin: 'https://evil.example' });
    // Another site's page is refused even without a cookie (no login CSRF either).
    const cookieless = await evil.post('/api/probe', body);
    expect(cookieless.status).toBe(403);
    expect(cookieless.body.error).toBe('csrf_rejected');
    // A client that names no origin (not a browser page) may call without a cookie.
    expect((await evil.post('/api/probe', body, { origin: '' })).status).toBe(200);
    evil.cookies.set('bastion_session', 'x');
    const refused = await evil.post('/api/probe', body);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('csrf_rejected');
    const noOrigin = await evil.post('/api/probe', body, { origin: '' });
    expect(noOrigin.status).toBe(403);
    const friend = t.client();
    friend.cookies.set('bastion_session', 'x');
    expect((await friend.post('/api/probe', body)).status).toBe(200);
    expect((await friend.post('/api/probe', body, { origin: '', referer: `${TEST_BASE_URL}/login` })).status).toBe(200);
  });

  it('writes one log line per request and redacts passwords, tokens, codes, cookies and Authorization', async () => {
    const lines: string[] = [];
    t = await createTestApp(dialect, { extraRoutes: [probe], logStream: { write: (l) => void lines.push(l) } });
    const c = t.client();
    c.cookies.set('bastion_session', 'COOKIE-SECRET-VALUE');
    await c.post('/api/log-secrets?token=QUERY-TOKEN-1&code=778899', { x: 1 }, { authorization: 'Bearer AUTH-SECRET' });
    await c.get('/verify-email?token=LINK-TOKEN-2');
    const out = lines.join('');
    for (const secret of ['hunter2-pass', 'tok-SECRET-1', '123456', '654321', 'QUERY-TOKEN-1', '778899', 'COOKIE-SECRET-VALUE', 'AUTH-SECRET', 'LINK-TOKEN-2']) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatchObject({ method: 'POST', status: 200, url: '/api/log-secrets?token=[REDACTED]&code=[REDACTED]' });
  });

  it('serves /healthz, and /readyz until the database is gone', async () => {
    t = await createTestApp(dialect);
    const c = t.client();
    expect((await c.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await c.get('/readyz')).body).toEqual({ status: 'ready' });
    await t.db.store.close();
    const res = await c.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('not_ready');
    t.db.drop = async () => {
      /* already closed */
    };
  });

  it('publishes the OpenAPI document and a docs page', async () => {
    t = await createTestApp(dialect, { extraRoutes: [probe] });
    const doc = await t.client().get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/probe'].post.requestBody.content['application/json'].schema.required).toContain('email');
    const docs = await t.client().get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.headers['content-type'])).toContain('text/html');
  });
});
