/**
 * Every error code has a human message in the web app: the type check guarantees one exists
 * (web/src/error-messages.ts maps over the server's one list, src/errors/codes.ts); this checks each
 * reads as words, and that the map and the list agree at run time too.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors/codes.ts';
import { ERROR_MESSAGES, type ErrorDetails } from '../web/src/error-messages.ts';

describe('web error messages', () => {
  it('has a message for every code in the server list', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !Object.hasOwn(ERROR_MESSAGES, code));
    expect(missing).toEqual([]);
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
