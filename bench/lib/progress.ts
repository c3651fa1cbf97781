/**
 * The bench's progress display on stderr: a line per step. On a terminal the running step's line
 * is redrawn (elapsed time, and a note such as "run 2/3") and ends with its duration; elsewhere
 * each step prints once when it starts and once when it ends.
 */
const tty = process.stderr.isTTY === true;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export interface Step {
  /** A short note after the step's name (redrawn on a terminal, printed elsewhere). */
  note(text: string): void;
  done(result?: string): void;
  fail(error: unknown): void;
}

let current: { title: string; started: number; note: string; printed: number; timer: NodeJS.Timeout | undefined } | undefined;

function draw(): void {
  if (!current || !tty) return;
  const line = `  … ${current.title}${current.note ? ` — ${current.note}` : ''} (${seconds(Date.now() - current.started)})`;
  process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
}

function finish(mark: string, text: string): void {
  if (!current) return;
  clearInterval(current.timer);
  const line = `  ${mark} ${current.title}${text ? ` — ${text}` : ''} (${seconds(Date.now() - current.started)})`;
  process.stderr.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  current = undefined;
}

/** Starts a step (ending one still running). */
export function step(title: string): Step {
  if (current) finish('✓', '');
  current = { title, started: Date.now(), note: '', printed: Date.now(), timer: tty ? setInterval(draw, 250) : undefined };
  current.timer?.unref();
  if (tty) draw();
  else process.stderr.write(`  … ${title}\n`);
  const mine = current;
  return {
    note(text) {
      if (current !== mine) return;
      mine.note = text;
      if (tty) draw();
      // Elsewhere a note at most every 5 s, so a log stays readable.
      else if (Date.now() - mine.printed >= 5000) {
        mine.printed = Date.now();
        process.stderr.write(`      ${text}\n`);
      }
    },
    done(result = '') {
      if (current === mine) finish('✓', result);
    },
    fail(error) {
      if (current === mine) finish('✗', error instanceof Error ? error.message : String(error));
    },
  };
}

/** Runs `work` as one step: done with its summary, or failed with its error (rethrown). */
export async function during<T>(title: string, work: (s: Step) => Promise<T>, summary?: (value: T) => string): Promise<T> {
  const s = step(title);
  try {
    const value = await work(s);
    s.done(summary ? summary(value) : '');
    return value;
  } catch (error) {
    s.fail(error);
    throw error;
  }
}

/** A heading between scenarios. */
export function heading(text: string): void {
  if (current) finish('✓', '');
  process.stderr.write(`\n${text}\n`);
}
