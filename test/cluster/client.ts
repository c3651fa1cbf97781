/**
 * A browser behind a round-robin load balancer: one cookie jar, each request sent to the next live
 * node (or to the one named), over real HTTP with a fresh connection each time (a node killed and
 * restarted on its port leaves no stale keep-alive socket). It sends what a load balancer in front
 * of the nodes would: the public Host, and the client's address in X-Forwarded-For. Also the
 * person's authenticator app, which never reuses a TOTP time step.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as pause } from 'node:timers/promises';
import { decodeBase32, totp } from '../../src/factors/totp/otp.ts';
import type { NodeProcess } from './nodes.ts';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** One HTTP exchange on a connection of its own (no keep-alive agent), bounded by 30 s. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} in 30 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface ClusterResponse {
  status: number;
  body: any;
  headers: IncomingHttpHeaders;
  /** The node that answered. */
  node: string;
}

export class ClusterClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly balancer: { live(): NodeProcess[] },
    readonly ip: string,
    readonly origin: string,
    /** Where in the rotation this browser starts (the balancer spreads browsers too). */
    private turn = 0,
    readonly userAgent = CHROME,
  ) {}

  /** Another browser on the same device and network holding copies of these cookies (all, or the ones named). */
  copy(names?: string[]): ClusterClient {
    const other = new ClusterClient(this.balancer, this.ip, this.origin, this.turn + 1, this.userAgent);
    for (const [name, value] of this.cookies) if (!names || names.includes(name)) other.cookies.set(name, value);
    return other;
  }

  /** Sends to `via` when given, otherwise to the next live node in turn. */
  async request(method: string, path: string, body?: unknown, via?: NodeProcess): Promise<ClusterResponse> {
    const live = this.balancer.live();
    const node = via ?? live[this.turn++ % live.length];
    if (!node) throw new Error('no node is up');
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const answer = await send(`${node.url}${path}`, {
      method,
      body: payload,
      headers: {
        host: new URL(this.origin).host,
        'x-forwarded-for': this.ip,
        'user-agent': this.userAgent,
        ...(method !== 'GET' ? { origin: this.origin } : {}),
        ...(cookie ? { cookie } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });
    for (const header of answer.headers['set-cookie'] ?? []) this.keep(header);
    const json = String(answer.headers['content-type'] ?? '').includes('application/json') && answer.text;
    return { status: answer.status, body: json ? JSON.parse(answer.text) : answer.text, headers: answer.headers, node: node.name };
  }

  get(path: string, via?: NodeProcess) {
    return this.request('GET', path, undefined, via);
  }
  post(path: string, body: unknown = {}, via?: NodeProcess) {
    return this.request('POST', path, body, via);
  }
  delete(path: string, via?: NodeProcess) {
    return this.request('DELETE', path, undefined, via);
  }

  /** A Set-Cookie header into the jar: an empty value, Max-Age=0 or an Expires in the past removes the cookie. */
  private keep(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attribute = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const gone = value === '' || maxAge === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The person's authenticator app: the code of a time step the server has not seen yet (the current one, or the next). */
export class Authenticator {
  private lastStep = -1;

  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    for (let waited = 0; ; waited++) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(this.lastStep + 1, current);
      // The server takes one step either side of its own: a step further ahead waits for the clock.
      if (step <= current + 1) {
        this.lastStep = step;
        return totp(decodeBase32(this.secret), step * 30_000);
      }
      if (waited > 1500) throw new Error('no TOTP step free within 37 s');
      await pause(25);
    }
  }
}
