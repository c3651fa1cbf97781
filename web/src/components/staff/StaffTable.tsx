/**
 * A staff console table (the audit log, the outbox): captioned, with column headings, inside a
 * labelled region that scrolls sideways on its own (and by keyboard), so the page never does.
 */
import type { ReactNode } from 'react';

interface StaffTableProps {
  label: string;
  columns: string[];
  testId: string;
  /** The rows (<tr>). */
  children: ReactNode;
}

export function StaffTable({ label, columns, testId, children }: StaffTableProps) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="staff-table" data-testid={testId}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
