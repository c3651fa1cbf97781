/**
 * A progress bar on stderr: redrawn in place (at most ten times a second) on a terminal; elsewhere
 * (a log, a pipe) a line at every tenth of the way, and at each new phase.
 */
const WIDTH = 30;

export interface Progress {
  /** `done` of `total` units; `detail` says what they are. */
  update(done: number, detail: string): void;
  /** A phase with no measure of its own ("building indexes"). */
  phase(text: string): void;
  end(): void;
}

const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

export function progressBar(write: (s: string) => void, tty: boolean, total: number): Progress {
  const started = performance.now();
  let drawn = 0;
  let tenths = -1;
  let open = false;
  const line = (text: string) => {
    if (tty) {
      write(`\r\x1b[K${text}`);
      open = true;
    } else write(`${text}\n`);
  };
  return {
    update(done, detail) {
      const now = performance.now();
      const share = total > 0 ? Math.min(1, done / total) : 1;
      if (tty ? now - drawn < 100 && done < total : Math.floor(share * 10) === tenths) return;
      drawn = now;
      tenths = Math.floor(share * 10);
      const elapsed = now - started;
      const eta = share > 0 && share < 1 ? ` eta ${duration((elapsed / share) * (1 - share))}` : '';
      const filled = Math.round(share * WIDTH);
      const bar = tty ? `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ` : '';
      line(`seed ${bar}${(share * 100).toFixed(0).padStart(3)}% ${detail} ${duration(elapsed)}${eta}`);
    },
    phase(text) {
      line(`seed: ${text} (${duration(performance.now() - started)})`);
    },
    end() {
      if (open) write('\n');
      open = false;
    },
  };
}
