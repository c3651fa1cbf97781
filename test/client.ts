/**
 * A browser-like client over `app.inject`: it keeps cookies between requests and sends the
 * trusted Origin on state-changing requests, as a same-origin page would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface TestResponse {
  status: number;
  body: any;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: FastifyInstance,
    readonly origin: string,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    readonly ip = '203.0.113.10',
  ) {}

  /** POSTs a multipart/form-data body, as a browser's FormData upload. */
  async upload(url: string, form: FormData): Promise<TestResponse> {
    const encoded = new Response(form);
    const payload = Buffer.from(await encoded.arrayBuffer());
    return this.request('POST', url, payload, { 'content-type': encoded.headers.get('content-type')! });
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse> {
    const cookieHeader = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const raw = await this.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': this.userAgent,
        ...(method !== 'GET' && method !== 'HEAD' ? { origin: this.origin } : {}),
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
    for (const c of raw.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now() && c.value === '');
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    let parsed: unknown = raw.body;
    if (String(raw.headers['content-type'] ?? '').includes('application/json') && raw.body) parsed = JSON.parse(raw.body);
    return { status: raw.statusCode, body: parsed, headers: raw.headers, raw };
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }
  put(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('PUT', url, body, headers);
  }
  patch(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
}
