/**
 * Several Bastion nodes as separate OS processes (`node --import tsx src/main.ts`, each on its own
 * port) on one PostgreSQL database of their own and one Redis, mail going to a real SMTP server in
 * the test process: starting, stopping and killing them, reading their structured logs (stdout),
 * scraping their metrics, and cleaning up afterwards (the processes, the database, the Redis keys).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as pause } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../ports.ts';
import { TestSmtpServer, type ReceivedMail } from '../smtp.ts';
import { TEST_AUDIT_KEY, TEST_CODE_PEPPER, TEST_DEPOSIT_KEYS, TEST_KEY, TEST_SESSION_SECRET } from '../harness.ts';
import { ClusterClient, send } from './client.ts';

/** The services a cluster needs; CI sets both. */
export const SERVICES = { database: process.env.TEST_DATABASE_URL, redis: process.env.TEST_REDIS_URL };
export const servicesSet = Boolean(SERVICES.database && SERVICES.redis);

/** The Redis database the cluster's nodes use (the other tests use database 0); its keys are this run's own anyway (see `runTag`). */
const REDIS_DB = 7;
const ROOT = resolve(import.meta.dirname, '../..');
/** The public origin every node is behind (the load balancer's); cookies and CSRF checks go by it. */
export const PUBLIC_ORIGIN = 'http://bastion.localhost';
export const METRICS_TOKEN = 'cluster-test-metrics-token-long-enough-0000';

/** Polls `check` until it returns something other than null, undefined or false; fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting (${timeoutMs} ms) for ${what}`);
    await pause(25);
  }
}

export interface LogLine {
  level: number;
  time: string;
  msg: string;
  /** Which start of the node wrote it (1, 2, …). */
  life: number;
  [field: string]: unknown;
}

