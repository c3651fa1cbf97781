/**
 * Every error code the API can answer with has a human message in the web app. The codes are found
 * by reading the server's source (src/**, tests excluded): the AppError helpers and constructor, and
 * the literal codes of the HTTP error handler (and any other `reply.send({ error: '…' })`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, type ErrorDetails } from '../web/src/error-messages.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SRC = join(ROOT, 'src');
const ERROR_HANDLER = join(SRC, 'http', 'error-handler.ts');
/** Where the helpers are defined (their bodies pass the code through as a variable). */
const HELPERS = join(SRC, 'errors/app-error.ts');

const HELPER_NAMES = ['badRequest', 'unauthorized', 'forbidden', 'notFound', 'conflict', 'tooManyRequests'];
const CODE = String.raw`'([a-z][a-z0-9_]*)'|"([a-z][a-z0-9_]*)"`;
/** `badRequest('code'`, … (not `something.notFound(`): group 1 is the first argument as written. */
const HELPER_CALL = new RegExp(String.raw`(?<![\w.$])(?:${HELPER_NAMES.join('|')})\(\s*([^,)]*)`, 'g');
/** `new AppError(403, 'code'` (any status expression). */
const APP_ERROR = new RegExp(String.raw`\bnew\s+AppError\(\s*[^,]+,\s*([^,)]*)`, 'g');
/** `error: 'code'` in the error handler, and `send({ error: 'code'` anywhere. */
const ERROR_FIELD = new RegExp(String.raw`\berror:\s*(?:${CODE})`, 'g');
const SENT_ERROR = new RegExp(String.raw`\.send\(\s*\{\s*error:\s*(?:${CODE})`, 'g');
/** The FASTIFY_CODES table: `FST_ERR_…: [413, 'payload_too_large', …]`. */
const FASTIFY_ROW = new RegExp(String.raw`\bFST_ERR_\w+:\s*\[\s*\d+\s*,\s*(?:${CODE})`, 'g');
const LITERAL = new RegExp(String.raw`^(?:${CODE})$`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name))
    .sort();
}

interface Scan {
  /** code → where it appears ("src/…/file.ts:line"). */
  codes: Map<string, string[]>;
  /** Helper or AppError calls whose code is not a string literal (so cannot be checked). */
  unreadable: string[];
}

function scan(): Scan {
  const codes = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = (index: number) => `${relative(ROOT, file)}:${text.slice(0, index).split('\n').length}`;
    const found = (code: string, index: number) => codes.set(code, [...(codes.get(code) ?? []), where(index)]);
    const literalOrReport = (argument: string, index: number) => {
      const match = LITERAL.exec(argument.trim());
      const code = match?.[1] ?? match?.[2];
      if (code) found(code, index);
      else unreadable.push(`${where(index)}: ${argument.trim() || '(no argument)'}`);
    };

    if (file !== HELPERS) {
      for (const match of text.matchAll(HELPER_CALL)) literalOrReport(match[1] ?? '', match.index);
      for (const match of text.matchAll(APP_ERROR)) literalOrReport(match[1] ?? '', match.index);
    }
    for (const pattern of file === ERROR_HANDLER ? [ERROR_FIELD, FASTIFY_ROW] : [SENT_ERROR]) {
      for (const match of text.matchAll(pattern)) {
        const code = match[1] ?? match[2];
        if (code) found(code, match.index);
      }
    }
  }
  return { codes, unreadable };
}

describe('web error messages', () => {
  const { codes, unreadable } = scan();

  it('finds the error codes in the server source', () => {
    expect(codes.size, `codes found: ${[...codes.keys()].join(', ')}`).toBeGreaterThanOrEqual(20);
    // The error handler's own codes, so a broken pattern cannot go unnoticed.
    for (const code of ['invalid_request', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'internal_error', 'not_found']) {
      expect(codes.has(code), `${code} should be found in src/http/error-handler.ts`).toBe(true);
    }
  });

  it('reads every code as a literal (a code held in a variable could not be checked)', () => {
    expect(unreadable).toEqual([]);
  });

  it('has a human message for every code the API can answer with', () => {
    const missing = [...codes].filter(([code]) => !Object.hasOwn(ERROR_MESSAGES, code)).map(([code, at]) => `${code} (${at.join(', ')})`);
    expect(missing, 'add these codes to ERROR_MESSAGES in web/src/error-messages.ts').toEqual([]);
  });

  it('gives each message as non-empty words', () => {
    const sample: ErrorDetails = { status: 400, code: '', message: 'email: must be a valid email address.', body: {}, retryAfter: 90 };
    for (const [code, entry] of Object.entries(ERROR_MESSAGES)) {
      const text = typeof entry === 'function' ? entry({ ...sample, code }) : entry;
      expect(text.trim(), code).not.toBe('');
      expect(text, code).not.toMatch(/undefined|null|\[object/);
    }
  });
});
