/**
 * An account's recent sign-in attempts as a table (a 2FA reset request's review): time, result,
 * method, device, place, IP and risk signals, failures and signals marked in words.
 */
import { methodWords, resultBadge, resultWords, signalWords } from '../security/format.ts';
import { StaffTable } from './StaffTable.tsx';
import { exactTime } from './words.ts';

/** One attempt, as the staff routes list them. */
export interface Attempt {
  at: string;
  result: string;
  method: string | null;
  device: string;
  ip: string;
  place: string | null;
  riskSignals: readonly string[];
}

const COLUMNS = ['Time', 'Result', 'Method', 'Device', 'Location', 'IP', 'Risk signals'];

export function ActivityTable({ entries, label }: { entries: readonly Attempt[]; label: string }) {
  return (
    <StaffTable label={label} columns={COLUMNS} testId="activity-table">
      {entries.map((entry, index) => {
        const badge = resultBadge(entry.result);
        return (
          <tr key={`${entry.at}-${index}`} data-testid="activity-row" data-result={entry.result}>
            <td>
              <time dateTime={entry.at}>{exactTime(entry.at)}</time>
            </td>
            <td className="wrap">
              {resultWords(entry.result)}
              {badge ? (
                <>
                  {' '}
                  <span className="badge badge-alert">{badge}</span>
                </>
              ) : null}
            </td>
            <td>{methodWords(entry.method)}</td>
            <td className="wrap">{entry.device}</td>
            <td className="wrap">{entry.place ?? 'Unknown'}</td>
            <td className="mono">{entry.ip}</td>
            <td>
              {entry.riskSignals.length === 0 ? (
                '—'
              ) : (
                <span className="badges">
                  {entry.riskSignals.map((signal) => (
                    <span key={signal} className="badge badge-alert">
                      {signalWords(signal)}
                    </span>
                  ))}
                </span>
              )}
            </td>
          </tr>
        );
      })}
    </StaffTable>
  );
}
