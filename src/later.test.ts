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

/** Runs `test` with setTimeout faked: the 100 ms fallback never fires, so only what is tested can start work. */
async function withoutTimers(test: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    await test();
  } finally {
    vi.useRealTimers();
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('work after the answer', () => {
  it('starts only once the answer is sent, on the next turn', async () => {
    const later = createLater(pino({ level: 'silent' }));
    const done: string[] = [];
    later.run('a job', async () => {
      done.push('job');
    });
    await nextTurn();
    expect(done).toEqual([]);
    later.answered();
    done.push('answer');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toEqual(['answer', 'job']);
  });

  it('starts work that no answer releases (a command, a sweep) after 100 ms anyway, and only then', () =>
    withoutTimers(async () => {
      const later = createLater(pino({ level: 'silent' }));
      const done: string[] = [];
      later.run('a sweep job', async () => {
        done.push('job');
      });
      await vi.advanceTimersByTimeAsync(99);
      expect(done).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toEqual(['job']);
    }));

  it('idle() starts what waits, and what that work leaves for later too, and resolves when all is done', async () => {
    // Only idle() can start the inner work.
    await withoutTimers(async () => {
      const later = createLater(pino({ level: 'silent' }));
      const done: string[] = [];
      later.run('outer', async () => {
        done.push('outer');
        later.run('inner', async () => {
          await nextTurn();
          done.push('inner');
        });
      });
      await later.idle();
      expect(done).toEqual(['outer', 'inner']);
    });
  });

  it('start() begins at once, without an answer, and idle() waits for it', async () => {
    await withoutTimers(async () => {
      const later = createLater(pino({ level: 'silent' }));
      const done: string[] = [];
      later.start('at once', async () => {
        await nextTurn();
        done.push('started');
      });
      await nextTurn();
      await nextTurn();
      expect(done).toEqual(['started']);
      later.start('another', async () => {
        await nextTurn();
        done.push('waited for');
      });
      await later.idle();
      expect(done).toEqual(['started', 'waited for']);
    });
  });

  it('logs a failure instead of throwing it at anyone', async () => {
    const { log, lines } = logged();
    const later = createLater(log);
    later.run('failing job', async () => {
      throw new Error('the database went away');
    });
    await expect(later.idle()).resolves.toBeUndefined();
    await nextTurn();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, work: 'failing job', msg: 'work after the answer failed' });
  });
});
