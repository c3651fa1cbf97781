/** Work after the answer (later.ts): it waits for the answer, idle() waits for it, a failure is logged. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createLater } from './later.ts';

function logged() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('work after the answer', () => {
  it('starts only once the answer is sent, on the next turn', async () => {
    const later = createLater(pino({ level: 'silent' }));
    const done: string[] = [];
    later.run('a job', async () => {
      done.push('job');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([]);
    later.answered();
    done.push('answer');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toEqual(['answer', 'job']);
  });

  it('idle() starts what waits, and what that work leaves for later too, and resolves when all is done', async () => {
    // The 100 ms fallback never fires here: only idle() can start the inner work.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const later = createLater(pino({ level: 'silent' }));
      const done: string[] = [];
      later.run('outer', async () => {
        done.push('outer');
        later.run('inner', async () => {
          await new Promise((resolve) => setImmediate(resolve));
          done.push('inner');
        });
      });
      await later.idle();
      expect(done).toEqual(['outer', 'inner']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failure instead of throwing it at anyone', async () => {
    const { log, lines } = logged();
    const later = createLater(log);
    later.run('failing job', async () => {
      throw new Error('the database went away');
    });
    await expect(later.idle()).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, work: 'failing job', msg: 'work after the answer failed' });
  });
});