async function connected<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One node: a process that can be started, stopped (SIGTERM), killed (SIGKILL) and started again on its port. */
export class NodeProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  private child: ChildProcess | undefined;
  private exit: Promise<void> | undefined;
  private lives = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (with `overrides` on top of the node's settings) and waits until /readyz answers. */
  async start(overrides: Record<string, string> = {}): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is running already`);
    const life = ++this.lives;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...this.env, ...overrides }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exit = new Promise((done) => child.once('exit', () => done()));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        this.lines.push({ ...(JSON.parse(text) as LogLine), life });
      } catch {
        this.stderr += `${text}\n`;
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    await until(
      `${this.name} to be ready`,
      async () => {
        if (!this.alive) throw new Error(`${this.name} exited while starting:\n${this.stderr}`);
        return (await send(`${this.url}/readyz`).then((r) => r.status === 200).catch(() => false)) || null;
      },
      60_000,
    );
  }

  /** SIGKILL: no graceful anything. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM (a graceful stop: requests in flight and the mail worker finish), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGTERM');
    const stopped = await Promise.race([this.exit!.then(() => true), pause(30_000).then(() => false)]);
    if (!stopped) await this.kill();
  }

  /** At process exit, whatever happened: no node outlives the test. */
  killNow(): void {
    if (this.alive) this.child!.kill('SIGKILL');
  }

  /** This node's value of a counter or gauge series, e.g. `bastion_password_hashes_total{op="verify"}` (0 when not there yet). */
  async metric(series: string): Promise<number> {
    const { status, text } = await send(`${this.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    if (status !== 200) throw new Error(`${this.name} answered ${status} for /metrics`);
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  /** Log lines with this message (every life of the node). */
  logged(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }
}

/** Three (or n) nodes, their database, Redis, SMTP server and folders: `start()`, then `close()` in any case. */
export class Cluster {
  readonly nodes: NodeProcess[] = [];
  readonly smtp = new TestSmtpServer();
  /** In this run's addresses and client IPs, so that its Redis keys can be found and removed. */
  readonly runTag = (0x1000 + (randomBytes(2).readUInt16BE() % 0xf000)).toString(16);
  readonly databaseName = `bastion_cluster_${randomBytes(6).toString('hex')}`;
  private readonly dirs: string[] = [];
  private databaseCreated = false;
  private clients = 0;
  private addresses = 0;
  private readonly killAll = () => this.nodes.forEach((n) => n.killNow());

  get databaseUrl(): string {
    const url = new URL(SERVICES.database!);
    url.pathname = `/${this.databaseName}`;
    return url.toString();
  }

  get redisUrl(): string {
    const url = new URL(SERVICES.redis!);
    url.pathname = `/${REDIS_DB}`;
    return url.toString();
  }

  async start(count = 3, env: Record<string, string> = {}): Promise<void> {
    process.once('exit', this.killAll);
    await this.smtp.start();
    await this.admin((c) => c.query(`create database ${this.databaseName}`));
    this.databaseCreated = true;
    const kyc = this.dir('kyc');
    const shared = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      HOST: '127.0.0.1',
      BASE_URL: PUBLIC_ORIGIN,
      TERMS_URL: 'https://example.com/terms',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      SMTP_URL: this.smtp.url,
      SESSION_SECRET: TEST_SESSION_SECRET,
      CODE_PEPPER: TEST_CODE_PEPPER,
      AUDIT_KEY: TEST_AUDIT_KEY,
      ENCRYPTION_KEYS: TEST_KEY,
      DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
      DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
      // Identity photos must be where every node finds them: one folder for all (a shared volume in production).
      KYC_STORAGE_DIR: kyc,
      // Behind the load balancer (this test's client): the client IP comes from X-Forwarded-For.
      TRUST_PROXY: 'loopback',
      METRICS_TOKEN,
      MAIL_POLL_INTERVAL: '100ms',
      LOG_LEVEL: 'debug',
      ...env,
    };
    for (const name of ['a', 'b', 'c', 'd', 'e'].slice(0, count)) {
      const port = await freePort();
      this.nodes.push(new NodeProcess(name, port, { ...shared, PORT: String(port), DATA_DIR: this.dir(`node-${name}`) }));
    }
    await Promise.all(this.nodes.map((n) => n.start()));
  }

  /** The nodes up now: the load balancer sends requests to these. */
  live(): NodeProcess[] {
    return this.nodes.filter((n) => n.alive);
  }

  node(name: string): NodeProcess {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /** A new browser (its own cookie jar and IP network) whose requests go round robin over the live nodes. */
  client(): ClusterClient {
    const n = ++this.clients;
    return new ClusterClient(this, `2001:db8:${this.runTag}:${n.toString(16)}::1`, PUBLIC_ORIGIN, n);
  }

  /** An address of this run. */
  email(prefix = 'user'): string {
    return `${prefix}${++this.addresses}-r${this.runTag}@example.com`;
  }

  /** The sum of a series over the live nodes. */
  async metricSum(series: string): Promise<number> {
    const values = await Promise.all(this.live().map((n) => n.metric(series)));
    return values.reduce((a, b) => a + b, 0);
  }

  /** Waits until a mail with `subject` reaches `address`; returns every such mail (the last is the new one). */
  async mailTo(address: string, subject: string, count = 1): Promise<ReceivedMail[]> {
    return until(`${count} "${subject}" mail(s) to ${address}`, () => {
      const found = this.smtp.to(address).filter((m) => m.subject === subject);
      return found.length >= count && found;
    });
  }

  /** Runs `work` on a connection of its own to the cluster's database. */
  query<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    return connected(this.databaseUrl, work);
  }

  /** Stops every node, drops the database, removes this run's Redis keys and the folders. Safe to call after a failed start. */
  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    process.removeListener('exit', this.killAll);
    await this.smtp.stop();
    if (this.databaseCreated) {
      const userIds = await this.query((c) => c.query<{ id: string }>('select id from users').then((r) => r.rows.map((row) => row.id))).catch(() => []);
      await this.removeRedisKeys([this.runTag, ...userIds]);
      await this.admin((c) => c.query(`drop database if exists ${this.databaseName} with (force)`));
    }
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  /** Every key of the cluster's Redis database naming this run (its addresses, its clients' networks) or one of its accounts. */
  private async removeRedisKeys(marks: string[]): Promise<void> {
    const redis = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', 'bastion:*', 'COUNT', 1000);
        cursor = next;
        const ours = keys.filter((k) => marks.some((m) => k.includes(m)));
        if (ours.length > 0) await redis.del(...ours);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  private admin(work: (client: pg.Client) => Promise<unknown>): Promise<unknown> {
    return connected(SERVICES.database!, work);
  }

  private dir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `bastion-cluster-${name}-`));
    this.dirs.push(dir);
    return dir;
  }
}
