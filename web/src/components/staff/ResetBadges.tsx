/** A 2FA reset request at a glance: its state, and its risk signals in words (red badges: why to look twice). */
import type { ResetSignal, ResetState } from '../../../../src/contracts/two-factor-reset.ts';
import '../two-factor-reset/reset.css';
import { RESET_SIGNAL_LABELS, RESET_STATE_BADGE, RESET_STATE_LABELS } from '../two-factor-reset/words.ts';

export function ResetStateBadge({ state }: { state: ResetState }) {
  return (
    <span className={`badge ${RESET_STATE_BADGE[state]}`} data-testid="reset-state" data-state={state}>
      {RESET_STATE_LABELS[state]}
    </span>
  );
}

export function ResetSignals({ signals }: { signals: readonly ResetSignal[] }) {
  if (signals.length === 0) {
    return (
      <span className="small muted" data-testid="reset-signals" data-count="0">
        No risk signal
      </span>
    );
  }
  return (
    <ul className="reset-signals" aria-label="Risk signals" data-testid="reset-signals" data-count={signals.length}>
      {signals.map((signal) => (
        <li key={signal}>
          <span className="badge badge-alert" data-testid="reset-signal" data-signal={signal}>
            {RESET_SIGNAL_LABELS[signal]}
          </span>
        </li>
      ))}
    </ul>
  );
}
